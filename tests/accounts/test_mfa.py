"""Two-factor sign-in: available to everybody, required of privileged accounts."""

import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-pass-42"
EXECUTABLE_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth remembers used TOTP codes per user id in the cache; ids repeat across
    tests, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: factories.secretariat_user(totp=False),
        lambda: factories.UserFactory(role=roles.TECHNICAL_COMMITTEE, totp=False),
        lambda: factories.UserFactory(role=roles.JURY, totp=False),
        lambda: factories.UserFactory(is_staff=True, is_superuser=True, totp=False),
    ],
    ids=["secretariat", "technical_committee", "jury", "admin"],
)
def test_privileged_user_without_second_factor_is_sent_to_set_it_up(make_user):
    client = _password_login(make_user())
    for url in ("/", "/console/", "/judging/reviews/", "/admin/", "/account/profile/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/"), url
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_privileged_user_with_totp_opens_their_pages(secretariat_client):
    assert secretariat_client.get("/console/").status_code == 200


def test_privileged_user_with_a_security_key_only_passes():
    user = factories.secretariat_user(totp=False)
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    assert _signed_in(user).get("/console/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor():
    user = factories.secretariat_user(totp=False)
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert _signed_in(user).get("/console/")["Location"] == "/accounts/2fa/"


def test_city_official_is_not_forced_to_add_a_second_factor(official_client):
    assert official_client.get(reverse("submissions:dashboard")).status_code == 200


def test_city_official_may_add_a_second_factor(official_client):
    assert official_client.get("/accounts/2fa/").status_code == 200


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _password_login(user) -> Client:
    """Sign in through the forms (allauth then counts it as a recent authentication)."""
    _verified(user)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    if response["Location"] == "/accounts/2fa/authenticate/":
        response = client.post("/accounts/2fa/authenticate/", {"code": factories.totp_code()})
    assert client.session["_auth_user_id"] == str(user.pk)
    # allauth asks for the password again before factors change.
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def test_new_privileged_user_sets_up_totp_and_then_opens_the_console():
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    user = _verified(factories.secretariat_user(totp=False))
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/console/")["Location"] == "/accounts/2fa/"
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    assert client.get("/console/").status_code == 200


def test_sign_in_asks_for_the_code_and_accepts_it():
    user = _verified(factories.secretariat_user())
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/authenticate/")
    assert client.get("/console/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": factories.totp_code()})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200


def test_sign_in_without_second_factor_for_an_official():
    user = _verified(factories.CityOfficialFactory())
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_privileged_user_cannot_remove_their_last_totp():
    user = factories.secretariat_user()
    client = _password_login(user)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200  # the form, with its error
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1


def test_official_can_remove_their_totp():
    user = factories.CityOfficialFactory(totp=True)
    client = _password_login(user)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/webauthn/add/",
    ],
)
def test_two_factor_pages_use_the_portal_layout_without_inline_script(url):
    client = _password_login(factories.CityOfficialFactory())
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert EXECUTABLE_INLINE_SCRIPT.findall(html) == []
    assert "data-allauth-onload" not in html
    assert "gza-footer" in html  # the portal's base.html


def test_webauthn_page_loads_allauth_scripts_from_static_files():
    client = _password_login(factories.CityOfficialFactory())
    html = client.get("/accounts/2fa/webauthn/add/").content.decode()
    for script in ("mfa/js/webauthn.js", "mfa/js/webauthn-json.js", "js/allauth-onload.js"):
        assert f'src="/static/{script}"' in html
    assert 'data-gza-allauth-onload="allauth.webauthn.forms.addForm"' in html


def test_load_demo_gives_privileged_demo_accounts_the_demo_secret(
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    with_totp = set(Authenticator.objects.filter(type="totp").values_list("user__email", flat=True))
    assert "secretariat@demo.gzaward.org" in with_totp
    assert "tc.member@demo.gzaward.org" in with_totp
    assert "admin@demo.gzaward.org" in with_totp
    assert "official@demo.gzaward.org" not in with_totp
    # Taken first: it waits for a fresh period when this one ends in a few seconds, so
    # that the command then prints the code of the same period.
    expected = factories.totp_code(DEMO_TOTP_SECRET)
    code = io.StringIO()
    call_command("demo_totp", "secretariat@demo.gzaward.org", stdout=code, stderr=io.StringIO())
    assert code.getvalue().strip() == expected


def test_demo_totp_refuses_other_accounts():
    from django.core.management.base import CommandError

    factories.secretariat_user(email="real@example.org")
    with pytest.raises(CommandError, match="Only demo accounts"):
        call_command("demo_totp", "real@example.org")
