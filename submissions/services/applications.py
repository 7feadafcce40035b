"""Writes of a city's application: create, save answers, submit, withdraw, revise,
answer a clarification.

Every write locks the entry's row and checks that the moment still allows it (the
final deadline, the status, the early-bird revision window), so a form opened in
another tab before the deadline cannot slip a change in after it.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import formats
from submissions import checks
from submissions.models import (
    STEP1_FIELDS,
    STEP2_TEXT_FIELDS,
    ClarificationRequest,
    Contact,
    Cycle,
    EarlyBirdFeedback,
    Organisation,
    Partner,
    Submission,
    SubmissionGoal,
)
from submissions.workflow import Status

from .dispatch import dispatch_on_commit
from .transitions import submission_transition

EDITABLE_FIELDS = STEP1_FIELDS + STEP2_TEXT_FIELDS
MAX_CONTACTS = 3
DATE_FIELDS = ("start_date", "end_date", "ongoing")


def beijing(value: datetime | None) -> str:
    """A moment as the award states it: in Beijing time."""
    if value is None:
        return ""
    return formats.datetime_text(value, own_zone=False)


def feedback_sent_at(submission: Submission) -> datetime | None:
    """When the Secretariat's early-bird feedback was sent (select_related
    ``early_bird_feedback`` in lists to avoid a query per entry)."""
    try:
        feedback = submission.early_bird_feedback
    except EarlyBirdFeedback.DoesNotExist:
        return None
    return feedback.sent_at if feedback is not None else None


def in_revision_window(submission: Submission, at: datetime | None = None) -> bool:
    """An early-bird entry, submitted, whose revision window is open: it opens when
    the Secretariat sends its feedback and closes at the cycle's revision deadline."""
    at = at or timezone.now()
    ends = submission.cycle.revision_window_ends_at
    if not (
        submission.status == Status.SUBMITTED
        and submission.early_bird
        and ends is not None
        and at < ends
    ):
        return False
    sent = feedback_sent_at(submission)
    return sent is not None and sent <= at


def submission_edit_problem(submission: Submission, at: datetime | None = None) -> str | None:
    """Why the city may not change ``submission`` now, or None when it may."""
    at = at or timezone.now()
    cycle = submission.cycle
    if submission.status == Status.DRAFT:
        if cycle.accepts_submissions(at):
            return None
        if cycle.final_deadline and at >= cycle.final_deadline:
            return _(
                "The final deadline (%(when)s) has passed: the application can no longer "
                "be changed or submitted."
            ) % {"when": beijing(cycle.final_deadline)}
        return _("This cycle is not accepting applications.")
    if in_revision_window(submission, at):
        return None
    if submission.status == Status.SUBMITTED and submission.early_bird:
        ends = cycle.revision_window_ends_at
        if ends is not None and at < ends:
            return _(
                "The early-bird revision window opens when the Secretariat sends its "
                "feedback, and closes on %(when)s."
            ) % {"when": beijing(ends)}
        return _("The early-bird revision window closed on %(when)s.") % {
            "when": beijing(cycle.revision_window_ends_at)
        }
    return _("This application has been submitted and can no longer be changed.")


