"""Ranking and outcome proposals of a stage (Secretariat and the panel's chair)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import access
from submissions.public_cache import public_generation

from .. import selectors
from ..forms import CitationForm, ProposalMoveForm
from ..models import OutcomeProposal, Ranking
from ..services import outcomes as svc
from ..services.ranking import describe_rule, ranking_compute
from ._common import panel_from, post_id, run_action
from .panels import close_or_reopen


@access("judging.view_ranking", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def ranking(request, cycle_number, kind):
    panel = request.access_object
    if request.method == "POST":
        if not request.user.has_perm("judging.manage_panel", panel):
            raise PermissionDenied
        action = request.POST.get("action")
        if action in ("close", "reopen"):
            close_or_reopen(request, panel, action)
        elif action == "recompute":
            if panel.closed_at and not panel.released_at:
                ranking_compute(panel=panel)
                svc.proposals_build(panel=panel)
                messages.success(request, _("The ranking was computed again."))
            else:
                messages.error(request, _("Only a closed, unreleased stage can be ranked again."))
        return redirect("judging:ranking", cycle_number=cycle_number, kind=kind)
    stored = Ranking.objects.filter(panel=panel).first()
    members = list(panel.members.select_related("user")) if stored else []
    analysis = (stored.analysis or {}) if stored else {}
    near_the_line = [item["entry"] for item in analysis.get("robustness", [])]
    return render(
        request,
        "judging/ranking_detail.html",
        {
            "panel": panel,
            "ranking": stored,
            "has_rows": bool(stored) and selectors.ranked_entries(panel).exists(),
            # Read only when the template's cached rows are missing (once per
            # computation, language and generation): a past cycle has hundreds.
            "rows": SimpleLazyObject(lambda: selectors.ranking_rows(panel)),
            "agreement": selectors.agreement_rows(analysis.get("agreement", {}), members),
            "robustness": selectors.robustness_rows(
                stored,
                {r.submission_id: r for r in selectors.ranking_rows(panel, near_the_line)},
                members,
            )
            if near_the_line
            else [],
            "line": analysis.get("line"),
            "balance": selectors.shortlist_balance(panel) if stored else None,
            "tie_rules": [describe_rule(r) for r in panel.tie_break or []],
            "can_manage": request.user.has_perm("judging.manage_panel", panel),
            "generation": public_generation(),
            "tab": "ranking",
        },
    )


# Each action of the proposals page: one service call and its message; a refusal is a
# ValidationError, which ``run_action`` shows on the page.
def _release(request, panel, choices):
    if not request.user.has_perm("judging.manage_panel", panel):
        raise PermissionDenied
    moved = svc.proposals_release(panel=panel, by=request.user)
    messages.success(
        request, _("Released: %(n)s entries moved; the cities are told.") % {"n": moved}
    )


def _posted_proposal(request, panel) -> OutcomeProposal:
    return get_object_or_404(OutcomeProposal, pk=post_id(request, "proposal"), panel=panel)


def _move(request, panel, choices):
    proposal = _posted_proposal(request, panel)
    form = ProposalMoveForm(request.POST, choices=choices)
    if not form.is_valid():
        raise ValidationError(_("Choose an outcome and give a reason for the move."))
    svc.proposal_move(
        proposal=proposal,
        outcome=form.cleaned_data["outcome"],
        reason=form.cleaned_data["reason"],
        by=request.user,
    )
    messages.success(request, _("Moved."))


def _set_citation(request, panel, choices):
    proposal = _posted_proposal(request, panel)
    form = CitationForm(request.POST)
    form.is_valid()
    svc.proposal_set_citation(
        proposal=proposal, citation=form.cleaned_data.get("citation", ""), by=request.user
    )
    messages.success(request, _("Citation saved."))


PROPOSAL_ACTIONS = {"release": _release, "move": _move, "citation": _set_citation}


@access("judging.view_proposals", object_from=panel_from)
@require_http_methods(["GET", "POST"])
def proposals(request, cycle_number, kind):
    panel = request.access_object
    choices = svc.outcome_choices(panel)
    if request.method == "POST":
        # Every action, done or refused, comes back to the list.
        run_action(request, PROPOSAL_ACTIONS, panel, choices)
        return redirect("judging:proposals", cycle_number=cycle_number, kind=kind)
    rows = selectors.proposal_list(panel)
    summary = svc.proposal_summary(panel)
    return render(
        request,
        "judging/proposal_list.html",
        {
            "panel": panel,
            "rows": rows,
            "choices": choices,
            "summary": summary,
            "problems": svc.proposals_problems(panel) if rows else [],
            "can_release": request.user.has_perm("judging.manage_panel", panel),
            "tab": "proposals",
        },
    )
