"""A member's expertise and wishes before the assignment runs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import access
from submissions.classifications import Domain, Topic

from ..forms import ExpertiseForm
from ..models import EntryPreference, PanelMember, Preference
from ..services import preferences as svc
from ._common import panel_from, report_errors


def _member(request, panel) -> PanelMember:
    return get_object_or_404(
        PanelMember.objects.select_related("panel__cycle"), panel=panel, user=request.user
    )


@access("judging.panel_member", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def expertise(request, cycle_number, kind):
    panel = request.access_object
    member = _member(request, panel)
    known = set(member.expertise or [])
    form = ExpertiseForm(
        initial={
            "topics": [t for t in Topic.values if t in known],
            "domains": [d for d in Domain.values if d in known],
        }
    )
    if request.method == "POST":
        form = ExpertiseForm(request.POST)
        if form.is_valid():
            try:
                svc.member_update_expertise(
                    member=member,
                    expertise=form.cleaned_data["topics"] + form.cleaned_data["domains"],
                    by=request.user,
                )
                messages.success(request, _("Your expertise is saved: it guides the assignment."))
                return redirect("judging:expertise", cycle_number=cycle_number, kind=kind)
            except ValidationError as error:
                report_errors(request, error)
    return render(
        request,
        "judging/expertise_form.html",
        {"panel": panel, "member": member, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@access("judging.panel_member", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def preferences(request, cycle_number, kind):
    panel = request.access_object
    member = _member(request, panel)
    entries = svc.preference_entries(member)
    if request.method == "POST":
        levels = {e.pk: request.POST.get(f"pref_{e.pk}", "") for e in entries}
        try:
            n = svc.preferences_save(member=member, levels=levels, by=request.user)
            messages.success(request, _("%(n)s wishes saved.") % {"n": n})
            return redirect("judging:preferences", cycle_number=cycle_number, kind=kind)
        except ValidationError as error:
            report_errors(request, error)
    current = dict(
        EntryPreference.objects.filter(member=member).values_list("submission_id", "level")
    )
    for e in entries:
        e.wish = current.get(e.pk, "")
    return render(
        request,
        "judging/preferences_form.html",
        {
            "panel": panel,
            "member": member,
            "entries": entries,
            "levels": Preference.choices,
            "assigned": panel.assignments.filter(reviewer=member).exists(),
        },
    )
