"""Scale benchmark of the public database, the statistics and cycle_stats.

Not part of the test run. It builds a throwaway test database (SQLite, or Postgres
when DATABASE_URL is set), imports SIZE initiatives over seven published cycles
through the real import path, then times the pages the public and the Secretariat
open most, and counts their queries. Exits non-zero when a target is missed.

    .venv/bin/python bench/run_bench.py --size 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run_bench.py
"""

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from submissions.classifications import Topic  # noqa: E402
from submissions.models import Cycle  # noqa: E402
from submissions.services.importing import initiatives_import  # noqa: E402
from tests.factories import secretariat_user  # noqa: E402

# Targets, per request, median over the runs (milliseconds) and at most this many queries.
TARGETS = {
    "database, first page": (250, 12),
    "database, search + filters": (300, 12),
    "database, open data JSON": (1500, 8),
    "initiative page": (150, 15),
    "statistics, all cycles": (600, 40),
}
# The open-data JSON of the whole database must stay small in memory.
JSON_PEAK_MB = 64
OUTCOMES = ["not_selected"] * 12 + ["deserving"] * 3 + ["shortlisted", "winner", "medal_of_honor"]
COUNTRIES = ["BR", "CN", "KE", "FR", "US", "IN", "AU", "MX", "ZA", "JP", "DE", "ID", "TR", "CA"]
WORDS = "urban green water housing mobility digital inclusive youth waste energy park data".split()


def build_csv(rows: int, rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "city", "country", "outcome", "topic", "sdgs", "abstract"])
    for n in range(rows):
        words = " ".join(rng.sample(WORDS, 4))
        writer.writerow(
            [
                f"{words.title()} programme {n}",
                f"City {n % (rows // 3 + 1)}",
                rng.choice(COUNTRIES),
                rng.choice(OUTCOMES),
                rng.choice(Topic.values),
                ";".join(str(g) for g in sorted(rng.sample(range(1, 18), 3))),
                f"An initiative about {words} that changed how the city works. " * 3,
            ]
        )
    return out.getvalue()


def timed(client, url, runs):
    durations, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            if response.streaming:  # a download is timed until its last byte
                b"".join(response.streaming_content)
            durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(durations), max(durations), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="initiatives in the database")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    rng = random.Random(2026)
    try:
        staff = secretariat_user()
        started = time.perf_counter()
        per_cycle = args.size // 7
        for number in range(1, 8):
            initiatives_import(text=build_csv(per_cycle, rng), cycle_number=number, by=staff)
        Cycle.objects.update(results_published_at=timezone.now())
        load_seconds = time.perf_counter() - started

        public, console = Client(), Client()
        console.force_login(staff)
        sample = Cycle.objects.get(number=4).submissions.select_related("cycle").first()
        pages = {
            "database, first page": (public, "/database/"),
            "database, search + filters": (
                public,
                "/database/?q=water+park&continent=Africa&sdg=11",
            ),
            "database, open data JSON": (public, "/database/initiatives.json"),
            "initiative page": (public, sample.get_public_url()),
            "results of a cycle": (public, "/results/4/"),
            "home": (public, "/"),
            "statistics, all cycles": (console, "/console/statistics/"),
        }
        results = {}
        for name, (client, url) in pages.items():
            median, worst, queries = timed(client, url, args.runs)
            results[name] = {
                "median_ms": round(median, 1),
                "max_ms": round(worst, 1),
                "queries": queries,
            }
        started = time.perf_counter()
        call_command("cycle_stats", all=True, stdout=io.StringIO())
        results["cycle_stats --all"] = {
            "median_ms": round((time.perf_counter() - started) * 1000, 1)
        }
        # Memory in a separate pass: tracemalloc slows everything it watches.
        tracemalloc.start()
        response = public.get("/database/initiatives.json")
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        peak_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    missed = []
    for name, (ms, max_queries) in TARGETS.items():
        row = results[name]
        if row["median_ms"] > ms or row["queries"] > max_queries:
            missed.append(f"{name}: {row} (target {ms} ms, {max_queries} queries)")
    if peak_mb > JSON_PEAK_MB:
        missed.append(f"open data JSON used {peak_mb:.1f} MB (target {JSON_PEAK_MB} MB)")
    summary = {
        "database": connection.vendor,
        "initiatives": per_cycle * 7,
        "import_seconds": round(load_seconds, 1),
        "open_data_json_peak_python_mb": round(peak_mb, 1),
        "pages": results,
        "missed": missed,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{summary['initiatives']} initiatives on {connection.vendor}; import {load_seconds:.1f} s;"
            f" peak Python memory of the JSON download {peak_mb:.1f} MB"
        )
        for name, row in results.items():
            print(f"  {name:<30} " + "  ".join(f"{k}={v}" for k, v in row.items()))
        print("targets met" if not missed else "MISSED:\n  " + "\n  ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
