"""PDFs for reviewers and the Secretariat: an entry's dossier, a panel's book and
attachments archive (background jobs, the exports' machinery), the certificates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import access
from submissions.documents.certificates import certificate_available, certificate_pdf
from submissions.documents.dossier import dossier_pdf
from submissions.models import Cycle, Submission
from submissions.selectors.application_body import submission_get_for_dossier
from submissions.views.documents import pdf_response

from ..documents import (
    DOCUMENT_KINDS,
    certificate_entries,
    document_job_is_stale,
    document_job_list,
    document_job_start,
)
from ..models import ExportJob
from ._common import panel_from, report_errors


def dossier_entry_from(request, submission_pk, **kwargs) -> Submission:
    try:
        return submission_get_for_dossier(pk=submission_pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


@access("judging.view_dossier", object_from=dossier_entry_from)
@require_GET
def dossier(request, submission_pk: int):
    """The entry's dossier: for an assigned reviewer with no conflict, and the
    Secretariat (the score page's rule); everybody else 403."""
    entry = request.access_object
    return pdf_response(dossier_pdf(submission=entry), f"{entry.reference}-dossier.pdf")


@access("judging.panel_documents", object_from=panel_from)
@require_POST
def panel_document(request, cycle_number: int, kind: str):
    """Queue a book (``document=book``) or an attachments archive of the panel."""
    panel = request.access_object
    document = request.POST.get("document", "")
    if document not in ("book", "attachments"):
        raise Http404
    try:
        job = document_job_start(kind=document, panel=panel, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.info(request, _("It is being prepared; the download link appears when ready."))
        return redirect(_back(request) + f"#job-{job.token}")
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return reverse("judging:reviewer_queue")


def job_from(request, token) -> ExportJob:
    return get_object_or_404(
        ExportJob.objects.select_related("cycle", "panel"), token=token, kind__in=DOCUMENT_KINDS
    )


@access("judging.own_document_job", object_from=job_from)
@require_GET
def document_job_status(request, token):
    """The job's row: htmx polls it until the file is ready."""
    return render(
        request,
        "judging/_document_job.html",
        {"job": request.access_object, "kinds": DOCUMENT_KINDS},
    )


@access("judging.own_document_job", object_from=job_from)
@require_GET
def document_job_download(request, token):
    """The finished file, for the person who asked for it only."""
    job = request.access_object
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This document is not ready."))
    if document_job_is_stale(job=job):
        # An entry in it was released (conflict declared) after it was built.
        messages.error(request, _("This file is out of date: please prepare it again."))
        return redirect("judging:reviewer_queue")
    name = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def cycle_from(request, cycle_number, **kwargs) -> Cycle:
    return get_object_or_404(Cycle, number=cycle_number)


@access("judging.certificates", object_from=cycle_from)
def certificates(request, cycle_number: int):
    """The Secretariat's certificates of a cycle: one by one, or all in a ZIP."""
    cycle = request.access_object
    if request.method == "POST":
        try:
            job = document_job_start(kind="certificates", cycle=cycle, by=request.user)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.info(
                request, _("The certificates are being prepared; the link appears when ready.")
            )
            return redirect(f"{request.path}#job-{job.token}")
        return redirect(request.path)
    jobs = [j for j in document_job_list(user=request.user) if j.kind == "certificates"]
    return render(
        request,
        "judging/certificates.html",
        {
            "cycle": cycle,
            "entries": certificate_entries(cycle=cycle) if cycle.is_published else [],
            "jobs": [j for j in jobs if j.cycle_id == cycle.pk],
            "kinds": DOCUMENT_KINDS,
        },
    )


def certificate_entry_from(request, cycle_number, submission_pk) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("cycle", "organisation"),
        pk=submission_pk,
        cycle__number=cycle_number,
    )


@access("judging.certificates", object_from=certificate_entry_from)
@require_GET
def certificate(request, cycle_number: int, submission_pk: int):
    entry = request.access_object
    if not certificate_available(entry):
        raise Http404(_("There is no certificate for this entry."))
    return pdf_response(certificate_pdf(submission=entry), f"{entry.reference}-certificate.pdf")
