"""Eligibility decisions: each moves the entry through the workflow, audited and emailed."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from judging.models import Assignment
from judging.services.screening import (
    screening_bulk_mark_eligible,
    screening_mark_eligible,
    screening_mark_ineligible,
    screening_reconsider,
    screening_request_clarification,
)
from submissions.models import ClarificationRequest, ScreeningReport, StatusChange
from tests import factories


def _changes(entry):
    return list(
        StatusChange.objects.filter(submission=entry).values_list(
            "from_status", "to_status", "transition", "reason"
        )
    )


def test_mark_eligible_moves_and_assigns_reviewers(
    make_entry, secretariat, tc_members, django_capture_on_commit_callbacks
):
    entry = make_entry()
    with django_capture_on_commit_callbacks(execute=True):
        screening_mark_eligible(submission=entry, by=secretariat)
    entry.refresh_from_db()
    assert entry.status == "eligible"
    assert _changes(entry) == [("submitted", "eligible", "mark_eligible", "")]
    assert Assignment.objects.filter(submission=entry, state="pending").count() == 3


def test_mark_eligible_emails_the_city_once(
    make_entry, secretariat, tc_members, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://award.example.org"
    entry = make_entry()
    official = entry.organisation.members.get()
    with django_capture_on_commit_callbacks(execute=True):
        screening_mark_eligible(submission=entry, by=secretariat)
    change = StatusChange.objects.get(submission=entry, transition="mark_eligible")

    from submissions.tasks import notify_status_change

    assert notify_status_change(change.pk) == 0  # run again (a retry, the sweep): no resend
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([official.email], f"Entry {entry.reference} passed the eligibility screening")
    ]
    assert "https://award.example.org/my/" in mail.outbox[0].body


def test_mark_ineligible_requires_reason_and_note(make_entry, secretariat):
    entry = make_entry()
    with pytest.raises(ValidationError, match="Please choose the reason the entry is not eligible"):
        screening_mark_ineligible(submission=entry, reason="", note="x", by=secretariat)
    with pytest.raises(ValidationError, match="Please explain the decision to the city"):
        screening_mark_ineligible(submission=entry, reason="late", note="  ", by=secretariat)
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert _changes(entry) == []


def test_mark_ineligible_records_reason_and_emails_city(
    make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry()
    with django_capture_on_commit_callbacks(execute=True):
        screening_mark_ineligible(
            submission=entry, reason="not_english", note="Only in French.", by=secretariat
        )
    entry.refresh_from_db()
    assert entry.status == "ineligible"
    change = StatusChange.objects.get(submission=entry)
    assert (change.reason, change.note, change.by) == (
        "not_english",
        "Only in French.",
        secretariat,
    )
    assert len(mail.outbox) == 1
    assert "Not in English" in mail.outbox[0].body
    assert "Only in French." in mail.outbox[0].body


def test_request_clarification_creates_question_and_emails(
    make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry()
    with django_capture_on_commit_callbacks(execute=True):
        screening_request_clarification(
            submission=entry, question="Who runs the programme?", by=secretariat
        )
    entry.refresh_from_db()
    assert entry.status == "clarification"
    q = ClarificationRequest.objects.get(submission=entry)
    assert (q.question, q.asked_by, q.answer) == ("Who runs the programme?", secretariat, "")
    assert _changes(entry) == [("submitted", "clarification", "request_clarification", "")]
    assert len(mail.outbox) == 1
    assert "Who runs the programme?" in mail.outbox[0].body


def test_request_clarification_refuses_empty_question(make_entry, secretariat):
    entry = make_entry()
    with pytest.raises(ValidationError, match="Please write the question for the city"):
        screening_request_clarification(submission=entry, question=" ", by=secretariat)
    assert ClarificationRequest.objects.count() == 0
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_screening_refuses_non_secretariat(make_entry, official):
    entry = make_entry()
    with pytest.raises(PermissionDenied, match="You may not make this change"):
        screening_mark_eligible(submission=entry, by=official)
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert _changes(entry) == []


def test_bulk_mark_eligible_only_clean_reports(
    make_entry, secretariat, django_capture_on_commit_callbacks
):
    clean, dirty, none = make_entry(), make_entry(), make_entry()
    ScreeningReport.objects.create(submission=clean, checks=[], is_clean=True)
    ScreeningReport.objects.create(submission=dirty, checks=[], is_clean=False)
    with django_capture_on_commit_callbacks(execute=True):
        done, skipped = screening_bulk_mark_eligible(
            submission_ids=[clean.pk, dirty.pk, none.pk], by=secretariat
        )
    assert done == 1
    assert len(skipped) == 2
    assert [e.status for e in (clean, dirty, none) if not e.refresh_from_db()] == [
        "eligible",
        "submitted",
        "submitted",
    ]


def test_reconsider_ineligible_to_eligible_needs_note_and_assigns(
    make_entry, secretariat, tc_members, django_capture_on_commit_callbacks
):
    entry = make_entry()
    screening_mark_ineligible(submission=entry, reason="late", note="Late.", by=secretariat)
    with pytest.raises(ValidationError, match="Please give a reason for this change"):
        screening_reconsider(submission=entry, to="eligible", note="", by=secretariat)
    entry.refresh_from_db()
    assert entry.status == "ineligible"
    assert Assignment.objects.filter(submission=entry).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        screening_reconsider(
            submission=entry, to="eligible", note="Received on time by post.", by=secretariat
        )
    entry.refresh_from_db()
    assert entry.status == "eligible"
    assert _changes(entry)[-1] == ("ineligible", "eligible", "reconsider", "")
    assert Assignment.objects.filter(submission=entry).count() == 3


def test_reconsider_eligible_to_ineligible_releases_assignments(
    make_entry, secretariat, tc_members, django_capture_on_commit_callbacks
):
    entry = make_entry()
    with django_capture_on_commit_callbacks(execute=True):
        screening_mark_eligible(submission=entry, by=secretariat)
    assert Assignment.objects.filter(submission=entry, state="pending").count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        screening_reconsider(
            submission=entry,
            to="ineligible",
            reason="duplicate",
            note="Same as 12.",
            by=secretariat,
        )
    entry.refresh_from_db()
    assert entry.status == "ineligible"
    assert set(Assignment.objects.filter(submission=entry).values_list("state", flat=True)) == {
        "released"
    }


def test_reconsider_refused_after_publication(make_entry, secretariat, cycle):
    entry = make_entry()
    screening_mark_ineligible(submission=entry, reason="late", note="Late.", by=secretariat)
    cycle.results_published_at = timezone.now()
    cycle.save()
    with pytest.raises(ValidationError, match="The results of this cycle are published"):
        screening_reconsider(submission=entry, to="eligible", note="Oops.", by=secretariat)
    entry.refresh_from_db()
    assert entry.status == "ineligible"
    assert len(_changes(entry)) == 1  # only the first decision


def test_clarification_answer_returns_entry_to_queue(make_entry, secretariat):
    from judging.selectors import submission_list_for_screening
    from submissions.services.transitions import submission_transition

    entry = make_entry()
    screening_request_clarification(submission=entry, question="Which year?", by=secretariat)
    assert entry not in submission_list_for_screening()
    city_user = factories.CityOfficialFactory(organisation=entry.organisation)
    submission_transition(submission=entry, to="submitted", by=city_user)
    assert list(submission_list_for_screening()) == [entry]
