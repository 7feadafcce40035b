"""Ranking arithmetic against hand-computed examples (numbers worked out in comments)."""

import pytest

from judging.models import RankedEntry
from judging.services.ranking import (
    CriterionSpec,
    EntryInput,
    ReviewInput,
    combine,
    normalise,
    rank_entries,
    ranking_compute,
    scale_bounds,
    weighted_score,
)
from tests.judging.factories import AssignmentFactory, PanelMemberFactory

A2_B1 = [CriterionSpec("A", 2, 1, 10), CriterionSpec("B", 1, 1, 10)]


def test_weighted_score_by_hand():
    # (2×8 + 1×5) / (2 + 1) = 21 / 3 = 7.0
    assert weighted_score({"A": 8, "B": 5}, A2_B1) == 7.0
    # (2×3 + 1×6) / 3 = 12 / 3 = 4.0
    assert weighted_score({"A": 3, "B": 6}, A2_B1) == 4.0


def test_scale_bounds_are_weighted():
    mixed = [CriterionSpec("A", 1, 1, 10), CriterionSpec("B", 3, 0, 5)]
    # lo = (1×1 + 3×0) / 4 = 0.25 ; hi = (1×10 + 3×5) / 4 = 6.25
    assert scale_bounds(mixed) == (0.25, 6.25)


def test_combine_mean_and_median():
    assert combine([4.0, 6.0, 9.0], "mean") == pytest.approx(19 / 3)  # 6.333…
    assert combine([4.0, 6.0, 9.0], "median") == 6.0
    assert combine([4.0, 9.0], "median") == 6.5
    assert combine([], "mean") is None


def _entries():
    return [
        # X: 7.0 and 7.0 → mean 7.0, sd 0; mean of A = (8 + 6) / 2 = 7
        EntryInput(1, "X", (ReviewInput(1, {"A": 8, "B": 5}), ReviewInput(2, {"A": 6, "B": 9}))),
        # Y: 9.0 and 4.0 → mean 6.5, sd = |9 − 4| / 2 = 2.5 (> 2: disagreement)
        EntryInput(2, "Y", (ReviewInput(1, {"A": 9, "B": 9}), ReviewInput(2, {"A": 3, "B": 6}))),
        # Z: 7.0 and (2×10 + 1) / 3 = 7.0 → mean 7.0; mean of A = (7 + 10) / 2 = 8.5
        EntryInput(3, "Z", (ReviewInput(1, {"A": 7, "B": 7}), ReviewInput(3, {"A": 10, "B": 1}))),
    ]


def test_rank_mean_with_criterion_tie_break():
    rows = rank_entries(_entries(), A2_B1, tie_break=["criterion:A"], disagreement_threshold=2)
    assert [(r.reference, r.rank, r.score, r.spread) for r in rows] == [
        ("Z", 1, 7.0, 0.0),
        ("X", 2, 7.0, 0.0),
        ("Y", 3, 6.5, 2.5),
    ]
    assert rows[0].tie_break_note == ""
    assert rows[1].tie_break_note == "Tied at 7.000 with Z; placed below it by the score on A."
    assert [r.high_disagreement for r in rows] == [False, False, True]


def test_rank_unbroken_tie_falls_back_to_reference():
    rows = rank_entries(_entries(), A2_B1)
    assert [r.reference for r in rows] == ["X", "Z", "Y"]
    assert rows[1].tie_break_note == (
        "Tied at 7.000 with X; no declared rule separates them: ordered by reference."
    )


def test_rank_median():
    one = [CriterionSpec("C", 1)]
    entries = [
        # median of 4, 6, 9 = 6 (the mean would be 6.333)
        EntryInput(1, "M", tuple(ReviewInput(i, {"C": v}) for i, v in enumerate([4, 6, 9]))),
        # median of 6, 6, 1 = 6; mean 4.333
        EntryInput(2, "N", tuple(ReviewInput(i, {"C": v}) for i, v in enumerate([6, 6, 1]))),
        # median of 7, 5 = 6.0; mean 6.0
        EntryInput(3, "O", (ReviewInput(1, {"C": 7}), ReviewInput(2, {"C": 5}))),
    ]
    rows = rank_entries(entries, one, aggregation="median", tie_break=["chair"])
    assert [(r.reference, r.score) for r in rows] == [("M", 6.0), ("N", 6.0), ("O", 6.0)]
    assert "no declared rule" in rows[1].tie_break_note  # nobody is chair


