"""Routing a submitted entry (acknowledgement + screening report) costs the same number
of queries whatever the number of entries already routed (issue 13)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions import tasks
from submissions.models import ScreeningReport, StatusChange
from submissions.workflow import Status
from tests import factories

# notify_status_change for one city member (the status change with the entry, the city's
# members, the email's insert and its "sent" mark, the report's attachments, duplicates
# and insert), then build_screening_report alone. Counted outside a transaction, as a
# task runs: inside one each insert would add a savepoint and its release.
ROUTING_QUERIES = 7
SCREENING_QUERIES = 4


def _submitted(cycle):
    submission = factories.CompleteSubmissionFactory(
        cycle=cycle,
        status=Status.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(minutes=1),
    )
    factories.AttachmentFactory(submission=submission)
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    change = StatusChange.objects.create(
        submission=submission,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        transition="submit",
        by=official,
        at=submission.submitted_at,
    )
    return submission, change


def _routing_queries(cycle) -> int:
    submission, change = _submitted(cycle)
    with CaptureQueriesContext(connection) as ctx:
        tasks.notify_status_change(change.pk)
    assert ScreeningReport.objects.filter(submission=submission).exists()
    return len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_routing_an_entry_costs_the_same_queries_at_two_sizes(mailoutbox):
    cycle = factories.OpenCycleFactory()
    _routing_queries(cycle)  # the process's first email reads the kept wordings
    small = _routing_queries(cycle)
    for _ in range(12):
        _routing_queries(cycle)
    large = _routing_queries(cycle)
    assert large == small
    assert large <= ROUTING_QUERIES


@pytest.mark.django_db(transaction=True)
def test_screening_report_build_loads_the_entry_once(django_assert_max_num_queries):
    submission, _change = _submitted(factories.OpenCycleFactory())
    with django_assert_max_num_queries(SCREENING_QUERIES):
        tasks.build_screening_report(submission.pk)
    assert ScreeningReport.objects.filter(submission=submission).count() == 1
