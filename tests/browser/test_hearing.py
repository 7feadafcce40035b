"""A shortlisted city confirms its hearing slot, names its delegates and uploads its
presentation, at desktop and phone width."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from judging.models import HearingSession, HearingSlot
from submissions.workflow import Status
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize("width", [1280, 390])
def test_city_confirms_its_hearing_slot(page, live_server, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    official = factories.CityOfficialFactory(email=f"mayor{width}@example.org")
    EmailAddress.objects.create(user=official, email=official.email, verified=True, primary=True)
    cycle = factories.CycleFactory(number=7)
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle, organisation=official.organisation, status=Status.SHORTLISTED
    )
    session = HearingSession.objects.create(
        cycle=cycle,
        starts_at=timezone.now() + dt.timedelta(days=20),
        place="Guangzhou International Convention Centre",
        theme="Green cities",
    )
    HearingSlot.objects.create(
        session=session, submission=entry, starts_at=session.starts_at + dt.timedelta(minutes=30)
    )
    sign_in(page, live_server, official.email)
    page.goto(f"{live_server.url}/my/")
    page.click("text=Public hearing: your slot, delegates and presentation")
    expect(page.locator("#attendance")).to_have_text("Not confirmed yet")
    expect(page.locator("main")).to_contain_text("Green cities")

    page.fill("#id_del-name_1", "Ana Souza")
    page.fill("#id_del-position_1", "Mayor")
    page.fill("#id_del-name_2", "João Lima")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator("#attendance")).to_have_text(re.compile(r"^\s*Confirmed"))

    slides = tmp_path / "slides.pdf"
    slides.write_bytes(PDF)
    page.set_input_files("#id_pres-presentation", str(slides))
    page.click("#presentation-form button[type=submit]")
    expect(page.locator("#presentation-form")).to_contain_text("slides.pdf")

    slot = HearingSlot.objects.get(submission=entry)
    assert slot.delegates == [
        {"name": "Ana Souza", "position": "Mayor"},
        {"name": "João Lima", "position": ""},
    ]
    assert slot.presentation_name == "slides.pdf"
    # Nothing overflows sideways at phone width.
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width
    page.screenshot(path=f"/tmp/cycle-hearing-{width}.png", full_page=True)
    assert page.errors == []
