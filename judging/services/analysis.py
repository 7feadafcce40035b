"""How far the reviewers agree, how lenient each one is, and how robust the ranking
is to any single reviewer. Pure functions (no database) over ``ranking``'s inputs.

* **Agreement**: Krippendorff's alpha with the interval metric (the ``krippendorff``
  package), over the reviewers × entries matrix of scores, missing where a reviewer
  did not score an entry. 1 is perfect agreement, 0 is what chance would give,
  below 0 systematic disagreement; 0.667 is Krippendorff's lowest bar for tentative
  conclusions, 0.8 for firm ones. Computed for the weighted score and per criterion.
* **Leniency** of a reviewer: the mean, over the entries they share with others, of
  their score minus the mean of the other reviewers' scores of that entry (positive:
  more generous than the panel). **Spread**: the standard deviation of their own
  scores (a reviewer who gives everybody 7 has spread 0 and separates nothing).
* **Leave one reviewer out**: the ranking is computed again without each reviewer's
  scores in turn (with the panel's normalisation and aggregation); for each entry,
  its best and worst rank over those runs and whether it ever crosses the line
  (e.g. the shortlist quota). An entry whose fate changes when one reviewer is left
  out rests on that reviewer's score.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

import krippendorff
import numpy as np

from .ranking import CriterionSpec, EntryInput, rank_entries, weighted_score


def alpha_interval(scores: dict[tuple[int, int], float]) -> float | None:
    """Krippendorff's alpha (interval) of {(reviewer, entry): score}; None when there
    are not two scores of one entry or no variation at all to judge by."""
    reviewers = sorted({r for r, _e in scores})
    entries = sorted({e for _r, e in scores})
    per_entry = defaultdict(int)
    for _r, e in scores:
        per_entry[e] += 1
    if not any(n >= 2 for n in per_entry.values()) or len(set(scores.values())) < 2:
        return None
    rindex = {r: i for i, r in enumerate(reviewers)}
    eindex = {e: i for i, e in enumerate(entries)}
    matrix = np.full((len(reviewers), len(entries)), np.nan)
    for (r, e), value in scores.items():
        matrix[rindex[r], eindex[e]] = value
    value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    return None if value is None or math.isnan(value) else float(value)


def reviewer_leniency(scores: dict[tuple[int, int], float]) -> dict[int, dict]:
    """{reviewer: {"leniency", "spread", "shared", "count"}}; leniency is None for a
    reviewer who shares no entry with another."""
    by_entry: dict[int, dict[int, float]] = defaultdict(dict)
    own: dict[int, list[float]] = defaultdict(list)
    for (r, e), value in scores.items():
        by_entry[e][r] = value
        own[r].append(value)
    offsets: dict[int, list[float]] = defaultdict(list)
    for per in by_entry.values():
        if len(per) < 2:
            continue
        for r, value in per.items():
            others = [v for other, v in per.items() if other != r]
            offsets[r].append(value - statistics.fmean(others))
    return {
        r: {
            "leniency": statistics.fmean(offsets[r]) if offsets[r] else None,
            "spread": statistics.pstdev(values),
            "shared": len(offsets[r]),
            "count": len(values),
        }
        for r, values in own.items()
    }


def agreement_report(entries: list[EntryInput], criteria: list[CriterionSpec]) -> dict:
    """Alpha of the weighted score and of each criterion, and each reviewer's
    leniency and spread on the weighted score (JSON-ready, reviewer ids as strings)."""
    overall = {
        (r.reviewer_id, e.entry_id): weighted_score(r.values, criteria)
        for e in entries
        for r in e.reviews
    }
    per_criterion = [
        {
            "name": c.name,
            "alpha": alpha_interval(
                {
                    (r.reviewer_id, e.entry_id): r.values[c.name]
                    for e in entries
                    for r in e.reviews
                    if c.name in r.values
                }
            ),
        }
        for c in criteria
    ]
    return {
        "alpha": alpha_interval(overall),
        "criteria": per_criterion,
        "reviewers": {str(r): v for r, v in reviewer_leniency(overall).items()},
    }


def leave_one_out(
    entries: list[EntryInput],
    criteria: list[CriterionSpec],
    *,
    line: int,
    window: int = 3,
    **rank_kwargs,
) -> list[dict]:
    """For entries within ``window`` places of the line (and any whose fate changes),
    in rank order: {"entry", "rank", "inside", "best", "worst", "flips": [reviewer
    ids whose omission moves it across the line]}. ``inside`` means rank ≤ line."""
    base = {row.entry_id: row.rank for row in rank_entries(entries, criteria, **rank_kwargs)}
    reviewers = sorted({r.reviewer_id for e in entries for r in e.reviews})
    best = dict(base)
    worst = dict(base)
    flips: dict[int, list[int]] = defaultdict(list)
    for left_out in reviewers:
        reduced = [
            EntryInput(
                e.entry_id,
                e.reference,
                tuple(r for r in e.reviews if r.reviewer_id != left_out),
            )
            for e in entries
        ]
        for row in rank_entries(reduced, criteria, **rank_kwargs):
            e = row.entry_id
            best[e] = min(best[e], row.rank)
            worst[e] = max(worst[e], row.rank)
            if (row.rank <= line) != (base[e] <= line):
                flips[e].append(left_out)
    rows = [
        {
            "entry": e,
            "rank": rank,
            "inside": rank <= line,
            "best": best[e],
            "worst": worst[e],
            "flips": flips.get(e, []),
        }
        for e, rank in base.items()
        if abs(rank - line - 0.5) <= window or flips.get(e)
    ]
    return sorted(rows, key=lambda row: row["rank"])
