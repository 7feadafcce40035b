"""Reads for the judging pages: querysets with their joins, no N+1."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.formats import get_format, number_format

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
    """The user's live assignments on panels whose decisions are not yet released, with
    their review state: a released panel's reviews are past work, not a queue."""
    return (
        Assignment.objects.filter(
            reviewer__user=user, state__in=LIVE, panel__released_at__isnull=True
        )
        .select_related("panel__cycle", "submission__organisation", "review", "reviewer")
        # What the queue shows of each: an entry and a cycle have many more columns,
        # which would cost each page their reading and their compiling.
        .only(
            "state",
            "panel__kind",
            "panel__scoring_deadline",
            "panel__closed_at",
            "panel__released_at",
            "panel__cycle__number",
            "submission__reference",
            "submission__title",
            "submission__organisation__name",
            "submission__organisation__country",
            "review__submitted_at",
            "reviewer__is_chair",
        )
        .order_by("panel__cycle__number", "panel__kind", "submission__sequence")
    )


def assignment_list_for_scoring() -> QuerySet:
    """Assignments with what the score sheet shows and checks of them. The entry's
    cycle is its panel's (``assignment_with_entry_cycle``): one wide table joined once."""
    return Assignment.objects.select_related(
        "panel__cycle", "reviewer__user", "submission__organisation"
    )


def assignment_with_entry_cycle(assignment: Assignment) -> Assignment:
    """``assignment`` with its entry's cycle taken from its panel (a panel staffs only
    its own cycle's entries), so that reading it costs no query."""
    if assignment.submission.cycle_id == assignment.panel.cycle_id:
        assignment.submission.cycle = assignment.panel.cycle
    return assignment


def assignment_list_for_saving() -> QuerySet:
    """Assignments with what saving a score sheet checks (the access rule: reviewer,
    panel, the entry's city), without the cycles the page shows: a save that succeeds
    shows no page (a refused one reads them when it shows the sheet again)."""
    return Assignment.objects.select_related("panel", "reviewer", "submission__organisation")


def assignment_next_unscored(*, user, after: Assignment) -> Assignment | None:
    """The user's next assignment to review (the queue's order), other than ``after``:
    its id and state only (a link), read without the queue's joined rows."""
    return (
        Assignment.objects.filter(
            reviewer__user=user,
            state__in=LIVE,
            panel__released_at__isnull=True,
            panel__closed_at__isnull=True,
        )
        .exclude(pk=after.pk)
        .filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
        .order_by("panel__cycle__number", "panel__kind", "submission__sequence")
        .only("pk", "state")
        .first()
    )


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
        live = [a for e in entries if (a := cells.get((e.pk, m.pk))) and a.state in LIVE]
        m.load = len(live)
        m.fit_total = sum(a.fit or 0 for a in live)
    return entries, members, cells, conflicts


def ranked_entries(panel: Panel):
    return (
        RankedEntry.objects.filter(ranking__panel=panel)
        .select_related("submission__organisation")
        .order_by("rank")
    )


def _decimal_formatter():
    """Format decimals as ``formats.number_format`` does in the active language, with
    the separator looked up once: a ranking renders hundreds of numbers, and the
    template's per-value localisation was a large share of its time. Values of 1,000
    and more (where grouping could apply) still go through ``number_format``."""
    separator = get_format("DECIMAL_SEPARATOR")

    def fmt(value) -> str:
        if value is None:
            return "–"
        if abs(value) >= 1000:
            return number_format(value)
        return f"{value:f}".replace(".", separator)

    return fmt


def ranking_rows(panel: Panel, submission_ids: list[int] | None = None) -> list:
    """The ranking page's rows, in rank order (one query), of every entry or of
    ``submission_ids``: only the columns the page shows; ``score_text`` and
    ``spread_text`` formatted for the reader ("–" when missing);
    ``recommendation_badges`` as (value, label, count)."""
    from .models import Recommendation

    labels = {value: str(label) for value, label in Recommendation.choices}
    fmt = _decimal_formatter()
    ranked = ranked_entries(panel)
    if submission_ids is not None:
        ranked = ranked.filter(submission_id__in=submission_ids)
    rows = list(
        ranked.only(
            *(f.name for f in RankedEntry._meta.concrete_fields),
            "submission__reference",
            "submission__title",
            "submission__organisation_id",
            "submission__organisation__name",
        )
    )
    for row in rows:
        row.score_text = fmt(row.score)
        row.spread_text = fmt(row.spread)
        row.recommendation_badges = [
            (value, labels.get(value, value), count)
            for value, count in (row.recommendations or {}).items()
        ]
    return rows


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


# --- Agreement, robustness, balance ------------------------------------------------


def _fmt(value, digits=2):
    return None if value is None else round(value, digits)


