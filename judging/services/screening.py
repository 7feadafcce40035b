"""The Secretariat's eligibility decisions. Every move goes through
``submission_transition``; these services add what each decision needs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.classifications import IneligibilityReason
from submissions.models import ClarificationRequest, ScreeningReport, Submission
from submissions.services.dispatch import dispatch_on_commit
from submissions.services.transitions import submission_transition
from submissions.workflow import Status


def _dispatch_staffing(submission: Submission) -> None:
    from .. import tasks

    dispatch_on_commit(tasks.assign_eligible_entry, submission.pk)


@transaction.atomic
def screening_mark_eligible(*, submission: Submission, by, note: str = "") -> Submission:
    """submitted → eligible; the entry is then given to the Technical Committee."""
    submission = submission_transition(submission=submission, to=Status.ELIGIBLE, by=by, note=note)
    _dispatch_staffing(submission)
    return submission


@transaction.atomic
def screening_mark_ineligible(*, submission: Submission, reason: str, note: str, by) -> Submission:
    """submitted/clarification → ineligible with a listed reason and an explanation."""
    if reason not in IneligibilityReason.values:
        raise ValidationError(_("Please choose the reason the entry is not eligible."))
    if not note.strip():
        raise ValidationError(_("Please explain the decision to the city."))
    return submission_transition(
        submission=submission, to=Status.INELIGIBLE, by=by, note=note.strip(), reason=reason
    )


@transaction.atomic
def screening_request_clarification(*, submission: Submission, question: str, by):
    """submitted → clarification, with the question kept as a ``ClarificationRequest``.

    The city is emailed by ``notify_status_change`` (the question is the move's note).
    """
    question = question.strip()
    if not question:
        raise ValidationError(_("Please write the question for the city."))
    submission = submission_transition(
        submission=submission, to=Status.CLARIFICATION, by=by, note=question
    )
    ClarificationRequest.objects.create(
        submission=submission, question=question, asked_by=by, asked_at=timezone.now()
    )
    return submission


def screening_bulk_mark_eligible(*, submission_ids: list[int], by) -> tuple[int, list[str]]:
    """Mark eligible every listed entry that is submitted and whose report is clean.

    Each entry is its own transaction: one refusal does not undo the others.
    Returns (how many were marked, references skipped with the reason).
    """
    done, skipped = 0, []
    entries = Submission.objects.filter(pk__in=submission_ids).select_related("screening_report")
    for entry in entries.order_by("sequence"):
        report = ScreeningReport.objects.filter(submission=entry).first()
        if entry.status != Status.SUBMITTED:
            skipped.append(_("%(ref)s is no longer awaiting screening") % {"ref": entry.reference})
        elif report is None or not report.is_clean:
            skipped.append(_("%(ref)s has open screening checks") % {"ref": entry.reference})
        else:
            screening_mark_eligible(submission=entry, by=by)
            done += 1
    return done, skipped


RECONSIDER_TARGETS = {
    Status.INELIGIBLE: (Status.ELIGIBLE, Status.SUBMITTED),
    Status.ELIGIBLE: (Status.INELIGIBLE, Status.SUBMITTED),
}


@transaction.atomic
def screening_reconsider(
    *, submission: Submission, to: str, note: str, by, reason: str = ""
) -> Submission:
    """Correct an eligibility decision with a written reason, before publication.

    ineligible → eligible dispatches the staffing; eligible → ineligible/submitted
    releases the entry's live Technical Committee assignments.
    """
    from ..models import Assignment

    if to == Status.INELIGIBLE and reason not in IneligibilityReason.values:
        raise ValidationError(_("Please choose the reason the entry is not eligible."))
    was = submission.status
    submission = submission_transition(
        submission=submission,
        to=to,
        by=by,
        note=note,
        reason=reason if to == Status.INELIGIBLE else "",
    )
    if to == Status.ELIGIBLE:
        _dispatch_staffing(submission)
    elif was == Status.ELIGIBLE:
        Assignment.objects.filter(submission=submission).exclude(
            state=Assignment.State.RELEASED
        ).update(
            state=Assignment.State.RELEASED,
            released_at=timezone.now(),
            release_reason=_("Eligibility reconsidered."),
            replaced=True,
        )
    return submission
