"""A real worker keeps its Postgres connection between tasks, and reopens one the
server dropped: the next task (a sweep, which has no automatic retry) still succeeds."""

import pytest
from django.db import connection
from django.utils import timezone

from submissions.models import ScreeningReport
from submissions.tasks import SWEEP_GRACE, sweep_unfinished_work
from submissions.workflow import Status
from tests import factories
from tests.conftest import skip_or_fail
from tests.drills.conftest import submit_entries
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def _worker_backends() -> list[int]:
    """Postgres backends connected to the test database other than this process's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def test_worker_reuses_and_heals_its_database_connection(celery_worker_process):
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not name a Postgres database")
    (first,) = submit_entries(1)
    assert wait_for(lambda: ScreeningReport.objects.filter(submission=first).exists())
    # The connection outlives the task (Celery's fix-up would have closed it).
    backends = wait_for(_worker_backends, timeout=5)
    assert backends, "the worker closed its database connection after the task"

    with connection.cursor() as cursor:
        for pid in backends:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # Those backends are gone (the worker may already have opened a new one for a
    # follow-up task: an email, the open-data files).
    assert wait_for(lambda: not set(backends) & set(_worker_backends()), timeout=5)

    # An entry the broker lost: submitted long ago, never screened. Only the sweep
    # (no autoretry) can route it, and it must run on a reopened connection.
    lost = factories.CompleteSubmissionFactory(
        cycle=first.cycle,
        status=Status.SUBMITTED,
        submitted_at=timezone.now() - 2 * SWEEP_GRACE,
    )
    sweep_unfinished_work.delay()
    assert wait_for(lambda: ScreeningReport.objects.filter(submission=lost).exists()), (
        "the sweep failed on the dropped connection"
    )
    assert celery_worker_process.poll() is None, "the worker died"
