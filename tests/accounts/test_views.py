import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_profile_saves_name_position_and_zone(official_client, official):
    response = official_client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Ana Lima",
            "position": "Planner",
            "time_zone": "America/Sao_Paulo",
            "language": "en",
        },
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert (official.full_name, official.position, official.time_zone) == (
        "Ana Lima",
        "Planner",
        "America/Sao_Paulo",
    )


def test_profile_refuses_unknown_time_zone(official_client, official):
    response = official_client.post(
        reverse("accounts:profile"),
        {"full_name": "A", "position": "", "time_zone": "Mars/Base", "language": "en"},
    )
    assert response.status_code == 200
    official.refresh_from_db()
    assert official.time_zone == "Asia/Shanghai"


def test_profile_needs_sign_in():
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_allauth_entrance_pages_use_portal_layout(client, name):
    response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    assert "gza-navbar" in content
    assert "gza-auth-anchor" in content
    assert "form-control" in content or name == "account_reset_password_done"


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "account_logout"])
def test_allauth_manage_pages_use_portal_layout(official_client, name):
    response = official_client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    assert "gza-navbar" in content
    assert "<script>" not in content


def test_signup_sends_verification_and_leads_to_dashboard(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.official@example.org",
            "password1": "a-Strong-pass-42",
            "password2": "a-Strong-pass-42",
            "next": reverse("submissions:dashboard"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    page = client.get(reverse("account_email_verification_sent"))
    assert "gza-navbar" in page.content.decode()


def test_signup_page_defaults_next_to_dashboard(client):
    content = client.get(reverse("account_signup")).content.decode()
    assert f'value="{reverse("submissions:dashboard")}"' in content


def test_user_admin_lists_users(client):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200


def _link(body: str) -> str:
    import re

    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_email_confirmation_page_uses_portal_layout(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "c@example.org",
            "password1": "a-Strong-pass-42",
            "password2": "a-Strong-pass-42",
        },
    )
    page = client.get(_link(mailoutbox[0].body))
    content = page.content.decode()
    assert page.status_code == 200
    assert "gza-navbar" in content
    assert "btn-gza" in content


def test_password_reset_from_key_page_uses_portal_layout(client, mailoutbox):
    from allauth.account.models import EmailAddress

    user = factories.UserFactory(email="r@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": "r@example.org"})
    page = client.get(_link(mailoutbox[0].body), follow=True)
    content = page.content.decode()
    assert page.status_code == 200
    assert "gza-navbar" in content
    assert 'name="password1"' in content
