"""Stage setup, the assignment matrix, progress and reminders (Secretariat)."""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import access
from submissions.models import Submission

from .. import selectors
from ..documents import DOCUMENT_KINDS, document_job_list
from ..forms import CriterionForm, MemberInviteForm, PanelSettingsForm, ReleaseAssignmentForm
from ..models import Assignment, Criterion, PanelMember
from ..services import assignment as assign_svc
from ..services import outcomes as outcome_svc
from ..services import panels as svc
from ..services.reminders import reminders_send
from ._common import panel_from, panel_or_new_from, post_id, report_errors, run_action


def _to_setup(panel):
    return redirect("judging:panel_setup", cycle_number=panel.cycle.number, kind=panel.kind)


@access("judging.manage_panel", object_from=panel_or_new_from)
@require_http_methods(["GET", "POST"])
def panel_setup(request, cycle_number, kind):
    # The deadline is entered and shown in Beijing time, whatever the user's own zone.
    with timezone.override(zoneinfo.ZoneInfo(settings.AWARD_TIME_ZONE)):
        return _panel_setup(request, kind)


def _panel_create(request, unsaved):
    """A stage not set up yet: opening it changes nothing; the button creates it."""
    if request.method == "POST" and request.POST.get("action") == "create":
        panel = svc.panel_get_or_create(cycle=unsaved.cycle, kind=unsaved.kind)
        messages.success(request, _("The stage is set up with the default criteria."))
        return _to_setup(panel)
    return render(request, "judging/panel_create.html", {"panel": unsaved, "cycle": unsaved.cycle})


# Each action of the setup page: it reads its form from the POST, calls one service and
# returns the redirect, or None (the page is shown again with the form's errors).
def _save_settings(request, panel, forms):
    form = forms["settings_form"] = PanelSettingsForm(request.POST, instance=panel, prefix="panel")
    if not form.is_valid():
        return None
    cleaned = form.cleaned_data
    svc.panel_update_settings(
        panel=panel, values=cleaned, tie_break=cleaned["tie_break_text"], by=request.user
    )
    messages.success(request, _("Stage settings saved."))
    return _to_setup(panel)


def _invite_member(request, panel, forms):
    form = forms["invite_form"] = MemberInviteForm(request.POST, prefix="invite")
    if not form.is_valid():
        return None
    member, created = svc.member_invite(panel=panel, by=request.user, **form.cleaned_data)
    if created:
        messages.success(
            request,
            _("%(name)s was added and invited by email.") % {"name": member.user.display_name},
        )
    else:
        messages.info(
            request,
            _("%(name)s was already a member: details updated.")
            % {"name": member.user.display_name},
        )
    return _to_setup(panel)


def _remove_member(request, panel, forms):
    member = get_object_or_404(PanelMember, pk=post_id(request, "member"), panel=panel)
    svc.member_remove(member=member, by=request.user)
    messages.success(request, _("Member removed."))
    return _to_setup(panel)


def _save_criterion(request, panel, forms):
    existing = None
    if request.POST.get("criterion"):
        existing = get_object_or_404(Criterion, pk=post_id(request, "criterion"), panel=panel)
    form = forms["criterion_form"] = CriterionForm(request.POST, prefix="crit", instance=existing)
    if not form.is_valid():
        return None
    svc.criterion_save(panel=panel, criterion=existing, by=request.user, **form.service_kwargs())
    messages.success(request, _("Criterion saved."))
    return _to_setup(panel)


def _delete_criterion(request, panel, forms):
    criterion = get_object_or_404(Criterion, pk=post_id(request, "criterion"), panel=panel)
    svc.criterion_delete(criterion=criterion, by=request.user)
    messages.success(request, _("Criterion deleted."))
    return _to_setup(panel)


def _add_default_criteria(request, panel, forms):
    made = svc.criteria_create_defaults(panel=panel)
    messages.success(request, _("%(n)s default criteria added.") % {"n": made})
    return _to_setup(panel)


SETUP_ACTIONS = {
    "settings": _save_settings,
    "invite": _invite_member,
    "remove_member": _remove_member,
    "criterion": _save_criterion,
    "delete_criterion": _delete_criterion,
    "default_criteria": _add_default_criteria,
}


