"""The shortlist phase: the city's hearing slot, the jury's view of the hearings and
presentations, the Technical Committee's analysis, the jury chair's sign-off."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import access
from submissions.models import Submission
from submissions.selectors.jury_report import jury_report_get
from submissions.workflow import SHORTLISTED_OR_BETTER

from .. import selectors
from ..forms_shortlist import DelegatesForm, JuryReportForm, PresentationForm, ShortlistReportForm
from ..models import HearingSlot, PanelKind, ShortlistReport
from ..services import hearings as hearing_svc
from ..services import reports as report_svc
from ._common import panel_from, report_errors


def shortlisted_entry_from(request, pk):
    entry = get_object_or_404(
        Submission.objects.select_related("cycle", "organisation"),
        pk=pk,
        status__in=SHORTLISTED_OR_BETTER,
    )
    return entry


@access("submissions.change_submission", object_from=shortlisted_entry_from)
@require_http_methods(["GET", "POST"])
def hearing_city(request, pk):
    """The city's own hearing slot: confirm attendance, name delegates, upload the
    presentation. The entry itself stays locked."""
    entry = request.access_object
    slot = HearingSlot.objects.select_related("session").filter(submission=entry).first()
    places = entry.cycle.funded_delegates
    delegates_form = DelegatesForm(
        places=places, initial_delegates=slot.delegates if slot else [], prefix="del"
    )
    presentation_form = PresentationForm(prefix="pres")
    status = 200
    if request.method == "POST":
        if slot is None:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "confirm":
                delegates_form = DelegatesForm(request.POST, places=places, prefix="del")
                if delegates_form.is_valid():
                    hearing_svc.hearing_slot_confirm(
                        slot=slot, delegates=delegates_form.delegates(), by=request.user
                    )
                    messages.success(request, _("Thank you: your attendance is confirmed."))
                    return redirect("shortlist:hearing_city", pk=entry.pk)
            elif action == "presentation":
                presentation_form = PresentationForm(request.POST, request.FILES, prefix="pres")
                if presentation_form.is_valid():
                    hearing_svc.hearing_presentation_set(
                        slot=slot,
                        upload=presentation_form.cleaned_data.get("presentation"),
                        video_url=presentation_form.cleaned_data.get("video_url") or "",
                        by=request.user,
                    )
                    messages.success(request, _("Your presentation is saved."))
                    return redirect("shortlist:hearing_city", pk=entry.pk)
        except ValidationError as error:
            report_errors(request, error)
        status = 400
    return render(
        request,
        "judging/hearing_city.html",
        {
            "entry": entry,
            "slot": slot,
            "delegates_form": delegates_form,
            "presentation_form": presentation_form,
            "can_prepare": not entry.cycle.is_published,
            "places": places,
        },
        status=status,
    )


def slot_from(request, pk):
    return get_object_or_404(
        HearingSlot.objects.select_related("session", "submission__organisation"), pk=pk
    )


@access("judging.view_presentation", object_from=slot_from)
@require_http_methods(["GET"])
def hearing_presentation(request, pk):
    """A city's presentation file: its city, the Secretariat and the cycle's jury."""
    slot = request.access_object
    if not slot.presentation:
        raise Http404
    try:
        handle = slot.presentation.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=slot.presentation_name or "presentation",
        content_type=slot.presentation_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def jury_panel_from(request, cycle_number):
    return panel_from(request, cycle_number, PanelKind.JURY)


@access("judging.view_hearings", object_from=jury_panel_from)
@require_http_methods(["GET"])
def hearings_jury(request, cycle_number):
    """The hearing sessions with every slot, delegate and presentation, and the
    committee's summary beside each entry: for the jury and the Secretariat."""
    panel = request.access_object
    cycle = panel.cycle
    tc = cycle.panels.filter(kind=PanelKind.TECHNICAL_COMMITTEE).first()
    can_read_analysis = tc is not None and request.user.has_perm(
        "judging.view_shortlist_report", tc
    )
    return render(
        request,
        "judging/hearings_jury.html",
        {
            "cycle": cycle,
            "panel": panel,
            "sessions": list(selectors.hearing_sessions_for_cycle(cycle_id=cycle.pk)),
            "summaries": selectors.shortlist_summaries(cycle_id=cycle.pk)
            if can_read_analysis
            else {},
            "can_read_analysis": can_read_analysis,
        },
    )


def tc_panel_from(request, cycle_number):
    return panel_from(request, cycle_number, PanelKind.TECHNICAL_COMMITTEE)


@access("judging.view_shortlist_report", object_from=tc_panel_from)
@require_http_methods(["GET", "POST"])
def shortlist_report(request, cycle_number):
    """The committee's analysis of the shortlist: written by the TC chair, read by the
    jury (in the jury stage) and the Secretariat. Never shown to cities or the public."""
    panel = request.access_object
    cycle = panel.cycle
    report = ShortlistReport.objects.filter(cycle=cycle).first()
    entries = list(
        Submission.objects.filter(cycle=cycle, status__in=SHORTLISTED_OR_BETTER)
        .select_related("organisation")
        .order_by("sequence")
    )
    summaries = selectors.shortlist_summaries(cycle_id=cycle.pk)
    can_write = request.user.has_perm("judging.write_shortlist_report", panel)
    form = ShortlistReportForm(
        initial={"text": report.text if report else ""}, entries=entries, summaries=summaries
    )
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = ShortlistReportForm(request.POST, entries=entries)
        if form.is_valid():
            try:
                report_svc.shortlist_report_save(
                    cycle=cycle,
                    text=form.cleaned_data["text"],
                    summaries=form.summaries(),
                    by=request.user,
                )
            except ValidationError as error:
                report_errors(request, error)
            else:
                messages.success(request, _("The analysis is saved."))
                return redirect("shortlist:shortlist_report", cycle_number=cycle.number)
        status = 400
    rows = [(e, summaries.get(e.pk, "")) for e in entries]
    return render(
        request,
        "judging/shortlist_report.html",
        {
            "cycle": cycle,
            "report": report,
            "rows": rows,
            "form": form,
            "can_write": can_write,
        },
        status=status,
    )


@access("judging.sign_jury_report", object_from=jury_panel_from)
@require_http_methods(["GET", "POST"])
def jury_report(request, cycle_number):
    """The jury chair writes the introduction and signs the jury report off."""
    panel = request.access_object
    cycle = panel.cycle
    form = JuryReportForm(initial={"introduction": cycle.jury_report})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form = JuryReportForm(request.POST)
        try:
            if action == "save" and form.is_valid():
                report_svc.jury_report_save_introduction(
                    cycle=cycle, introduction=form.cleaned_data["introduction"], by=request.user
                )
                messages.success(request, _("The introduction is saved."))
                return redirect("shortlist:jury_report", cycle_number=cycle.number)
            if action == "sign":
                report_svc.jury_report_sign(cycle=cycle, by=request.user)
                messages.success(request, _("The jury report is signed."))
                return redirect("shortlist:jury_report", cycle_number=cycle.number)
        except ValidationError as error:
            report_errors(request, error)
        status = 400
        cycle.refresh_from_db()
    return render(
        request,
        "judging/jury_report.html",
        {
            "cycle": cycle,
            "panel": panel,
            "form": form,
            "report": jury_report_get(cycle=cycle),
            "problems": report_svc.jury_report_sign_problems(cycle),
        },
        status=status,
    )
