"""Privacy: the notice, a city's data download, closing one's own account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from submissions.models import StatusChange, Submission
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_privacy_notice_is_public_and_linked_from_every_page(client):
    response = client.get(reverse("privacy:notice"))
    assert response.status_code == 200
    assert b"30 days after the vote closes" in response.content
    assert f'href="{reverse("privacy:notice")}"'.encode() in client.get("/").content


def test_city_data_download_holds_the_citys_entries_and_members(official_client, official):
    entry = factories.CompleteSubmissionFactory(organisation=official.organisation)
    factories.PartnerFactory(submission=entry, name="Parks Friends")
    factories.AttachmentFactory(submission=entry)
    factories.CompleteSubmissionFactory()  # another city's
    response = official_client.get(reverse("privacy:city_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["organisation"]["name"] == official.organisation.name
    assert [m["email"] for m in data["members"]] == [official.email]
    assert [e["reference"] for e in data["entries"]] == [entry.reference]
    assert data["entries"][0]["partners"][0]["name"] == "Parks Friends"
    assert data["entries"][0]["goals"] == [11, 16]
    assert data["entries"][0]["attachments"][0]["name"] == "report.pdf"
    assert "password" not in response.content.decode()


def test_city_data_download_is_refused_without_a_city(client):
    user = factories.UserFactory()
    client.force_login(user)
    assert client.get(reverse("privacy:city_data")).status_code == 404
    client.logout()
    assert client.get(reverse("privacy:city_data")).status_code == 302


def test_official_closes_their_account_and_the_entries_stay(official_client, official):
    colleague = factories.CityOfficialFactory(organisation=official.organisation)
    entry = factories.CompleteSubmissionFactory(
        organisation=official.organisation, status=Status.SUBMITTED, created_by=official
    )
    StatusChange.objects.create(
        submission=entry,
        from_status="draft",
        to_status="submitted",
        transition="submit",
        by=official,
    )
    EmailAddress.objects.create(user=official, email=official.email, verified=True)
    url = reverse("privacy:account_close")
    assert official_client.get(url).status_code == 200
    response = official_client.post(url, {"email": "wrong@example.org"})
    assert response.status_code == 200
    assert User.objects.filter(pk=official.pk).exists()
    response = official_client.post(url, {"email": official.email.upper()})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert not User.objects.filter(pk=official.pk).exists()
    assert not EmailAddress.objects.filter(email=official.email).exists()
    entry = Submission.objects.get(pk=entry.pk)
    assert (entry.organisation_id, entry.created_by_id) == (colleague.organisation_id, None)
    assert list(StatusChange.objects.filter(submission=entry).values_list("by", flat=True)) == [
        None
    ]
    assert "_auth_user_id" not in official_client.session


def test_last_member_of_a_city_with_an_entry_cannot_close_their_account(official_client, official):
    factories.CompleteSubmissionFactory(organisation=official.organisation, status=Status.SUBMITTED)
    url = reverse("privacy:account_close")
    response = official_client.get(url)
    assert b"Invite a colleague first" in response.content
    official_client.post(url, {"email": official.email})
    assert User.objects.filter(pk=official.pk).exists()


def test_last_member_with_only_drafts_may_close_their_account(official_client, official):
    factories.CompleteSubmissionFactory(organisation=official.organisation)
    official_client.post(reverse("privacy:account_close"), {"email": official.email})
    assert not User.objects.filter(pk=official.pk).exists()


def test_privileged_user_cannot_close_their_own_account(secretariat_client, secretariat):
    url = reverse("privacy:account_close")
    assert b"closed by the Secretariat" in secretariat_client.get(url).content
    secretariat_client.post(url, {"email": secretariat.email})
    assert User.objects.filter(pk=secretariat.pk).exists()
