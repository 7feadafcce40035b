import pytest
from django.urls import reverse

from submissions.models import ScreeningReport, StatusChange
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_submission_admin_lists_and_shows_status_read_only(admin_client):
    entry = factories.CompleteSubmissionFactory(status=Status.SUBMITTED)
    ScreeningReport.objects.create(submission=entry, checks=[], is_clean=True)
    StatusChange.objects.create(
        submission=entry, from_status="draft", to_status="submitted", transition="submit"
    )
    listing = admin_client.get(reverse("admin:submissions_submission_changelist"))
    assert entry.reference in listing.content.decode()
    page = admin_client.get(reverse("admin:submissions_submission_change", args=[entry.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert 'name="status"' not in content
    assert "Screening report" in content
    assert "submit" in content


@pytest.mark.parametrize(
    "name",
    [
        "admin:submissions_cycle_changelist",
        "admin:submissions_organisation_changelist",
        "admin:submissions_organisationinvitation_changelist",
        "admin:submissions_statuschange_changelist",
        "admin:submissions_screeningreport_changelist",
        "admin:submissions_sentemail_changelist",
    ],
)
def test_admin_changelists_render(admin_client, name):
    factories.OrganisationInvitationFactory()
    assert admin_client.get(reverse(name), {"q": "x"}).status_code == 200


def test_organisation_admin_change_page_shows_members(admin_client):
    official = factories.CityOfficialFactory()
    page = admin_client.get(
        reverse("admin:submissions_organisation_change", args=[official.organisation.pk])
    )
    assert official.email in page.content.decode()
