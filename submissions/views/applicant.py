"""The city officials' pages: their city, their initiatives, the application.

Views parse, check permission (``access``), call a service, message and redirect.
A ``ValidationError`` from a service is shown in the page with what was typed kept.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access
from submissions import checks, workflow
from submissions.forms.application import (
    FIELD_STEP,
    STEP_FORMS,
    AttachmentForm,
    ClarificationAnswerForm,
    PartnerForm,
    contact_errors,
    contact_formset,
    contacts_from,
)
from submissions.forms.organisation import InvitationForm, OrganisationForm
from submissions.models import Attachment, ClarificationRequest, Partner, Submission
from submissions.selectors import applications as selectors
from submissions.services import applications as apps
from submissions.services import attachments as files
from submissions.services import feedback as feedback_service
from submissions.services import organisations as orgs
from submissions.workflow import PUBLISHABLE, Status

ATTACHMENT_URL = "submissions:attachment"


def entry_of(request, pk, *args, **kwargs) -> Submission:
    """The entry named in the URL (404 when there is none); permission decides the rest."""
    try:
        return selectors.submission_get_full(pk=pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


def own_organisation(request, *args, **kwargs):
    if not request.user.is_authenticated or request.user.organisation is None:
        raise Http404
    return request.user.organisation


def entry_of_clarification(request, pk, clarification_pk, **kwargs) -> Submission:
    return entry_of(request, pk)


def _apply_errors(form, error: ValidationError) -> list[str]:
    """Put a service's field errors on the form; return the errors for the whole page."""
    if hasattr(error, "error_dict"):
        general = []
        for field, errors in error.error_dict.items():
            for e in errors:
                message = " ".join(e.messages)
                if form is not None and field in form.fields:
                    form.add_error(field, message)
                else:
                    general.append(message)
        return general
    return list(error.messages)


# The dashboard ---------------------------------------------------------------------


@access("accounts.signed_in")
def dashboard(request):
    """My initiatives: every entry of the user's city across cycles."""
    organisation = request.user.organisation
    open_cycle = selectors.cycle_get_open()
    entries = []
    invitations = []
    if organisation is None:
        # Someone invited this address: offer the link again, no need to find the email.
        invitations = selectors.invitation_list_for_email(
            email=request.user.email, valid_for=orgs.INVITATION_VALID_FOR
        )
    else:
        now = timezone.now()
        entries = list(selectors.submission_list_for_organisation(organisation=organisation))
        for entry in entries:
            entry.edit_problem = apps.submission_edit_problem(entry, now)
            entry.in_revision = apps.in_revision_window(entry, now)
            entry.show_outcome = entry.status in PUBLISHABLE and (
                entry.cycle.is_published or entry.status != Status.NOT_SELECTED
            )
            for clarification in entry.open_clarifications:
                clarification.form = ClarificationAnswerForm(auto_id=f"c{clarification.pk}_%s")
    return render(
        request,
        "submissions/submission_list.html",
        {
            "organisation": organisation,
            "entries": entries,
            "invitations": invitations,
            "open_cycle": open_cycle,
            "accepting": open_cycle is not None and open_cycle.accepts_submissions(),
        },
    )


# The city -------------------------------------------------------------------------


