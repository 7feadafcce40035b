"""The ranking's rules at their edges: ties (to the millionth, at non-integer scores,
below an untied entry), tie-break rules, the disagreement flag, which entries and
reviews a panel ranks, what is stored and the analysis that goes with it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from judging.models import Assignment, CriterionScore, RankedEntry, Ranking, Review
from judging.services.panels import panel_get_or_create
from judging.services.ranking import (
    CriterionSpec,
    EntryInput,
    ReviewInput,
    rank_entries,
    ranking_compute,
    ranking_inputs,
)
from tests import factories
from tests.judging.factories import AssignmentFactory, CriterionFactory, PanelMemberFactory

ONE = [CriterionSpec("C", 1)]


def _entry(entry_id, reference, *values):
    """An entry scored on the one criterion C, one reviewer per value."""
    return EntryInput(
        entry_id,
        reference,
        tuple(ReviewInput(entry_id * 10 + i, {"C": v}) for i, v in enumerate(values)),
    )


def _notes(rows):
    return [(r.reference, r.rank, r.tie_break_note) for r in rows]


# --- Ties ------------------------------------------------------------------------


def test_a_tie_at_a_non_integer_score_is_explained():
    rows = rank_entries([_entry(1, "B", 8, 7), _entry(2, "A", 7, 8)], ONE)
    assert _notes(rows) == [
        ("A", 1, ""),
        ("B", 2, "Tied at 7.500 with A; no declared rule separates them: ordered by reference."),
    ]


def test_scores_less_than_one_apart_are_not_tied():
    # 8.0 and 7.5 would round to the same whole number: they are not a tie.
    rows = rank_entries([_entry(1, "A", 7, 8), _entry(2, "B", 8, 8)], ONE)
    assert _notes(rows) == [("B", 1, ""), ("A", 2, "")]


def test_a_tie_below_an_untied_entry_is_explained():
    rows = rank_entries([_entry(1, "A", 9), _entry(2, "C", 7), _entry(3, "B", 7)], ONE)
    assert _notes(rows) == [
        ("A", 1, ""),
        ("B", 2, ""),
        ("C", 3, "Tied at 7.000 with B; no declared rule separates them: ordered by reference."),
    ]


# A criterion weighing 9 999 999 times the other: one point more on the light one
# moves the weighted score by a ten-millionth, (2 + 9 999 999) / 10 000 000 = 1.0000001.
NEAR = [CriterionSpec("A", 1), CriterionSpec("B", 9999999)]


def test_scores_equal_to_six_decimals_are_tied_and_ordered_by_reference():
    rows = rank_entries(
        [
            EntryInput(1, "Z", (ReviewInput(1, {"A": 2, "B": 1}),)),  # 1.0000001
            EntryInput(2, "A", (ReviewInput(1, {"A": 1, "B": 1}),)),  # 1.0
        ],
        NEAR,
    )
    assert _notes(rows) == [
        ("A", 1, ""),
        ("Z", 2, "Tied at 1.000 with A; no declared rule separates them: ordered by reference."),
    ]


def test_a_tie_to_six_decimals_is_explained_when_the_higher_score_comes_first():
    rows = rank_entries(
        [
            EntryInput(1, "A", (ReviewInput(1, {"A": 2, "B": 1}),)),  # 1.0000001
            EntryInput(2, "Z", (ReviewInput(1, {"A": 1, "B": 1}),)),  # 1.0
        ],
        NEAR,
    )
    assert _notes(rows) == [
        ("A", 1, ""),
        ("Z", 2, "Tied at 1.000 with A; no declared rule separates them: ordered by reference."),
    ]


def test_a_criterion_tie_break_works_with_a_colon_in_the_criterion_name():
    criteria = [CriterionSpec("Scale: reach", 1), CriterionSpec("B", 1)]
    entries = [
        # Both weigh 6.0; Z9 scored 8 on "Scale: reach", A1 only 4.
        EntryInput(1, "A1", (ReviewInput(1, {"Scale: reach": 4, "B": 8}),)),
        EntryInput(2, "Z9", (ReviewInput(1, {"Scale: reach": 8, "B": 4}),)),
    ]
    rows = rank_entries(entries, criteria, tie_break=["criterion:Scale: reach"])
    assert _notes(rows) == [
        ("Z9", 1, ""),
        ("A1", 2, "Tied at 6.000 with Z9; placed below it by the score on Scale: reach."),
    ]


def test_a_criterion_tie_break_combines_the_criterion_by_the_panel_aggregation():
    two = [CriterionSpec("A", 1), CriterionSpec("B", 1)]
    entries = [
        # Weighted 5, 5, 5 → median 5. On A: 1, 6, 6 → median 6 (the mean would be 4.33).
        EntryInput(
            1,
            "B2",
            (
                ReviewInput(1, {"A": 1, "B": 9}),
                ReviewInput(2, {"A": 6, "B": 4}),
                ReviewInput(3, {"A": 6, "B": 4}),
            ),
        ),
        # Weighted 5, 5, 5 → median 5. On A: 5, 5, 5 → median 5.
        EntryInput(2, "A1", tuple(ReviewInput(i, {"A": 5, "B": 5}) for i in (1, 2, 3))),
    ]
    rows = rank_entries(entries, two, aggregation="median", tie_break=["criterion:A"])
    assert _notes(rows) == [
        ("B2", 1, ""),
        ("A1", 2, "Tied at 5.000 with B2; placed below it by the score on A."),
    ]


# --- Disagreement ----------------------------------------------------------------


def test_disagreement_is_flagged_above_a_spread_of_two_by_default():
    # Spreads: 9 and 4 → 2.5; 9 and 5 → 2.0 (not above 2).
    rows = rank_entries([_entry(1, "W", 9, 4), _entry(2, "V", 9, 5)], ONE)
    assert [(r.reference, r.spread, r.high_disagreement) for r in rows] == [
        ("V", 2.0, False),
        ("W", 2.5, True),
    ]


def test_disagreement_is_flagged_only_strictly_above_the_threshold():
    rows = rank_entries([_entry(1, "W", 9, 4)], ONE, disagreement_threshold=2.5)
    assert [(r.spread, r.high_disagreement) for r in rows] == [(2.5, False)]


def test_a_single_review_never_shows_disagreement_whatever_the_threshold():
    rows = rank_entries([_entry(1, "S", 5), _entry(2, "T", 5, 5)], ONE, disagreement_threshold=-1)
    assert [(r.reference, r.review_count, r.high_disagreement) for r in rows] == [
        ("S", 1, False),
        ("T", 2, True),
    ]


# --- The database part -----------------------------------------------------------


def _criteria(panel, *specs):
    """Replace the panel's default criteria with (name, weight, scale_min, scale_max)."""
    panel.criteria.all().delete()
    return [
        CriterionFactory(
            panel=panel, name=n, name_en=n, weight=Decimal(w), scale_min=lo, scale_max=hi
        )
        for n, w, lo, hi in specs
    ]


