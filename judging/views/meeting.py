"""The committee's meeting (followed live with htmx polling), entry threads, the
meeting record PDF, and the calibration round."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import access
from accounts.params import parse_ids
from submissions.models import Submission

from .. import selectors
from .. import selectors_meeting as sel
from ..models import Meeting, PanelKind, PanelMember
from ..services import meeting as svc
from ..services.outcomes import outcome_choices
from ._common import panel_from, post_id, report_errors


def _viewer(request, panel):
    """(member or None for the Secretariat, may the viewer chair the meeting)."""
    member = (
        PanelMember.objects.filter(panel=panel, user=request.user).select_related("user").first()
    )
    return member, request.user.has_perm("judging.chair_panel", panel)


def _int_or_none(value):
    value = (value or "").strip()
    # ASCII digits only ("²".isdigit() is true but int() refuses it), and short: a
    # score is a small number, never an integer beyond the database's columns.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


@access("judging.view_meeting", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def meeting(request, cycle_number, kind):
    panel = request.access_object
    member, can_chair = _viewer(request, panel)
    if request.method == "POST":
        if not can_chair:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "start":
                svc.meeting_start(panel=panel, by=request.user)
                messages.success(
                    request, _("The meeting is open: everybody's screen follows yours.")
                )
            elif action == "goto":
                entry = get_object_or_404(
                    Submission, pk=post_id(request, "entry"), cycle=panel.cycle
                )
                svc.meeting_go_to(panel=panel, submission=entry, by=request.user)
            elif action == "end":
                svc.meeting_end(panel=panel, by=request.user)
                messages.success(request, _("The meeting is closed."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            report_errors(request, error)
        return redirect("judging:meeting", cycle_number=cycle_number, kind=kind)
    meeting_row = Meeting.objects.filter(panel=panel).first()
    rows = sel.meeting_agenda(panel, member)
    flagged = []
    if can_chair and not panel.closed_at and panel.kind == PanelKind.TECHNICAL_COMMITTEE:
        # Before the stage closes the chair sees the disputed entries and may ask
        # one more reviewer for them.
        flagged = selectors.panel_live_analysis(panel)[1]
    current = None
    if meeting_row and not meeting_row.ended_at and meeting_row.current_id:
        current = sel.meeting_entry_context(panel, meeting_row.current_id, member)
    return render(
        request,
        "judging/meeting.html",
        {
            "panel": panel,
            "meeting": meeting_row,
            "rows": rows,
            "current": current,
            "can_chair": can_chair,
            "is_member_view": member is not None and not can_chair,
            "choices": outcome_choices(panel),
            "members": list(panel.members.select_related("user")) if can_chair else [],
            "flagged": flagged,
            "can_ask": True,
            "tab": "meeting",
        },
    )


@access("judging.view_meeting", object_from=panel_from)
@require_GET
def meeting_current(request, cycle_number, kind):
    """The chair's current entry, polled by every screen (htmx, every few seconds).
    Answers 204 (htmx keeps the screen) while nothing changed since version ``v``."""
    panel = request.access_object
    meeting_row = Meeting.objects.filter(panel=panel).first()
    if meeting_row is None:
        return HttpResponse(status=204)
    if request.GET.get("v") == str(meeting_row.version):
        return HttpResponse(status=204)
    member, can_chair = _viewer(request, panel)
    current = None
    if not meeting_row.ended_at and meeting_row.current_id:
        current = sel.meeting_entry_context(panel, meeting_row.current_id, member)
    return render(
        request,
        "judging/_meeting_current.html",
        {
            "panel": panel,
            "meeting": meeting_row,
            "current": current,
            "can_chair": can_chair,
            "choices": outcome_choices(panel),
            "members": list(panel.members.select_related("user")) if can_chair else [],
        },
    )


@access("judging.view_meeting", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def meeting_entry(request, cycle_number, kind, submission_pk):
    """One entry's scores, comments and discussion thread; members post here before
    and during the meeting; the chair records the decision."""
    panel = request.access_object
    member, can_chair = _viewer(request, panel)
    submission = get_object_or_404(
        Submission.objects.select_related("organisation"), pk=submission_pk, cycle=panel.cycle
    )
    if not svc.entry_visible_to(panel, member, submission):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "post":
                svc.discussion_post(
                    panel=panel,
                    submission=submission,
                    member=member,
                    body=request.POST.get("body", ""),
                    by=request.user,
                )
                messages.success(request, _("Posted to the panel."))
            elif action == "decide":
                if not can_chair:
                    raise PermissionDenied
                mover = None
                if request.POST.get("moved_by"):
                    mover = get_object_or_404(
                        PanelMember, pk=post_id(request, "moved_by"), panel=panel
                    )
                svc.decision_record(
                    panel=panel,
                    submission=submission,
                    outcome=request.POST.get("outcome", ""),
                    moved_by=mover,
                    reason=request.POST.get("reason", ""),
                    votes_for=_int_or_none(request.POST.get("votes_for")),
                    votes_against=_int_or_none(request.POST.get("votes_against")),
                    abstentions=_int_or_none(request.POST.get("abstentions")),
                    by=request.user,
                )
                messages.success(request, _("Decision recorded."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            report_errors(request, error)
        if request.POST.get("next") == "meeting":
            return redirect("judging:meeting", cycle_number=cycle_number, kind=kind)
        return redirect(
            "judging:meeting_entry",
            cycle_number=cycle_number,
            kind=kind,
            submission_pk=submission.pk,
        )
    return render(
        request,
        "judging/meeting_entry.html",
        {
            "panel": panel,
            "current": sel.meeting_entry_context(panel, submission.pk, member),
            "can_chair": can_chair,
            "is_member_view": member is not None and not can_chair,
            "choices": outcome_choices(panel),
            "members": list(panel.members.select_related("user")) if can_chair else [],
            "tab": "meeting",
        },
    )


@access("judging.manage_panel", object_from=panel_from)
@require_GET
def meeting_record_pdf(request, cycle_number, kind):
    """The record of the meeting (decisions, movers, reasons, votes) as a PDF."""
    from ..meeting_pdf import meeting_record_pdf as build

    panel = request.access_object
    response = HttpResponse(build(panel), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="meeting-record-cycle{panel.cycle.number}-{panel.kind}.pdf"'
    )
    return response


# --- Calibration ---------------------------------------------------------------------


@access("judging.panel_member", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def calibration(request, cycle_number, kind):
    """A member scores the calibration entries (never counted in the ranking)."""
    panel = request.access_object
    member = get_object_or_404(PanelMember, panel=panel, user=request.user)
    criteria = list(panel.criteria.all())
    if request.method == "POST":
        entry = get_object_or_404(panel.calibration_entries.all(), pk=post_id(request, "entry"))
        values = {c.pk: _int_or_none(request.POST.get(f"value_{c.pk}")) for c in criteria}
        try:
            svc.calibration_score_save(
                panel=panel, member=member, submission=entry, values=values, by=request.user
            )
            messages.success(request, _("Calibration score saved."))
            return redirect("judging:calibration", cycle_number=cycle_number, kind=kind)
        except ValidationError as error:
            report_errors(request, error)
    entries = sel.calibration_entries_for(panel, member, criteria)
    return render(
        request,
        "judging/calibration_form.html",
        {"panel": panel, "entries": entries, "criteria": criteria, "tab": "calibration"},
    )


@access("judging.chair_panel", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def calibration_results(request, cycle_number, kind):
    """The chair and the Secretariat choose the calibration entries, see the spread,
    and open scoring by ending the round."""
    panel = request.access_object
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "configure":
                ids = parse_ids(request.POST.getlist("entries"))
                svc.calibration_configure(panel=panel, entry_ids=ids, active=True, by=request.user)
                messages.success(request, _("The calibration round is open."))
            elif action == "end":
                svc.calibration_configure(
                    panel=panel,
                    entry_ids=list(panel.calibration_entries.values_list("pk", flat=True)),
                    active=False,
                    by=request.user,
                )
                messages.success(request, _("The calibration round is over: scoring is open."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            report_errors(request, error)
        return redirect("judging:calibration_results", cycle_number=cycle_number, kind=kind)
    return render(
        request,
        "judging/calibration_results.html",
        {
            "panel": panel,
            "results": svc.calibration_results(panel),
            "candidates": sel.calibration_candidates(panel),
            "chosen": set(panel.calibration_entries.values_list("pk", flat=True)),
            "tab": "calibration",
        },
    )
