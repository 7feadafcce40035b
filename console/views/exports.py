"""Background exports: start one, follow its progress (htmx), download the file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from console.forms import (
    ExportForm,
)
from console.views._common import form_errors, secretariat_only
from judging.exports import KINDS, export_job_list, export_job_start
from judging.models import ExportJob


@secretariat_only
def exports(request):
    form = ExportForm(request.POST or None, initial={"cycle": request.GET.get("cycle")})
    if request.method == "POST" and form.is_valid():
        try:
            job = export_job_start(
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["fmt"],
                cycle=form.cleaned_data["cycle"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.info(request, _("The export is being prepared; it appears below when ready."))
            return redirect(f"{request.path}#job-{job.token}")
    return render(
        request,
        "console/exports.html",
        {"form": form, "jobs": export_job_list(user=request.user), "kinds": KINDS},
        status=400 if form.errors else 200,
    )


def _job(token) -> ExportJob:
    return get_object_or_404(ExportJob.objects.select_related("cycle"), token=token)


@secretariat_only
def export_status(request, token):
    """The job's row: htmx polls it until the file is ready."""
    return render(request, "console/_export_job.html", {"job": _job(token), "kinds": KINDS})


@secretariat_only
def export_download(request, token):
    job = _job(token)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export is not ready."))
    name = job.file.name.rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
