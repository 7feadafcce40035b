"""Exports for the Secretariat (CSV and XLSX): entries with all their fields, and
scores per reviewer and criterion. Big exports run as ``ExportJob`` tasks; the file
is kept in the default (private) storage and downloaded through a checked view."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from judging.models import CriterionScore, ExportJob
from submissions.continents import continent_of
from submissions.models import STEP1_FIELDS, STEP2_TEXT_FIELDS, Cycle, Submission
from submissions.services.dispatch import dispatch_on_commit

KINDS = {
    "entries": gettext_lazy("Entries (all fields)"),
    "scores": gettext_lazy("Scores per reviewer and criterion"),
}
FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 200


def rows_to_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8


def rows_to_xlsx(header: list[str], rows: Iterable[list[Any]], *, title: str = "Export") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _naive(value):
    # XLSX cannot hold time zones: write Beijing wall time.
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")


ENTRY_HEADER = [
    "reference",
    "cycle",
    "status",
    "imported",
    "submitted_at",
    "early_bird",
    "city",
    "province",
    "country",
    "continent",
    "organisation_type",
    "population",
    "area_km2",
    "gdp_per_capita_usd",
    "website",
    *STEP1_FIELDS,
    *STEP2_TEXT_FIELDS,
    "topic",
    "sdgs",
    "citation",
    "contacts",
    "partners",
    "source_url",
]


def entries_queryset(cycle: Cycle | None) -> Any:
    qs = Submission.objects.select_related("cycle", "organisation").prefetch_related(
        "goals", "contacts", "partners"
    )
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("cycle__number", "sequence")


def entry_row(sub: Submission) -> list[Any]:
    org = sub.organisation
    return [
        sub.reference,
        sub.cycle.number,
        sub.status,
        sub.imported,
        _naive(sub.submitted_at),
        sub.early_bird,
        org.name,
        org.province,
        org.country.code,
        continent_of(org.country.code),
        org.kind,
        org.population,
        float(org.area_km2) if org.area_km2 is not None else None,
        org.gdp_per_capita_usd,
        org.website,
        sub.title,
        sub.subtitle,
        sub.umbrella_title,
        sub.start_date.isoformat() if sub.start_date else None,
        sub.end_date.isoformat() if sub.end_date else None,
        sub.ongoing,
        ", ".join(sub.domains or []),
        ", ".join(sub.innovation_types or []),
        sub.innovation_kind,
        sub.abstract,
        *[getattr(sub, f) for f in STEP2_TEXT_FIELDS],
        sub.topic,
        " ".join(str(g.goal) for g in sub.goals.all()),
        sub.citation,
        "; ".join(f"{c.name} <{c.email}> {c.phone}".strip() for c in sub.contacts.all()),
        "; ".join(f"{p.name} ({p.kind})" for p in sub.partners.all()),
        sub.source_url,
    ]


SCORE_HEADER = [
    "cycle",
    "panel",
    "reference",
    "title",
    "city",
    "reviewer",
    "reviewer_email",
    "criterion",
    "weight",
    "score",
    "criterion_comment",
    "recommendation",
    "overall_comment",
    "review_submitted_at",
]


def scores_queryset(cycle: Cycle | None) -> Any:
    qs = CriterionScore.objects.select_related(
        "criterion",
        "review__assignment__panel__cycle",
        "review__assignment__submission__organisation",
        "review__assignment__reviewer__user",
    )
    if cycle is not None:
        qs = qs.filter(review__assignment__panel__cycle=cycle)
    return qs.order_by(
        "review__assignment__panel__cycle__number",
        "review__assignment__panel__kind",
        "review__assignment__submission__sequence",
        "review__assignment__reviewer__user__email",
        "criterion__order",
        "criterion__id",
    )


def score_row(score: CriterionScore) -> list[Any]:
    review = score.review
    assignment = review.assignment
    sub = assignment.submission
    user = assignment.reviewer.user
    return [
        assignment.panel.cycle.number,
        assignment.panel.kind,
        sub.reference,
        sub.title,
        sub.organisation.name,
        user.display_name,
        user.email,
        score.criterion.name,
        float(score.criterion.weight),
        score.value,
        score.comment,
        review.recommendation,
        review.overall_comment,
        _naive(review.submitted_at),
    ]


def export_rows(kind: str, cycle: Cycle | None) -> tuple[list[str], Any, Any]:
    if kind == "entries":
        return ENTRY_HEADER, entries_queryset(cycle), entry_row
    return SCORE_HEADER, scores_queryset(cycle), score_row


@transaction.atomic
def export_job_start(*, kind: str, fmt: str, cycle: Cycle | None, by) -> ExportJob:
    """Queue an export; the task builds the file after commit."""
    if kind not in KINDS:
        raise ValidationError(_("Unknown export."))
    if fmt not in FORMATS:
        raise ValidationError(_("Choose CSV or XLSX."))
    job = ExportJob.objects.create(kind=kind, fmt=fmt, cycle=cycle, requested_by=by)
    from judging import export_tasks

    dispatch_on_commit(export_tasks.run_export_job, job.pk)
    return job


def _with_progress(job: ExportJob, rows: Iterator, total: int, row_fn) -> Iterator[list[Any]]:
    for n, item in enumerate(rows, start=1):
        if n % PROGRESS_EVERY == 0 and total:
            ExportJob.objects.filter(pk=job.pk).update(progress=min(99, n * 100 // total))
        yield row_fn(item)


def _progress_writer(job: ExportJob):
    def progress(done: int, total: int) -> None:
        if total:
            ExportJob.objects.filter(pk=job.pk).update(progress=min(99, done * 100 // total))

    return progress


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Build the job's file. Idempotent: a finished job is left as it is.

    Progress (0-100) is written while rows are produced; on an error the job is
    marked failed with the message, and the error is re-raised for the worker log.
    """
    job = ExportJob.objects.select_related("cycle", "panel__cycle", "requested_by").get(pk=job.pk)
    if job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=0)
    try:
        from judging.documents import DOCUMENT_KINDS, document_build

        if job.kind in DOCUMENT_KINDS:
            # Books, attachment archives, certificates: built by judging.documents.
            name, content = document_build(job=job, progress=_progress_writer(job))
        else:
            header, qs, row_fn = export_rows(job.kind, job.cycle)
            total = qs.count()
            rows = _with_progress(job, qs.iterator(chunk_size=PROGRESS_EVERY), total, row_fn)
            if job.fmt == "xlsx":
                content = rows_to_xlsx(header, rows, title=job.kind)
            else:
                content = rows_to_csv(header, rows)
            cycle_part = f"cycle{job.cycle.number}" if job.cycle else "all"
            name = f"{job.kind}-{cycle_part}-{job.token.hex[:8]}.{job.fmt}"
        job.file.save(name, ContentFile(content), save=False)
    except Exception as error:  # noqa: BLE001 - recorded on the job, then re-raised
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.status = ExportJob.Status.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress", "finished_at"])
    return job


def export_job_list(*, user) -> Any:
    from judging.documents import DOCUMENT_KINDS  # listed on their own pages

    return (
        ExportJob.objects.filter(requested_by=user)
        .exclude(kind__in=DOCUMENT_KINDS)
        .select_related("cycle")[:20]
    )
