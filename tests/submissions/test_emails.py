"""Emails: the registry, per-language wording in a sandbox, the HTML layout and the
outbox rows written on the way (send once, failures recorded, resent)."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import get_template
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from submissions.email_layout.build import BUILT, build_layout
from submissions.messages import REGISTRY, message_get
from submissions.models import EmailTemplate, SentEmail, StatusChange
from submissions.services.emails import (
    default_source,
    email_resend,
    email_send_once,
    email_template_reset,
    email_template_save,
    template_errors,
)
from tests import factories

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class FailingBackend(BaseEmailBackend):
    """The mail server is down: every send raises an SMTP-like OSError."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused by smtp.example.org")


def _submitted(language="en"):
    submission = factories.CompleteSubmissionFactory(status="submitted")
    official = factories.CityOfficialFactory(
        organisation=submission.organisation, language=language
    )
    change = StatusChange.objects.create(
        submission=submission, from_status="draft", to_status="submitted", transition="submit"
    )
    context = {
        "user": official,
        "submission": submission,
        "change": change,
        "status_label": "Submitted",
        "dashboard_url": "http://testserver/my/",
    }
    return official, submission, context


def _send(official, context, key="k1"):
    return email_send_once(
        key=key, to=official.email, template="email/submission_acknowledgement", context=context
    )


def test_every_message_has_its_shipped_default_templates():
    assert len(REGISTRY) >= 11
    for message in REGISTRY.values():
        get_template(f"{message.template}.txt")
        get_template(f"{message.template}_subject.txt")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_default_source_is_a_valid_editable_template(key, language):
    message = REGISTRY[key]
    subject, body = default_source(message=message, language=language)
    assert template_errors(subject, message.placeholder_names()) == []
    assert template_errors(body, message.placeholder_names()) == []
    assert "{{" in body


def test_email_send_once_records_the_outbox_row_and_sends_html_with_text():
    official, submission, context = _submitted()
    assert _send(official, context) is True
    assert _send(official, context) is False  # same key: sent once
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Entry {submission.reference} received"
    assert submission.reference in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en"' in html
    assert "Guangzhou International Award for Urban Innovation" in html
    assert "You receive this email because you are a member of a city" in html
    assert 'src="http' not in html  # no remote images
    row = SentEmail.objects.get(key="k1")
    assert (row.state, row.template_key, row.language, row.attempts) == (
        "sent",
        "submission_acknowledgement",
        "en",
        1,
    )
    assert (row.recipient, row.organisation, row.submission) == (
        official,
        submission.organisation,
        submission,
    )
    assert row.sent_at is not None


def test_email_is_rendered_in_the_recipients_language_with_the_secretariats_wording():
    staff = factories.secretariat_user()
    email_template_save(
        key="submission_acknowledgement",
        language="fr",
        subject="Candidature {{ entry_reference }} reçue",
        body="Bonjour {{ recipient_name }},\n\nNous avons reçu « {{ entry_title }} ».\n",
        by=staff,
    )
    official, submission, context = _submitted(language="fr")
    _send(official, context)
    message = mail.outbox[0]
    assert message.subject == f"Candidature {submission.reference} reçue"
    assert message.body == (
        f"Bonjour {official.display_name},\n\nNous avons reçu « {submission.title} ».\n"
    )
    assert '<html lang="fr"' in message.alternatives[0][0]
    assert SentEmail.objects.get().language == "fr"


def test_an_english_recipient_keeps_the_default_when_only_french_was_reworded():
    staff = factories.secretariat_user()
    email_template_save(
        key="submission_acknowledgement", language="fr", subject="Reçue", body="Reçue.", by=staff
    )
    official, submission, context = _submitted(language="en")
    _send(official, context)
    assert mail.outbox[0].subject == f"Entry {submission.reference} received"


