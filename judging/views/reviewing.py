"""A panel member's queue, conflict declaration and score sheet; entry files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import access
from submissions.models import Attachment
from submissions.services.feedback import feedback_changes_or_none
from submissions.views.files import serve_attachment

from .. import selectors
from ..documents import DOCUMENT_KINDS, document_job_list
from ..forms import ConflictForm, ScoreForm
from ..models import HearingSlot, Panel, PanelKind, PanelMember, Review
from ..services import assignment as assign_svc
from ..services.reviews import review_save
from ._common import assignment_from, attachment_submission_from, report_errors


@access("judging.review")
@require_http_methods(["GET"])
def reviewer_queue(request):
    assignments = list(selectors.assignment_list_for_reviewer(user=request.user))
    panels = {}
    for a in assignments:
        review = getattr(a, "review", None)
        a.is_done = review is not None and review.is_submitted
        a.has_draft = review is not None and not review.is_submitted
        group = panels.setdefault(a.panel_id, {"panel": a.panel, "items": [], "done": 0})
        group["items"].append(a)
        group["done"] += a.is_done
    next_up = next((a for a in assignments if not a.is_done and not a.panel.closed_at), None)
    memberships = list(
        PanelMember.objects.filter(user=request.user, panel__released_at__isnull=True)
        .select_related("panel__cycle")
        .only("panel__kind", "panel__closed_at", "panel__calibration_round", "panel__cycle__number")
        .order_by("-panel__cycle__number", "panel__kind")
    )
    jobs = document_job_list(user=request.user)
    for group in panels.values():
        group["jobs"] = [j for j in jobs if j.panel_id == group["panel"].pk]
    return render(
        request,
        "judging/review_queue.html",
        {
            "groups": list(panels.values()),
            "next_up": next_up,
            "document_kinds": DOCUMENT_KINDS,
            "memberships": memberships,
        },
    )


@access("judging.declare_conflict", object_from=assignment_from)
@require_http_methods(["GET", "POST"])
def conflict(request, pk):
    assignment = request.access_object
    form = ConflictForm()
    if request.method == "POST":
        form = ConflictForm(request.POST)
        form.is_valid()
        try:
            if request.POST.get("action") == "no_conflict":
                assign_svc.assignment_confirm_no_conflict(assignment=assignment, by=request.user)
                return redirect("judging:score", pk=assignment.pk)
            assign_svc.assignment_declare_conflict(
                assignment=assignment, reason=form.cleaned_data.get("reason", ""), by=request.user
            )
            messages.success(
                request, _("Thank you: the entry was taken off your list and will be reassigned.")
            )
            return redirect("judging:reviewer_queue")
        except ValidationError as error:
            report_errors(request, error)
    return render(
        request,
        "judging/conflict_form.html",
        {"assignment": assignment, "submission": assignment.submission, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _assignment_for_scoring(request, pk):
    if request.method == "POST":
        return get_object_or_404(selectors.assignment_list_for_saving(), pk=pk)
    return selectors.assignment_with_entry_cycle(
        get_object_or_404(selectors.assignment_list_for_scoring(), pk=pk)
    )


@access("judging.score", object_from=_assignment_for_scoring)
@require_http_methods(["GET", "POST"])
def score(request, pk):
    assignment = request.access_object
    panel = assignment.panel
    criteria = list(panel.criteria.all())
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    assignment.review = review
    initial = {}
    if review is not None:
        initial = {
            "overall_comment": review.overall_comment,
            "recommendation": review.recommendation,
        }
        for s in review.scores.all():
            initial[f"value_{s.criterion_id}"] = s.value
            initial[f"comment_{s.criterion_id}"] = s.comment
    is_tc = panel.kind == PanelKind.TECHNICAL_COMMITTEE
    form = ScoreForm(initial=initial, criteria=criteria, with_recommendation=is_tc)
    status = 200
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria, with_recommendation=is_tc)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                review_save(
                    assignment=assignment,
                    values=form.values(),
                    comments=form.comments(),
                    overall_comment=form.cleaned_data["overall_comment"],
                    recommendation=form.cleaned_data.get("recommendation", ""),
                    submit=submit,
                    by=request.user,
                )
                messages.success(
                    request,
                    _("Your review is submitted. You may revise it until the stage closes.")
                    if submit or (review and review.is_submitted)
                    else _("Draft saved."),
                )
                return redirect("judging:score", pk=assignment.pk)
            except ValidationError as error:
                report_errors(request, error)
        status = 400
    submission = assignment.submission
    # The entry's parts, read once for the page and the application's body.
    prefetch_related_objects([submission], "contacts", "partners", "goals", "attachments")
    next_up = None
    if review is not None and review.is_submitted:  # the only time the page offers it
        next_up = selectors.assignment_next_unscored(user=request.user, after=assignment)
    return render(
        request,
        "judging/review_form.html",
        {
            "assignment": assignment,
            "panel": panel,
            "submission": submission,
            "review": review,
            "form": form,
            "peers": list(selectors.peer_reviews(assignment=assignment)),
            "attachments": list(submission.attachments.all()),
            "closed": bool(panel.closed_at),
            "next_up": next_up,
            "feedback_changes": feedback_changes_or_none(submission),
            **_shortlist_context(request, panel, submission),
        },
        status=status,
    )


def _shortlist_context(request, panel, submission) -> dict:
    """For the jury: the entry's hearing slot and the committee's summary beside it."""
    if panel.kind != PanelKind.JURY:
        return {}
    slot = HearingSlot.objects.select_related("session").filter(submission=submission).first()
    tc = Panel.objects.filter(cycle_id=panel.cycle_id, kind=PanelKind.TECHNICAL_COMMITTEE).first()
    summary = ""
    if tc is not None and request.user.has_perm("judging.view_shortlist_report", tc):
        summary = selectors.shortlist_summaries(cycle_id=panel.cycle_id).get(submission.pk, "")
    return {"hearing_slot": slot, "tc_summary": summary, "show_shortlist": True}


@access("judging.view_attachment", object_from=attachment_submission_from)
@require_http_methods(["GET"])
def attachment(request, submission_pk, attachment_pk):
    item = get_object_or_404(Attachment, pk=attachment_pk, submission_id=submission_pk)
    return serve_attachment(item)
