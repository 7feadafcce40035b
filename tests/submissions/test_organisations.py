import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from submissions.models import Organisation, OrganisationInvitation
from submissions.services import organisations as orgs
from tests import factories

pytestmark = pytest.mark.django_db

CITY = {
    "name": "Porto Alegre",
    "province": "Rio Grande do Sul",
    "country": "BR",
    "kind": "city",
    "population": 1_400_000,
}


def test_organisation_create_derives_continent_and_joins_creator():
    user = factories.UserFactory()
    city = orgs.organisation_create(data=CITY, by=user)
    user.refresh_from_db()
    assert (city.continent, city.created_by, user.organisation) == ("South America", user, city)


def test_organisation_create_refuses_existing_city_case_insensitively():
    factories.OrganisationFactory(name="Porto Alegre", country="BR")
    user = factories.UserFactory()
    with pytest.raises(ValidationError) as raised:
        orgs.organisation_create(data={**CITY, "name": "  porto ALEGRE "}, by=user)
    assert raised.value.messages == [
        "Porto Alegre, Brazil is already registered on the portal. Please ask one of its "
        "members to invite you by email."
    ]
    user.refresh_from_db()
    assert user.organisation is None
    assert Organisation.objects.count() == 1


def test_organisation_create_same_name_other_country_is_allowed():
    factories.OrganisationFactory(name="Valencia", country="ES")
    city = orgs.organisation_create(
        data={**CITY, "name": "Valencia", "country": "VE"}, by=factories.UserFactory()
    )
    assert city.continent == "South America"


def test_organisation_create_refuses_user_with_city(official):
    cities = Organisation.objects.count()
    with pytest.raises(ValidationError) as raised:
        orgs.organisation_create(data=CITY, by=official)
    assert raised.value.messages == ["You already belong to a city."]
    assert Organisation.objects.count() == cities


def test_organisation_update_follows_country(official):
    data = {**CITY, "name": official.organisation.name, "country": "KE"}
    city = orgs.organisation_update(organisation=official.organisation, data=data, by=official)
    assert city.continent == "Africa"


def test_organisation_create_view_shows_invitation_hint_for_existing_city(client):
    factories.OrganisationFactory(name="Porto Alegre", country="BR")
    client.force_login(factories.UserFactory())
    response = client.post(reverse("submissions:organisation_create"), CITY)
    assert "ask one of its members to invite you by email" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_organisation_create_view_creates_and_redirects(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(reverse("submissions:organisation_create"), CITY)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.organisation.name == "Porto Alegre"


def test_organisation_edit_view_saves(official_client, official):
    response = official_client.post(
        reverse("submissions:organisation_edit"),
        {**CITY, "name": official.organisation.name, "website": "city.example.org"},
    )
    assert response.status_code == 302
    official.organisation.refresh_from_db()
    assert official.organisation.website == "https://city.example.org"


def test_invitation_create_emails_link(official, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = orgs.invitation_create(
            organisation=official.organisation, email="New@Example.org", by=official
        )
    assert invitation.email == "new@example.org"
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    assert str(invitation.token) in mailoutbox[0].body
    assert official.organisation.name in mailoutbox[0].subject


def test_invitation_create_refuses_existing_member(
    official, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as raised:
            orgs.invitation_create(
                organisation=official.organisation, email=official.email, by=official
            )
    assert raised.value.messages == [f"{official.email} is already a member of your city."]
    assert OrganisationInvitation.objects.count() == 0
    assert (callbacks, mailoutbox) == ([], [])


def test_members_page_invites_by_email(
    official_client, official, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(
            reverse("submissions:organisation_members"), {"email": "colleague@example.org"}
        )
    assert response.status_code == 302
    assert OrganisationInvitation.objects.get().email == "colleague@example.org"
    assert len(mailoutbox) == 1
    page = official_client.get(reverse("submissions:organisation_members"))
    assert "colleague@example.org" in page.content.decode()


def test_invitation_accept_joins_city():
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    user = factories.UserFactory(email="li@example.org")
    city = orgs.invitation_accept(token=invitation.token, by=user)
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert user.organisation == city == invitation.organisation
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (user, True)


def test_invitation_accept_used_token_is_refused():
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    orgs.invitation_accept(token=invitation.token, by=factories.UserFactory(email="li@example.org"))
    invitation.refresh_from_db()
    accepted = (invitation.accepted_at, invitation.accepted_by)
    with pytest.raises(ValidationError) as raised:
        orgs.invitation_accept(token=invitation.token, by=User.objects.get(email="li@example.org"))
    assert raised.value.messages == [
        "This invitation has already been used. Please ask your colleague for a new one."
    ]
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.accepted_by) == accepted


def test_invitation_accept_expired_token_is_refused():
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=15)
    )
    user = factories.UserFactory(email="li@example.org")
    with pytest.raises(ValidationError) as raised:
        orgs.invitation_accept(token=invitation.token, by=user)
    assert raised.value.messages == [
        "This invitation expired after 14 days. Please ask your colleague for a new one."
    ]
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert (user.organisation, invitation.accepted_at, invitation.accepted_by) == (None, None, None)


def test_invitation_accept_foreign_token_is_refused():
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    stranger = factories.UserFactory(email="stranger@example.org")
    with pytest.raises(ValidationError) as raised:
        orgs.invitation_accept(token=invitation.token, by=stranger)
    assert raised.value.messages == [
        "This invitation was sent to another email address. Please sign in with the "
        "address it was sent to."
    ]
    stranger.refresh_from_db()
    invitation.refresh_from_db()
    assert (stranger.organisation, invitation.accepted_at, invitation.accepted_by) == (
        None,
        None,
        None,
    )


def test_invitation_accept_by_member_of_other_city_is_refused(official):
    invitation = factories.OrganisationInvitationFactory(email=official.email)
    city = official.organisation_id
    with pytest.raises(ValidationError) as raised:
        orgs.invitation_accept(token=invitation.token, by=official)
    assert raised.value.messages == [
        "You already belong to another city: an account can belong to one city only."
    ]
    official.refresh_from_db()
    invitation.refresh_from_db()
    assert (official.organisation_id, invitation.accepted_at) == (city, None)


def test_invitation_link_anonymous_goes_to_login_then_accepts():
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    url = reverse("submissions:invitation_accept", args=[invitation.token])
    client = Client()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    user = factories.UserFactory(email="li@example.org")
    client.force_login(user)
    page = client.get(url)
    assert invitation.organisation.name in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.organisation == invitation.organisation


def test_invitation_link_unknown_token_gives_clear_message(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("submissions:invitation_accept", args=[uuid.uuid4()]))
    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()


def test_invitation_link_foreign_token_view_message_and_no_join(client):
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    user = factories.UserFactory(email="other@example.org")
    client.force_login(user)
    response = client.post(reverse("submissions:invitation_accept", args=[invitation.token]))
    assert "sent to another email address" in response.content.decode()
    user.refresh_from_db()
    assert user.organisation is None


def test_members_page_of_user_without_city_is_404(client):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("submissions:organisation_members")).status_code == 404


def test_dashboard_of_user_without_city_shows_pending_invitation(client):
    invitation = factories.OrganisationInvitationFactory(email="li@example.org")
    factories.OrganisationInvitationFactory(email="someone.else@example.org")
    client.force_login(factories.UserFactory(email="li@example.org"))
    content = client.get(reverse("submissions:dashboard")).content.decode()
    assert content.count("You are invited to join") == 1
    assert reverse("submissions:invitation_accept", args=[invitation.token]) in content
