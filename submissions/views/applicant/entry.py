"""An entry once filled in: its attachments, the preview, submitting, withdrawing,
answering the Secretariat's clarification."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access
from submissions import checks, workflow
from submissions.forms.application import AttachmentForm, ClarificationAnswerForm
from submissions.models import Attachment, ClarificationRequest
from submissions.services import applications as apps
from submissions.services import attachments as files
from submissions.services import feedback as feedback_service
from submissions.workflow import Status

from ._common import ATTACHMENT_URL, apply_errors, entry_of, entry_of_clarification


@access("submissions.change_submission", object_from=entry_of)
def attachments(request, pk: int):
    """The entry's documents, photos and video links; upload one more."""
    entry = request.access_object
    problem = apps.submission_edit_problem(entry)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        try:
            files.attachment_add(
                submission=entry,
                kind=data["kind"],
                upload=data.get("file"),
                video_url=data.get("video_url") or "",
                caption=data.get("caption") or "",
                is_public=data.get("is_public", False),
                by=request.user,
            )
        except ValidationError as error:
            for message in apply_errors(form, error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Attachment added."))
            return redirect("submissions:attachments", pk=entry.pk)
    elif request.method == "POST" and problem:
        form.add_error(None, problem)
    cycle = entry.cycle
    used = sum(a.size_bytes for a in entry.attachments.all())
    return render(
        request,
        "submissions/submission_attachments.html",
        {
            "entry": entry,
            "form": form,
            "edit_problem": problem,
            "attachments": entry.attachments.all(),
            "used_bytes": used,
            "cycle": cycle,
            "attachment_url_name": ATTACHMENT_URL,
            "step": 3,
            "step1_missing": checks.step1_missing(entry),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@access("submissions.change_submission", object_from=entry_of)
def attachment_delete(request, pk: int, attachment_pk: int):
    entry = request.access_object
    found = get_object_or_404(Attachment, pk=attachment_pk, submission=entry)
    try:
        files.attachment_delete(attachment=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Attachment removed."))
    return redirect("submissions:attachments", pk=entry.pk)


def _preview_context(request, entry, answer_forms=None):
    answer_forms = answer_forms or {}
    clarifications = list(entry.clarifications.all())
    for clarification in clarifications:
        clarification.form = answer_forms.get(clarification.pk) or ClarificationAnswerForm(
            auto_id=f"c{clarification.pk}_%s"
        )
    return {
        "entry": entry,
        "submission": entry,
        "attachment_url_name": ATTACHMENT_URL,
        "clarifications": clarifications,
        "edit_problem": apps.submission_edit_problem(entry),
        "in_revision": apps.in_revision_window(entry),
        "submit_problems": apps.submission_submit_problems(entry)
        if entry.status == Status.DRAFT
        else [],
        "can_withdraw": workflow.can(entry.status, "withdraw"),
        "is_member": request.user.has_perm("submissions.change_submission", entry),
        "step": 4,
        "step1_missing": checks.step1_missing(entry),
        "feedback_changes": feedback_service.feedback_changes_or_none(entry),
    }


@access("submissions.view_submission", object_from=entry_of)
def preview(request, pk: int):
    """The whole application as reviewers will read it; the entry's home page."""
    entry = request.access_object
    return render(request, "submissions/submission_preview.html", _preview_context(request, entry))


@access("submissions.change_submission", object_from=entry_of)
def submit(request, pk: int):
    """Confirm, then submit. Refusals (late, incomplete) are listed on the page."""
    entry = request.access_object
    if request.method == "POST":
        try:
            apps.submission_submit(
                submission=entry,
                by=request.user,
                # Ticked: given now; not ticked: whatever the entry holds (none by default).
                publication_consent=(request.POST.get("publication_consent") == "yes") or None,
            )
        except ValidationError as error:
            return render(
                request,
                "submissions/submission_submit.html",
                {
                    "entry": entry,
                    "problems": error.messages,
                    "refused": True,
                    "consent_text": apps.PUBLICATION_CONSENT_TEXT,
                    "consent_missing": error.messages == [str(apps.CONSENT_MISSING)],
                },
                status=400,
            )
        messages.success(
            request,
            _(
                "Application %(ref)s is submitted. A confirmation was emailed to your city's members."
            )
            % {"ref": entry.reference},
        )
        return redirect("submissions:preview", pk=entry.pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "submissions/submission_submit.html",
        {
            "entry": entry,
            "problems": apps.submission_submit_problems(entry),
            "consent_text": apps.PUBLICATION_CONSENT_TEXT,
        },
    )


@access("submissions.change_submission", object_from=entry_of)
def withdraw(request, pk: int):
    entry = request.access_object
    if request.method == "POST":
        try:
            apps.submission_withdraw(
                submission=entry, by=request.user, note=request.POST.get("note", "")[:2000]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Application %(ref)s is withdrawn.") % {"ref": entry.reference}
            )
        return redirect("submissions:dashboard")
    return render(request, "submissions/submission_withdraw.html", {"entry": entry})


@require_POST
@access("submissions.change_submission", object_from=entry_of_clarification)
def clarification_answer(request, pk: int, clarification_pk: int):
    entry = request.access_object
    clarification = get_object_or_404(ClarificationRequest, pk=clarification_pk, submission=entry)
    form = ClarificationAnswerForm(request.POST, auto_id=f"c{clarification.pk}_%s")
    if form.is_valid():
        try:
            apps.submission_answer_clarification(
                clarification=clarification, answer=form.cleaned_data["answer"], by=request.user
            )
        except ValidationError as error:
            for message in apply_errors(form, error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you: your answer was sent to the Secretariat."))
            return redirect("submissions:preview", pk=entry.pk)
    # Keep what was typed: show the entry page again with the form and its errors.
    return render(
        request,
        "submissions/submission_preview.html",
        _preview_context(request, entry, {clarification.pk: form}),
        status=400,
    )
