"""insert_unless_taken: one insert when the key is free, None when it is taken, inside a
transaction (which stays usable) and outside one (no BEGIN/COMMIT)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from submissions.models import ScreeningReport
from submissions.services.unique_rows import insert_unless_taken
from submissions.workflow import Status
from tests import factories


def _report(submission):
    return lambda: ScreeningReport.objects.create(
        submission=submission, checks=[], possible_duplicates=[], is_clean=True
    )


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_insert_is_one_statement():
    submission = factories.CompleteSubmissionFactory(status=Status.SUBMITTED)
    with CaptureQueriesContext(connection) as queries:
        report = insert_unless_taken(_report(submission))
        taken = insert_unless_taken(_report(submission))
    assert report.pk and taken is None
    assert [q["sql"].split()[0] for q in queries] == ["INSERT", "INSERT"]
    assert ScreeningReport.objects.filter(submission=submission).count() == 1


@pytest.mark.django_db
def test_inside_a_transaction_a_taken_key_leaves_it_usable():
    submission = factories.CompleteSubmissionFactory(status=Status.SUBMITTED)
    with transaction.atomic():
        first = insert_unless_taken(_report(submission))
        assert insert_unless_taken(_report(submission)) is None
        # Not broken by the duplicate key: the transaction goes on.
        assert ScreeningReport.objects.get(submission=submission).pk == first.pk
