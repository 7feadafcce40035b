"""Panel documents built in the background with the exports' machinery
(``ExportJob`` + ``export_tasks.run_export_job``): a panel's book (one PDF of every
entry the requester may read, with a table of contents), a ZIP of the panel's
attachments (one folder per entry), and the Secretariat's ZIP of a cycle's
certificates.

Inside a book or an archive every entry passes the dossier's own permission
(``judging.view_dossier``): a reviewer's book holds only their conflict-free
assignments, never an entry they declared a conflict on.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from accounts import roles
from judging.models import Assignment, ExportJob, Panel, PanelKind
from submissions.documents.certificates import (
    CERTIFICATE_WORDING,
    certificate_available,
    draw_certificate,
)
from submissions.documents.dossier import (
    AWARD_NAME,
    cycle_label,
    entry_pages,
    entry_stamp,
)
from submissions.documents.pdf import (
    A4_LANDSCAPE,
    BRAND,
    PageStamp,
    Recorded,
    assemble,
    page_count,
    para,
    render,
)
from submissions.models import Attachment, Cycle, Submission
from submissions.services.dispatch import dispatch_on_commit
from submissions.workflow import SHORTLISTED_OR_BETTER

DOCUMENT_KINDS = {
    "book": gettext_lazy("Book of entries (PDF)"),
    "attachments": gettext_lazy("All attachments (ZIP)"),
    "certificates": gettext_lazy("Certificates (ZIP)"),
}
FORMAT_OF = {"book": "pdf", "attachments": "zip", "certificates": "zip"}
Progress = Callable[[int, int], None]


def _entries_query():
    return Submission.objects.select_related("cycle", "organisation").prefetch_related(
        "contacts", "partners", "goals", "attachments"
    )


def panel_entries(*, panel: Panel, user) -> list[Submission]:
    """The entries of ``panel`` that ``user`` may read, in reference order.

    A panel member gets their own queue: the entries assigned to them with no
    conflict declared. The Secretariat gets the whole panel: for the jury, the
    cycle's shortlisted entries; for the Technical Committee, every assigned entry.
    Each entry then passes ``judging.view_dossier``, the score page's rule.
    """
    if roles.is_secretariat(user):
        if panel.kind == PanelKind.JURY:
            statuses = set(SHORTLISTED_OR_BETTER) | {"special_mention"}
            qs = _entries_query().filter(cycle=panel.cycle, status__in=statuses)
        else:
            qs = _entries_query().filter(assignments__panel=panel).distinct()
    else:
        qs = _entries_query().filter(
            assignments__panel=panel,
            assignments__reviewer__user=user,
            assignments__state=Assignment.State.ACTIVE,
        )
    entries = list(qs.order_by("sequence"))
    return [s for s in entries if user.has_perm("judging.view_dossier", s)]


@transaction.atomic
def document_job_start(
    *, kind: str, by, panel: Panel | None = None, cycle: Cycle | None = None
) -> ExportJob:
    """Queue a book, an attachments archive (for ``panel``) or the certificates of
    ``cycle``; the task builds the file after commit. Refuses (ValidationError) what
    the requester may not have or an empty result."""
    if kind not in DOCUMENT_KINDS:
        raise ValidationError(_("Unknown document."))
    if kind == "certificates":
        if cycle is None or not roles.is_secretariat(by):
            raise ValidationError(_("Only the Secretariat prepares the certificates."))
        if not cycle.is_published:
            raise ValidationError(
                _("Certificates are available once the cycle's results are published.")
            )
    else:
        if panel is None or not by.has_perm("judging.panel_documents", panel):
            raise ValidationError(_("You are not a member of this panel."))
        cycle = panel.cycle
        if not panel_entries(panel=panel, user=by):
            raise ValidationError(_("There is no entry you may read in this panel yet."))
    job = ExportJob.objects.create(
        kind=kind, fmt=FORMAT_OF[kind], cycle=cycle, panel=panel, requested_by=by
    )
    from judging import export_tasks

    dispatch_on_commit(export_tasks.run_export_job, job.pk)
    return job


def document_job_is_stale(*, job: ExportJob) -> bool:
    """True when a reviewer's book or archive may hold an entry they have since
    declared a conflict on (released after the file was built): it must be rebuilt."""
    if job.panel_id is None or job.finished_at is None:
        return False
    return Assignment.objects.filter(
        panel_id=job.panel_id,
        reviewer__user_id=job.requested_by_id,
        state=Assignment.State.RELEASED,
        released_at__gte=job.finished_at,
    ).exists()


def document_job_list(*, user) -> list[ExportJob]:
    """The user's recent document jobs (books, archives, certificates), newest first."""
    return list(
        ExportJob.objects.filter(requested_by=user, kind__in=DOCUMENT_KINDS).select_related(
            "cycle", "panel"
        )[:20]
    )


# Building --------------------------------------------------------------------------


TOC_WIDTHS = [98 * mm, 56 * mm, 16 * mm]


def _toc_row(cells: list, *, header: bool = False) -> Table:
    table = Table([cells], colWidths=TOC_WIDTHS, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                (
                    "LINEBELOW",
                    (0, 0),
                    (-1, -1),
                    0.6 if header else 0.25,
                    BRAND if header else "#dddddd",
                ),
            ]
        )
    )
    return table