def _panel_setup(request, kind):
    panel = request.access_object
    if panel.pk is None:
        return _panel_create(request, panel)
    forms = {
        "settings_form": PanelSettingsForm(instance=panel, prefix="panel"),
        "invite_form": MemberInviteForm(prefix="invite"),
        "criterion_form": CriterionForm(prefix="crit"),
    }
    status = 200
    if request.method == "POST":
        response = run_action(request, SETUP_ACTIONS, panel, forms)
        if response is not None:
            return response
        status = 400
    criteria = list(panel.criteria.all())
    edit_forms = [
        (c, CriterionForm(instance=c, prefix="crit", auto_id=f"id_crit{c.pk}_%s")) for c in criteria
    ]
    return render(
        request,
        "judging/panel_setup.html",
        {
            "panel": panel,
            **forms,
            "members": panel.members.select_related("user"),
            "edit_forms": edit_forms,
            "tab": "setup",
        },
        status=status,
    )


@access("judging.manage_panel", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def assignment_matrix(request, cycle_number, kind):
    panel = request.access_object
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                submission = get_object_or_404(
                    Submission, pk=post_id(request, "entry"), cycle=panel.cycle
                )
                member = get_object_or_404(PanelMember, pk=post_id(request, "member"), panel=panel)
                assign_svc.assignment_add(
                    panel=panel, submission=submission, member=member, by=request.user
                )
                messages.success(request, _("Reviewer added."))
            elif action == "release":
                assignment = get_object_or_404(
                    Assignment, pk=post_id(request, "assignment"), panel=panel
                )
                form = ReleaseAssignmentForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Please give a reason for removing this reviewer."))
                assign_svc.assignment_release(
                    assignment=assignment,
                    reason=form.cleaned_data["reason"],
                    replace=form.cleaned_data["replace"],
                    by=request.user,
                )
                messages.success(request, _("Reviewer removed."))
            elif action == "auto":
                made = assign_svc.assignment_staff_panel(panel=panel, by=request.user)
                messages.success(request, _("%(n)s assignments made.") % {"n": made})
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            report_errors(request, error)
        return redirect("judging:assignment_matrix", cycle_number=cycle_number, kind=kind)
    entries, members, cells, conflicts = selectors.panel_matrix(panel)
    return render(
        request,
        "judging/assignment_matrix.html",
        {
            "panel": panel,
            "entries": entries,
            "members": members,
            "cells": cells,
            "conflicts": conflicts,
            "tab": "matrix",
        },
    )


@access("judging.manage_panel", object_from=panel_from)
@require_http_methods(["GET"])
def progress(request, cycle_number, kind):
    panel = request.access_object
    rows = selectors.reviewer_progress(panel)
    report, flagged = selectors.panel_live_analysis(panel)
    jobs = [j for j in document_job_list(user=request.user) if j.panel_id == panel.pk]
    return render(
        request,
        "judging/progress.html",
        {
            "panel": panel,
            "rows": rows,
            "agreement": selectors.agreement_rows(report, [r.member for r in rows]),
            "flagged": flagged,
            "can_ask": not panel.closed_at and panel.kind == "tc",
            "tab": "progress",
            "document_jobs": jobs,
            "document_kinds": DOCUMENT_KINDS,
        },
    )


@access("judging.chair_panel", object_from=panel_from)
@require_POST
def one_more_reviewer(request, cycle_number, kind, submission_pk):
    """The chair or the Secretariat asks one more reviewer for an entry."""
    panel = request.access_object
    submission = get_object_or_404(Submission, pk=submission_pk, cycle=panel.cycle)
    try:
        added = assign_svc.assignment_add_one_more(
            panel=panel, submission=submission, by=request.user
        )
        messages.success(
            request,
            _("%(name)s was asked to review %(ref)s as well.")
            % {"name": added.reviewer.user.display_name, "ref": submission.reference},
        )
    except ValidationError as error:
        report_errors(request, error)
    back = request.POST.get("next", "")
    if back in ("ranking", "progress", "meeting"):
        return redirect(f"judging:{back}", cycle_number=cycle_number, kind=kind)
    return redirect("judging:progress", cycle_number=cycle_number, kind=kind)


@access("judging.manage_panel", object_from=panel_from)
@require_POST
def send_reminders(request, cycle_number, kind):
    panel = request.access_object
    sent = reminders_send(panel=panel, by=request.user)
    if panel.closed_at:
        messages.error(request, _("The stage is closed: no reminders were sent."))
    else:
        messages.success(
            request,
            _("%(n)s reminders sent (members already reminded today are skipped).") % {"n": sent},
        )
    return redirect("judging:progress", cycle_number=cycle_number, kind=kind)


def close_or_reopen(request, panel, action):
    try:
        if action == "close":
            outcome_svc.panel_close(panel=panel, by=request.user)
            messages.success(request, _("The stage is closed and ranked."))
        elif action == "reopen":
            outcome_svc.panel_reopen(panel=panel, by=request.user)
            messages.success(request, _("Scoring is open again."))
    except ValidationError as error:
        report_errors(request, error)
