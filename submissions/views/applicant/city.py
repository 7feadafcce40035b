"""The city: the dashboard of its initiatives, registering and editing it, its members
and invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import access
from submissions.forms.application import ClarificationAnswerForm
from submissions.forms.organisation import InvitationForm, OrganisationForm
from submissions.selectors import applications as selectors
from submissions.services import applications as apps
from submissions.services import organisations as orgs
from submissions.workflow import PUBLISHABLE, Status

from ._common import apply_errors, own_organisation


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
            page_errors = apply_errors(form, error)
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
            page_errors = apply_errors(form, error)
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
                for message in apply_errors(form, error):
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