def test_rank_tie_broken_by_shortlist_recommendations_then_chair():
    one = [CriterionSpec("C", 1)]
    entries = [
        # P and Q both average 6.0 with one shortlist recommendation each;
        # the chair (reviewer 1) gave P 5 and Q 7, so Q comes first by the chair's score.
        EntryInput(
            1,
            "P",
            (
                ReviewInput(1, {"C": 5}, "shortlist", is_chair=True),
                ReviewInput(2, {"C": 7}, "deserving"),
            ),
        ),
        EntryInput(
            2,
            "Q",
            (
                ReviewInput(1, {"C": 7}, "deserving", is_chair=True),
                ReviewInput(2, {"C": 5}, "shortlist"),
            ),
        ),
        # R averages 6.0 too but has two shortlist recommendations: first.
        EntryInput(
            3, "R", (ReviewInput(2, {"C": 6}, "shortlist"), ReviewInput(3, {"C": 6}, "shortlist"))
        ),
    ]
    rows = rank_entries(entries, one, tie_break=["shortlist_recommendations", "chair"])
    assert [r.reference for r in rows] == ["R", "Q", "P"]
    assert rows[1].tie_break_note.endswith("by the number of shortlist recommendations.")
    assert rows[2].tie_break_note.endswith("by the chair's score.")
    assert rows[0].recommendations == {"shortlist": 2}


def test_normalise_by_hand():
    # Scale 1–10: mid 5.5, (hi − lo) / 6 = 1.5.
    # Reviewer 1 gave 8 and 4: mean 6, sd 2 → z = +1, −1 → 7.0, 4.0.
    # Reviewer 2 gave 6 and 5: mean 5.5, sd 0.5 → z = +1, −1 → 7.0, 4.0.
    # Reviewer 3 gave one score: sd 0 → z = 0 → 5.5.
    raw = {(1, 1): 8.0, (1, 2): 4.0, (2, 1): 6.0, (2, 2): 5.0, (3, 1): 9.0}
    assert normalise(raw, 1, 10) == {
        (1, 1): 7.0,
        (1, 2): 4.0,
        (2, 1): 7.0,
        (2, 2): 4.0,
        (3, 1): 5.5,
    }


def test_normalise_clamps_to_scale():
    # One 10 among ten 1s: mean 20/11, sd ≈ 2.587, z ≈ 3.16 → 5.5 + 4.74 > 10 → 10.
    raw = {(1, e): 1.0 for e in range(1, 11)} | {(1, 11): 10.0}
    result = normalise(raw, 1, 10)
    assert result[(1, 11)] == 10.0
    # The ones: variance = (10 × 0.8182² + 8.1818²) / 11 = 6.6942, sd = 2.5873;
    # z = −0.8182 / 2.5873 = −0.3162 → 5.5 − 0.3162 × 1.5 = 5.0257
    assert result[(1, 1)] == pytest.approx(5.0257, abs=1e-4)


def test_rank_with_normalisation_evens_out_a_lenient_reviewer():
    one = [CriterionSpec("C", 1)]
    # Raw: E1 = mean(8, 6) = 7.0, E2 = mean(4, 5) = 4.5.
    # Normalised (see test_normalise_by_hand): E1 = mean(7, 7) = 7.0, E2 = mean(4, 4) = 4.0.
    entries = [
        EntryInput(1, "E1", (ReviewInput(1, {"C": 8}), ReviewInput(2, {"C": 6}))),
        EntryInput(2, "E2", (ReviewInput(1, {"C": 4}), ReviewInput(2, {"C": 5}))),
    ]
    raw = rank_entries(entries, one)
    normalised = rank_entries(entries, one, normalise_scores=True)
    assert [(r.reference, r.score) for r in raw] == [("E1", 7.0), ("E2", 4.5)]
    assert [(r.reference, r.score) for r in normalised] == [("E1", 7.0), ("E2", 4.0)]


def test_rank_entries_without_reviews_come_last():
    rows = rank_entries([EntryInput(1, "A0"), *_entries()[:1]], A2_B1)
    assert [(r.reference, r.score, r.review_count) for r in rows] == [
        ("X", 7.0, 2),
        ("A0", None, 0),
    ]


def test_ranking_compute_stores_rows(tc_panel, make_entry):
    from judging.models import CriterionScore, Review

    criteria = list(tc_panel.criteria.all())
    entry = make_entry(status="eligible")
    other = make_entry(status="eligible")
    for value in (6, 8):
        a = AssignmentFactory(
            panel=tc_panel, submission=entry, reviewer=PanelMemberFactory(panel=tc_panel)
        )
        review = Review.objects.create(
            assignment=a,
            overall_comment="ok",
            recommendation="shortlist",
            submitted_at="2026-01-01T00:00Z",
        )
        for c in criteria:
            CriterionScore.objects.create(review=review, criterion=c, value=value)
    ranking = ranking_compute(panel=tc_panel)
    rows = list(
        RankedEntry.objects.filter(ranking=ranking).values_list(
            "submission_id", "rank", "score", "review_count"
        )
    )
    assert [(s, r, float(v) if v is not None else None, n) for s, r, v, n in rows] == [
        (entry.pk, 1, 7.0, 2),
        (other.pk, 2, None, 0),
    ]
    assert ranking.method == {"aggregation": "mean", "normalise": False, "tie_break": []}
