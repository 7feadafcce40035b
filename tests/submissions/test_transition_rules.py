"""What the transition service refuses, in the words the user reads, and what it
records when it accepts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from submissions.models import StatusChange
from submissions.services.transitions import submission_transition
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_move_missing_from_the_table_is_refused_naming_both_statuses():
    submission = factories.SubmissionFactory(status=Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        submission_transition(
            submission=submission, to=Status.WINNER, by=factories.secretariat_user()
        )
    assert exc.value.messages == ["An entry cannot move from “Draft” to “Winner”."]
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT
    assert StatusChange.objects.count() == 0


def test_a_user_who_may_not_make_the_move_is_told_so():
    submission = factories.SubmissionFactory(status=Status.SUBMITTED)
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    with pytest.raises(PermissionDenied) as exc:
        submission_transition(submission=submission, to=Status.ELIGIBLE, by=official)
    assert str(exc.value) == "You may not make this change."
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert StatusChange.objects.count() == 0


def test_a_move_that_needs_a_reason_is_refused_without_one():
    submission = factories.SubmissionFactory(status=Status.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        submission_transition(
            submission=submission, to=Status.INELIGIBLE, by=factories.secretariat_user()
        )
    assert exc.value.messages == ["Please give a reason for this change."]
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert StatusChange.objects.count() == 0


def test_a_correction_after_publication_is_refused_with_the_reason():
    cycle = factories.CycleFactory(results_published_at=timezone.now())
    submission = factories.SubmissionFactory(cycle=cycle, status=Status.INELIGIBLE)
    with pytest.raises(ValidationError) as exc:
        submission_transition(
            submission=submission,
            to=Status.ELIGIBLE,
            by=factories.secretariat_user(),
            note="reconsidered",
        )
    assert exc.value.messages == [
        "The results of this cycle are published: decisions can no longer be corrected."
    ]
    submission.refresh_from_db()
    assert submission.status == Status.INELIGIBLE
    assert StatusChange.objects.count() == 0


def test_the_audit_row_keeps_the_ineligibility_reason_and_note():
    submission = factories.SubmissionFactory(status=Status.SUBMITTED)
    staff = factories.secretariat_user()
    submission_transition(
        submission=submission,
        to=Status.INELIGIBLE,
        by=staff,
        note="Run by a private company.",
        reason="not_implemented",
    )
    change = StatusChange.objects.get()
    assert (change.reason, change.note, change.by) == (
        "not_implemented",
        "Run by a private company.",
        staff,
    )


def test_the_caller_s_copy_of_the_entry_shows_the_new_status():
    submission = factories.SubmissionFactory(status=Status.SUBMITTED)
    submission_transition(
        submission=submission, to=Status.ELIGIBLE, by=factories.secretariat_user()
    )
    assert submission.status == Status.ELIGIBLE
