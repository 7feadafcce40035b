"""The unsubscribe page: works without signing in; opening it changes nothing."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from submissions.models import EmailOptOut
from submissions.services.emails import unsubscribe_url
from tests import factories

pytestmark = pytest.mark.django_db


def _path(user):
    return urlsplit(unsubscribe_url(user)).path


def test_unsubscribe_page_asks_then_records_the_choice(client):
    user = factories.CityOfficialFactory()
    path = _path(user)
    page = client.get(path)
    assert page.status_code == 200
    assert user.email in page.content.decode()
    assert EmailOptOut.objects.count() == 0  # a mail scanner opening the link does nothing
    assert client.post(path, {"action": "unsubscribe"}).status_code == 200
    assert list(EmailOptOut.objects.values_list("user", flat=True)) == [user.pk]
    client.post(path, {"action": "unsubscribe"})  # twice: still one row
    assert EmailOptOut.objects.count() == 1
    assert client.post(path, {"action": "resubscribe"}).status_code == 200
    assert EmailOptOut.objects.count() == 0


def test_one_click_unsubscribe_needs_no_csrf_token():
    from django.test import Client

    user = factories.CityOfficialFactory()
    response = Client(enforce_csrf_checks=True).post(_path(user), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=user).exists()


def test_a_forged_unsubscribe_token_is_not_found(client):
    response = client.get(reverse("emails:unsubscribe", args=["not-a-token"]))
    assert response.status_code == 404
