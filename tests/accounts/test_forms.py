"""The sign-in and registration pages speak in the portal's words, not the library's."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIBRARY_DEFAULTS = [
    "Sign In",
    "Remember Me",
    "If you have not created an account yet, then please",
    "Sign Up",
]


@pytest.mark.parametrize("name", ["account_login", "account_signup"])
@pytest.mark.parametrize("language", ["en", "zh-hans", "fr", "es"])
def test_entrance_pages_use_the_portal_words(name, language):
    client = Client(headers={"accept-language": language})
    content = client.get(reverse(name)).content.decode()
    assert [text for text in LIBRARY_DEFAULTS if text in content] == []


def test_sign_in_page_invites_cities_to_register():
    content = Client().get(reverse("account_login")).content.decode()
    assert "Sign in to the award portal" in content
    assert "Keep me signed in on this device" in content
    assert f'<a href="{reverse("account_signup")}">Register your city</a>' in content


def test_registration_asks_for_the_work_address():
    content = Client().get(reverse("account_signup")).content.decode()
    assert "Work email address" in content
    assert "The same password again" in content
