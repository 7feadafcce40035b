"""Ranking a closed stage.

The arithmetic is in pure functions (no database) tested against hand-computed
examples; ``ranking_compute`` loads the reviews, calls them and stores the result.

Formulas:

* A reviewer's score of an entry is the weighted mean of their criterion values,
  ``sum(weight × value) / sum(weight)``.
* With normalisation, each reviewer's scores (over every entry they reviewed) are
  turned into z-scores ``z = (x − mean_r) / sd_r`` (population standard deviation;
  ``z = 0`` when a reviewer gave every entry the same score), then put back on the
  scale as ``mid + z × (hi − lo) / 6``, clamped to ``[lo, hi]``, where ``lo``/``hi``
  are the weighted means of the criteria's lowest/highest scores and
  ``mid = (lo + hi) / 2``: three standard deviations either side fill the scale.
* An entry's score combines its reviewers' scores by the panel's aggregation
  (mean or median); its spread is the population standard deviation of them.
* Ties (equal to 6 decimals) are broken by the panel's declared rules in order:
  ``criterion:<name>`` (higher combined score on that criterion first),
  ``shortlist_recommendations`` (more first), ``chair`` (higher chair's score
  first); what remains tied is ordered by reference, and each tie is explained.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Aggregation,
    Assignment,
    Criterion,
    CriterionScore,
    Panel,
    PanelKind,
    RankedEntry,
    Ranking,
    Recommendation,
    Review,
)


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: float
    scale_min: int = 1
    scale_max: int = 10


@dataclass(frozen=True)
class ReviewInput:
    reviewer_id: int
    values: dict[str, int]
    recommendation: str = ""
    is_chair: bool = False


@dataclass(frozen=True)
class EntryInput:
    entry_id: int
    reference: str
    reviews: tuple[ReviewInput, ...] = ()


@dataclass
class RankedRow:
    entry_id: int
    reference: str
    rank: int = 0
    score: float | None = None
    spread: float | None = None
    review_count: int = 0
    recommendations: dict = field(default_factory=dict)
    tie_break_note: str = ""
    high_disagreement: bool = False
    tie_values: tuple = ()


def weighted_score(values: dict[str, int], criteria: list[CriterionSpec]) -> float:
    """sum(weight × value) / sum(weight) over the criteria."""
    total_weight = sum(float(c.weight) for c in criteria)
    return sum(float(c.weight) * values[c.name] for c in criteria) / total_weight


def scale_bounds(criteria: list[CriterionSpec]) -> tuple[float, float]:
    """The lowest and highest possible weighted score."""
    lo = weighted_score({c.name: c.scale_min for c in criteria}, criteria)
    hi = weighted_score({c.name: c.scale_max for c in criteria}, criteria)
    return lo, hi


def normalise(
    scores: dict[tuple[int, int], float], lo: float, hi: float
) -> dict[tuple[int, int], float]:
    """{(reviewer, entry): score} → the same keys with each reviewer's scores z-scored
    and rescaled to ``mid + z × (hi − lo) / 6``, clamped to the scale."""
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    for (reviewer, _entry), score in scores.items():
        by_reviewer[reviewer].append(score)
    mid = (lo + hi) / 2
    result = {}
    for (reviewer, entry), score in scores.items():
        own = by_reviewer[reviewer]
        sd = statistics.pstdev(own)
        z = (score - statistics.fmean(own)) / sd if sd > 0 else 0.0
        result[(reviewer, entry)] = min(hi, max(lo, mid + z * (hi - lo) / 6))
    return result


def combine(values: list[float], aggregation: str) -> float | None:
    if not values:
        return None
    if aggregation == Aggregation.MEDIAN:
        return float(statistics.median(values))
    return statistics.fmean(values)


def describe_rule(rule: str) -> str:
    if rule.startswith("criterion:"):
        return _("the score on %(name)s") % {"name": rule.split(":", 1)[1]}
    if rule == "shortlist_recommendations":
        return _("the number of shortlist recommendations")
    if rule == "chair":
        return _("the chair's score")
    return rule


def _tie_value(rule, entry, used, aggregation):
    if rule.startswith("criterion:"):
        name = rule.split(":", 1)[1]
        return combine([r.values[name] for r in entry.reviews if name in r.values], aggregation)
    if rule == "shortlist_recommendations":
        return sum(1 for r in entry.reviews if r.recommendation == Recommendation.SHORTLIST)
    if rule == "chair":
        chair = [used[(r.reviewer_id, entry.entry_id)] for r in entry.reviews if r.is_chair]
        return chair[0] if chair else None
    return None


def _desc(value):
    """Sort key: higher first, missing last."""
    return (value is None, -(value if value is not None else 0))


def rank_entries(
    entries: list[EntryInput],
    criteria: list[CriterionSpec],
    *,
    aggregation: str = Aggregation.MEAN,
    normalise_scores: bool = False,
    tie_break: list[str] | tuple[str, ...] = (),
    disagreement_threshold: float = 2.0,
) -> list[RankedRow]:
    """Rank entries from their submitted reviews; see the module docstring.

    Entries without reviews come last (score None). Ranks are 1..n with no two
    entries sharing one; ``tie_break_note`` says which rule separated a tie.
    """
    raw = {
        (r.reviewer_id, e.entry_id): weighted_score(r.values, criteria)
        for e in entries
        for r in e.reviews
    }
    used = normalise(raw, *scale_bounds(criteria)) if normalise_scores and raw else raw
    rows = []
    for e in entries:
        per_reviewer = [used[(r.reviewer_id, e.entry_id)] for r in e.reviews]
        score = combine(per_reviewer, aggregation)
        spread = statistics.pstdev(per_reviewer) if per_reviewer else None
        recs = {}
        for r in e.reviews:
            if r.recommendation:
                recs[r.recommendation] = recs.get(r.recommendation, 0) + 1
        rows.append(
            RankedRow(
                entry_id=e.entry_id,
                reference=e.reference,
                score=score,
                spread=spread,
                review_count=len(e.reviews),
                recommendations=recs,
                high_disagreement=spread is not None
                and len(per_reviewer) > 1
                and spread > float(disagreement_threshold),
                tie_values=tuple(_tie_value(rule, e, used, aggregation) for rule in tie_break),
            )
        )

    def key(row):
        rounded = None if row.score is None else round(row.score, 6)
        return (_desc(rounded), *(_desc(v) for v in row.tie_values), row.reference)

    rows.sort(key=key)
    for i, row in enumerate(rows):
        row.rank = i + 1
        if i == 0 or row.score is None:
            continue
        above = rows[i - 1]
        if above.score is None or round(above.score, 6) != round(row.score, 6):
            continue
        decided_by = next(
            (
                rule
                for rule, a, b in zip(tie_break, above.tie_values, row.tie_values, strict=True)
                if a != b
            ),
            None,
        )
        if decided_by:
            row.tie_break_note = _(
                "Tied at %(score).3f with %(ref)s; placed below it by %(rule)s."
            ) % {"score": row.score, "ref": above.reference, "rule": describe_rule(decided_by)}
        else:
            row.tie_break_note = _(
                "Tied at %(score).3f with %(ref)s; no declared rule separates them: "
                "ordered by reference."
            ) % {"score": row.score, "ref": above.reference}
    return rows


# --- Database part ---------------------------------------------------------------


def _entries_of(panel: Panel):
    from submissions.models import Submission
    from submissions.workflow import Status

    status = Status.ELIGIBLE if panel.kind == PanelKind.TECHNICAL_COMMITTEE else Status.SHORTLISTED
    assigned = (
        Assignment.objects.filter(panel=panel)
        .exclude(state=Assignment.State.RELEASED)
        .values("submission_id")
    )
    return Submission.objects.filter(cycle_id=panel.cycle_id).filter(
        Q(status=status) | Q(pk__in=assigned)
    )


def ranking_inputs(panel: Panel) -> tuple[list[EntryInput], list[CriterionSpec]]:
    """The panel's entries with their complete submitted reviews, and its criteria:
    a constant number of queries."""
    criteria_rows = list(Criterion.objects.filter(panel=panel))
    # Criteria are identified by their English name (``criterion:<name>`` tie-break
    # rules too), whatever language the request that computes the ranking speaks.
    criteria = [
        CriterionSpec(c.name_en, float(c.weight), c.scale_min, c.scale_max) for c in criteria_rows
    ]
    names = {c.pk: c.name_en for c in criteria_rows}
    counted = Review.objects.filter(
        assignment__panel=panel,
        submitted_at__isnull=False,
        assignment__state=Assignment.State.ACTIVE,
    )
    # Plain rows, not models: a panel has thousands of scores, read at every ranking
    # and on every view of its live analysis.
    values_of: dict[int, dict[str, int]] = defaultdict(dict)
    for review_id, criterion_id, value in CriterionScore.objects.filter(
        review__in=counted.values("pk"), value__isnull=False
    ).values_list("review_id", "criterion_id", "value"):
        values_of[review_id][names[criterion_id]] = value
    by_entry: dict[int, list[ReviewInput]] = defaultdict(list)
    for review_id, submission_id, reviewer_id, recommendation, is_chair in counted.values_list(
        "pk",
        "assignment__submission_id",
        "assignment__reviewer_id",
        "recommendation",
        "assignment__reviewer__is_chair",
    ):
        values = values_of.get(review_id, {})
        if len(values) != len(criteria):
            continue  # a criterion added after submission: the review no longer counts
        by_entry[submission_id].append(
            ReviewInput(
                reviewer_id=reviewer_id,
                values=values,
                recommendation=recommendation,
                is_chair=is_chair,
            )
        )
    entries = [
        EntryInput(s.pk, s.reference, tuple(by_entry.get(s.pk, ())))
        for s in _entries_of(panel).only("pk", "reference")
    ]
    return entries, criteria


def rank_options(panel: Panel) -> dict:
    return {
        "aggregation": panel.aggregation,
        "normalise_scores": panel.normalise,
        "tie_break": list(panel.tie_break or []),
        "disagreement_threshold": float(panel.disagreement_threshold),
    }


def shortlist_line(panel: Panel) -> int:
    """How many entries the stage distinguishes: the shortlist (TC) or winners (jury)."""
    cycle = panel.cycle
    return (
        cycle.shortlist_quota if panel.kind == PanelKind.TECHNICAL_COMMITTEE else cycle.winner_quota
    )


def panel_analysis(panel: Panel, entries: list[EntryInput], criteria: list[CriterionSpec]) -> dict:
    """Agreement, leniency and leave-one-reviewer-out robustness, JSON-ready."""
    from .analysis import agreement_report, leave_one_out

    if not criteria:
        return {}
    line = shortlist_line(panel)
    return {
        "agreement": agreement_report(entries, criteria),
        "line": line,
        "robustness": leave_one_out(entries, criteria, line=line, **rank_options(panel)),
    }


@transaction.atomic
def ranking_compute(*, panel: Panel) -> Ranking:
    """Rank the panel's entries from submitted reviews and store it with its analysis
    (agreement, leniency, robustness), replacing any earlier ranking of the panel.
    Idempotent for unchanged reviews.

    Locks the panel row first (as ``proposals_build`` does): two overlapping runs (the
    stage's close and the sweep may both dispatch one) then take turns, where they
    would both delete nothing and both insert the panel's one ranking."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    entries, criteria = ranking_inputs(panel)
    rows = rank_entries(entries, criteria, **rank_options(panel)) if criteria else []
    Ranking.objects.filter(panel=panel).delete()
    ranking = Ranking.objects.create(
        panel=panel,
        computed_at=timezone.now(),
        method={
            "aggregation": panel.aggregation,
            "normalise": panel.normalise,
            "tie_break": list(panel.tie_break or []),
        },
        analysis=panel_analysis(panel, entries, criteria),
    )
    RankedEntry.objects.bulk_create(
        RankedEntry(
            ranking=ranking,
            submission_id=row.entry_id,
            rank=row.rank,
            score=None if row.score is None else round(row.score, 3),
            spread=None if row.spread is None else round(row.spread, 3),
            review_count=row.review_count,
            recommendations=row.recommendations,
            tie_break_note=row.tie_break_note[:300],
            high_disagreement=row.high_disagreement,
        )
        for row in rows
    )
    return ranking
