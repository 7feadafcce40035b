"""Scale benchmark of the public initiatives database alone, on a database kept between runs.

Not part of the test run. Unlike run_bench.py it works on the database DATABASE_URL
names (not a throwaway test database): the first run migrates it and imports SIZE
initiatives over CYCLES published cycles through the real import path (minutes at
20,000), later runs reuse them, so the same rows can be timed before and after a change
and explained with EXPLAIN ANALYZE.

    createdb -h 127.0.0.1 -U postgres perf_db_20k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_db_20k \
        .venv/bin/python bench/bench_database.py --size 20000 --explain
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from submissions.classifications import Topic  # noqa: E402
from submissions.models import Cycle, Submission  # noqa: E402
from submissions.services.importing import initiatives_import  # noqa: E402

OUTCOMES = ["not_selected"] * 12 + ["deserving"] * 3 + ["shortlisted", "winner", "medal_of_honor"]
COUNTRIES = ["BR", "CN", "KE", "FR", "US", "IN", "AU", "MX", "ZA", "JP", "DE", "ID", "TR", "CA"]
WORDS = "urban green water housing mobility digital inclusive youth waste energy park data".split()
PAGES = {
    "first page": "/database/",
    "page 40": "/database/?page=40",
    "search + filters": "/database/?q=water+park&continent=Africa&sdg=11",
    "search only": "/database/?q=water+park",
    "search by city": "/database/?q=City+17",
    "one cycle, one outcome": "/database/?cycle=3&outcome=deserving",
}


def build_csv(rows: int, rng: random.Random, offset: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "city", "country", "outcome", "topic", "sdgs", "abstract"])
    for n in range(offset, offset + rows):
        words = " ".join(rng.sample(WORDS, 4))
        writer.writerow(
            [
                f"{words.title()} programme {n}",
                f"City {n % 3000}",
                rng.choice(COUNTRIES),
                rng.choice(OUTCOMES),
                rng.choice(Topic.values),
                ";".join(str(g) for g in sorted(rng.sample(range(1, 18), 3))),
                f"An initiative about {words} that changed how the city works. " * 3,
            ]
        )
    return out.getvalue()


def seed(size: int, cycles: int) -> None:
    call_command("migrate", verbosity=0)
    have = Submission.objects.count()
    if have >= size:
        return
    rng = random.Random(2026)
    per_cycle = size // cycles
    started = time.perf_counter()
    for number in range(1, cycles + 1):
        if Cycle.objects.filter(number=number, submissions__isnull=False).exists():
            continue
        initiatives_import(
            text=build_csv(per_cycle, rng, number * per_cycle), cycle_number=number, by=None
        )
        print(f"  cycle {number} imported ({time.perf_counter() - started:.0f} s)", flush=True)
    Cycle.objects.update(results_published_at=timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def timed(client, url, runs):
    durations, queries = [], []
    client.get(url)  # warm the caches of templates and translations
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = ctx.captured_queries
    durations.sort()
    p95 = durations[min(len(durations) - 1, int(len(durations) * 0.95))]
    return statistics.median(durations), p95, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the queries")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    seed(args.size, args.cycles)
    print(f"{Submission.objects.count()} initiatives on {connection.vendor}")
    client = Client()
    for name, url in PAGES.items():
        median, p95, queries = timed(client, url, args.runs)
        db_ms = sum(float(q["time"]) for q in queries) * 1000
        print(
            f"  {name:<24} median={median:6.1f} ms  p95={p95:6.1f} ms  "
            f"queries={len(queries)}  sql={db_ms:5.1f} ms"
        )
        if args.explain and connection.vendor == "postgresql":
            for query in queries:
                sql = query["sql"]
                if "submissions_submission" not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " + sql)
                    plan = "\n".join("      " + row[0] for row in cursor.fetchall())
                print(f"    -- {sql[:160]}...\n{plan}")


if __name__ == "__main__":
    main()
