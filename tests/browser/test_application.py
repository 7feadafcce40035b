"""A city official fills the application in a real browser: autosave, live word
counts and the phone layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from submissions.models import Submission
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft():
    cycle = factories.OpenCycleFactory()
    entry = factories.SubmissionFactory(cycle=cycle)
    official = factories.CityOfficialFactory(organisation=entry.organisation)
    EmailAddress.objects.create(user=official, email=official.email, verified=True, primary=True)
    return entry, official


def test_application_autosaves_each_answer_and_counts_words(page, live_server, draft):
    entry, official = draft
    sign_in(page, live_server, official.email)
    page.goto(f"{live_server.url}/my/entries/{entry.pk}/step-1/")

    page.fill("#id_title", "Rain gardens for every school")
    expect(page.locator("#save-title").get_by_text("Saved")).to_be_visible()
    entry.refresh_from_db()
    assert entry.title == "Rain gardens for every school"

    page.fill("#id_abstract", "word " * 151)
    counter = page.locator("#id_abstract-words")
    expect(counter).to_have_text("151 / 150 words")
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    expect(page.locator("#save-abstract").get_by_text("Not saved")).to_be_visible()
    entry.refresh_from_db()
    assert entry.abstract == ""  # the server refused the over-long answer
    assert page.errors == []


def test_application_step_fits_a_phone_screen(page, live_server, draft):
    entry, official = draft
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, official.email)
    page.goto(f"{live_server.url}/my/entries/{entry.pk}/step-1/")
    page.fill("#id_title", "Water kiosks")
    expect(page.locator("#save-title").get_by_text("Saved")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert Submission.objects.get(pk=entry.pk).title == "Water kiosks"
    assert page.errors == []
