"""The application's error summary: listed at the top, each linked to its field."""

import pytest
from django.urls import reverse

from tests import factories
from tests.submissions.test_views_applicant import step1_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(official, open_cycle):
    return factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)


def test_error_summary_links_each_answer_to_correct(official_client, draft):
    long_title = " ".join(["word"] * 26)
    response = official_client.post(
        reverse("submissions:step", args=[draft.pk, 1]),
        step1_post(title=long_title, **{"contacts-0-email": "not-an-email"}),
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="page-errors" data-focus-on-load' in content
    assert '<a href="#id_title">' in content
    assert "26 words: the limit is 25." in content
    assert '<a href="#id_contacts-0-email">Contact 1, email:' in content
