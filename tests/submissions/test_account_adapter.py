"""allauth's emails go through the portal's adapter: recipient's language, branded
HTML version, recorded in the outbox."""

import pytest
from django.urls import reverse

from submissions.models import SentEmail
from tests import factories

pytestmark = pytest.mark.django_db


def test_password_reset_email_is_recorded_in_the_recipients_language(client, mailoutbox):
    user = factories.CityOfficialFactory(language="fr")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr"' in html
    row = SentEmail.objects.get()
    assert (row.to, row.template_key, row.language, row.state, row.recipient) == (
        user.email,
        "password_reset_key",
        "fr",
        "sent",
        user,
    )
    assert row.subject == message.subject
    assert "/accounts/password/reset/key/" in message.body
    # The outbox keeps no reset link: the Secretariat must not be able to use it.
    assert "/accounts/password/reset/key/" not in row.body_text + row.body_html
