"""Filling in the application: starting it, steps 1 and 2 (whole, or one answer at a
time by autosave), the partners."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access
from submissions import checks
from submissions.forms.application import (
    FIELD_STEP,
    STEP_FORMS,
    PartnerForm,
    contact_errors,
    contact_formset,
    contacts_from,
)
from submissions.models import Partner
from submissions.selectors import applications as selectors
from submissions.services import applications as apps

from ._common import apply_errors, entry_of


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


def nothing_saved() -> str:
    return _("Nothing was saved: please correct the answers marked below.")


def step_refusal(request, entry, step: int):
    """Opening a step (GET): the redirect when it may not be filled in now (too late:
    the preview; step 2 before step 1 is complete: step 1), with why; else None."""
    problem = apps.submission_edit_problem(entry)
    if problem:
        messages.info(request, problem)
        return redirect("submissions:preview", pk=entry.pk)
    if step == 2:
        missing = checks.step1_missing(entry)
        if missing:
            messages.warning(
                request,
                _("Step 2 opens once step 1 is complete. Still missing: %(list)s.")
                % {"list": ", ".join(missing)},
            )
            return redirect("submissions:step", pk=entry.pk, step=1)
    return None


def step_save(request, entry, step: int, form, contacts) -> list[str]:
    """Save a step's valid answers as a whole; the page's errors ([] when saved). A
    service's field errors go on ``form``."""
    try:
        apps.submission_update(
            submission=entry,
            fields=form.answers(),
            contacts=contacts_from(contacts) if contacts is not None else None,
            goals=form.cleaned_data.get("goals") if step == 2 else None,
            by=request.user,
        )
    except ValidationError as error:
        return apply_errors(form, error) or [nothing_saved()]
    return []


def after_step(request, entry, step: int):
    """Where a saved step goes: the same step, or ("then" = "next") the next one."""
    messages.success(request, _("Step %(n)s saved.") % {"n": step})
    if request.POST.get("then") == "next":
        if step == 1:
            return redirect("submissions:step", pk=entry.pk, step=2)
        return redirect("submissions:attachments", pk=entry.pk)
    return redirect("submissions:step", pk=entry.pk, step=step)


@access("submissions.change_submission", object_from=entry_of)
def application_step(request, pk: int, step: int):
    """Step 1 or 2 of the application, saved as a whole (works without JavaScript)."""
    entry = request.access_object
    if step not in STEP_FORMS:
        raise Http404
    if request.method != "POST":
        refusal = step_refusal(request, entry, step)
        if refusal is not None:
            return refusal
    data = request.POST if request.method == "POST" else None
    form = STEP_FORMS[step](data, submission=entry)
    contacts = contact_formset(submission=entry, data=data) if step == 1 else None
    page_errors = []
    if request.method == "POST":
        if form.is_valid() & (contacts is None or contacts.is_valid()):
            page_errors = step_save(request, entry, step, form, contacts)
            if not page_errors:
                return after_step(request, entry, step)
        else:
            # Too late whatever the answers: say so first, keep what was typed.
            page_errors = [apps.submission_edit_problem(entry) or nothing_saved()]
    return render(
        request,
        f"submissions/submission_step{step}.html",
        _step_context(
            entry,
            step,
            form,
            contacts=contacts,
            partner_form=PartnerForm(prefix="partner") if step == 2 else None,
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