def _lock(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("cycle").get(pk=submission.pk)


def _check_editable(locked: Submission) -> None:
    problem = submission_edit_problem(locked)
    if problem:
        raise ValidationError(problem, code="locked")


def _word_limit_errors(cycle: Cycle, values: dict) -> dict:
    problems = {field: checks.word_limit_problem(cycle, field, v) for field, v in values.items()}
    return {field: problem for field, problem in problems.items() if problem}


def _after_revision(locked: Submission) -> None:
    # A revised early-bird entry needs a fresh screening report for the Secretariat.
    if locked.status == Status.SUBMITTED:
        from submissions import tasks  # tasks import the services: import late

        dispatch_on_commit(tasks.build_screening_report, locked.pk)


def _apply_fields(locked: Submission, fields: dict) -> list[str]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown answer: %(names)s.") % {"names": ", ".join(unknown)})
    errors = _word_limit_errors(locked.cycle, fields)
    if errors:
        raise ValidationError(errors)
    for field, value in fields.items():
        if value is None and field not in ("start_date", "end_date"):
            value = [] if field in ("domains", "innovation_types") else ""
        if isinstance(value, str):
            value = value.strip()
        setattr(locked, field, value)
    if locked.ongoing:
        locked.end_date = None
    if set(fields) & set(DATE_FIELDS):
        problem = checks.start_date_problem(locked)
        if problem:
            field = next(f for f in DATE_FIELDS if f in fields)
            raise ValidationError({field: problem})
    if locked.status != Status.DRAFT:
        # A submitted entry under revision must stay complete.
        emptied = [
            str(Submission._meta.get_field(f).verbose_name)
            for f in fields
            if f in checks.STEP1_REQUIRED + checks.STEP2_REQUIRED and not getattr(locked, f)
        ]
        if emptied:
            raise ValidationError(
                _("A submitted application cannot lose a required answer: %(names)s.")
                % {"names": ", ".join(emptied)}
            )
    changed = list(fields)
    if "ongoing" in fields and "end_date" not in changed:
        changed.append("end_date")
    return changed


@transaction.atomic
def submission_create(*, organisation: Organisation, cycle: Cycle, by) -> Submission:
    """Start a new draft of ``organisation`` in ``cycle``.

    The reference is ``GZA-<cycle>-<4-digit sequence>``; the sequence is the cycle's
    highest plus one, taken under a lock on the cycle row so that two cities starting
    at once never get the same number.
    """
    if by.organisation_id != organisation.pk:
        raise ValidationError(_("Only members of a city may start its applications."))
    locked_cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not locked_cycle.accepts_submissions():
        raise ValidationError(_("%(cycle)s is not accepting applications.") % {"cycle": cycle})
    highest = Submission.objects.filter(cycle=locked_cycle).aggregate(top=Max("sequence"))["top"]
    sequence = (highest or 0) + 1
    return Submission.objects.create(
        cycle=locked_cycle,
        organisation=organisation,
        sequence=sequence,
        reference=f"GZA-{locked_cycle.number}-{sequence:04d}",
        created_by=by,
    )


@transaction.atomic
def submission_update(
    *,
    submission: Submission,
    fields: dict | None = None,
    contacts: list[dict] | None = None,
    goals: list[int] | None = None,
    by,
) -> Submission:
    """Save some answers of an application, all or nothing.

    ``fields`` maps answer names to values; ``contacts`` (if given) replaces the
    contact persons, ``goals`` (if given) the SDGs. Word limits and the date rule are
    enforced here whatever the form did. Raises ``ValidationError`` (a dict keyed by
    field where it can) and saves nothing when anything is wrong, including when the
    deadline has passed. A revision of a submitted early-bird entry dispatches a new
    screening report after commit.
    """
    locked = _lock(submission)
    _check_editable(locked)
    # Every check first (the answers are set on the locked row in memory only), so that
    # a refusal has written nothing.
    changed = _apply_fields(locked, fields or {})
    if contacts is not None:
        _check_contacts(locked, contacts)
    wanted = _checked_goals(locked, goals) if goals is not None else None
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    if contacts is not None:
        locked.contacts.all().delete()
        Contact.objects.bulk_create(
            Contact(
                submission=locked,
                order=order,
                name=c["name"],
                position=c.get("position", ""),
                email=c["email"],
                phone=c.get("phone", ""),
            )
            for order, c in enumerate(contacts)
        )
    if wanted is not None:
        locked.goals.exclude(goal__in=wanted).delete()
        have = set(locked.goals.values_list("goal", flat=True))
        SubmissionGoal.objects.bulk_create(
            SubmissionGoal(submission=locked, goal=g) for g in wanted if g not in have
        )
    if changed or contacts is not None or goals is not None:
        if not changed:
            locked.save(update_fields=["updated_at"])
        _after_revision(locked)
    return locked


def _check_contacts(locked: Submission, contacts: list[dict]) -> None:
    """At most ``MAX_CONTACTS``, and at least one once the entry is submitted."""
    if len(contacts) > MAX_CONTACTS:
        raise ValidationError(
            _("At most %(n)s contact persons.") % {"n": MAX_CONTACTS}, code="contacts"
        )
    if locked.status != Status.DRAFT and not contacts:
        raise ValidationError(_("A submitted application needs a contact person."))


def _checked_goals(locked: Submission, goals: list[int]) -> list[int]:
    """The goal numbers, sorted without repeats; refused outside 1–17, and when a
    submitted entry would be left with none."""
    wanted = sorted({int(g) for g in goals})
    if any(g < 1 or g > 17 for g in wanted):
        raise ValidationError({"goals": _("Goals are numbered 1 to 17.")})
    if locked.status != Status.DRAFT and not wanted:
        raise ValidationError({"goals": _("A submitted application needs at least one SDG.")})
    return wanted


@transaction.atomic
def partner_add(*, submission: Submission, name: str, kind: str, role: str = "", by) -> Partner:
    locked = _lock(submission)
    _check_editable(locked)
    partner = Partner.objects.create(
        submission=locked, name=name.strip(), kind=kind, role=(role or "").strip()
    )
    locked.save(update_fields=["updated_at"])
    _after_revision(locked)
    return partner


@transaction.atomic
def partner_remove(*, partner: Partner, by) -> None:
    locked = _lock(partner.submission)
    _check_editable(locked)
    partner.delete()
    locked.save(update_fields=["updated_at"])
    _after_revision(locked)


def submission_submit_problems(submission: Submission, at: datetime | None = None) -> list[str]:
    """Everything that stops ``submission`` from being submitted now (empty when ready)."""
    at = at or timezone.now()
    problems = []
    if submission.status != Status.DRAFT:
        return [_("This application has already been submitted.")]
    edit_problem = submission_edit_problem(submission, at)
    if edit_problem:
        return [edit_problem]
    missing = checks.step1_missing(submission) + checks.step2_missing(submission)
    if missing:
        problems.append(_("Still missing: %(list)s.") % {"list": ", ".join(missing)})
    for field, (words, limit) in checks.over_word_limits(submission).items():
        label = Submission._meta.get_field(field).verbose_name
        problems.append(
            _("%(label)s has %(words)s words; the limit is %(limit)s.")
            % {"label": str(label).capitalize(), "words": words, "limit": limit}
        )
    date_problem = checks.start_date_problem(submission)
    if date_problem:
        problems.append(date_problem)
    return problems


# The award's wording of the consent a city gives when it submits.
PUBLICATION_CONSENT_TEXT = gettext_lazy(
    "On behalf of our city, we agree that if this initiative is recognised by the "
    "Guangzhou International Award for Urban Innovation (as deserving, shortlisted or "
    "winner), its narrative may be published as a case study in the International "
    "Database on Urban Innovation and in the Award's publications."
)

CONSENT_MISSING = gettext_lazy(
    "Please tick the box agreeing to the publication of a recognised case study."
)


@transaction.atomic
def submission_submit(
    *, submission: Submission, by, publication_consent: bool | None = None
) -> Submission:
    """Submit a complete draft before the final deadline.

    ``publication_consent`` records the city's answer to the consent checkbox (None
    keeps the answer stored); an entry is submitted only with the consent given. Sets
    ``submitted_at`` and ``early_bird`` and moves the entry to "submitted" through
    ``submission_transition`` (which audits it and, after commit, emails the
    acknowledgement and builds the screening report). Raises ``ValidationError`` with
    every problem found and changes nothing when the entry is not ready or too late.
    """
    locked = _lock(submission)
    now = timezone.now()
    problems = submission_submit_problems(locked, now)
    consent = locked.publication_consent if publication_consent is None else publication_consent
    if not problems and not consent:
        problems.append(str(CONSENT_MISSING))
    if problems:
        raise ValidationError(problems)
    early = locked.cycle.early_bird_deadline
    locked.submitted_at = now
    locked.early_bird = bool(early and now <= early)
    locked.publication_consent = True
    locked.save(update_fields=["submitted_at", "early_bird", "publication_consent", "updated_at"])
    return submission_transition(submission=locked, to=Status.SUBMITTED, by=by)


def submission_withdraw(*, submission: Submission, by, note: str = "") -> Submission:
    """Withdraw an entry (draft, submitted or awaiting clarification)."""
    return submission_transition(submission=submission, to=Status.WITHDRAWN, by=by, note=note)


@transaction.atomic
def submission_answer_clarification(
    *, clarification: ClarificationRequest, answer: str, by
) -> ClarificationRequest:
    """Record the city's answer and send the entry back to the Secretariat's queue
    (clarification → submitted). Raises ``ValidationError`` when already answered,
    when the entry is no longer waiting for it, or when the answer is empty."""
    locked = ClarificationRequest.objects.select_for_update().get(pk=clarification.pk)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Please write your answer.")})
    if locked.answered_at:
        raise ValidationError(_("This question has already been answered."))
    submission = Submission.objects.get(pk=locked.submission_id)
    if submission.status != Status.CLARIFICATION:
        raise ValidationError(_("This entry is no longer waiting for a clarification."))
    locked.answer = answer
    locked.answered_by = by
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    submission_transition(submission=submission, to=Status.SUBMITTED, by=by)
    clarification.answer, clarification.answered_at = locked.answer, locked.answered_at
    return locked
