"""Reads for the judging pages: querysets with their joins, no N+1."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q

from submissions.models import ClarificationRequest, StatusChange, Submission
from submissions.workflow import Status

from .models import (
    Assignment,
    CriterionScore,
    HearingSession,
    HearingSlot,
    OutcomeProposal,
    Panel,
    PanelMember,
    RankedEntry,
    Review,
    ShortlistSummary,
)
from .services.assignment import is_automatic_conflict

LIVE = [Assignment.State.AWAITING_CONFLICT_CHECK, Assignment.State.ACTIVE]


def submission_list_for_screening(*, cycle_id: int | None = None):
    """Entries awaiting an eligibility decision, with their automatic report."""
    qs = (
        Submission.objects.filter(status=Status.SUBMITTED)
        .select_related("cycle", "organisation", "screening_report")
        .annotate(
            clarification_count=Count("clarifications", distinct=True),
        )
        .order_by("cycle__number", "sequence")
    )
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    return qs


def submission_list_awaiting_city(*, cycle_id: int | None = None):
    """Entries waiting for the city's answer to a clarification request."""
    qs = (
        Submission.objects.filter(status=Status.CLARIFICATION)
        .select_related("cycle", "organisation")
        .annotate(asked_at=Max("clarifications__asked_at"))
        .order_by("asked_at")
    )
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    return qs


def submission_get_for_screening(*, pk: int) -> Submission:
    return (
        Submission.objects.select_related("cycle", "organisation")
        .prefetch_related(
            Prefetch(
                "clarifications",
                queryset=ClarificationRequest.objects.select_related("asked_by", "answered_by"),
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("by")),
            "attachments",
            "contacts",
            "goals",
            "partners",
        )
        .get(pk=pk)
    )


def assignment_list_for_reviewer(*, user):
    """The user's live assignments across panels, with their review state."""
    return (
        Assignment.objects.filter(reviewer__user=user, state__in=LIVE)
        .select_related(
            "panel__cycle", "submission__organisation", "submission__cycle", "review", "reviewer"
        )
        .order_by("panel__cycle__number", "panel__kind", "submission__sequence")
    )


def assignment_get_for_scoring(*, pk: int) -> Assignment:
    return Assignment.objects.select_related(
        "panel__cycle", "reviewer__user", "submission__organisation", "submission__cycle"
    ).get(pk=pk)


def peer_reviews(*, assignment: Assignment):
    """Other members' submitted reviews of the same entry on the same panel.

    Only for a reviewer who has submitted their own, and only when the panel shows
    peer scores; otherwise nothing.
    """
    own = getattr(assignment, "review", None)
    if not assignment.panel.show_peer_scores or own is None or not own.is_submitted:
        return Review.objects.none()
    return (
        Review.objects.filter(
            assignment__panel=assignment.panel,
            assignment__submission=assignment.submission,
            assignment__state=Assignment.State.ACTIVE,
            submitted_at__isnull=False,
        )
        .exclude(pk=own.pk)
        .select_related("assignment__reviewer__user")
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
        )
    )


@dataclass
class ProgressRow:
    member: PanelMember
    assigned: int
    done: int
    last_activity: datetime | None


def reviewer_progress(panel: Panel) -> list[ProgressRow]:
    """Each member's live assignments, submitted reviews and last activity: one query."""
    live = Q(assignments__state__in=LIVE)
    members = (
        PanelMember.objects.filter(panel=panel)
        .select_related("user")
        .annotate(
            n_assigned=Count("assignments", filter=live, distinct=True),
            n_done=Count(
                "assignments",
                filter=live & Q(assignments__review__submitted_at__isnull=False),
                distinct=True,
            ),
            last_review_at=Max("assignments__review__updated_at"),
        )
    )
    rows = []
    for m in members:
        times = [t for t in (m.last_activity_at, m.last_review_at) if t]
        rows.append(ProgressRow(m, m.n_assigned, m.n_done, max(times) if times else None))
    return rows


def panel_matrix(panel: Panel):
    """(entries, members, {(entry id, member id): assignment}, {(entry id, member id)
    with an automatic conflict}) for the matrix page."""
    from submissions.workflow import Status as S

    status = S.ELIGIBLE if panel.kind == "tc" else S.SHORTLISTED
    entries = list(
        Submission.objects.filter(cycle_id=panel.cycle_id)
        .filter(Q(status=status) | Q(assignments__panel=panel))
        .distinct()
        .select_related("organisation")
        .order_by("sequence")
    )
    members = list(panel.members.select_related("user"))
    conflicts = {
        (e.pk, m.pk)
        for e in entries
        for m in members
        if is_automatic_conflict(m.country, e.organisation.country, panel.conflict_scope)
    }
    cells = {}
    for a in Assignment.objects.filter(panel=panel).order_by("created_at"):
        key = (a.submission_id, a.reviewer_id)
        if a.state != Assignment.State.RELEASED or key not in cells:
            cells[key] = a
    for m in members:
        m.load = sum(1 for e in entries if (a := cells.get((e.pk, m.pk))) and a.state in LIVE)
    return entries, members, cells, conflicts


def ranked_entries(panel: Panel):
    return (
        RankedEntry.objects.filter(ranking__panel=panel)
        .select_related("submission__organisation")
        .order_by("rank")
    )


def proposal_list(panel: Panel):
    rank = {r.submission_id: r for r in ranked_entries(panel)}
    proposals = list(
        OutcomeProposal.objects.filter(panel=panel).select_related(
            "submission__organisation", "moved_by"
        )
    )
    for p in proposals:
        p.ranked = rank.get(p.submission_id)
    proposals.sort(key=lambda p: p.ranked.rank if p.ranked else 10**6)
    return proposals


# --- The shortlist phase --------------------------------------------------------------


def hearing_sessions_for_cycle(*, cycle_id: int):
    """The cycle's hearing sessions with their slots, entries and cities (3 queries)."""
    return HearingSession.objects.filter(cycle_id=cycle_id).prefetch_related(
        Prefetch(
            "slots",
            queryset=HearingSlot.objects.select_related("submission__organisation"),
        )
    )


def shortlist_summaries(*, cycle_id: int) -> dict[int, str]:
    """The Technical Committee chair's summary of each shortlisted entry, by entry id."""
    return dict(
        ShortlistSummary.objects.filter(report__cycle_id=cycle_id).values_list(
            "submission_id", "summary"
        )
    )
