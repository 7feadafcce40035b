import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.selectors.applications import submission_list_for_organisation
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


def _fill(official, cycle, n):
    for i in range(n):
        entry = factories.CompleteSubmissionFactory(
            cycle=cycle,
            organisation=official.organisation,
            status=Status.CLARIFICATION if i % 2 else Status.DRAFT,
        )
        factories.ClarificationRequestFactory(submission=entry)
        factories.AttachmentFactory(submission=entry)


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("submissions:dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_entries(official_client, official, open_cycle):
    _fill(official, open_cycle, 2)
    with_two = _dashboard_queries(official_client)
    _fill(official, factories.CycleFactory(), 8)
    with_ten = _dashboard_queries(official_client)
    assert with_two == with_ten


def test_submission_list_for_organisation_counts_and_open_questions(official, open_cycle):
    _fill(official, open_cycle, 2)
    entries = list(submission_list_for_organisation(organisation=official.organisation))
    assert [(e.contact_count, e.goal_count, e.attachment_count) for e in entries] == [(1, 2, 1)] * 2
    assert [len(e.open_clarifications) for e in entries] == [1, 1]
