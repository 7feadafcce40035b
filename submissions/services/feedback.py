"""Early-bird feedback: the Secretariat drafts written feedback on an early-bird
entry and sends it once; sending opens the entry's revision window (until the
cycle's revision deadline) and keeps a snapshot of the answers, so that the changes
the city makes afterwards can be shown field by field."""

import difflib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import EarlyBirdFeedback, ScreeningReport, Submission
from submissions.workflow import Status

from .dispatch import dispatch_on_commit

# The answers a snapshot keeps: every text the city may still revise.
SNAPSHOT_FIELDS = (
    "title",
    "subtitle",
    "umbrella_title",
    "abstract",
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
)


def answers_snapshot(submission: Submission) -> dict:
    """The entry's revisable answers as they are now (texts and dates as strings)."""
    values = {f: getattr(submission, f) or "" for f in SNAPSHOT_FIELDS}
    values["start_date"] = submission.start_date.isoformat() if submission.start_date else ""
    values["end_date"] = submission.end_date.isoformat() if submission.end_date else ""
    values["goals"] = ", ".join(str(g) for g in submission.goals.values_list("goal", flat=True))
    return values


def feedback_problem(submission: Submission) -> str | None:
    """Why the Secretariat may not write feedback on ``submission``, or None."""
    if not submission.early_bird:
        return _("Only early-bird entries receive feedback.")
    if submission.status != Status.SUBMITTED:
        return _("Feedback is for submitted entries that wait for screening.")
    return None


def checklist_choices(submission: Submission) -> list[tuple[str, str]]:
    """The screening report's points, as (code, label), that feedback may name."""
    report = ScreeningReport.objects.filter(submission=submission).first()
    return [(c.get("code", ""), c.get("label", "")) for c in (report.checks if report else [])]


def _checklist(submission: Submission, checklist: list[str]) -> list[dict]:
    known = dict(checklist_choices(submission))
    unknown = [code for code in checklist if code not in known]
    if unknown:
        raise ValidationError(
            {"checklist": _("Unknown point of the screening report: %(codes)s.")
             % {"codes": ", ".join(unknown)}}
        )  # fmt: skip
    # Labels are kept with the codes: the city reads them as they were when written.
    return [{"code": code, "label": known[code]} for code in dict.fromkeys(checklist)]


@transaction.atomic
def feedback_save(
    *, submission: Submission, text: str, checklist: list[str], by
) -> EarlyBirdFeedback:
    """Save the feedback as a draft (created on first save). Refused once sent."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    problem = feedback_problem(locked)
    if problem:
        raise ValidationError(problem)
    feedback, _created = EarlyBirdFeedback.objects.select_for_update().get_or_create(
        submission=locked, defaults={"updated_by": by}
    )
    if feedback.is_sent:
        raise ValidationError(_("This feedback was already sent: it can no longer change."))
    feedback.text = (text or "").strip()
    feedback.checklist = _checklist(locked, list(checklist or []))
    feedback.updated_by = by
    feedback.save(update_fields=["text", "checklist", "updated_by", "updated_at"])
    return feedback


@transaction.atomic
def feedback_send(*, submission: Submission, by) -> EarlyBirdFeedback:
    """Send the saved feedback: once per entry, never twice.

    Writes ``sent_at`` and the snapshot of the answers, and after commit emails every
    member of the city (a task, with a send-once key). From now until the cycle's
    revision deadline the city may revise its entry. Raises ``ValidationError`` when
    already sent, empty, not an early-bird entry or after the revision deadline.
    """
    locked = Submission.objects.select_for_update().select_related("cycle").get(pk=submission.pk)
    problem = feedback_problem(locked)
    if problem:
        raise ValidationError(problem)
    feedback = EarlyBirdFeedback.objects.select_for_update().filter(submission=locked).first()
    if feedback is None or not feedback.text.strip():
        raise ValidationError(_("Write the feedback and save it before sending."))
    if feedback.is_sent:
        raise ValidationError(_("This feedback was already sent."))
    ends = locked.cycle.revision_window_ends_at
    if ends is None or timezone.now() >= ends:
        raise ValidationError(
            _("The cycle's early-bird revision deadline has passed: set a later one first.")
        )
    feedback.sent_at = timezone.now()
    feedback.sent_by = by
    feedback.answers_at_sending = answers_snapshot(locked)
    feedback.save(update_fields=["sent_at", "sent_by", "answers_at_sending", "updated_at"])
    from submissions import tasks  # tasks import the services: import late

    dispatch_on_commit(tasks.send_feedback_email, feedback.pk)
    return feedback


def _words_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces, op in "same", "del", "ins": a word-level diff."""
    a, b = re.findall(r"\s*\S+", old), re.findall(r"\s*\S+", new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


def feedback_changes(submission: Submission) -> list[dict]:
    """The answers changed since the feedback was sent: one dict per changed field
    with its ``label``, ``field`` and word-level ``pieces``. Empty without feedback."""
    feedback = getattr(submission, "early_bird_feedback", None)
    if feedback is None or not feedback.is_sent:
        return []
    before = feedback.answers_at_sending or {}
    now = answers_snapshot(submission)
    changes = []
    for field, value in now.items():
        old = before.get(field, "")
        if old == value:
            continue
        if field == "goals":
            label = _("Sustainable Development Goals")
        else:
            label = str(Submission._meta.get_field(field).verbose_name).capitalize()
        changes.append({"field": field, "label": label, "pieces": _words_diff(old, value)})
    return changes


def feedback_changes_or_none(submission: Submission) -> list[dict] | None:
    """``feedback_changes`` when feedback was sent, None when none was (the pages
    then show nothing at all rather than "nothing changed")."""
    feedback = EarlyBirdFeedback.objects.filter(submission=submission).first()
    if feedback is None or not feedback.is_sent:
        return None
    submission.early_bird_feedback = feedback
    return feedback_changes(submission)
