"""A reviewer downloads an entry's dossier from the score page, at desktop and phone
width; the file is the entry's PDF (its title inside), and a conflicted colleague is
refused."""

import io

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect
from pypdf import PdfReader

from judging.models import Assignment, PanelKind
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
    factories.add_totp(reviewer)  # a panel member signs in with two factors
    org = factories.OrganisationFactory(name="Guangzhou 广州", country="CN")
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle, organisation=org, status=Status.ELIGIBLE, title="Marchés de quartier"
    )
    a = assignment_add(panel=panel, submission=entry, member=member, by=staff)
    Assignment.objects.filter(pk=a.pk).update(state=Assignment.State.ACTIVE)
    return a


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_reviewer_downloads_the_dossier_from_the_score_page(
    page, live_server, assignment, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server, "expert@example.org")
    page.goto(f"{live_server.url}/judging/reviews/{assignment.pk}/")
    link = page.get_by_role("link", name="Dossier (PDF)")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    entry = assignment.submission
    assert download.suggested_filename == f"{entry.reference}-dossier.pdf"
    data = open(download.path(), "rb").read()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Marchés de quartier" in text
    assert "广州" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []


def test_conflicted_reviewer_is_refused_the_dossier(page, live_server, assignment):
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.RELEASED)
    sign_in(page, live_server, "expert@example.org")
    response = page.goto(
        f"{live_server.url}/judging/entries/{assignment.submission_id}/dossier.pdf"
    )
    assert response.status == 403
