"""The console's email pages: wording per language (save, refuse with the line,
preview, reset), the outbox (filters, pagination, resend, query counts), a city's
messages and announcements (count before sending, send now, schedule)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.models import Announcement, EmailTemplate, SentEmail, StatusChange
from submissions.services.emails import email_send_once
from tests import factories

pytestmark = pytest.mark.django_db


def _acknowledge(submission=None, language="en", key=None):
    submission = submission or factories.CompleteSubmissionFactory(status="submitted")
    official = factories.CityOfficialFactory(
        organisation=submission.organisation, language=language
    )
    change = StatusChange.objects.create(
        submission=submission, from_status="draft", to_status="submitted", transition="submit"
    )
    email_send_once(
        key=key or f"status:{change.pk}:{official.pk}",
        to=official.email,
        template="email/submission_acknowledgement",
        context={"user": official, "submission": submission, "change": change, "status_label": "x"},
    )
    return official, submission


def test_email_templates_page_lists_every_message_and_edited_languages(
    secretariat_client, secretariat
):
    EmailTemplate.objects.create(
        key="outcome", language="fr", subject="s", body="b", updated_by=secretariat
    )
    page = secretariat_client.get(reverse("console:email_templates"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Entry received (acknowledgement)" in text
    assert "Reminder: draft not submitted" in text
    assert reverse("console:email_template", args=["outcome", "fr"]) in text


def test_email_templates_are_secretariat_only(official_client):
    url = reverse("console:email_template", args=["outcome", "en"])
    assert official_client.get(url).status_code == 403


def test_edit_page_starts_from_the_translated_default_and_lists_placeholders(secretariat_client):
    _acknowledge()
    page = secretariat_client.get(
        reverse("console:email_template", args=["submission_acknowledgement", "en"])
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["subject"] == "Entry {{ entry_reference }} received"
    assert "Dear {{ recipient_name }}," in form.initial["body"]
    assert ("entry_title", "The entry's title") in [
        (n, str(label)) for n, label in page.context["placeholders"]
    ]
    assert page.context["preview"].subject.startswith("Entry GZA-")


def test_saving_a_wording_then_resetting_it(secretariat_client):
    url = reverse("console:email_template", args=["outcome", "es"])
    response = secretariat_client.post(
        url,
        {
            "subject": "Decisión {{ entry_reference }}",
            "body": "Hola {{ recipient_name }}",
            "action": "save",
        },
    )
    assert response.status_code == 302
    saved = EmailTemplate.objects.get(key="outcome", language="es")
    assert saved.subject == "Decisión {{ entry_reference }}"
    response = secretariat_client.post(url, {"action": "reset"})
    assert response.status_code == 302
    assert EmailTemplate.objects.count() == 0


def test_saving_a_wording_with_an_unknown_placeholder_is_refused_with_its_line(secretariat_client):
    url = reverse("console:email_template", args=["outcome", "en"])
    response = secretariat_client.post(
        url, {"subject": "Decision", "body": "Hello\n{{ prize }}", "action": "save"}
    )
    assert response.status_code == 400
    assert (
        response.context["form"]
        .errors["body"][0]
        .startswith("Line 2: unknown placeholder “prize”.")
    )
    assert EmailTemplate.objects.count() == 0


def test_previewing_unsaved_text_renders_it_with_a_real_entry(secretariat_client):
    _official, submission = _acknowledge()
    url = reverse("console:email_template", args=["submission_acknowledgement", "fr"])
    response = secretariat_client.post(
        url,
        {
            "subject": "Reçue : {{ entry_reference }}",
            "body": "Merci pour « {{ entry_title }} ».",
            "entry": submission.reference,
            "action": "preview",
        },
    )
    assert response.status_code == 200
    assert response.context["preview"].subject == f"Reçue : {submission.reference}"
    assert response.context["preview"].text == f"Merci pour « {submission.title} »."
    assert EmailTemplate.objects.count() == 0  # a preview saves nothing
    frame = secretariat_client.get(
        reverse("console:email_template_preview", args=["submission_acknowledgement", "fr"])
    )
    assert frame.status_code == 200
    assert f"Merci pour « {submission.title} »." in frame.content.decode()
    assert '<html lang="fr"' in frame.content.decode()
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]
    assert "default-src 'none'" in frame["Content-Security-Policy"]


def test_unknown_message_or_language_is_not_found(secretariat_client):
    assert (
        secretariat_client.get(reverse("console:email_template", args=["nope", "en"])).status_code
        == 404
    )
    assert (
        secretariat_client.get(
            reverse("console:email_template", args=["outcome", "de"])
        ).status_code
        == 404
    )


def _outbox_rows(n):
    cycle = factories.CycleFactory()
    for _ in range(n):
        _acknowledge(factories.CompleteSubmissionFactory(cycle=cycle, status="submitted"))
    return cycle


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_outbox_query_count_does_not_grow_with_rows(secretariat_client):
    _outbox_rows(3)
    small = _queries(secretariat_client, reverse("console:outbox"))
    _outbox_rows(27)
    assert _queries(secretariat_client, reverse("console:outbox")) == small
    assert SentEmail.objects.count() == 30


def test_outbox_filters_by_status_message_cycle_and_recipient(secretariat_client):
    cycle = _outbox_rows(2)
    other, _entry = _acknowledge()
    SentEmail.objects.filter(to=other.email).update(state="failed", error="SMTP 451")
    url = reverse("console:outbox")

    def count(**params):
        return secretariat_client.get(url, params).context["page"].paginator.count

    assert count() == 3
    assert count(state="failed") == 1
    assert count(template="submission_acknowledgement") == 3
    assert count(template="outcome") == 0
    assert count(cycle=cycle.number) == 2
    assert count(q=other.email[:8]) == 1


def test_outbox_paginates(secretariat_client):
    _outbox_rows(51)
    first = secretariat_client.get(reverse("console:outbox"))
    second = secretariat_client.get(reverse("console:outbox"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1


def test_a_failed_email_is_resent_from_the_console(
    secretariat_client, django_capture_on_commit_callbacks
):
    official, _entry = _acknowledge()
    row = SentEmail.objects.get()
    SentEmail.objects.filter(pk=row.pk).update(state="failed", error="SMTP 451")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(reverse("console:outbox_resend", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.error) == ("sent", "")
    assert [m.to for m in mail.outbox] == [[official.email]]


def test_outbox_email_page_shows_both_versions(secretariat_client):
    _acknowledge()
    row = SentEmail.objects.get()
    page = secretariat_client.get(reverse("console:outbox_email", args=[row.pk]))
    assert page.status_code == 200
    assert row.subject in page.content.decode()
    html = secretariat_client.get(reverse("console:outbox_email_html", args=[row.pk]))
    assert html.content.decode() == row.body_html


def test_city_page_lists_its_messages_with_a_fixed_query_count(secretariat_client):
    submission = factories.CompleteSubmissionFactory(status="submitted")
    url = reverse("console:city", args=[submission.organisation_id])
    _acknowledge(submission, key="k0")
    _acknowledge()  # another city's
    small = _queries(secretariat_client, url)
    for i in range(1, 12):
        _acknowledge(submission, key=f"k{i}")
    assert _queries(secretariat_client, url) == small
    page = secretariat_client.get(url)
    assert page.context["page"].paginator.count == 12
    assert {e.organisation_id for e in page.context["page"].object_list} == {
        submission.organisation_id
    }


def test_announcement_is_written_counted_then_sent(
    secretariat_client, django_capture_on_commit_callbacks
):
    cycle = factories.OpenCycleFactory()
    officials = [factories.CityOfficialFactory(language=lang) for lang in ("en", "fr")]
    for official in officials:
        factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    response = secretariat_client.post(
        reverse("console:announcement_new"),
        {
            "audience": "drafts",
            "cycle": cycle.number,
            "subject": "Two weeks left",
            "body": "Dear {{ recipient_name }}, submit soon.",
            "subject_fr": "Plus que deux semaines",
            "body_fr": "Bonjour {{ recipient_name }}.",
        },
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert announcement.translations == {
        "fr": {"subject": "Plus que deux semaines", "body": "Bonjour {{ recipient_name }}."}
    }
    page = secretariat_client.get(reverse("console:announcement", args=[announcement.pk]))
    assert page.context["count"] == {"recipients": 2, "opted_out": 0}
    assert "2 recipients" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("console:announcement_send", args=[announcement.pk]), {"send_at": ""}
        )
    assert response.status_code == 302
    assert sorted(m.subject for m in mail.outbox) == ["Plus que deux semaines", "Two weeks left"]
    page = secretariat_client.get(reverse("console:announcement", args=[announcement.pk]))
    assert page.context["progress"] == {"queued": 0, "sent": 2, "failed": 0}


def test_announcement_with_a_bad_placeholder_is_refused(secretariat_client):
    cycle = factories.OpenCycleFactory()
    response = secretariat_client.post(
        reverse("console:announcement_new"),
        {"audience": "tc", "cycle": cycle.number, "subject": "Hi", "body": "{{ secret }}"},
    )
    assert response.status_code == 400
    assert (
        response.context["form"]
        .errors["body"][0]
        .startswith("Line 1: unknown placeholder “secret”.")
    )
    assert Announcement.objects.count() == 0


def test_announcement_scheduled_from_the_console(secretariat_client):
    cycle = factories.OpenCycleFactory()
    announcement = Announcement.objects.create(
        subject="Later", body="Soon.", audience="tc", cycle=cycle
    )
    when = timezone.localtime(
        timezone.now() + dt.timedelta(days=2), dt.timezone(dt.timedelta(hours=8))
    )
    response = secretariat_client.post(
        reverse("console:announcement_send", args=[announcement.pk]),
        {"send_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.state == "scheduled"
    assert announcement.send_at.astimezone(when.tzinfo).strftime("%Y-%m-%dT%H:%M") == when.strftime(
        "%Y-%m-%dT%H:%M"
    )
    assert mail.outbox == []


def test_cycle_settings_hold_the_reminder_offsets(secretariat_client):
    cycle = factories.CycleFactory()
    url = reverse("console:cycle_settings", args=[cycle.number])
    page = secretariat_client.get(url)
    assert page.context["form"].initial["draft_reminder_days"] == "14, 7, 2"
    data = {
        "year": cycle.year,
        "theme": "x",
        "shortlist_quota": 15,
        "deserving_quota": 30,
        "winner_quota": 5,
        "max_years_since_end": 2,
        "max_file_mb": 10,
        "max_entry_mb": 40,
        "max_attachments": 12,
        "draft_reminder_days": "3, 10",
        "clarification_reminder_days": 4,
    }
    assert secretariat_client.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert (cycle.draft_reminder_days, cycle.clarification_reminder_days) == ([10, 3], 4)
    bad = secretariat_client.post(url, {**data, "draft_reminder_days": "ten"})
    assert bad.status_code == 400
    assert bad.context["form"].errors["draft_reminder_days"] == [
        "Give whole numbers of days separated by commas."
    ]