def _toc(title: str, subtitle: str, rows: list[tuple[Submission, int]], sink: dict) -> list:
    """The table of contents; each entry's row is recorded in ``sink`` (by its index)
    so that it can be made a link to the entry's first page."""
    story = [para(AWARD_NAME, "small"), para(title, "title"), para(subtitle, "subtitle")]
    story.append(Spacer(1, 6))
    story.append(
        _toc_row(
            [para(_("Entry"), "label"), para(_("City"), "label"), para(_("Page"), "label")],
            header=True,
        )
    )
    for n, (sub, page) in enumerate(rows):
        cells = [
            para(f"{sub.reference} – {sub.display_title}", "cell"),
            para(f"{sub.organisation.name}, {sub.organisation.country.name}", "cell"),
            para(str(page), "cell"),
        ]
        story.append(Recorded(_toc_row(cells), n, sink))
    return story


def book_pdf(*, entries: list[Submission], title: str, subtitle: str, progress: Progress) -> bytes:
    """One PDF of ``entries``' dossiers after a table of contents; every page stamped
    with its entry's reference (the contents with the book's title); bookmarks."""
    built = []
    for n, sub in enumerate(entries, start=1):
        built.append(entry_pages(sub))
        progress(n, len(entries))
    # The contents' own length decides where the entries start: lay it out once with
    # provisional numbers, then with the real ones (the length does not change).
    sink: dict = {}
    provisional = [(b.submission, 0) for b in built]
    toc_pages = page_count(render(_toc(title, subtitle, provisional, sink)))
    rows, stamps, outline = [], [], []
    start = toc_pages + 1
    confidential = _("Confidential – for assessment only")
    stamps += [PageStamp(title, confidential)] * toc_pages
    for b in built:
        rows.append((b.submission, start))
        outline.append((f"{b.submission.reference} – {b.submission.display_title}", start - 1))
        stamps += [entry_stamp(b.submission)] * b.pages
        start += b.pages
    sink.clear()
    toc = render(_toc(title, subtitle, rows, sink))
    links = [(sink[n][0], sink[n][1], page - 1) for n, (_sub, page) in enumerate(rows)]
    parts = [toc] + [part for b in built for part in b.parts]
    return assemble(parts, stamps=stamps, outline=outline, links=links, title=title)


def _safe(name: str, fallback: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return cleaned[:100] or fallback


def attachments_zip(*, entries: list[Submission], progress: Progress) -> bytes:
    """A ZIP with one folder per entry (``REF City``) holding its files under their
    original names, and its video links in ``video-links.txt``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, sub in enumerate(entries, start=1):
            folder = _safe(f"{sub.reference} {sub.organisation.name}", sub.reference)
            used: set[str] = set()
            links = []
            for a in sub.attachments.all():
                if a.kind == Attachment.Kind.VIDEO:
                    links.append(f"{a.caption or a.video_url}: {a.video_url}")
                    continue
                try:
                    with a.file.open("rb") as handle:
                        data = handle.read()
                except (OSError, ValueError):
                    continue
                name = _safe(a.original_name, f"attachment-{a.pk}")
                if name.lower() in used:
                    name = f"{a.pk}-{name}"
                used.add(name.lower())
                archive.writestr(f"{folder}/{name}", data)
            if links:
                archive.writestr(f"{folder}/video-links.txt", "\n".join(links) + "\n")
            if not used and not links:
                archive.writestr(f"{folder}/no-attachments.txt", "")
            progress(n, len(entries))
    return out.getvalue()


def certificate_entries(*, cycle: Cycle) -> list[Submission]:
    """Every entry of ``cycle`` that earns a certificate, by outcome then reference."""
    qs = Submission.objects.select_related("cycle", "organisation").filter(
        cycle=cycle, status__in=list(CERTIFICATE_WORDING)
    )
    order = list(CERTIFICATE_WORDING)
    return sorted(
        (s for s in qs if certificate_available(s)),
        key=lambda s: (order.index(s.status), s.sequence),
    )


def certificates_zip(*, cycle: Cycle, progress: Progress) -> bytes:
    """A ZIP of one certificate PDF per recognised entry, and all of them in one PDF
    for printing."""
    from reportlab.pdfgen import canvas as rl_canvas

    from submissions.documents.certificates import certificate_pdf

    entries = certificate_entries(cycle=cycle)
    out = io.BytesIO()
    everything = io.BytesIO()
    all_canvas = rl_canvas.Canvas(everything, pagesize=A4_LANDSCAPE)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, sub in enumerate(entries, start=1):
            folder = _safe(str(CERTIFICATE_WORDING[sub.status][0]), sub.status)
            name = _safe(f"{sub.reference} {sub.organisation.name}", sub.reference)
            archive.writestr(f"{folder}/{name}.pdf", certificate_pdf(submission=sub))
            draw_certificate(all_canvas, sub)
            all_canvas.showPage()
            progress(n, len(entries))
        if entries:
            all_canvas.save()
            archive.writestr(f"all-certificates-cycle{cycle.number}.pdf", everything.getvalue())
    return out.getvalue()


def document_build(*, job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    """The file name and content of a document job (called by ``export_job_run``)."""
    tag = job.token.hex[:8]
    if job.kind == "certificates":
        content = certificates_zip(cycle=job.cycle, progress=progress)
        return f"certificates-cycle{job.cycle.number}-{tag}.zip", content
    panel = job.panel
    user = job.requested_by
    entries = panel_entries(panel=panel, user=user)
    base = f"{panel.kind}-cycle{panel.cycle.number}"
    if job.kind == "attachments":
        return f"attachments-{base}-{tag}.zip", attachments_zip(entries=entries, progress=progress)
    title = _("%(panel)s – book of entries") % {"panel": panel.get_kind_display()}
    subtitle = _("%(cycle)s · prepared for %(name)s · %(count)s entries") % {
        "cycle": cycle_label(panel.cycle),
        "name": user.display_name,
        "count": len(entries),
    }
    content = book_pdf(entries=entries, title=title, subtitle=subtitle, progress=progress)
    return f"book-{base}-{tag}.pdf", content
