"""The Secretariat rewords an email in the browser: a bad placeholder is refused
with its line, the preview shows the HTML version in its frame (no CSP error), the
saved wording is used."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from submissions.models import EmailTemplate, StatusChange
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_rewords_the_acknowledgement_in_french(page, live_server):
    staff = factories.secretariat_user(email="staff@example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    entry = factories.CompleteSubmissionFactory(status="submitted")
    factories.CityOfficialFactory(organisation=entry.organisation)
    StatusChange.objects.create(
        submission=entry, from_status="draft", to_status="submitted", transition="submit"
    )
    sign_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/console/emails/submission_acknowledgement/fr/")
    page.fill("textarea[name=body]", "Bonjour {{ recipient_name }},\n\n{{ prize }}")
    page.click("button[value=save]")
    expect(page.locator("form.console-form")).to_contain_text(
        "Line 3: unknown placeholder “prize”."
    )
    assert EmailTemplate.objects.count() == 0
    page.errors.clear()  # the refused form answered 400, which the console reports

    page.fill(
        "textarea[name=body]", "Bonjour {{ recipient_name }},\n\nMerci pour {{ entry_title }}."
    )
    page.fill("input[name=subject]", "Reçue : {{ entry_reference }}")
    page.click("button[value=preview]")
    expect(page.locator("#preview ~ p").first).to_contain_text(f"Reçue : {entry.reference}")
    frame = page.frame_locator("iframe.email-frame")
    expect(frame.locator("body")).to_contain_text(f"Merci pour {entry.title}.")
    page.click("button[value=save]")
    expect(page.get_by_text("Secretariat's wording")).to_be_visible()
    assert EmailTemplate.objects.get(language="fr").subject == "Reçue : {{ entry_reference }}"
    assert page.errors == []
