"""The Secretariat's eligibility decisions, rule by rule: the exact refusal each one
gives, what is recorded, and what a reconsidered decision does to the reviewers."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from judging.models import Assignment
from judging.services.screening import (
    screening_bulk_mark_eligible,
    screening_mark_eligible,
    screening_mark_ineligible,
    screening_reconsider,
    screening_request_clarification,
)
from submissions.models import ClarificationRequest, ScreeningReport, StatusChange
from tests.judging.factories import AssignmentFactory

NOW = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)


def _changes(entry):
    return list(
        StatusChange.objects.filter(submission=entry).values_list(
            "from_status", "to_status", "reason", "note"
        )
    )


def test_mark_eligible_records_the_secretariats_note(make_entry, secretariat):
    entry = make_entry()
    screening_mark_eligible(submission=entry, by=secretariat, note="Checked with the city.")
    assert _changes(entry) == [("submitted", "eligible", "", "Checked with the city.")]


def test_mark_ineligible_without_a_listed_reason_says_so_and_writes_nothing(
    make_entry, secretariat
):
    entry = make_entry()
    with pytest.raises(ValidationError) as refused:
        screening_mark_ineligible(submission=entry, reason="other-thing", note="x", by=secretariat)
    assert refused.value.messages == ["Please choose the reason the entry is not eligible."]
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert _changes(entry) == []


def test_mark_ineligible_without_an_explanation_says_so_and_writes_nothing(make_entry, secretariat):
    entry = make_entry()
    with pytest.raises(ValidationError) as refused:
        screening_mark_ineligible(submission=entry, reason="late", note=" \n ", by=secretariat)
    assert refused.value.messages == ["Please explain the decision to the city."]
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert _changes(entry) == []


def test_mark_ineligible_keeps_the_explanation_without_surrounding_blanks(make_entry, secretariat):
    entry = make_entry()
    screening_mark_ineligible(submission=entry, reason="late", note="  Late.  ", by=secretariat)
    assert _changes(entry) == [("submitted", "ineligible", "late", "Late.")]


def test_an_empty_clarification_question_is_refused_with_its_message(make_entry, secretariat):
    entry = make_entry()
    with pytest.raises(ValidationError) as refused:
        screening_request_clarification(submission=entry, question="  ", by=secretariat)
    assert refused.value.messages == ["Please write the question for the city."]
    assert ClarificationRequest.objects.count() == 0
    assert _changes(entry) == []


def test_a_clarification_question_is_kept_trimmed_and_dated(make_entry, secretariat):
    entry = make_entry()
    with time_machine.travel(NOW, tick=False):
        screening_request_clarification(
            submission=entry, question="  Which year did it start?  ", by=secretariat
        )
    question = ClarificationRequest.objects.get(submission=entry)
    assert (question.question, question.asked_by, question.asked_at) == (
        "Which year did it start?",
        secretariat,
        NOW,
    )
    assert _changes(entry) == [("submitted", "clarification", "", "Which year did it start?")]


def test_bulk_mark_eligible_counts_every_entry_marked_and_names_each_skipped_one(
    make_entry, secretariat
):
    clean = [make_entry(), make_entry()]
    dirty, missing, decided = make_entry(), make_entry(), make_entry(status="ineligible")
    for entry in clean:
        ScreeningReport.objects.create(submission=entry, is_clean=True)
    ScreeningReport.objects.create(submission=dirty, is_clean=False)
    ScreeningReport.objects.create(submission=decided, is_clean=True)

    done, skipped = screening_bulk_mark_eligible(
        submission_ids=[e.pk for e in (decided, *clean, dirty, missing)], by=secretariat
    )

    assert done == 2
    # In the entries' order (their sequence), whatever the order of the ids.
    assert skipped == [
        f"{dirty.reference} has open screening checks",
        f"{missing.reference} has open screening checks",
        f"{decided.reference} is no longer awaiting screening",
    ]
    statuses = [e.status for e in (*clean, dirty, missing, decided) if not e.refresh_from_db()]
    assert statuses == ["eligible", "eligible", "submitted", "submitted", "ineligible"]


def test_reconsider_to_ineligible_without_a_listed_reason_says_so_and_writes_nothing(
    make_entry, secretariat
):
    entry = make_entry(status="eligible")
    with pytest.raises(ValidationError) as refused:
        screening_reconsider(submission=entry, to="ineligible", note="Duplicate.", by=secretariat)
    assert refused.value.messages == ["Please choose the reason the entry is not eligible."]
    entry.refresh_from_db()
    assert entry.status == "eligible"
    assert _changes(entry) == []


def test_reconsider_to_ineligible_records_the_reason(make_entry, secretariat):
    entry = make_entry(status="eligible")
    screening_reconsider(
        submission=entry, to="ineligible", reason="duplicate", note="Same as 12.", by=secretariat
    )
    assert _changes(entry) == [("eligible", "ineligible", "duplicate", "Same as 12.")]


def test_reconsider_to_eligible_records_no_ineligibility_reason(make_entry, secretariat):
    entry = make_entry(status="ineligible")
    screening_reconsider(
        submission=entry, to="eligible", reason="late", note="Arrived on time.", by=secretariat
    )
    assert _changes(entry) == [("ineligible", "eligible", "", "Arrived on time.")]


def test_reconsidering_an_eligible_entry_releases_its_live_assignments_only(
    make_entry, secretariat, tc_panel, tc_members
):
    entry = make_entry(status="eligible")
    earlier = NOW - dt.timedelta(days=3)
    active, pending, conflicted = (
        AssignmentFactory(panel=tc_panel, submission=entry, reviewer=member, state=state)
        for member, state in zip(tc_members[1:], ["active", "pending", "released"], strict=True)
    )
    Assignment.objects.filter(pk=conflicted.pk).update(
        released_at=earlier, release_reason="Conflict of interest declared by the reviewer."
    )

    with time_machine.travel(NOW, tick=False):
        screening_reconsider(
            submission=entry, to="submitted", note="Needs a second look.", by=secretariat
        )

    rows = Assignment.objects.filter(submission=entry).order_by("reviewer__country")
    assert list(rows.values_list("pk", "state", "released_at", "release_reason", "replaced")) == [
        (
            conflicted.pk,
            "released",
            earlier,
            "Conflict of interest declared by the reviewer.",
            False,
        ),
        (pending.pk, "released", NOW, "Eligibility reconsidered.", True),
        (active.pk, "released", NOW, "Eligibility reconsidered.", True),
    ]