def test_email_template_save_refuses_an_unknown_placeholder_with_its_line():
    staff = factories.secretariat_user()
    with pytest.raises(ValidationError) as error:
        email_template_save(
            key="outcome",
            language="en",
            subject="Decision",
            body="Dear {{ recipient_name }},\n\nYour prize: {{ prize_money }}.\n",
            by=staff,
        )
    assert error.value.message_dict["body"][0].startswith(
        "Line 3: unknown placeholder “prize_money”."
    )
    assert EmailTemplate.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hello\n{% if citation %}\nno end", "Line 2: Unclosed tag on line 2: 'if'."),
        ("{% load i18n %}Hello", "Line 1: Invalid block tag on line 1: 'load'."),
        ("Hi\n{% include 'base.html' %}", "Line 2: Invalid block tag on line 2: 'include'."),
        ("{{ entry_title.upper }}", "Line 1: unknown placeholder “entry_title.upper”."),
        ("{{ entry_title|safe }}", "Line 1: Invalid filter: 'safe'"),
        ("Ok\n\n{% if secret %}x{% endif %}", "Line 3: unknown placeholder “secret”."),
        ("{{ citation|default:password }}", "Line 1: unknown placeholder “password”."),
    ],
)
def test_email_template_save_refuses_what_the_sandbox_cannot_render(body, expected):
    staff = factories.secretariat_user()
    with pytest.raises(ValidationError) as error:
        email_template_save(key="outcome", language="en", subject="S", body=body, by=staff)
    assert list(error.value.message_dict) == ["body"]
    assert error.value.message_dict["body"][0].startswith(expected)
    assert EmailTemplate.objects.count() == 0


def test_email_template_reset_goes_back_to_the_default():
    staff = factories.secretariat_user()
    email_template_save(key="outcome", language="es", subject="Decisión", body="Hola", by=staff)
    assert email_template_reset(key="outcome", language="es", by=staff) is True
    assert email_template_reset(key="outcome", language="es", by=staff) is False
    assert EmailTemplate.objects.count() == 0


def test_a_wording_that_fails_at_send_time_falls_back_to_the_default(caplog):
    # Saved around the validation (an older row, a bug): sending must not break.
    EmailTemplate.objects.create(
        key="submission_acknowledgement", language="en", subject="{% if %}", body="x"
    )
    official, submission, context = _submitted()
    with caplog.at_level(logging.ERROR, logger="submissions.services.emails"):
        assert _send(official, context) is True
    assert mail.outbox[0].subject == f"Entry {submission.reference} received"
    assert "failed to render; sending the default" in caplog.text


@override_settings(EMAIL_BACKEND="tests.submissions.test_emails.FailingBackend")
def test_a_failed_send_is_recorded_and_a_retry_sends_it():
    official, _submission, context = _submitted()
    with pytest.raises(ConnectionRefusedError, match="Connection refused by smtp.example.org"):
        _send(official, context)
    assert mail.outbox == []
    row = SentEmail.objects.get(key="k1")
    assert (row.state, row.attempts) == ("failed", 1)
    assert row.error == "ConnectionRefusedError: Connection refused by smtp.example.org"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert _send(official, context) is True  # the task's retry
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_email_resend_queues_a_failed_email_and_sends_it(django_capture_on_commit_callbacks):
    official, _submission, context = _submitted()
    with override_settings(EMAIL_BACKEND="tests.submissions.test_emails.FailingBackend"):
        with pytest.raises(ConnectionRefusedError, match="Connection refused by smtp.example.org"):
            _send(official, context)
    row = SentEmail.objects.get()
    staff = factories.secretariat_user()
    with django_capture_on_commit_callbacks(execute=True):
        email_resend(email=row, by=staff)
    row.refresh_from_db()
    assert row.state == "sent"
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(ValidationError) as error:
            email_resend(email=row, by=staff)  # only failed emails
    assert error.value.messages == ["Only a failed email can be resent."]
    assert callbacks == []
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_message_get_finds_a_message_by_key_or_by_its_default_template():
    assert message_get("email/outcome").key == "outcome"
    assert message_get("outcome").template == "email/outcome"
    assert message_get("judging/email/reminder").key == "review_reminder"
    assert message_get("nothing") is None