def _review(
    panel,
    entry,
    values,
    *,
    member=None,
    recommendation="shortlist",
    submitted=True,
    state=Assignment.State.ACTIVE,
):
    """A review of ``entry`` giving ``values`` ({criterion: value})."""
    member = member or PanelMemberFactory(panel=panel)
    assignment = AssignmentFactory(panel=panel, submission=entry, reviewer=member, state=state)
    review = Review.objects.create(
        assignment=assignment,
        overall_comment="ok",
        recommendation=recommendation,
        submitted_at=timezone.now() if submitted else None,
    )
    for criterion, value in values.items():
        CriterionScore.objects.create(review=review, criterion=criterion, value=value)
    return review


def _stored(ranking, *fields):
    return list(RankedEntry.objects.filter(ranking=ranking).values_list("submission_id", *fields))


@pytest.fixture
def entry(cycle):
    def make(status="eligible"):
        return factories.SubmissionFactory(cycle=cycle, status=status)

    return make


def test_a_technical_committee_ranks_eligible_entries_and_those_it_still_holds(tc_panel, entry):
    eligible, held, released, _submitted = (
        entry("eligible"),
        entry("shortlisted"),
        entry("shortlisted"),
        entry("submitted"),
    )
    AssignmentFactory(panel=tc_panel, submission=held)
    AssignmentFactory(panel=tc_panel, submission=released, state=Assignment.State.RELEASED)
    entries, _criteria_specs = ranking_inputs(tc_panel)
    assert {e.entry_id for e in entries} == {eligible.pk, held.pk}


