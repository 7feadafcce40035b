"""The automatic screening report the Secretariat reads before deciding eligibility."""

import difflib
import re

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import checks
from submissions.models import Attachment, Contact, ScreeningReport, Submission, SubmissionGoal
from submissions.services.unique_rows import insert_unless_taken
from submissions.workflow import Status

DUPLICATE_TITLE_SIMILARITY = 0.6


def _normalised(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (title or "").lower()).split())


def similar_titles(title: str, other: str) -> float:
    return difflib.SequenceMatcher(None, _normalised(title), _normalised(other)).ratio()


def possible_duplicates(submission: Submission) -> list[dict]:
    """The same city's other entries, in this and earlier cycles, with a similar title."""
    others = (
        Submission.objects.filter(
            organisation_id=submission.organisation_id,
            cycle__number__lte=submission.cycle.number,
        )
        .exclude(pk=submission.pk)
        .exclude(status=Status.DRAFT)
        .select_related("cycle")
        .only("id", "reference", "title", "cycle__number")
    )
    found = []
    for other in others:
        ratio = similar_titles(submission.title, other.title)
        if ratio >= DUPLICATE_TITLE_SIMILARITY:
            found.append(
                {
                    "id": other.pk,
                    "reference": other.reference,
                    "title": other.title,
                    "cycle": other.cycle.number,
                    "similarity": round(ratio, 2),
                }
            )
    return found


def _check(code, label, ok, detail=""):
    return {"code": code, "label": str(label), "ok": bool(ok), "detail": str(detail)}


def screening_checks(submission: Submission) -> list[dict]:
    """The report's checks. ``submission`` may carry ``contact_count`` and ``goal_count``
    (``screening_entry_get``); otherwise they are counted here."""
    cycle = submission.cycle
    missing = checks.step1_missing(
        submission, getattr(submission, "contact_count", None)
    ) + checks.step2_missing(submission, getattr(submission, "goal_count", None))
    over = checks.over_word_limits(submission)
    date_problem = checks.start_date_problem(submission)
    attachments = list(submission.attachments.all())
    files = [a for a in attachments if a.kind != Attachment.Kind.VIDEO]
    total_mb = sum(a.size_bytes for a in files) / (1024 * 1024)
    too_big = [a.original_name for a in files if a.size_bytes > cycle.max_file_mb * 1024 * 1024]
    lost = [a.original_name for a in files if not a.file or not a.file.storage.exists(a.file.name)]
    late = bool(
        submission.submitted_at
        and cycle.final_deadline
        and submission.submitted_at > cycle.final_deadline
    )
    return [
        _check("complete", _("All questions answered"), not missing, ", ".join(missing)),
        _check(
            "word_limits",
            _("Within the word limits"),
            not over,
            "; ".join(f"{f}: {w}/{limit}" for f, (w, limit) in over.items()),
        ),
        _check(
            "dates",
            _("Start and end dates within the cycle's rule"),
            not date_problem,
            date_problem or "",
        ),
        _check(
            "attachments",
            _("Attachments within the limits"),
            len(attachments) <= cycle.max_attachments
            and total_mb <= cycle.max_entry_mb
            and not too_big,
            _("%(n)s attachments, %(mb).1f MB") % {"n": len(attachments), "mb": total_mb}
            + (f"; {_('too large')}: {', '.join(too_big)}" if too_big else ""),
        ),
        _check("files_present", _("Every uploaded file is readable"), not lost, ", ".join(lost)),
        _check(
            "evidence",
            _("Supporting documents or photos attached"),
            bool(files),
            "" if files else _("No document or photo was attached."),
        ),
        _check("on_time", _("Submitted before the final deadline"), not late),
    ]


def _count_of(model, entry: str = "pk") -> Coalesce:
    rows = (
        model.objects.filter(submission=OuterRef(entry))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def screening_counts(entry: str = "pk") -> dict:
    """Annotations counting an entry's contacts and goals (``contact_count``,
    ``goal_count``), the entry being the queried row's ``entry`` field; for
    ``screening_report_write``."""
    return {
        "contact_count": _count_of(Contact, entry),
        "goal_count": _count_of(SubmissionGoal, entry),
    }


def screening_entry_get(*, submission_id: int) -> Submission:
    """The entry with its cycle, its number of contacts and of goals: one query."""
    return (
        Submission.objects.select_related("cycle")
        .annotate(**screening_counts())
        .get(pk=submission_id)
    )


def screening_report_build(
    *, submission: Submission | None = None, submission_id: int | None = None
) -> ScreeningReport:
    """Create or refresh the report of ``submission`` (or of ``submission_id``: the
    task passes the id, so the entry is loaded once). Idempotent: running twice gives
    one row. Four queries whatever the number of entries: the entry (fresh, with its
    counts), its attachments, the same city's other entries, one insert-or-update.
    """
    submission = screening_entry_get(
        submission_id=submission_id if submission is None else submission.pk
    )
    return screening_report_write(submission)


def screening_report_write(submission: Submission) -> ScreeningReport:
    """Create or refresh the report of an entry the caller has just loaded with its
    cycle, ``contact_count`` and ``goal_count`` (``screening_counts``): three queries,
    its attachments, the same city's other entries, one insert (an update instead when
    the entry has a report already: a resubmission, a rerun)."""
    results = screening_checks(submission)
    duplicates = possible_duplicates(submission)
    fields = {
        "created_at": timezone.now(),
        "checks": results,
        "possible_duplicates": duplicates,
        "is_clean": all(c["ok"] for c in results) and not duplicates,
    }
    report = insert_unless_taken(
        lambda: ScreeningReport.objects.create(submission=submission, **fields)
    )
    if report is None:
        ScreeningReport.objects.filter(submission=submission).update(**fields)
        report = ScreeningReport.objects.get(submission=submission)
    return report
