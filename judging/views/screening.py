"""The Secretariat's eligibility screening."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import access
from accounts.params import parse_id, parse_ids
from submissions import workflow
from submissions.models import Cycle
from submissions.services.feedback import feedback_changes_or_none
from submissions.workflow import Status

from .. import selectors
from ..forms import ClarificationForm, IneligibleForm, ReconsiderForm
from ..services import screening as svc
from ._common import run_action, submission_from


@access("judging.screen")
@require_http_methods(["GET", "POST"])
def screening_queue(request):
    cycle_id = None
    cycle_param = request.GET.get("cycle") or ""
    cycles = list(Cycle.objects.order_by("-number"))
    if parse_id(cycle_param) is not None:
        cycle_id = next((c.pk for c in cycles if c.number == parse_id(cycle_param)), -1)
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("entry"))
        if not ids:
            messages.error(request, _("Tick the entries to mark eligible."))
        else:
            done, skipped = svc.screening_bulk_mark_eligible(submission_ids=ids, by=request.user)
            messages.success(request, _("%(n)s entries marked eligible.") % {"n": done})
            for line in skipped:
                messages.warning(request, line)
        return redirect(request.get_full_path())
    entries = list(selectors.submission_list_for_screening(cycle_id=cycle_id))
    waiting = list(selectors.submission_list_awaiting_city(cycle_id=cycle_id))
    return render(
        request,
        "judging/screening_queue.html",
        {"entries": entries, "waiting": waiting, "cycles": cycles, "cycle_param": cycle_param},
    )


# Each decision of the screening page: it reads its form from the POST, calls one service
# and returns the redirect, or None (the page is shown again with the form's errors).
def _mark_eligible(request, submission, forms):
    svc.screening_mark_eligible(submission=submission, by=request.user)
    messages.success(request, _("The entry is eligible and goes to the Technical Committee."))
    return redirect("judging:screening_queue")


def _mark_ineligible(request, submission, forms):
    form = forms["ineligible_form"] = IneligibleForm(request.POST, prefix="inel")
    if not form.is_valid():
        return None
    svc.screening_mark_ineligible(
        submission=submission,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
        by=request.user,
    )
    messages.success(request, _("The entry is marked not eligible; the city is told."))
    return redirect("judging:screening_queue")


def _ask_clarification(request, submission, forms):
    form = forms["clarification_form"] = ClarificationForm(request.POST, prefix="clar")
    if not form.is_valid():
        return None
    svc.screening_request_clarification(
        submission=submission, question=form.cleaned_data["question"], by=request.user
    )
    messages.success(request, _("The question was sent to the city."))
    return redirect("judging:screening_queue")


def _reconsider(request, submission, forms):
    form = forms["reconsider_form"] = ReconsiderForm(
        request.POST, prefix="rec", targets=_reconsider_targets(submission)
    )
    if not form.is_valid():
        return None
    data = form.cleaned_data
    svc.screening_reconsider(
        submission=submission,
        to=data["to"],
        note=data["note"],
        reason=data["reason"],
        by=request.user,
    )
    messages.success(request, _("The decision was changed."))
    return redirect("judging:screening_detail", pk=submission.pk)


SCREENING_ACTIONS = {
    "eligible": _mark_eligible,
    "ineligible": _mark_ineligible,
    "clarify": _ask_clarification,
    "reconsider": _reconsider,
}


def _reconsider_targets(submission) -> tuple:
    """The statuses a decision on ``submission`` may be changed to (none: no form)."""
    return svc.RECONSIDER_TARGETS.get(Status(submission.status), ())


@access("judging.screen", object_from=submission_from)
@require_http_methods(["GET", "POST"])
def screening_detail(request, pk):
    submission = selectors.submission_get_for_screening(pk=pk)
    targets = _reconsider_targets(submission)
    forms = {
        "ineligible_form": IneligibleForm(prefix="inel"),
        "clarification_form": ClarificationForm(prefix="clar"),
        "reconsider_form": ReconsiderForm(prefix="rec", targets=targets),
    }
    if request.method == "POST":
        response = run_action(request, SCREENING_ACTIONS, submission, forms)
        if response is not None:
            return response
        submission.refresh_from_db()
    return render(
        request,
        "judging/screening_detail.html",
        {
            "submission": submission,
            "report": getattr(submission, "screening_report", None),
            **forms,
            "reconsider_form": forms["reconsider_form"] if targets else None,
            "can_decide": workflow.can(submission.status, "mark_ineligible"),
            "can_mark_eligible": workflow.can(submission.status, "mark_eligible"),
            "can_ask": workflow.can(submission.status, "request_clarification"),
            "feedback_changes": feedback_changes_or_none(submission),
        },
        status=400 if request.method == "POST" else 200,
    )
