"""Benchmark of staffing entries one by one as they become eligible (issue 13): the
10th and the 1,000th entry must cost the same (not part of the test run).

Builds a throwaway test database (SQLite, or Postgres with DATABASE_URL), a Technical
Committee of 15 members and N eligible entries from N/2 cities, then staffs them one
by one through ``assignment_staff_tc_entry`` and reports the time and the number of
queries of early and late entries.

    .venv/bin/python bench/bench_staffing.py --entries 1000
    BENCH_SHOW_QUERIES=1 ...   # also print one late entry's queries and a profile
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

COUNTRIES = ["BR", "CN", "KE", "FR", "US", "IN", "AU", "MX", "ZA", "JP", "DE", "ID", "TR", "CA"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        return run(args.entries)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(n: int) -> int:
    from judging.services.assignment import assignment_staff_tc_entry
    from judging.services.panels import panel_get_or_create
    from submissions.classifications import Topic
    from tests import factories
    from tests.judging.factories import PanelMemberFactory

    cycle = factories.CycleFactory()
    panel = panel_get_or_create(cycle=cycle, kind="tc")
    for i in range(15):
        PanelMemberFactory(
            panel=panel,
            country=COUNTRIES[i % len(COUNTRIES)],
            expertise=Topic.values[i % 12 : i % 12 + 3],
        )
    orgs = [factories.OrganisationFactory(country=COUNTRIES[i % 14]) for i in range(n // 2 + 1)]
    entries = [
        factories.SubmissionFactory(
            cycle=cycle,
            organisation=orgs[i % len(orgs)],
            status="eligible",
            topic=Topic.values[i % 12],
        )
        for i in range(n)
    ]
    times, queries = [], []
    for entry in entries:
        connection.queries_log.clear()  # the log keeps 9,000 queries at most
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            assignment_staff_tc_entry(submission=entry)
            times.append(time.perf_counter() - started)
        queries.append(len(ctx.captured_queries))
    early, late = times[5:15], times[-10:]
    print(f"{n} entries staffed one by one, 15 reviewers, k=3 ({connection.vendor})")
    print(f"entries 6–15: median {statistics.median(early) * 1000:.1f} ms, {queries[9]} queries")
    print(f"last 10:      median {statistics.median(late) * 1000:.1f} ms, {queries[-1]} queries")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        connection.queries_log.clear()
        extra = factories.SubmissionFactory(cycle=cycle, organisation=orgs[0], status="eligible")
        with CaptureQueriesContext(connection) as ctx:
            assignment_staff_tc_entry(submission=extra)
        for q in ctx.captured_queries:
            print(q["time"], q["sql"][:150])
        import cProfile
        import pstats

        extra = factories.SubmissionFactory(cycle=cycle, organisation=orgs[1], status="eligible")
        profile = cProfile.Profile()
        profile.runcall(assignment_staff_tc_entry, submission=extra)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(12)
    return 0 if queries[-1] == queries[9] else 1


if __name__ == "__main__":
    sys.exit(main())
