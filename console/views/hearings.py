"""Public hearings: the Secretariat creates sessions and puts each shortlisted entry
in a slot (times in Beijing time)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from console.forms import HearingSessionForm, HearingSlotForm
from console.views._common import cycle_or_404, form_errors, secretariat_only
from judging import selectors as judging_selectors
from judging.models import HearingSession, HearingSlot
from judging.services import hearings as svc
from submissions.models import Submission
from submissions.workflow import SHORTLISTED_OR_BETTER


@secretariat_only
def hearings(request, number: int):
    cycle = cycle_or_404(number)
    session_form = HearingSessionForm(prefix="session")
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "session":
            session_form = HearingSessionForm(request.POST, prefix="session")
            if session_form.is_valid():
                try:
                    svc.hearing_session_create(
                        cycle=cycle, by=request.user, **session_form.cleaned_data
                    )
                except ValidationError as error:
                    form_errors(session_form, error)
                else:
                    messages.success(request, _("The hearing session was created."))
                    return redirect("console:hearings", number=cycle.number)
        elif request.POST.get("action") == "slot":
            slot_form = HearingSlotForm(request.POST)
            entry = session = None
            if slot_form.is_valid():
                entry = Submission.objects.filter(
                    cycle=cycle, pk=slot_form.cleaned_data["entry"]
                ).first()
                session = HearingSession.objects.filter(
                    cycle=cycle, pk=slot_form.cleaned_data["session"]
                ).first()
            if entry is None or session is None:
                messages.error(
                    request, _("Choose a session and a time for an entry of this cycle.")
                )
            else:
                try:
                    svc.hearing_slot_assign(
                        session=session,
                        submission=entry,
                        starts_at=slot_form.cleaned_data["starts_at"],
                        minutes=slot_form.cleaned_data["minutes"],
                        by=request.user,
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(
                        request, _("%(ref)s has its hearing slot.") % {"ref": entry.reference}
                    )
                    return redirect("console:hearings", number=cycle.number)
        status = 400
    sessions = list(judging_selectors.hearing_sessions_for_cycle(cycle_id=cycle.pk))
    slots = {
        s.submission_id: s
        for s in HearingSlot.objects.filter(session__cycle=cycle).select_related("session")
    }
    entries = list(
        Submission.objects.filter(cycle=cycle, status__in=SHORTLISTED_OR_BETTER)
        .select_related("organisation")
        .order_by("sequence")
    )
    rows = [(e, slots.get(e.pk)) for e in entries]
    return render(
        request,
        "console/hearings.html",
        {"cycle": cycle, "sessions": sessions, "rows": rows, "session_form": session_form},
        status=status,
    )


@secretariat_only
def hearing_session(request, number: int, pk: int):
    """Correct a session (time, place, link, theme), or remove an empty one."""
    cycle = cycle_or_404(number)
    session = get_object_or_404(HearingSession, cycle=cycle, pk=pk)
    initial = {f: getattr(session, f) for f in ("starts_at", "theme", "place", "online_link")}
    form = HearingSessionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                svc.hearing_session_delete(session=session, by=request.user)
                messages.success(request, _("The hearing session was removed."))
                return redirect("console:hearings", number=cycle.number)
            if form.is_valid():
                svc.hearing_session_update(session=session, by=request.user, **form.cleaned_data)
                messages.success(request, _("The hearing session was saved."))
                return redirect("console:hearings", number=cycle.number)
        except ValidationError as error:
            form_errors(form, error)
        status = 400
    return render(
        request,
        "console/hearing_session.html",
        {"cycle": cycle, "session": session, "form": form, "slots": session.slots.count()},
        status=status,
    )