def test_a_jury_ranks_shortlisted_entries_not_eligible_ones(cycle, entry):
    jury = panel_get_or_create(cycle=cycle, kind="jury")
    shortlisted = entry("shortlisted")
    entry("eligible")
    entries, _criteria_specs = ranking_inputs(jury)
    assert [e.entry_id for e in entries] == [shortlisted.pk]


def test_only_complete_submitted_active_reviews_of_the_panel_count(cycle, tc_panel, entry):
    a, b = _criteria(tc_panel, ("A", 1, 1, 10), ("B", 1, 1, 10))
    first, second = entry(), entry()
    # A review missing a criterion (added after it was submitted) is skipped, and
    # the reviews after it still count.
    _review(tc_panel, first, {a: 2})
    _review(tc_panel, first, {a: 8, b: 8})
    _review(tc_panel, second, {a: 6, b: 6})
    _review(tc_panel, second, {a: 1, b: 1}, submitted=False)
    _review(tc_panel, second, {a: 1, b: 1}, state=Assignment.State.RELEASED)
    # The jury's review of the same entry belongs to the jury's ranking.
    jury = panel_get_or_create(cycle=cycle, kind="jury")
    _review(jury, second, {c: 1 for c in jury.criteria.all()})
    ranking = ranking_compute(panel=tc_panel)
    assert _stored(ranking, "rank", "score", "review_count") == [
        (first.pk, 1, Decimal("8.000"), 1),
        (second.pk, 2, Decimal("6.000"), 1),
    ]


def test_ranking_inputs_take_as_many_queries_for_many_entries_as_for_one(tc_panel, entry):
    criteria = list(tc_panel.criteria.all())

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            entries, _specs = ranking_inputs(tc_panel)
            [(e.reference, len(e.reviews)) for e in entries]
        return len(ctx.captured_queries)

    _review(tc_panel, entry(), {c: 5 for c in criteria})
    one = count_queries()
    for _ in range(3):
        e = entry()
        for _reviewer in range(2):
            _review(tc_panel, e, {c: 7 for c in criteria})
    assert count_queries() == one


def test_stored_rows_keep_score_spread_recommendations_and_disagreement(tc_panel, entry):
    # Weights 1.71 and 1: reviewer one (2, 1) → 4.42 / 2.71 = 1.630996; reviewer two
    # (1, 1) → 1.0. Mean 1.315498 → 1.315; spread 0.315498 → 0.315 (above 0.3).
    a, b = _criteria(tc_panel, ("A", "1.71", 1, 10), ("B", 1, 1, 10))
    tc_panel.disagreement_threshold = Decimal("0.3")
    tc_panel.save()
    e = entry()
    _review(tc_panel, e, {a: 2, b: 1}, recommendation="shortlist")
    _review(tc_panel, e, {a: 1, b: 1}, recommendation="deserving")
    ranking = ranking_compute(panel=tc_panel)
    assert _stored(
        ranking, "rank", "score", "spread", "recommendations", "high_disagreement", "tie_break_note"
    ) == [
        (e.pk, 1, Decimal("1.315"), Decimal("0.315"), {"shortlist": 1, "deserving": 1}, True, ""),
    ]


