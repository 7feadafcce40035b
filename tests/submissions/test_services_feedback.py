"""Early-bird feedback: drafts, sending once, the email, the revision window it
opens and the per-field changes made since."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from submissions.models import EarlyBirdFeedback, SentEmail
from submissions.services import applications as apps
from submissions.services.feedback import (
    feedback_changes,
    feedback_save,
    feedback_send,
)
from submissions.services.screening import screening_report_build
from submissions.tasks import send_feedback_email, sweep_unfinished_work
from submissions.workflow import Status
from tests import factories


@pytest.fixture
def early_entry(official):
    cycle = factories.OpenCycleFactory(
        revision_window_ends_at=timezone.now() + dt.timedelta(days=5)
    )
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle,
        organisation=official.organisation,
        status=Status.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=3),
        early_bird=True,
    )
    screening_report_build(submission=entry)
    return entry


def test_feedback_save_keeps_a_draft_with_checklist_labels(early_entry, secretariat):
    feedback = feedback_save(
        submission=early_entry, text=" Add figures. ", checklist=["evidence"], by=secretariat
    )
    assert (feedback.text, feedback.sent_at) == ("Add figures.", None)
    assert feedback.checklist == [
        {"code": "evidence", "label": "Supporting documents or photos attached"}
    ]
    assert mail.outbox == []


def test_feedback_save_refuses_an_unknown_checklist_point(early_entry, secretariat):
    with pytest.raises(ValidationError) as raised:
        feedback_save(submission=early_entry, text="x", checklist=["nonsense"], by=secretariat)
    assert raised.value.message_dict == {
        "checklist": ["Unknown point of the screening report: nonsense."]
    }
    assert EarlyBirdFeedback.objects.count() == 0


def test_feedback_is_refused_for_an_entry_that_is_not_early_bird(official, secretariat):
    entry = factories.CompleteSubmissionFactory(
        organisation=official.organisation, status=Status.SUBMITTED, early_bird=False
    )
    with pytest.raises(ValidationError) as raised:
        feedback_save(submission=entry, text="Hello", checklist=[], by=secretariat)
    assert raised.value.messages == ["Only early-bird entries receive feedback."]
    assert EarlyBirdFeedback.objects.count() == 0


def test_feedback_send_emails_the_city_once_and_opens_the_revision_window(
    early_entry, official, secretariat, django_capture_on_commit_callbacks
):
    assert apps.in_revision_window(early_entry) is False
    feedback_save(submission=early_entry, text="Add figures.", checklist=[], by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_send(submission=early_entry, by=secretariat)
    assert feedback.sent_by == secretariat
    assert feedback.answers_at_sending["results"] == early_entry.results
    assert [m.to for m in mail.outbox] == [[official.email]]
    assert mail.outbox[0].subject == f"Feedback on your early-bird entry {early_entry.reference}"
    assert "Add figures." in mail.outbox[0].body
    early_entry.refresh_from_db()
    assert apps.in_revision_window(early_entry) is True
    # The task run again sends nothing more (send-once key).
    assert send_feedback_email(feedback.pk) == 0
    assert len(mail.outbox) == 1


def test_feedback_is_never_sent_twice(early_entry, secretariat, django_capture_on_commit_callbacks):
    feedback_save(submission=early_entry, text="Add figures.", checklist=[], by=secretariat)
    first = feedback_send(submission=early_entry, by=secretariat)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(ValidationError) as raised:
            feedback_send(submission=early_entry, by=secretariat)
    assert raised.value.messages == ["This feedback was already sent."]
    assert callbacks == []  # no second email dispatched
    with pytest.raises(ValidationError) as raised:
        feedback_save(submission=early_entry, text="Changed", checklist=[], by=secretariat)
    assert raised.value.messages == ["This feedback was already sent: it can no longer change."]
    feedback = EarlyBirdFeedback.objects.get()
    assert (feedback.sent_at, feedback.text) == (first.sent_at, "Add figures.")


def test_feedback_one_row_per_entry_is_a_database_rule(early_entry):
    EarlyBirdFeedback.objects.create(submission=early_entry, text="a", sent_at=timezone.now())
    # The unique submission column refuses it (SQLite and Postgres word it differently).
    with pytest.raises(IntegrityError, match=r"submissions_earlybirdfeedback[._]submission_id"):
        EarlyBirdFeedback.objects.create(submission=early_entry, text="b", sent_at=timezone.now())


def test_feedback_send_needs_text(early_entry, secretariat):
    with pytest.raises(ValidationError) as raised:
        feedback_send(submission=early_entry, by=secretariat)
    assert raised.value.messages == ["Write the feedback and save it before sending."]
    assert EarlyBirdFeedback.objects.count() == 0


def test_feedback_send_refused_after_the_revision_deadline(
    early_entry, secretariat, django_capture_on_commit_callbacks
):
    feedback_save(submission=early_entry, text="Late", checklist=[], by=secretariat)
    early_entry.cycle.revision_window_ends_at = timezone.now() - dt.timedelta(minutes=1)
    early_entry.cycle.save()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(ValidationError) as raised:
            feedback_send(submission=early_entry, by=secretariat)
    assert raised.value.messages == [
        "The cycle's early-bird revision deadline has passed: set a later one first."
    ]
    assert callbacks == []
    feedback = EarlyBirdFeedback.objects.get()
    assert (feedback.sent_at, feedback.sent_by, feedback.answers_at_sending) == (None, None, {})


def test_revision_before_feedback_is_refused_with_a_clear_message(early_entry, official):
    results = early_entry.results
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(submission=early_entry, fields={"results": "x"}, by=official)
    assert raised.value.messages[0].startswith(
        "The early-bird revision window opens when the Secretariat sends its feedback"
    )
    early_entry.refresh_from_db()
    assert early_entry.results == results


def test_feedback_changes_lists_each_changed_field_with_a_word_diff(
    early_entry, official, secretariat
):
    feedback_save(submission=early_entry, text="Add figures.", checklist=[], by=secretariat)
    feedback_send(submission=early_entry, by=secretariat)
    apps.submission_update(
        submission=early_entry,
        fields={"results": early_entry.results + " Satisfaction rose to 81%."},
        by=official,
    )
    early_entry.refresh_from_db()
    changes = feedback_changes(early_entry)
    assert [c["field"] for c in changes] == ["results"]
    assert changes[0]["label"] == "Results, evidence and indicators"
    assert [(op, text.strip()) for op, text in changes[0]["pieces"] if op != "same"] == [
        ("ins", "Satisfaction rose to 81%.")
    ]


def test_sweep_resends_feedback_email_never_recorded(early_entry, official, secretariat):
    feedback_save(submission=early_entry, text="Add figures.", checklist=[], by=secretariat)
    feedback = feedback_send(submission=early_entry, by=secretariat)  # no on_commit run
    EarlyBirdFeedback.objects.filter(pk=feedback.pk).update(
        sent_at=timezone.now() - dt.timedelta(minutes=10)
    )
    sweep_unfinished_work()
    assert SentEmail.objects.filter(key__startswith=f"feedback:{feedback.pk}:").count() == 1
    assert [m.to for m in mail.outbox] == [[official.email]]


def test_acknowledgement_promises_feedback_only_to_early_bird_entries(official):
    from submissions.messages import message_get
    from submissions.services.emails import email_render

    entry = factories.CompleteSubmissionFactory(
        organisation=official.organisation, status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    context = {"user": official, "submission": entry, "dashboard_url": "x"}
    message = message_get("submission_acknowledgement")

    def text():
        return email_render(message=message, context=context, language="en").text

    assert "feedback" not in text()
    entry.early_bird = True
    assert "will send you written feedback" in text()