def test_email_layout_is_built_from_its_sources():
    """layout.html is generated: run `manage.py build_email_layout` after editing the sources."""
    assert BUILT.read_text() == build_layout()
    assert "style=" in BUILT.read_text()
    assert "<style" not in BUILT.read_text()
    assert Path(BUILT).name == "layout.html"


def test_the_outbox_keeps_no_personal_link_once_sent():
    user = factories.UserFactory()
    panel_context = {
        "user": user,
        "panel": None,
    }
    from judging.services.panels import panel_get_or_create

    panel = panel_get_or_create(cycle=factories.CycleFactory(), kind="tc")
    panel_context.update(
        panel=panel, set_password_url="http://testserver/set/SECRET/", queue_url="q"
    )
    email_send_once(
        key="inv", to=user.email, template="judging/email/invitation", context=panel_context
    )
    assert "SECRET" in mail.outbox[0].body
    row = SentEmail.objects.get(key="inv")
    assert "SECRET" not in row.body_text + row.body_html
    assert row.body_text.startswith("(Not kept")


def test_an_unregistered_email_is_refused_and_nothing_is_recorded():
    official, _submission, context = _submitted()
    with pytest.raises(LookupError, match="email/nowhere"):
        email_send_once(
            key="k-unknown", to=official.email, template="email/nowhere", context=context
        )
    assert SentEmail.objects.count() == 0
    assert mail.outbox == []


def test_the_screening_passed_email_uses_the_secretariats_wording():
    from submissions.tasks import notify_status_change

    staff = factories.secretariat_user()
    email_template_save(
        key="screening_passed",
        language="fr",
        subject="{{ entry_reference }} est recevable",
        body="Bonjour {{ recipient_name }},\n{{ note }}\nCycle {{ cycle_number }}.\n",
        by=staff,
    )
    official, submission, _context = _submitted(language="fr")
    change = StatusChange.objects.create(
        submission=submission,
        from_status="submitted",
        to_status="eligible",
        transition="mark_eligible",
        note="Bravo.",
    )
    assert notify_status_change(change.pk) == 1
    message = mail.outbox[0]
    assert message.subject == f"{submission.reference} est recevable"
    assert message.body == (
        f"Bonjour {official.display_name},\nBravo.\nCycle {submission.cycle.number}.\n"
    )
    assert SentEmail.objects.get().template_key == "screening_passed"


def test_the_early_bird_feedback_email_lists_the_checklist_in_the_default_wording():
    from submissions.tasks import send_feedback_email

    official, submission, _context = _submitted()
    feedback = factories.SentFeedbackFactory(
        submission=submission,
        text="Please give figures.",
        checklist=[{"code": "evidence", "label": "Supporting documents or photos attached"}],
    )
    assert send_feedback_email(feedback.pk) == 1
    body = mail.outbox[0].body
    assert "Please give figures.\n" in body
    assert "- Supporting documents or photos attached\n" in body
    assert mail.outbox[0].subject == f"Feedback on your early-bird entry {submission.reference}"
    assert SentEmail.objects.get().template_key == "early_bird_feedback"


@pytest.mark.django_db(transaction=True)
def test_a_key_written_meanwhile_by_another_worker_is_returned_outside_a_transaction():
    """A task runs without a transaction: its insert is its own (no BEGIN/COMMIT), and
    a key another worker wrote first gives back that worker's row, untouched, the
    connection still usable."""
    from django.db import connection

    from submissions.services import emails

    official, _submission, context = _submitted()
    first, created = emails.email_queue(
        key="race", to=official.email, template="email/submission_acknowledgement", context=context
    )
    assert created and not connection.in_atomic_block
    SentEmail.objects.filter(pk=first.pk).update(subject="As the other worker wrote it")

    with CaptureQueriesContext(connection) as queries:
        again, created = emails.email_queue(
            key="race",
            to=official.email,
            template="email/submission_acknowledgement",
            context=context,
        )

    assert (again.pk, created) == (first.pk, False)
    assert again.subject == "As the other worker wrote it"
    assert not any(q["sql"].startswith(("BEGIN", "SAVEPOINT")) for q in queries)
    assert SentEmail.objects.all().filter(key="race").count() == 1
