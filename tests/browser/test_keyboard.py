"""The application form can be completed with the keyboard alone: Tab moves from
field to field, typing fills them, Space ticks boxes, the arrows choose a radio
button, Enter sends the form. No mouse click anywhere."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from submissions.models import Submission
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = {
    "title": "Rain gardens for every school",
    "abstract": "Every school yard drains the rain into gardens that pupils tend.",
    "contacts-0-name": "Ana Souza",
    "contacts-0-email": "ana.souza@porto-aurora.example",
}
TICKED = {("domains", "environmental"), ("innovation_types", "engagement"), ("ongoing", "on")}


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
            value: e.value || "", checked: !!e.checked }; }"""
    )


def test_step1_is_completed_with_the_keyboard_alone(page, live_server):
    cycle = factories.OpenCycleFactory()
    entry = factories.SubmissionFactory(cycle=cycle)
    official = factories.CityOfficialFactory(organisation=entry.organisation)
    EmailAddress.objects.create(user=official, email=official.email, verified=True, primary=True)
    sign_in(page, live_server, official.email)
    page.goto(f"{live_server.url}/my/entries/{entry.pk}/step-1/")

    reached = set()
    for _ in range(250):
        page.keyboard.press("Tab")
        el = _focused(page)
        reached.add(el["name"])
        if el["name"] in TYPED and not el["value"]:
            page.keyboard.type(TYPED[el["name"]])
        elif el["name"] == "start_date" and not el["value"]:
            page.keyboard.type("03012019")  # month, day, year segments of the date field
        elif (el["name"], el["value"]) in TICKED and not el["checked"]:
            page.keyboard.press("Space")
        elif el["name"] == "innovation_kind" and el["value"] != "evolutionary":
            page.keyboard.press("ArrowDown")  # moves to and chooses "Evolutionary"
        elif el["tag"] == "button" and el["name"] == "then" and el["value"] == "next":
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail(f"Tab never reached 'Save and continue'; reached {sorted(reached)}")

    expect(page).to_have_url(re.compile(r"/step-2/$"))
    saved = Submission.objects.get(pk=entry.pk)
    assert saved.title == TYPED["title"]
    assert (saved.domains, saved.innovation_types, saved.innovation_kind) == (
        ["environmental"],
        ["engagement"],
        "evolutionary",
    )
    assert str(saved.start_date) == "2019-03-01"
    assert list(saved.contacts.values_list("email", flat=True)) == [TYPED["contacts-0-email"]]
    assert page.errors == []


def test_error_summary_takes_the_focus_and_links_to_the_field(page, live_server):
    cycle = factories.OpenCycleFactory()
    entry = factories.SubmissionFactory(cycle=cycle)
    official = factories.CityOfficialFactory(organisation=entry.organisation)
    EmailAddress.objects.create(user=official, email=official.email, verified=True, primary=True)
    sign_in(page, live_server, official.email)
    page.goto(f"{live_server.url}/my/entries/{entry.pk}/step-1/")
    page.fill("#id_title", "word " * 30)
    page.fill("input[name=contacts-0-email]", "not-an-email")
    page.locator("button[name=then][value=stay]").press("Enter")

    # The summary takes the focus, read first by a screen reader.
    expect(page.locator("div#page-errors")).to_be_focused()
    page.locator(".gza-error-links a[href='#id_contacts-0-email']").press("Enter")
    expect(page.locator("input[name=contacts-0-email]")).to_be_focused()