def agreement_rows(agreement: dict, members) -> dict:
    """The stored/live agreement report made displayable: alpha overall and per
    criterion, and one row per member (name, leniency, spread, shared entries)."""
    if not agreement:
        return {}
    names = {str(m.pk): m.user.display_name for m in members}
    reviewers = sorted(
        (
            {
                "name": names.get(rid, "?"),
                "leniency": _fmt(v["leniency"]),
                "spread": _fmt(v["spread"]),
                "shared": v["shared"],
                "count": v["count"],
                "lenient": v["leniency"] is not None and v["leniency"] >= 1,
                "strict": v["leniency"] is not None and v["leniency"] <= -1,
            }
            for rid, v in agreement.get("reviewers", {}).items()
        ),
        key=lambda row: (row["leniency"] is None, -(row["leniency"] or 0)),
    )
    return {
        "alpha": _fmt(agreement.get("alpha"), 3),
        "criteria": [
            {"name": c["name"], "alpha": _fmt(c["alpha"], 3)} for c in agreement["criteria"]
        ],
        "reviewers": reviewers,
    }


LIVE_ANALYSIS_SECONDS = 600


def panel_live_analysis(panel: Panel) -> tuple[dict, list]:
    """While scoring runs: the agreement so far and the entries whose submitted
    scores disagree strongly (with their live reviewer count). Constant queries."""
    from .services.analysis import agreement_report
    from .services.ranking import rank_entries, rank_options, ranking_inputs

    entries, criteria = ranking_inputs(panel)
    if not criteria:
        return {}, []
    options = rank_options(panel)
    # A pure function of its inputs, kept under their digest: while nobody scores, the
    # Secretariat's repeated looks cost the read of the inputs only, and any change of
    # a score, a criterion or an option is a new digest.
    inputs = repr((entries, criteria, sorted(options.items())))
    key = "panel-live-analysis:" + hashlib.sha256(inputs.encode()).hexdigest()
    computed = cache.get(key)
    if computed is None:
        rows = rank_entries(entries, criteria, **options)
        computed = (
            agreement_report(entries, criteria),
            {r.entry_id: r.spread for r in rows if r.high_disagreement},
        )
        cache.set(key, computed, LIVE_ANALYSIS_SECONDS)
    report, spreads = computed
    flagged = list(
        Submission.objects.filter(pk__in=spreads)
        .select_related("organisation")
        .annotate(
            live=Count(
                "assignments",
                filter=Q(assignments__panel=panel, assignments__state__in=LIVE),
            )
        )
        .order_by("sequence")
    )
    for s in flagged:
        s.spread = round(spreads[s.pk], 2)
    return report, flagged


def robustness_rows(ranking, rows_by_entry: dict, members) -> list[dict]:
    """The stored leave-one-out result joined to ranked rows and member names."""
    names = {m.pk: m.user.display_name for m in members}
    result = []
    for item in (ranking.analysis or {}).get("robustness", []):
        ranked = rows_by_entry.get(item["entry"])
        if ranked is None:
            continue
        result.append(
            {
                **item,
                "ranked": ranked,
                "flip_names": [names.get(r, "?") for r in item["flips"]],
            }
        )
    return result


CITY_SIZES = [
    (500_000, "< 0.5 M"),
    (1_000_000, "0.5–1 M"),
    (5_000_000, "1–5 M"),
    (10_000_000, "5–10 M"),
    (None, "≥ 10 M"),
]


def city_size_label(population) -> str:
    if population is None:
        return "?"
    for limit, label in CITY_SIZES:
        if limit is None or population < limit:
            return label
    return "?"


def shortlist_balance(panel: Panel) -> dict:
    """Continents, topics and city sizes of the proposed shortlist (TC) or winners
    (jury): from the outcome proposals when there are some, else the ranking's top
    entries up to the quota. One or two queries."""
    from submissions.continents import Continent

    from .services.ranking import shortlist_line

    distinguished = Status.SHORTLISTED if panel.kind == "tc" else Status.WINNER
    qs = Submission.objects.filter(
        pk__in=OutcomeProposal.objects.filter(panel=panel, outcome=distinguished).values(
            "submission_id"
        )
    )
    subs = list(
        qs.select_related("organisation").only(
            "topic", "organisation__continent", "organisation__population"
        )
    )
    if not subs:
        top = RankedEntry.objects.filter(
            ranking__panel=panel, rank__lte=shortlist_line(panel), score__isnull=False
        ).values("submission_id")
        subs = list(
            Submission.objects.filter(pk__in=top)
            .select_related("organisation")
            .only("topic", "organisation__continent", "organisation__population")
        )
    continents, topics, sizes = {}, {}, {}
    labels = dict(Continent.choices)
    for s in subs:
        c = labels.get(s.organisation.continent, "?")
        continents[c] = continents.get(c, 0) + 1
        t = s.topic or "?"
        topics[t] = topics.get(t, 0) + 1
        z = city_size_label(s.organisation.population)
        sizes[z] = sizes.get(z, 0) + 1

    def ordered(d):
        return sorted(d.items(), key=lambda kv: (-kv[1], str(kv[0])))

    return {
        "count": len(subs),
        "continents": ordered(continents),
        "topics": ordered(topics),
        "sizes": [(label, sizes[label]) for _l, label in CITY_SIZES if label in sizes]
        + ([("?", sizes["?"])] if "?" in sizes else []),
    }


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
