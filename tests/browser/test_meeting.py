"""The meeting: a member's screen follows the chair's current entry (htmx polling),
without a reload and without a CSP violation."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from judging.models import PanelKind
from judging.services.assignment import assignment_staff_tc_entry
from judging.services.meeting import meeting_go_to, meeting_start
from judging.services.outcomes import proposals_build
from judging.services.panels import criteria_create_defaults, panel_get_or_create
from judging.services.ranking import ranking_compute
from submissions.workflow import Status
from tests import factories
from tests.browser.conftest import sign_in
from tests.judging.conftest import score
from tests.judging.factories import PanelMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting():
    staff = factories.secretariat_user()
    cycle = factories.CycleFactory()
    panel = panel_get_or_create(cycle=cycle, kind=PanelKind.TECHNICAL_COMMITTEE)
    criteria_create_defaults(panel=panel)
    members = [
        PanelMemberFactory(panel=panel, country=c, is_chair=(i == 0))
        for i, c in enumerate(["FR", "KE", "JP"])
    ]
    follower = members[1].user
    EmailAddress.objects.create(user=follower, email=follower.email, verified=True, primary=True)
    entries = []
    for value in (9, 5):
        org = factories.OrganisationFactory(country="BR")
        entry = factories.CompleteSubmissionFactory(
            cycle=cycle, organisation=org, status=Status.ELIGIBLE
        )
        for a in assignment_staff_tc_entry(submission=entry):
            score(a, value)
        entries.append(entry)
    panel.closed_at = cycle.final_deadline
    panel.save(update_fields=["closed_at"])
    ranking_compute(panel=panel)
    proposals_build(panel=panel)
    meeting_start(panel=panel, by=staff)
    return panel, follower, entries, staff


def test_member_screen_follows_the_chair(page, live_server, meeting):
    panel, follower, (first, second), staff = meeting
    sign_in(page, live_server, follower.email)
    page.goto(f"{live_server.url}/judging/cycle/{panel.cycle.number}/tc/meeting/")
    current = page.locator("#meeting-current")
    expect(current).to_contain_text(first.reference)
    meeting_go_to(panel=panel, submission=second, by=staff)
    expect(current).to_contain_text(second.reference)
    expect(current).not_to_contain_text(first.reference)
    assert page.errors == []
