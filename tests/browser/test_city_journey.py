"""The whole city official's journey in a real browser, as a person does it:
register, confirm the email, create the city, fill both steps, upload a PDF and a
photo, submit, and receive the acknowledgement; the screening report is built."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from submissions.models import ScreeningReport, Submission
from submissions.workflow import Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
STEP2 = [
    "background",
    "problem",
    "innovation",
    "implementation",
    "resources",
    "results",
    "sustainability",
    "transferability",
    "nua_links",
    "lessons",
]


def test_city_official_registers_applies_and_submits(page, live_server):
    factories.OpenCycleFactory(number=7, year="2025/26")
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit this application now?"

    # Register and confirm the address through the emailed link.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=email]", "mayor.office@porto-aurora.example")
    page.fill("input[name=password1]", "Rain-gardens-2026")
    page.fill("input[name=password2]", "Rain-gardens-2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    # Create the city.
    page.goto(f"{live_server.url}/my/city/new/")
    page.fill("input[name=name]", "Porto Aurora")
    page.select_option("select[name=country]", "BR")
    page.fill("input[name=population]", "1500000")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    # Start an application and fill step 1.
    page.goto(f"{live_server.url}/my/")
    page.click("form[action$='/my/entries/new/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/step-1/$"))
    page.fill("#id_title", "Rain gardens for every school")
    page.fill("#id_start_date", "2019-03-01")
    page.check("#id_ongoing")
    page.check("input[name=domains][value=environmental]")
    page.check("input[name=innovation_types][value=engagement]")
    page.check("input[name=innovation_kind][value=evolutionary]")
    page.fill("#id_abstract", "Every school yard drains the rain into gardens that pupils tend.")
    page.fill("input[name=contacts-0-name]", "Ana Souza")
    page.fill("input[name=contacts-0-email]", "ana.souza@porto-aurora.example")
    page.get_by_role("button", name=re.compile("continue to step 2")).click()
    page.wait_for_url(re.compile(r"/step-2/$"))

    # Step 2: every answer and two goals.
    for field in STEP2:
        page.fill(f"textarea[name={field}]", f"What the city wrote about {field}.")
    page.check("input[name=goals][value='11']")
    page.check("input[name=goals][value='13']")
    page.get_by_role("button", name=re.compile("continue to attachments")).click()
    page.wait_for_url(re.compile(r"/attachments/$"))

    # Attachments: a PDF report and a public photo.
    page.check("input[name=kind][value=document]")
    page.set_input_files(
        "input[name=file]", {"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    page.check("input[name=kind][value=photo]")
    page.set_input_files(
        "input[name=file]", {"name": "garden.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.check("input[name=is_public]")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    expect(page.get_by_text("report.pdf").first).to_be_visible()
    expect(page.get_by_text("garden.png").first).to_be_visible()

    # Preview, then submit.
    page.get_by_role("link", name=re.compile("Preview and submit")).first.click()
    page.get_by_role("link", name=re.compile("Submit the application")).click()
    page.get_by_label(re.compile("agree that if this initiative is recognised")).check()
    page.get_by_role("button", name=re.compile("Yes, submit")).click()
    expect(page).to_have_url(re.compile(r"/my/entries/\d+/$"))  # back on the entry's page

    entry = Submission.objects.get(title="Rain gardens for every school")
    assert entry.status == Status.SUBMITTED
    assert entry.reference == "GZA-7-0001"
    assert entry.attachments.count() == 2
    acknowledgement = [m for m in mail.outbox if entry.reference in m.subject]
    assert [m.to for m in acknowledgement] == [["mayor.office@porto-aurora.example"]]
    report = ScreeningReport.objects.get(submission=entry)
    assert report.is_clean, report.checks
    assert page.errors == []
