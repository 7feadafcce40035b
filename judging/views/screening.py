"""The Secretariat's eligibility screening."""

from django.contrib import messages
from django.core.exceptions import ValidationError
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
from ._common import report_errors, submission_from


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


@access("judging.screen", object_from=submission_from)
@require_http_methods(["GET", "POST"])
def screening_detail(request, pk):
    submission = selectors.submission_get_for_screening(pk=pk)
    targets = svc.RECONSIDER_TARGETS.get(Status(submission.status), ())
    ineligible_form = IneligibleForm(prefix="inel")
    clarification_form = ClarificationForm(prefix="clar")
    reconsider_form = ReconsiderForm(prefix="rec", targets=targets)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "eligible":
                svc.screening_mark_eligible(submission=submission, by=request.user)
                messages.success(
                    request, _("The entry is eligible and goes to the Technical Committee.")
                )
                return redirect("judging:screening_queue")
            if action == "ineligible":
                ineligible_form = IneligibleForm(request.POST, prefix="inel")
                if ineligible_form.is_valid():
                    svc.screening_mark_ineligible(
                        submission=submission,
                        reason=ineligible_form.cleaned_data["reason"],
                        note=ineligible_form.cleaned_data["note"],
                        by=request.user,
                    )
                    messages.success(
                        request, _("The entry is marked not eligible; the city is told.")
                    )
                    return redirect("judging:screening_queue")
            elif action == "clarify":
                clarification_form = ClarificationForm(request.POST, prefix="clar")
                if clarification_form.is_valid():
                    svc.screening_request_clarification(
                        submission=submission,
                        question=clarification_form.cleaned_data["question"],
                        by=request.user,
                    )
                    messages.success(request, _("The question was sent to the city."))
                    return redirect("judging:screening_queue")
            elif action == "reconsider":
                reconsider_form = ReconsiderForm(request.POST, prefix="rec", targets=targets)
                if reconsider_form.is_valid():
                    data = reconsider_form.cleaned_data
                    svc.screening_reconsider(
                        submission=submission,
                        to=data["to"],
                        note=data["note"],
                        reason=data["reason"],
                        by=request.user,
                    )
                    messages.success(request, _("The decision was changed."))
                    return redirect("judging:screening_detail", pk=submission.pk)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            report_errors(request, error)
        submission.refresh_from_db()
    report = getattr(submission, "screening_report", None)
    return render(
        request,
        "judging/screening_detail.html",
        {
            "submission": submission,
            "report": report,
            "ineligible_form": ineligible_form,
            "clarification_form": clarification_form,
            "reconsider_form": reconsider_form if targets else None,
            "can_decide": workflow.can(submission.status, "mark_ineligible"),
            "can_mark_eligible": workflow.can(submission.status, "mark_eligible"),
            "can_ask": workflow.can(submission.status, "request_clarification"),
            "feedback_changes": feedback_changes_or_none(submission),
        },
        status=400 if request.method == "POST" else 200,
    )