@access("accounts.signed_in")
def organisation_create(request):
    """Register the user's city (only for a user who has none yet)."""
    if request.user.organisation_id:
        messages.info(
            request, _("You already belong to %(city)s.") % {"city": request.user.organisation}
        )
        return redirect("submissions:dashboard")
    form = OrganisationForm(request.POST or None)
    page_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            orgs.organisation_create(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            page_errors = _apply_errors(form, error)
        else:
            messages.success(
                request, _("Your city is registered. You can now start an application.")
            )
            return redirect("submissions:dashboard")
    return render(
        request,
        "submissions/organisation_create.html",
        {"form": form, "page_errors": page_errors},
    )


@access("submissions.change_organisation", object_from=own_organisation)
def organisation_edit(request):
    organisation = request.access_object
    form = OrganisationForm(request.POST or None, instance=organisation)
    page_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            orgs.organisation_update(
                organisation=organisation, data=form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            page_errors = _apply_errors(form, error)
        else:
            messages.success(request, _("The city's profile is saved."))
            return redirect("submissions:dashboard")
    return render(
        request,
        "submissions/organisation_edit.html",
        {"form": form, "organisation": organisation, "page_errors": page_errors},
    )


@access("submissions.view_organisation", object_from=own_organisation)
def organisation_members(request):
    """The city's members and pending invitations; members invite colleagues here."""
    organisation = request.access_object
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("submissions.invite_member", organisation):
            raise Http404
        if form.is_valid():
            try:
                invitation = orgs.invitation_create(
                    organisation=organisation, email=form.cleaned_data["email"], by=request.user
                )
            except ValidationError as error:
                for message in _apply_errors(form, error):
                    form.add_error("email", message)
            else:
                messages.success(
                    request,
                    _("An invitation was emailed to %(email)s.") % {"email": invitation.email},
                )
                return redirect("submissions:organisation_members")
    return render(
        request,
        "submissions/organisation_members.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation=organisation),
            "pending": selectors.invitation_list_pending(organisation=organisation),
            "form": form,
        },
    )


@access("accounts.signed_in")
def invitation_accept(request, token):
    """The emailed link: shows the invitation, joins the city on POST."""
    invitation = selectors.invitation_get(token=token)
    problem = orgs.invitation_problem(invitation, request.user)
    if request.method == "POST" and problem is None:
        try:
            organisation = orgs.invitation_accept(token=token, by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _("Welcome to %(city)s.") % {"city": organisation})
            return redirect("submissions:dashboard")
    return render(
        request,
        "submissions/invitation_accept.html",
        {"invitation": invitation, "problem": problem},
        status=200 if problem is None else 400,
    )


# Entries -------------------------------------------------------------------------


@require_POST
@access("submissions.add_submission")
def submission_start(request):
    cycle = selectors.cycle_get_open()
    if cycle is None:
        messages.error(request, _("No cycle is open for applications at the moment."))
        return redirect("submissions:dashboard")
    try:
        entry = apps.submission_create(
            organisation=request.user.organisation, cycle=cycle, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("submissions:dashboard")
    messages.success(request, _("Application %(ref)s started.") % {"ref": entry.reference})
    return redirect("submissions:step", pk=entry.pk, step=1)


def _step_context(entry, step, form, **extra):
    return {
        "entry": entry,
        "step": step,
        "form": form,
        "edit_problem": apps.submission_edit_problem(entry),
        "step1_missing": checks.step1_missing(entry),
        **extra,
    }


@access("submissions.change_submission", object_from=entry_of)
def application_step(request, pk: int, step: int):
    """Step 1 or 2 of the application, saved as a whole (works without JavaScript)."""
    entry = request.access_object
    if step not in STEP_FORMS:
        raise Http404
    problem = apps.submission_edit_problem(entry)
    if problem and request.method != "POST":
        messages.info(request, problem)
        return redirect("submissions:preview", pk=entry.pk)
    if step == 2 and request.method != "POST":
        missing = checks.step1_missing(entry)
        if missing:
            messages.warning(
                request,
                _("Step 2 opens once step 1 is complete. Still missing: %(list)s.")
                % {"list": ", ".join(missing)},
            )
            return redirect("submissions:step", pk=entry.pk, step=1)
    data = request.POST if request.method == "POST" else None
    form = STEP_FORMS[step](data, submission=entry)
    contacts = contact_formset(submission=entry, data=data) if step == 1 else None
    partner_form = PartnerForm(prefix="partner") if step == 2 else None
    page_errors = []
    if request.method == "POST":
        valid = form.is_valid() & (contacts is None or contacts.is_valid())
        if valid:
            try:
                apps.submission_update(
                    submission=entry,
                    fields=form.answers(),
                    contacts=contacts_from(contacts) if contacts is not None else None,
                    goals=form.cleaned_data.get("goals") if step == 2 else None,
                    by=request.user,
                )
            except ValidationError as error:
                page_errors = _apply_errors(form, error)
            else:
                messages.success(request, _("Step %(n)s saved.") % {"n": step})
                if request.POST.get("then") == "next":
                    if step == 1:
                        return redirect("submissions:step", pk=entry.pk, step=2)
                    return redirect("submissions:attachments", pk=entry.pk)
                return redirect("submissions:step", pk=entry.pk, step=step)
        elif problem:
            # Too late whatever the answers: say so first, keep what was typed.
            page_errors = [problem]
        else:
            page_errors = [_("Nothing was saved: please correct the answers marked below.")]
        if not page_errors:
            page_errors = [_("Nothing was saved: please correct the answers marked below.")]
    return render(
        request,
        f"submissions/submission_step{step}.html",
        _step_context(
            entry,
            step,
            form,
            contacts=contacts,
            partner_form=partner_form,
            page_errors=page_errors,
        ),
        status=200 if not page_errors else 400,
    )


def _save_state(request, error: str | None):
    """The autosave status line: "Saved 14:02", or why the answer was not saved."""
    return render(
        request,
        "submissions/_save_state.html",
        {"error": error, "saved_at": timezone.localtime()},
    )


@require_POST
@access("submissions.change_submission", object_from=entry_of)
def field_save(request, pk: int, field: str):
    """Autosave of one answer (htmx): validate and save it alone, answer with a
    small fragment, "Saved 14:02" or the specific error."""
    entry = request.access_object
    if field not in FIELD_STEP:
        raise Http404
    form = STEP_FORMS[FIELD_STEP[field]](request.POST, submission=entry, only=field)
    error = None
    if not form.is_valid():
        error = " ".join(form.errors.get(field, [])) or " ".join(form.non_field_errors())
    else:
        try:
            if field == "goals":
                apps.submission_update(
                    submission=entry, goals=form.cleaned_data["goals"], by=request.user
                )
            else:
                apps.submission_update(submission=entry, fields=form.answers(), by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _save_state(request, error)


@require_POST
@access("submissions.change_submission", object_from=entry_of)
def contacts_save(request, pk: int):
    """Autosave of the contact persons (htmx): the three slots as one answer."""
    entry = request.access_object
    formset = contact_formset(submission=entry, data=request.POST)
    error = None
    if not formset.is_valid():
        error = " ".join(contact_errors(formset))
    else:
        try:
            apps.submission_update(
                submission=entry, contacts=contacts_from(formset), by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _save_state(request, error)


@require_POST
@access("submissions.change_submission", object_from=entry_of)
def partner_add(request, pk: int):
    entry = request.access_object
    form = PartnerForm(request.POST, prefix="partner")
    page_errors = [_("The partner was not added: please correct it below.")]
    if form.is_valid():
        try:
            apps.partner_add(submission=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            page_errors = list(error.messages)
        else:
            messages.success(request, _("Partner added."))
            return redirect(f"{_step_url(entry)}#partners")
    # Keep what was typed: step 2 again, with the partner form and its errors.
    return render(
        request,
        "submissions/submission_step2.html",
        _step_context(
            entry, 2, STEP_FORMS[2](submission=entry), partner_form=form, page_errors=page_errors
        ),
        status=400,
    )


def _step_url(entry) -> str:
    return reverse("submissions:step", args=[entry.pk, 2])


@require_POST
@access("submissions.change_submission", object_from=entry_of)
def partner_remove(request, pk: int, partner_pk: int):
    entry = request.access_object
    partner = get_object_or_404(Partner, pk=partner_pk, submission=entry)
    try:
        apps.partner_remove(partner=partner, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Partner removed."))
    return redirect(f"{_step_url(entry)}#partners")


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
            for message in _apply_errors(form, error):
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
            for message in _apply_errors(form, error):
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
