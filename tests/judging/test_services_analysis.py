"""Agreement (Krippendorff's alpha), leniency and leave-one-reviewer-out robustness."""

import math

import pytest

from judging.services.analysis import (
    agreement_report,
    alpha_interval,
    leave_one_out,
    reviewer_leniency,
)
from judging.services.ranking import CriterionSpec, EntryInput, ReviewInput

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example
# with missing values: 4 observers × 12 units. Published: interval alpha = 0.849.
N = None
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def _as_scores(matrix):
    return {(r, e): v for r, row in enumerate(matrix) for e, v in enumerate(row) if v is not None}


def _alpha_from_definition(scores):
    """Interval alpha straight from the definition: 1 − D_o / D_e over pairable values."""
    units = {}
    for (_r, e), v in scores.items():
        units.setdefault(e, []).append(v)
    units = {e: vs for e, vs in units.items() if len(vs) >= 2}
    n = sum(len(vs) for vs in units.values())
    d_o = (
        sum(
            sum((a - b) ** 2 for i, a in enumerate(vs) for j, b in enumerate(vs) if i != j)
            / (len(vs) - 1)
            for vs in units.values()
        )
        / n
    )
    values = [v for vs in units.values() for v in vs]
    d_e = sum((a - b) ** 2 for a in values for b in values) / (n * (n - 1))
    return 1 - d_o / d_e


def test_alpha_matches_krippendorffs_published_example():
    scores = _as_scores(KRIPPENDORFF_EXAMPLE)
    assert round(alpha_interval(scores), 3) == 0.849
    assert alpha_interval(scores) == pytest.approx(_alpha_from_definition(scores))


def test_alpha_is_none_without_pairs_or_variation():
    assert alpha_interval({(1, 1): 5, (2, 2): 6}) is None
    assert alpha_interval({(1, 1): 5, (2, 1): 5}) is None


def test_alpha_is_one_when_reviewers_agree_perfectly():
    assert alpha_interval({(1, 1): 3, (2, 1): 3, (1, 2): 8, (2, 2): 8}) == pytest.approx(1.0)


def test_leniency_is_mean_offset_from_the_others():
    scores = {(1, 10): 8, (2, 10): 6, (3, 10): 4, (1, 11): 9, (2, 11): 7}
    result = reviewer_leniency(scores)
    assert result[1]["leniency"] == pytest.approx(((8 - 5) + (9 - 7)) / 2)
    assert result[3]["leniency"] == pytest.approx(4 - 7)
    assert result[1]["spread"] == pytest.approx(0.5)
    assert result[3]["shared"] == 1


def _crit():
    return [CriterionSpec("Overall", 1.0, 1, 10)]


def _entry(entry_id, *pairs):
    return EntryInput(
        entry_id, f"E{entry_id}", tuple(ReviewInput(r, {"Overall": v}) for r, v in pairs)
    )


def test_leave_one_out_shows_an_entry_resting_on_one_score():
    # E1 is shortlisted (line 1) only thanks to reviewer 1's 10: without it, 4 < 6.5.
    entries = [_entry(1, (1, 10), (2, 4)), _entry(2, (3, 6), (4, 7)), _entry(3, (2, 3), (3, 2))]
    rows = {row["entry"]: row for row in leave_one_out(entries, _crit(), line=1)}
    assert rows[1] == {"entry": 1, "rank": 1, "inside": True, "best": 1, "worst": 2, "flips": [1]}
    assert rows[2]["flips"] == [1]
    assert (rows[2]["best"], rows[2]["worst"]) == (1, 2)
    assert rows[3]["flips"] == []


def test_leave_one_out_robust_ranking_has_no_flip():
    entries = [_entry(1, (1, 9), (2, 9)), _entry(2, (1, 5), (2, 5))]
    rows = leave_one_out(entries, _crit(), line=1)
    assert [(r["entry"], r["flips"], r["best"], r["worst"]) for r in rows] == [
        (1, [], 1, 1),
        (2, [], 2, 2),
    ]


def test_agreement_report_per_criterion():
    crit = [CriterionSpec("A", 1.0, 1, 10), CriterionSpec("B", 1.0, 1, 10)]
    entries = [
        EntryInput(1, "E1", (ReviewInput(1, {"A": 8, "B": 2}), ReviewInput(2, {"A": 8, "B": 9}))),
        EntryInput(2, "E2", (ReviewInput(1, {"A": 3, "B": 7}), ReviewInput(2, {"A": 3, "B": 1}))),
    ]
    report = agreement_report(entries, crit)
    alphas = {c["name"]: c["alpha"] for c in report["criteria"]}
    assert alphas["A"] == pytest.approx(1.0)
    assert alphas["B"] < 0
    assert set(report["reviewers"]) == {"1", "2"}
    assert not math.isnan(report["alpha"])