def test_normalised_scores_use_the_criteria_weights_and_scales(tc_panel, entry):
    # Scale 1–5 on both criteria, weights 2 and 1: lo 1, hi 5, mid 3, (hi − lo) / 6 = 2/3.
    # The one reviewer gave 5.0 (all 5s) and 1.0 (all 1s): mean 3, sd 2, z = ±1
    # → 3 ± 2/3 = 3.667 and 2.333.
    a, b = _criteria(tc_panel, ("A", 2, 1, 5), ("B", 1, 1, 5))
    tc_panel.normalise = True
    tc_panel.save()
    high, low = entry(), entry()
    member = PanelMemberFactory(panel=tc_panel)
    _review(tc_panel, high, {a: 5, b: 5}, member=member)
    _review(tc_panel, low, {a: 1, b: 1}, member=member)
    ranking = ranking_compute(panel=tc_panel)
    assert _stored(ranking, "rank", "score") == [
        (high.pk, 1, Decimal("3.667")),
        (low.pk, 2, Decimal("2.333")),
    ]


def test_the_chair_tie_break_decides_the_stored_ranking_and_its_robustness(cycle, tc_panel, entry):
    (c,) = _criteria(tc_panel, ("C", 1, 1, 10))
    tc_panel.tie_break = ["chair"]
    tc_panel.save()
    cycle.shortlist_quota = 1
    cycle.save()
    first, second = sorted([entry(), entry()], key=lambda s: s.reference)
    chair = PanelMemberFactory(panel=tc_panel, is_chair=True)
    other = PanelMemberFactory(panel=tc_panel)
    # Both average 6.0; the chair prefers the entry that comes second by reference.
    _review(tc_panel, first, {c: 5}, member=chair)
    _review(tc_panel, first, {c: 7}, member=other)
    _review(tc_panel, second, {c: 7}, member=chair)
    _review(tc_panel, second, {c: 5}, member=other)
    ranking = ranking_compute(panel=tc_panel)
    assert _stored(ranking, "rank", "tie_break_note") == [
        (second.pk, 1, ""),
        (
            first.pk,
            2,
            f"Tied at 6.000 with {second.reference}; placed below it by the chair's score.",
        ),
    ]
    assert ranking.method == {"aggregation": "mean", "normalise": False, "tie_break": ["chair"]}
    assert [(r["entry"], r["rank"]) for r in ranking.analysis["robustness"]] == [
        (second.pk, 1),
        (first.pk, 2),
    ]


def test_a_technical_committee_analysis_draws_the_line_at_the_shortlist_quota(tc_panel):
    ranking = ranking_compute(panel=tc_panel)
    assert set(ranking.analysis) == {"agreement", "line", "robustness"}
    assert ranking.analysis["line"] == 15  # the default shortlist quota


def test_a_jury_analysis_draws_the_line_at_the_winner_quota(cycle):
    jury = panel_get_or_create(cycle=cycle, kind="jury")
    ranking = ranking_compute(panel=jury)
    assert set(ranking.analysis) == {"agreement", "line", "robustness"}
    assert ranking.analysis["line"] == 5  # the default winner quota


def test_a_panel_without_criteria_ranks_nothing(tc_panel, entry):
    tc_panel.criteria.all().delete()
    entry()
    ranking = ranking_compute(panel=tc_panel)
    assert RankedEntry.objects.filter(ranking=ranking).count() == 0
    assert ranking.analysis == {}


def test_computing_again_replaces_the_panel_ranking(tc_panel, entry):
    e = entry()
    ranking_compute(panel=tc_panel)
    again = ranking_compute(panel=tc_panel)
    assert list(Ranking.objects.filter(panel=tc_panel)) == [again]
    assert _stored(again, "rank") == [(e.pk, 1)]
