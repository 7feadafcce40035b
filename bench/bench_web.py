"""Load benchmark of the portal's pages (``make bench``; issue 13).

For each data size (2,000 and 20,000 published initiatives by default), in one run:

1. seed the database ``bench_<size>`` once and keep it (bench/web_seed.py; a seeded
   database is reused, so later runs skip this), collect the static files, make the
   signed-in sessions and count each page's queries;
2. serve it with gunicorn, 4 sync workers, ``awardportal.settings.bench`` (production
   plus three bare reference views);
3. saturation with wrk (closed loop, no think time): the bare references and every
   public page at 50 connections, the signed-in pages at 10 connections, so many
   seconds each;

then the vote rush with Locust (bench/locustfile.py) on the largest size, and
bench/RESULTS.md with every figure, the targets and the ratios. Finally, when
bench/bench_pipeline.py exists, it runs and its output joins RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_web.py
    ... --sizes 2000 --seconds 10 --rush-seconds 60      # a shorter run

Needs a Postgres server (DATABASE_URL names any database on it: the bench uses its
own databases there) and wrk (Debian: ``apt-get install wrk``).
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS_MD = BENCH / "RESULTS.md"
RESULTS_DIR = BENCH / "results"
WRK_SCRIPT = BENCH / "wrk" / "report.lua"
PIPELINE = BENCH / "bench_pipeline.py"

# The targets.
PUBLIC_SHARE_OF_DETAIL = 0.40  # public pages: req/s ≥ 40 % of the bare detail view's
HEAVY_SHARE_OF_LIST = 0.20  # search and vote POST: ≥ 20 % of the bare list's
SIGNED_IN_P95_MS = 300  # at 10 connections
RUSH_P95_MS = 150
MAX_SLOWDOWN = 1.5  # a public page at 20,000 vs 2,000 initiatives
SATURATION_CONNECTIONS = 50
SIGNED_IN_CONNECTIONS = 10
WORKERS = 4

INSTALL_WRK = (
    "wrk is missing: install it with `sudo apt-get update && sudo apt-get install -y wrk`"
    " (Debian/Ubuntu) or `brew install wrk` (macOS)."
)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def ensure_database(base: str, name: str, template: str | None = None) -> None:
    """Create ``name`` unless it exists; as a copy of ``template`` when given (a smaller
    size's seeded database: web_seed.py then only imports the extra initiatives)."""
    import psycopg2

    parts = urlsplit(base)
    conn = psycopg2.connect(database_url(base, parts.path.lstrip("/") or "postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            copy = f' TEMPLATE "{template}"' if template else ""
            cursor.execute(f'CREATE DATABASE "{name}"{copy}')
            log(f"created database {name}" + (f" from {template}" if template else ""))
    conn.close()


def server_env(db_url: str) -> dict:
    """Production settings, over plain HTTP on the loopback, a fixed key (the sessions
    and the vote's solutions are made by another process), easy vote challenges."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="awardportal.settings.bench",
        DATABASE_URL=db_url,
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "0" * 40),
        ALTCHA_HMAC_KEY="bench-only-altcha-key",
        VOTE_CHALLENGE_MAX_NUMBER=os.environ.get("VOTE_CHALLENGE_MAX_NUMBER", "1000"),
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        DEBUG="false",
        STATIC_ROOT=str(RESULTS_DIR / "staticfiles"),
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    # Celery: a broker when BENCH_REDIS_URL is given (as in production: the request
    # only queues the vote's email), otherwise tasks run in the request.
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def prepare(size: int, base_url: str, out: Path, votes: int, template: str | None) -> dict:
    name = f"bench_{size}"
    ensure_database(base_url, name, template)
    env = server_env(database_url(base_url, name))
    started = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "python"), str(BENCH / "web_seed.py"), "--size", str(size)]
        + ["--votes", str(votes), "--out", str(out)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    plan = json.loads((out / "plan.json").read_text())
    plan["prepare_seconds"] = round(time.perf_counter() - started, 1)
    plan["env"] = env
    return plan


class Server:
    """gunicorn with the production settings, started and stopped by the bench."""

    def __init__(self, env: dict, port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process = None

    def __enter__(self):
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "awardportal.wsgi:application"]
            + ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}"]
            + ["--worker-class", "sync", "--timeout", "60"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer; see {self.log_path}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log_file.close()


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    expect: str = "200",
    cookie: str = "-",
    method: str = "get",
    body_file: Path | None = None,
) -> dict:
    threads = 2
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(WRK_SCRIPT), url, "--", expect, cookie]
    if method != "get":
        command += [method, str(body_file), str(threads)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in output.splitlines() if ln.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_ms"], 1),
        "p95_ms": round(raw["p95_ms"], 1),
        "p99_ms": round(raw["p99_ms"], 1),
        "errors": raw["unexpected"] + socket_errors,
        "statuses": raw["statuses"].strip(),
        "connections": connections,
    }


def warm(url: str, headers: dict, times: int = WORKERS * 2) -> None:
    """One request per worker and then some, so that no measurement pays for imports."""
    for _ in range(times):
        try:
            request = urllib.request.Request(url, headers=headers)
            urllib.request.urlopen(request, timeout=30).read()
        except OSError:
            pass


def run_size(plan: dict, port: int, seconds: int, out: Path) -> dict:
    size = plan["size"]
    csrf = plan["csrf"]
    pages = {}
    with Server(plan["env"], port, out / f"gunicorn_{size}.log") as server:
        anonymous = [
            (name, url, group)
            for group in ("bare", "public", "heavy")
            for name, url in plan[group].items()
        ]
        for name, url, group in anonymous:
            warm(server.url + url, {})
            log(f"{size}: {name} ({url})")
            pages[name] = {"group": group, "url": url} | wrk(
                server.url + url, seconds=seconds, connections=SATURATION_CONNECTIONS
            )
        votes = out / "vote_bodies.txt"
        payloads = Path(plan["vote_post"]["payloads"]).read_text().split()
        votes.write_text(
            "\n".join(
                urlencode(
                    {
                        "submission": plan["vote_post"]["candidate"],
                        "email": f"voter{size}-{i}@bench.example",
                        "captcha": payload,
                        "csrfmiddlewaretoken": csrf,
                    }
                )
                for i, payload in enumerate(payloads)
            )
            + "\n"
        )
        log(f"{size}: vote POST")
        pages["vote POST"] = {"group": "heavy", "url": "/vote/ (POST)"} | wrk(
            server.url + plan["vote_post"]["url"],
            seconds=seconds,
            connections=SATURATION_CONNECTIONS,
            expect="302",
            cookie=f"csrftoken={csrf}",
            method="vote",
            body_file=votes,
        )
        for name, (role, url) in plan["signed_in"].items():
            cookie = f"sessionid={plan['sessions'][role]}; csrftoken={csrf}"
            warm(server.url + url, {"Cookie": cookie})
            log(f"{size}: {name} ({url})")
            pages[name] = {"group": "signed_in", "url": url} | wrk(
                server.url + url,
                seconds=seconds,
                connections=SIGNED_IN_CONNECTIONS,
                cookie=cookie,
            )
        body = out / "score_post.txt"
        body.write_text(plan["score_post"]["body"])
        log(f"{size}: score sheet POST")
        pages["score sheet POST"] = {"group": "signed_in", "url": "(POST)"} | wrk(
            server.url + plan["score_post"]["url"],
            seconds=seconds,
            connections=SIGNED_IN_CONNECTIONS,
            expect="302",
            cookie=f"sessionid={plan['sessions']['reviewer']}; csrftoken={csrf}",
            method="post",
            body_file=body,
        )
    for name, count in plan["queries"].items():
        if name in pages:
            pages[name]["queries"] = count
    return pages


def run_rush(plan: dict, port: int, users: int, seconds: int, out: Path) -> dict:
    """The vote rush: Locust headless against the served database."""
    rush_file = out / "rush.json"
    rush_file.write_text(json.dumps(plan["rush"] | {"csrf": plan["csrf"]}))
    env = dict(os.environ, BENCH_RUSH_PLAN=str(rush_file))
    with Server(plan["env"], port, out / "gunicorn_rush.log") as server:
        warm_rush(server.url, plan["rush"])
        prefix = out / "rush"
        command = [str(VENV_BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless"]
        # The 50 reviewers and 5 Secretariat users come on top of the visitors.
        command += ["--host", server.url, "--users", str(users + 55), "--spawn-rate", "100"]
        command += ["--run-time", f"{seconds}s", "--csv", str(prefix), "--only-summary"]
        # The statistics start once every user is spawned (--reset-stats): while one
        # Locust process on the same two cores starts 100 users a second, and each
        # starts with a request, its clock measures its own backlog too. The ramp-up
        # is reported on its own line (ramp_up_stats).
        command += ["--loglevel", "WARNING", "--stop-timeout", "5", "--reset-stats"]
        log(f"rush: {users} visitors + reviewers + Secretariat for {seconds} s")
        subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    rows = parse_locust_stats(Path(f"{prefix}_stats.csv"))
    ramp_up = ramp_up_stats(Path(f"{prefix}_stats_history.csv"), users + 55)
    return rows | ({RAMP_UP: ramp_up} if ramp_up else {})


RAMP_UP = "(ramp-up: its errors count, its times do not)"


def ramp_up_stats(path: Path, users: int) -> dict | None:
    """Every request's figures until the last user was spawned: the history's last
    cumulative line before the statistics were reset."""
    if not path.exists():
        return None
    last = None
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] != "Aggregated":
                continue
            if int(row["User Count"]) >= users:
                break
            last = row
    if last is None or last["95%"] == "N/A":
        return None
    return {
        "requests": int(last["Total Request Count"]),
        "errors": int(last["Total Failure Count"]),
        "rps": None,  # a ramp has no steady rate
        "p50_ms": float(last["50%"]),
        "p95_ms": float(last["95%"]),
        "p99_ms": float(last["99%"]),
    }


def warm_rush(base: str, rush: dict) -> None:
    """Before the rush, as before each saturation run: every worker has loaded the
    pages' templates once (a month-long vote is not served by fresh processes), and
    every page of the mix has been read once since the last publication."""
    for url in ("/", "/vote/", "/database/"):
        warm(base + url, {})
    for url in rush["initiatives"] + rush["results"] + rush["searches"]:
        warm(base + url, {}, times=1)
    secretariat = {"Cookie": f"sessionid={rush['secretariat'][0]}"}
    for url in rush["secretariat_pages"].values():
        warm(base + url, secretariat)
    for reviewer in rush["reviewers"]:
        cookie = {"Cookie": f"sessionid={reviewer['session']}"}
        for url in ["/judging/reviews/"] + [
            f"/judging/reviews/{sheet}/" for sheet in reviewer["todo"] + reviewer["done"]
        ]:
            warm(base + url, cookie, times=1)


def parse_locust_stats(path: Path) -> dict:
    rows = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Type"] != "" else "Aggregated"
            rows[name] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    return rows


def run_pipeline() -> dict | None:
    if not PIPELINE.exists():
        return None
    log("bench_pipeline.py")
    done = subprocess.run(
        [str(VENV_BIN / "python"), str(PIPELINE)], cwd=ROOT, capture_output=True, text=True
    )
    result = {"returncode": done.returncode, "markdown": done.stdout.strip()}
    json_path = RESULTS_DIR / "pipeline.json"
    if json_path.exists():
        result["json"] = json.loads(json_path.read_text())
    return result


# --- RESULTS.md -----------------------------------------------------------------


def _rate(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def evaluate(sizes: dict) -> list[str]:
    """The targets missed, as sentences (empty when every target is met)."""
    missed = []
    for size, pages in sizes.items():
        detail = pages.get("bare detail", {}).get("rps") or 0
        listing = pages.get("bare list", {}).get("rps") or 0
        for name, row in pages.items():
            if row.get("errors"):
                missed.append(f"{size}: {name} had {row['errors']} errors")
            if row.get("requests") == 0:  # nothing finished in the window: not a pass
                missed.append(f"{size}: {name} completed no request")
            group = row["group"]
            if group == "public" and row["rps"] < PUBLIC_SHARE_OF_DETAIL * detail:
                missed.append(
                    f"{size}: {name} at {row['rps']:.0f} req/s, under 40 % of the bare detail's"
                )
            if group == "heavy" and row["rps"] < HEAVY_SHARE_OF_LIST * listing:
                missed.append(
                    f"{size}: {name} at {row['rps']:.0f} req/s, under 20 % of the bare list's"
                )
            if group == "signed_in" and row["p95_ms"] > SIGNED_IN_P95_MS:
                missed.append(f"{size}: {name} p95 {row['p95_ms']:.0f} ms, over 300 ms")
    ordered = sorted(sizes)
    if len(ordered) >= 2:
        small, large = sizes[ordered[0]], sizes[ordered[-1]]
        for name, row in large.items():
            if row["group"] in ("public", "heavy") and name in small and row["rps"]:
                slowdown = small[name]["rps"] / row["rps"]
                if row["group"] == "public" and slowdown > MAX_SLOWDOWN:
                    missed.append(
                        f"{name} {slowdown:.2f}x slower at {ordered[-1]} than at {ordered[0]}"
                    )
    return missed


def evaluate_rush(rush: dict) -> list[str]:
    missed = []
    for name, row in rush.items():
        if name == "Aggregated":
            continue
        if row["errors"]:
            missed.append(f"rush: {name} had {row['errors']} errors")
        if name != RAMP_UP and row["p95_ms"] > RUSH_P95_MS:
            missed.append(f"rush: {name} p95 {row['p95_ms']:.0f} ms, over 150 ms")
    return missed


def format_results(report: dict) -> str:
    """RESULTS.md from the run's figures (``report`` as bench/results/web.json holds it)."""
    sizes = {int(k): v for k, v in report["sizes"].items()}
    ordered = sorted(sizes)
    lines = [
        "# Load benchmark (`make bench`)",
        "",
        f"Run on {report['started']} (commit `{report['commit']}`), {report['machine']}.",
        f"gunicorn, {WORKERS} sync workers, `awardportal.settings.bench` (production settings"
        " plus the bare reference views), Postgres; load from wrk (saturation: closed loop,"
        f" no think time, {report['seconds']} s per page) and Locust (the rush).",
        "",
    ]
    if report.get("note"):
        lines += [f"**{report['note']}**", ""]
    lines += [
        "Data per size: N published initiatives over cycles 1–9 (imported through"
        " `initiatives_import`), a live cycle 10 with 300 entries (12 in the public vote,"
        " 288 staffed by a Technical Committee of 50 through `assignment_staff_tc_entry`,"
        " two thirds scored through `review_save`) and 300,000 criterion-score rows:"
        " the live cycle's, the rest written in bulk (`bulk_create`) as past cycles'"
        " reviews, because the services would take hours for them. Seeded databases are"
        " kept (`bench_<N>`) and reused.",
        "",
        "Targets: public pages ≥ 40 % of the bare detail view's req/s; search and the vote"
        " POST ≥ 20 % of the bare list's; 0 errors (an unexpected status counts as one);"
        " signed-in pages p95 ≤ 300 ms at 10 connections; no public page more than 1.5x"
        " slower at the larger size; rush p95 ≤ 150 ms per page, 0 errors.",
        "",
    ]
    for size in ordered:
        pages = sizes[size]
        detail = pages.get("bare detail", {}).get("rps") or 0
        listing = pages.get("bare list", {}).get("rps") or 0
        lines += [
            f"## {size:,} published initiatives",
            "",
            "| page | conns | req/s | p50 ms | p95 ms | p99 ms | errors | queries | vs bare |",
            "| --- | --: | --: | --: | --: | --: | --: | --: | --: |",
        ]
        for name, row in pages.items():
            reference = detail if row["group"] == "public" else listing
            share = (
                f"{row['rps'] / reference:.0%} of {'detail' if row['group'] == 'public' else 'list'}"
                if row["group"] in ("public", "heavy") and reference
                else ""
            )
            errors = str(row["errors"]) + (f" ({row['statuses']})" if row.get("statuses") else "")
            lines.append(
                f"| {name} | {row['connections']} | {row['rps']:.0f} | {_ms(row['p50_ms'])}"
                f" | {_ms(row['p95_ms'])} | {_ms(row['p99_ms'])} | {errors}"
                f" | {row.get('queries', '–')} | {share} |"
            )
        lines.append("")
    if len(ordered) >= 2:
        small, large = sizes[ordered[0]], sizes[ordered[-1]]
        lines += [
            f"## Cost with size: {ordered[0]:,} → {ordered[-1]:,}",
            "",
            "Slowdown = req/s at the smaller size over req/s at the larger (1.00 = no cost"
            " from the data; target ≤ 1.5 for public pages).",
            "",
            "| page | req/s small | req/s large | slowdown | p95 small | p95 large |",
            "| --- | --: | --: | --: | --: | --: |",
        ]
        for name, row in large.items():
            if name in small and row["rps"]:
                lines.append(
                    f"| {name} | {small[name]['rps']:.0f} | {row['rps']:.0f}"
                    f" | {small[name]['rps'] / row['rps']:.2f}"
                    f" | {_ms(small[name]['p95_ms'])} | {_ms(row['p95_ms'])} |"
                )
        lines.append("")
    rush = report.get("rush")
    if rush:
        lines += [
            f"## Vote rush ({report['rush_size']:,} initiatives)",
            "",
            f"Locust, headless, {report['rush_seconds']} s: {report['rush_users']:,} visitors"
            " with 1–5 s think time (home, results, an initiative, the vote page, the"
            " database, a search), 50 reviewers (queue, score sheet, saving a draft) and"
            " 5 Secretariat users (ranking, statistics, overview, progress) at once;"
            " every page read once and every worker warmed first, statistics from the"
            " moment the last user is spawned (Locust `--reset-stats`; the ramp-up's"
            " figures on their own line).",
            "",
            "| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "| --- | --: | --: | --: | --: | --: | --: |",
        ]
        for name, row in rush.items():
            lines.append(
                f"| {name} | {row['requests']} | {_rate(row['rps'])} | {_ms(row['p50_ms'])}"
                f" | {_ms(row['p95_ms'])} | {_ms(row['p99_ms'])} | {row['errors']} |"
            )
        lines.append("")
    missed = evaluate(sizes) + (evaluate_rush(rush) if rush else [])
    lines += ["## Targets", ""]
    lines += [f"- MISSED: {m}" for m in missed] if missed else ["Every target met."]
    lines.append("")
    pipeline = report.get("pipeline")
    if pipeline:
        lines += ["## Pipeline (bench/bench_pipeline.py)", ""]
        if pipeline.get("returncode"):
            lines += [f"bench_pipeline.py exited with {pipeline['returncode']}.", ""]
        if pipeline.get("markdown"):
            lines += [pipeline["markdown"], ""]
        if pipeline.get("json") is not None:
            lines += ["```json", json.dumps(pipeline["json"], indent=1), "```", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--seconds", type=int, default=15, help="per page per size")
    parser.add_argument("--rush-users", type=int, default=1000)
    parser.add_argument("--rush-seconds", type=int, default=90)
    parser.add_argument("--no-rush", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--note", default=os.environ.get("BENCH_NOTE", ""))
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        print(
            "make bench needs a Postgres server: DATABASE_URL=postgres://USER@HOST:5432/postgres"
            " make bench (the bench makes and keeps its own databases bench_<N> there).",
            file=sys.stderr,
        )
        return 2
    if shutil.which("wrk") is None:
        print(INSTALL_WRK, file=sys.stderr)
        return 2
    RESULTS_DIR.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "machine": f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}",
        "seconds": args.seconds,
        "note": args.note,
        "sizes": {},
        "seed": {},
    }
    # Enough solved challenges for a vote POST run well above the target.
    votes = max(4000, 400 * args.seconds)
    plans = {}
    for i, size in enumerate(sorted(sizes)):
        out = RESULTS_DIR / f"web_{size}"
        # A larger size starts as a copy of the smaller one's seeded database.
        template = f"bench_{sorted(sizes)[i - 1]}" if i else None
        plans[size] = prepare(size, base_url, out, votes, template)
        report["seed"][size] = {
            k: plans[size][k] for k in ("reused_seed", "seed_seconds", "prepare_seconds", "state")
        }
    for size in sizes:
        report["sizes"][size] = run_size(
            plans[size], args.port, args.seconds, RESULTS_DIR / f"web_{size}"
        )
        (RESULTS_DIR / "web.json").write_text(json.dumps(report, indent=1))
    if not args.no_rush:
        rush_size = max(sizes)
        report |= {
            "rush_size": rush_size,
            "rush_users": args.rush_users,
            "rush_seconds": args.rush_seconds,
        }
        report["rush"] = run_rush(
            plans[rush_size],
            args.port,
            args.rush_users,
            args.rush_seconds,
            RESULTS_DIR / f"web_{rush_size}",
        )
    report["pipeline"] = run_pipeline()
    (RESULTS_DIR / "web.json").write_text(json.dumps(report, indent=1))
    RESULTS_MD.write_text(format_results(report))
    log(f"wrote {RESULTS_MD}")
    missed = evaluate({int(k): v for k, v in report["sizes"].items()})
    missed += evaluate_rush(report.get("rush") or {})
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
