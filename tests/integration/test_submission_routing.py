"""A real worker on Redis routes a submitted entry: acknowledgement and screening report."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from submissions.models import ScreeningReport, SentEmail
from submissions.services.transitions import submission_transition
from submissions.workflow import Status
from tests import factories
from tests.conftest import skip_or_fail
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_the_suite_runs_on_postgres_in_ci(db):
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not name a Postgres database")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 15


def test_worker_acknowledges_and_screens_a_submitted_entry(celery_worker_process):
    submission = factories.CompleteSubmissionFactory(cycle=factories.OpenCycleFactory())
    factories.AttachmentFactory(submission=submission)
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    with transaction.atomic():
        submission.submitted_at = timezone.now()
        submission.save(update_fields=["submitted_at"])
        submission_transition(submission=submission, to=Status.SUBMITTED, by=official)
    report = wait_for(lambda: ScreeningReport.objects.filter(submission=submission).first())
    assert report is not None, "the worker built no screening report"
    assert report.is_clean is True
    sent = SentEmail.objects.get(to=official.email)
    assert sent.subject == f"Entry {submission.reference} received"
    assert celery_worker_process.poll() is None, "the worker died"
