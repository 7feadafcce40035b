"""A Technical Committee member scores on a phone: declare no conflict, score every
criterion, recommend, comment, submit; the review is kept with its history."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from judging.models import Assignment, PanelKind, Review
from judging.services.assignment import assignment_add
from judging.services.panels import criteria_create_defaults, member_invite, panel_get_or_create
from submissions.workflow import Status
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assignment():
    staff = factories.secretariat_user()
    cycle = factories.CycleFactory()
    panel = panel_get_or_create(cycle=cycle, kind=PanelKind.TECHNICAL_COMMITTEE)
    criteria_create_defaults(panel=panel)
    reviewer = factories.UserFactory(email="expert@example.org")
    EmailAddress.objects.create(user=reviewer, email=reviewer.email, verified=True, primary=True)
    member, _ = member_invite(panel=panel, email=reviewer.email, country="FR", by=staff)
    factories.add_totp(reviewer)  # reviewers sign in with two factors
    entry = factories.CompleteSubmissionFactory(cycle=cycle, status=Status.ELIGIBLE)
    return assignment_add(panel=panel, submission=entry, member=member, by=staff)


def test_reviewer_scores_an_entry_on_a_phone(page, live_server, assignment):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "expert@example.org")
    page.goto(f"{live_server.url}/judging/reviews/")
    expect(page.get_by_text(assignment.submission.title).first).to_be_visible()

    page.goto(f"{live_server.url}/judging/reviews/{assignment.pk}/conflict/")
    page.get_by_role("button", name="I have no conflict").click()
    expect(page).to_have_url(re.compile(rf"/judging/reviews/{assignment.pk}/$"))
    expect(page.get_by_text(assignment.submission.abstract)).to_be_visible()

    for criterion in assignment.panel.criteria.all():
        page.select_option(f"select[name=value_{criterion.pk}]", "7")
    page.locator("label[for=rec-shortlist]").click()
    page.fill("textarea[name=overall_comment]", "Convincing evidence, easy to transfer.")
    page.get_by_role("button", name="Submit review").click()
    expect(page.locator(".alert-success")).to_contain_text("Your review is submitted.")

    review = Review.objects.get(assignment=assignment)
    assert review.is_submitted
    assert review.recommendation == "shortlist"
    assert sorted(review.scores.values_list("value", flat=True)) == [7, 7, 7, 7, 7]
    assert review.history.count() == 1
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.ACTIVE
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.errors == []
