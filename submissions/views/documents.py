"""PDFs for a city: its own submitted application and, once the cycle's results are
published, its certificate. Reviewers' dossiers are in judging."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import access
from submissions.documents.certificates import certificate_available, certificate_pdf
from submissions.documents.dossier import dossier_pdf
from submissions.models import Submission
from submissions.selectors.application_body import submission_get_for_dossier


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """PDF bytes as a private, uncached download."""
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def entry_for_pdf(request, pk, **kwargs) -> Submission:
    try:
        return submission_get_for_dossier(pk=pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


@access("submissions.download_application", object_from=entry_for_pdf)
@require_GET
def application_pdf(request, pk: int):
    """The city's own application as PDF, once submitted (a draft is still changing)."""
    entry = request.access_object
    if entry.submitted_at is None:
        raise Http404(_("The application can be downloaded once it is submitted."))
    return pdf_response(dossier_pdf(submission=entry), f"{entry.reference}-application.pdf")


@access("submissions.download_application", object_from=entry_for_pdf)
@require_GET
def certificate(request, pk: int):
    """The entry's certificate; 404 before the results are published or without an
    outcome that earns one."""
    entry = request.access_object
    if not certificate_available(entry):
        raise Http404(_("There is no certificate for this entry."))
    return pdf_response(certificate_pdf(submission=entry), f"{entry.reference}-certificate.pdf")
