"""The pipeline's task bodies, in-process: CPU time and queries per entry (issue 13).

``bench_pipeline.py`` measures the real worker, whose wall-clock rate a shared machine
skews. This script calls the same task functions directly on a seeded throwaway
database (Postgres when DATABASE_URL names one, else SQLite) and reports, per entry,
the process CPU time (``time.process_time``), the wall-clock time and the queries:

- routing: ``notify_status_change`` of a "submit" move (acknowledgement to the city,
  then the screening report; with eager Celery the report's task runs in-process too);
- assignment: ``assign_eligible_entry`` (three Technical Committee reviewers).

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_pipeline.py \\
        [--entries 300] [--profile routed|assigned] [--top 30]

``--profile`` prints cProfile's heaviest functions (cumulative time) for one phase.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from awardportal.celery_app import app as celery_app  # noqa: E402

COUNTRIES = ["BR", "CN", "KE", "FR", "US", "IN", "AU", "MX", "ZA", "JP", "DE", "ID", "TR", "CA"]


def seed_routing(n: int) -> list[int]:
    """N submitted entries (one city member each, as the bench): their "submit" moves."""
    from submissions.models import StatusChange
    from submissions.services.transitions import submission_transition
    from submissions.workflow import Status
    from tests import factories

    cycle = factories.OpenCycleFactory()
    celery_app.conf.task_always_eager = False  # the moves' notifications go nowhere
    try:
        for _ in range(n):
            official = factories.CityOfficialFactory()
            entry = factories.CompleteSubmissionFactory(
                cycle=cycle, organisation=official.organisation
            )
            with transaction.atomic():
                entry.submitted_at = timezone.now()
                entry.save(update_fields=["submitted_at"])
                submission_transition(submission=entry, to=Status.SUBMITTED, by=official)
    finally:
        celery_app.conf.task_always_eager = True
    return list(
        StatusChange.objects.filter(submission__cycle=cycle, transition="submit")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def seed_assignment(n: int) -> list[int]:
    """A Technical Committee of 15 and N eligible entries, as the bench makes them."""
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
    return [
        factories.SubmissionFactory(
            cycle=cycle,
            organisation=orgs[i % len(orgs)],
            status="eligible",
            topic=Topic.values[i % 12],
        ).pk
        for i in range(n)
    ]


def run(name, func, ids, profile_this, top, show_queries=False):
    """Call ``func`` on every id; return the figures per entry."""
    from django.conf import settings

    settings.DEBUG = True  # record the queries
    warm = ids[:10]
    for i in warm:  # first calls fill per-process caches (templates, translations)
        func(i)
    rest = ids[10:]
    reset_queries()
    # CPU time, not wall-clock: the queries' waits for the server are not this process's
    profiler = cProfile.Profile(time.process_time) if profile_this else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in rest:
        func(i)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    queries = len(connection.queries)
    settings.DEBUG = False
    if show_queries:
        for q in connection.queries[-int(queries / len(rest)) :]:
            print(q["sql"][:300])
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    return {
        "phase": name,
        "entries": len(rest),
        "cpu_ms": 1000 * cpu / len(rest),
        "wall_ms": 1000 * wall / len(rest),
        "queries": queries / len(rest),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--profile", choices=["routed", "assigned"], default=None)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="print the last entry's SQL")
    args = parser.parse_args()

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"{connection.settings_dict['NAME']}_profile_pipeline"
    )
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    celery_app.conf.task_always_eager = True
    try:
        from judging.tasks import assign_eligible_entry
        from submissions.tasks import notify_status_change

        changes = seed_routing(args.entries)
        entries = seed_assignment(args.entries)
        results = [
            run(
                "routed",
                notify_status_change,
                changes,
                args.profile == "routed",
                args.top,
                args.queries,
            ),
            run(
                "assigned",
                assign_eligible_entry,
                entries,
                args.profile == "assigned",
                args.top,
                args.queries,
            ),
        ]
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"{connection.vendor}, {args.entries} entries (the first 10 warm the caches)")
    print("| phase | entries | CPU ms/entry | wall ms/entry | queries/entry |")
    print("| --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['phase']} | {r['entries']} | {r['cpu_ms']:.2f} | {r['wall_ms']:.2f}"
            f" | {r['queries']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
