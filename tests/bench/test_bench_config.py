"""The load benchmark's configuration (``make bench``), checked without any load."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

ROOT = Path(__file__).resolve().parents[2]
BARE = ["/bench/bare/", "/bench/detail/1/", "/bench/list/"]


def _bench_web():
    spec = importlib.util.spec_from_file_location("bench_web", ROOT / "bench" / "bench_web.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("url", BARE)
def test_bench_bare_views_unreachable_with_normal_settings(url):
    with pytest.raises(Resolver404) as raised:
        resolve(url)
    # Unreachable because no bench pattern is in the normal URLconf at all.
    tried = [str(pattern) for chain in raised.value.args[0]["tried"] for pattern in chain]
    assert tried and not [p for p in tried if "bench" in p]
    with pytest.raises(NoReverseMatch, match="^Reverse for 'bench_bare' not found"):
        reverse("bench_bare")


@pytest.mark.parametrize("url", BARE)
def test_bench_bare_views_reachable_with_bench_urls(url):
    with override_settings(ROOT_URLCONF="awardportal.bench_urls"):
        assert resolve(url).url_name.startswith("bench_")
        assert resolve("/database/").url_name == "database"  # the portal's own pages too


def test_bench_urls_named_only_by_bench_settings():
    settings_dir = ROOT / "awardportal" / "settings"
    naming = sorted(p.name for p in settings_dir.glob("*.py") if "bench_urls" in p.read_text())
    assert naming == ["bench.py"]


def test_bench_locustfile_imports_with_its_user_classes():
    # In a subprocess: importing locust monkey-patches the standard library (gevent).
    code = (
        "import runpy; ns = runpy.run_path('bench/locustfile.py');"
        "print(sorted(k for k in ('Visitor', 'Reviewer', 'Secretariat') if k in ns))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['Reviewer', 'Secretariat', 'Visitor']"


def _row(group, rps, p95=20.0, errors=0, connections=50):
    return {
        "group": group,
        "url": "/",
        "rps": rps,
        "requests": int(rps * 15),
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 1.5,
        "errors": errors,
        "statuses": "",
        "connections": connections,
        "queries": 3,
    }


def _sample():
    small = {
        "bare detail": _row("bare", 1000),
        "bare list": _row("bare", 700),
        "home": _row("public", 500),
        "database search with filters": _row("heavy", 150),
        "reviewer queue": _row("signed_in", 80, p95=120, connections=10),
    }
    large = dict(small) | {
        "home": _row("public", 300),  # 1.67x slower: missed
        "database search with filters": _row("heavy", 150, errors=2),
        "reviewer queue": _row("signed_in", 60, p95=350, connections=10),
    }
    return {
        "started": "2026-12-01 00:00 UTC",
        "commit": "abc1234",
        "machine": "2 cores",
        "seconds": 15,
        "note": "Provisional.",
        "sizes": {"2000": small, "20000": large},
        "rush_size": 20000,
        "rush_users": 1000,
        "rush_seconds": 90,
        "rush": {
            "home": {
                "requests": 9,
                "errors": 0,
                "rps": 3.0,
                "p50_ms": 20,
                "p95_ms": 90,
                "p99_ms": 120,
            },
            "vote page": {
                "requests": 9,
                "errors": 1,
                "rps": 3.0,
                "p50_ms": 20,
                "p95_ms": 200,
                "p99_ms": 300,
            },
        },
        "pipeline": {"returncode": 0, "markdown": "Pipeline table.", "json": {"ok": True}},
    }


def test_bench_results_writer_formats_tables_ratios_and_missed_targets():
    text = _bench_web().format_results(_sample())
    assert "## 2,000 published initiatives" in text
    assert "| home | 50 | 500 | 10 | 20 | 30 | 0 | 3 | 50% of detail |" in text
    assert "| home | 500 | 300 | 1.67 | 20 | 20 |" in text
    assert "**Provisional.**" in text
    assert "Pipeline table." in text and '"ok": true' in text
    missed = [line for line in text.splitlines() if line.startswith("- MISSED")]
    assert missed == [
        "- MISSED: 20000: home at 300 req/s, under 40 % of the bare detail's",
        "- MISSED: 20000: database search with filters had 2 errors",
        "- MISSED: 20000: reviewer queue p95 350 ms, over 300 ms",
        "- MISSED: home 1.67x slower at 20000 than at 2000",
        "- MISSED: rush: vote page had 1 errors",
        "- MISSED: rush: vote page p95 200 ms, over 150 ms",
    ]


def test_bench_results_writer_reports_every_target_met():
    report = _sample()
    report["sizes"] = {"2000": {"home": _row("public", 500), "bare detail": _row("bare", 900)}}
    report.pop("rush")
    text = _bench_web().format_results(report)
    assert "Every target met." in text and "Vote rush" not in text


def test_bench_locust_stats_parsed(tmp_path):
    stats = tmp_path / "rush_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
        "GET,home,120,0,12,14,5,80,1000,2.0,0.0,12,13,14,15,20,30,40,50,70,80,80\n"
        ",Aggregated,120,0,12,14,5,80,1000,2.0,0.0,12,13,14,15,20,30,40,50,70,80,80\n"
    )
    rows = _bench_web().parse_locust_stats(stats)
    assert rows["home"] == {
        "requests": 120,
        "errors": 0,
        "rps": 2.0,
        "p50_ms": 12.0,
        "p95_ms": 30.0,
        "p99_ms": 50.0,
    }
    assert set(rows) == {"home", "Aggregated"}


def test_bench_a_page_that_completes_no_request_misses_its_target():
    # wrk reports 0 errors when nothing finished in the window: that is no pass.
    silent = _row("signed_in", 0, p95=0, connections=10)
    missed = _bench_web().evaluate({"2000": {"vote POST": silent}})
    assert "2000: vote POST completed no request" in missed


HISTORY_HEADER = (
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,"
    "99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response"
    " Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,"
    "Total Average Content Size\n"
)


def _history_line(second, users, p95, requests, failures=0):
    return (
        f"{second},{users},,Aggregated,10,0,20,30,40,50,60,{p95},{p95},{p95 * 2},"
        f"{p95 * 3},{p95 * 3},{p95 * 3},{requests},{failures},20,25,1,{p95 * 3},1000\n"
    )


def test_bench_rush_ramp_up_is_the_history_before_the_last_user_was_spawned(tmp_path):
    history = tmp_path / "rush_stats_history.csv"
    history.write_text(
        HISTORY_HEADER
        + ",".join(["0", "0", "", "Aggregated"] + ["N/A"] * 13 + ["0"] * 7)
        + "\n"
        + _history_line(1, 100, p95=400, requests=50)
        + _history_line(2, 200, p95=500, requests=300, failures=2)
        # spawned: the statistics were reset (--reset-stats), later lines are the rush's
        + _history_line(3, 205, p95=20, requests=100)
    )
    ramp_up = _bench_web().ramp_up_stats(history, users=205)
    assert ramp_up == {
        "requests": 300,
        "errors": 2,
        "rps": None,
        "p50_ms": 20.0,
        "p95_ms": 500.0,
        "p99_ms": 1000.0,
    }
    assert _bench_web().ramp_up_stats(tmp_path / "missing.csv", users=205) is None


def test_bench_rush_ramp_up_errors_count_and_its_times_do_not():
    bench_web = _bench_web()
    slow = {"requests": 300, "errors": 0, "rps": None, "p50_ms": 20, "p95_ms": 500, "p99_ms": 900}
    assert bench_web.evaluate_rush({bench_web.RAMP_UP: slow}) == []
    failing = dict(slow, errors=2)
    assert bench_web.evaluate_rush({bench_web.RAMP_UP: failing}) == [
        f"rush: {bench_web.RAMP_UP} had 2 errors"
    ]
    report = _sample()
    report["rush"][bench_web.RAMP_UP] = slow
    assert f"| {bench_web.RAMP_UP} | 300 | – | 20 | 500 |" in bench_web.format_results(report)
