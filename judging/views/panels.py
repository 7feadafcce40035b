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
from ..forms import CriterionForm, MemberInviteForm, PanelSettingsForm, ReleaseAssignmentForm
from ..models import Assignment, Criterion, PanelMember
from ..services import assignment as assign_svc
from ..services import outcomes as outcome_svc
from ..services import panels as svc
from ..services.reminders import reminders_send
from ._common import panel_from, panel_or_new_from, post_id, report_errors


def _to_setup(panel):
    return redirect("judging:panel_setup", cycle_number=panel.cycle.number, kind=panel.kind)


@access("judging.manage_panel", object_from=panel_or_new_from)
@require_http_methods(["GET", "POST"])
def panel_setup(request, cycle_number, kind):
    # The deadline is entered and shown in Beijing time, whatever the user's own zone.
    with timezone.override(zoneinfo.ZoneInfo(settings.AWARD_TIME_ZONE)):
        return _panel_setup(request, kind)


def _panel_setup(request, kind):
    panel = request.access_object
    if panel.pk is None:
        panel = svc.panel_get_or_create(cycle=panel.cycle, kind=kind)
    settings_form = PanelSettingsForm(instance=panel, prefix="panel")
    invite_form = MemberInviteForm(prefix="invite")
    criterion_form = CriterionForm(prefix="crit")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                settings_form = PanelSettingsForm(request.POST, instance=panel, prefix="panel")
                if settings_form.is_valid():
                    cleaned = settings_form.cleaned_data
                    svc.panel_update_settings(
                        panel=panel,
                        values=cleaned,
                        tie_break=cleaned["tie_break_text"],
                        by=request.user,
                    )
                    messages.success(request, _("Stage settings saved."))
                    return _to_setup(panel)
            elif action == "invite":
                invite_form = MemberInviteForm(request.POST, prefix="invite")
                if invite_form.is_valid():
                    member, created = svc.member_invite(
                        panel=panel, by=request.user, **invite_form.cleaned_data
                    )
                    if created:
                        messages.success(
                            request,
                            _("%(name)s was added and invited by email.")
                            % {"name": member.user.display_name},
                        )
                    else:
                        messages.info(
                            request,
                            _("%(name)s was already a member: details updated.")
                            % {"name": member.user.display_name},
                        )
                    return _to_setup(panel)
            elif action == "remove_member":
                member = get_object_or_404(PanelMember, pk=post_id(request, "member"), panel=panel)
                svc.member_remove(member=member, by=request.user)
                messages.success(request, _("Member removed."))
                return _to_setup(panel)
            elif action == "criterion":
                existing = None
                if request.POST.get("criterion"):
                    existing = get_object_or_404(
                        Criterion, pk=post_id(request, "criterion"), panel=panel
                    )
                criterion_form = CriterionForm(request.POST, prefix="crit", instance=existing)
                if criterion_form.is_valid():
                    svc.criterion_save(
                        panel=panel,
                        criterion=existing,
                        by=request.user,
                        **criterion_form.service_kwargs(),
                    )
                    messages.success(request, _("Criterion saved."))
                    return _to_setup(panel)
            elif action == "delete_criterion":
                criterion = get_object_or_404(
                    Criterion, pk=post_id(request, "criterion"), panel=panel
                )
                svc.criterion_delete(criterion=criterion, by=request.user)
                messages.success(request, _("Criterion deleted."))
                return _to_setup(panel)
            elif action == "default_criteria":
                made = svc.criteria_create_defaults(panel=panel)
                messages.success(request, _("%(n)s default criteria added.") % {"n": made})
                return _to_setup(panel)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            report_errors(request, error)
        status = 400
    members = panel.members.select_related("user")
    criteria = list(panel.criteria.all())
    edit_forms = [
        (c, CriterionForm(instance=c, prefix="crit", auto_id=f"id_crit{c.pk}_%s")) for c in criteria
    ]
    return render(
        request,
        "judging/panel_setup.html",
        {
            "panel": panel,
            "settings_form": settings_form,
            "invite_form": invite_form,
            "criterion_form": criterion_form,
            "members": members,
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
    return render(
        request, "judging/progress.html", {"panel": panel, "rows": rows, "tab": "progress"}
    )


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
