"""Language switching: the switcher on every page, the account's stored language,
the cookie and Accept-Language for visitors."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import user_set_language
from tests import factories

pytestmark = pytest.mark.django_db


def test_switcher_is_on_every_page_with_the_four_languages(client):
    content = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("accounts:set_language")}"' in content
    for code, name in settings.LANGUAGES:
        assert f'value="{code}" lang="{code}"' in content
        assert name in content


def test_switcher_sets_the_cookie_for_a_visitor(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": "/results/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/results/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get(reverse("home"))
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr">' in page.content.decode()


def test_switcher_stores_the_language_on_the_account(official_client, official):
    response = official_client.post(
        reverse("accounts:set_language"), {"language": "zh-hans", "next": "/my/"}
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.language == "zh-hans"


def test_switcher_ignores_an_unknown_language(official_client, official):
    response = official_client.post(
        reverse("accounts:set_language"), {"language": "xx", "next": "/"}
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.language == "en"


def test_switcher_refuses_a_foreign_next_url(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_visitor_gets_accept_language():
    page = Client(headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"}).get(reverse("home"))
    assert page["Content-Language"] == "zh-hans"


def test_visitor_cookie_wins_over_accept_language():
    client = Client(headers={"accept-language": "es"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(reverse("home"))["Content-Language"] == "fr"


def test_signed_in_user_gets_the_stored_language_over_cookie_and_browser():
    user = factories.UserFactory(language="es")
    client = Client(headers={"accept-language": "zh-CN"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(user)
    assert client.get(reverse("home"))["Content-Language"] == "es"


def test_profile_changes_the_language(official_client, official):
    response = official_client.post(
        reverse("accounts:profile"),
        {"full_name": "Ana", "position": "", "time_zone": "Asia/Shanghai", "language": "fr"},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    official.refresh_from_db()
    assert official.language == "fr"
    assert official_client.get(reverse("accounts:profile"))["Content-Language"] == "fr"


def test_profile_refuses_an_unknown_language(official_client, official):
    response = official_client.post(
        reverse("accounts:profile"),
        {"full_name": "Ana", "position": "", "time_zone": "Asia/Shanghai", "language": "de"},
    )
    assert response.status_code == 200
    official.refresh_from_db()
    assert official.language == "en"


def test_signup_keeps_the_visitor_language(mailoutbox):
    client = Client(headers={"accept-language": "fr-FR,fr;q=0.9"})
    client.post(
        reverse("account_signup"),
        {
            "email": "maire@ville.example",
            "password1": "a-Strong-pass-42",
            "password2": "a-Strong-pass-42",
        },
    )
    assert User.objects.get(email="maire@ville.example").language == "fr"


def test_user_set_language_saves_only_the_language():
    user = factories.UserFactory(full_name="Ana")
    User.objects.filter(pk=user.pk).update(full_name="Changed elsewhere")
    user_set_language(user=user, language="es", by=user)
    user.refresh_from_db()
    assert (user.language, user.full_name) == ("es", "Changed elsewhere")


def test_user_set_language_refuses_unknown_language_and_other_users():
    user, other = factories.UserFactory(), factories.UserFactory()
    with pytest.raises(ValidationError) as raised:
        user_set_language(user=user, language="de", by=user)
    assert raised.value.messages == ["The portal is not available in this language."]
    with pytest.raises(PermissionError, match="^Users change only their own language.$"):
        user_set_language(user=user, language="fr", by=other)
    user.refresh_from_db()
    assert user.language == "en"


def test_account_language_follows_the_user_after_signing_out():
    user = factories.UserFactory(language="fr")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    client.post(reverse("account_logout"))  # the real sign-out (the test client's clears cookies)
    page = client.get(reverse("home"))
    assert (page.wsgi_request.user.is_authenticated, page["Content-Language"]) == (False, "fr")
