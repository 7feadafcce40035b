"""Matching reviewers to entries: topic fit, preferences and the hard rules, solved
as one integer programme by SciPy's ``milp`` (the HiGHS solver). Pure: no database.

Variables ``x[e, r] ∈ {0, 1}`` for every entry ``e`` and every reviewer ``r`` allowed
to review it (conflicts, automatic or declared, have no variable at all, so they can
never be chosen). The rules, in order of precedence:

1. **Coverage** (hard): each entry gets ``min(missing, allowed)`` new reviewers.
2. **Balance** (hard when feasible): with the reviewers' current loads, the new work
   is water-filled: the level ``L`` is the highest one the new assignments can lift
   every reviewer to; every reviewer ends with at least ``min(L, load)`` and at most
   ``max(L + 1, load)`` entries, i.e. within ±1 of each other when they started
   balanced. When conflicts make that impossible the same bounds become costly
   slacks instead (solved a second time), so the plan is as balanced as it can be.
3. **One city per reviewer** (hard when avoidable): a reviewer gets at most one
   entry of a city (counting what they already hold); every extra one costs more
   than the whole fit of the plan, so it happens only when unavoidable.
4. **Fit** (maximised): ``fit_score`` of each chosen pair (topics, domains and the
   member's stated preference).

``greedy_plan`` is the old least-loaded-first loop, kept as the baseline the
property tests compare against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

PREFERENCE_FIT = {"want": 3, "can": 0, "rather_not": -3}
TOPIC_FIT = 3
DOMAIN_FIT = 1
MAX_FIT = TOPIC_FIT + 2 * DOMAIN_FIT + PREFERENCE_FIT["want"]


def fit_score(expertise, topic: str, domains, preference: str = "") -> int:
    """How well a member suits an entry: +3 when the entry's analytical topic is
    among the member's declared topics, +1 per shared domain (at most 2), plus the
    member's preference (want +3, can 0, rather not −3)."""
    known = set(expertise or ())
    score = TOPIC_FIT if topic and topic in known else 0
    score += DOMAIN_FIT * min(2, sum(1 for d in set(domains or ()) if d in known))
    return score + PREFERENCE_FIT.get(preference or "", 0)


@dataclass(frozen=True)
class EntryNeed:
    """One entry to staff: who may not review it, who already does, its city."""

    entry_id: int
    excluded: frozenset[int] = field(default_factory=frozenset)
    assigned: frozenset[int] = field(default_factory=frozenset)
    city: int | None = None


def _level(loads: list[int], demand: int) -> int:
    """The highest level L with sum(max(0, L − load)) ≤ demand (water-filling)."""
    if not loads:
        return 0
    level = min(loads)
    while sum(max(0, level + 1 - x) for x in loads) <= demand:
        level += 1
    return level


def plan_assignments(
    *,
    entries: Iterable[EntryNeed],
    reviewers: Iterable[int],
    k: int,
    loads: dict[int, int] | None = None,
    fit: dict[tuple[int, int], int] | None = None,
    city_holders: dict[int, set[int]] | None = None,
) -> dict[int, list[int]]:
    """New reviewers per entry: ``{entry id: [reviewer ids]}`` (entries that need
    nobody are left out). ``fit`` maps (entry, reviewer) to ``fit_score`` (0 when
    missing); ``city_holders`` maps a city to the reviewers already holding one of its
    entries. Deterministic; never an excluded reviewer, never one twice on an entry;
    see the module docstring for the rules. ``loads`` is not modified."""
    reviewers = sorted(set(reviewers))
    loads = {r: (loads or {}).get(r, 0) for r in reviewers}
    fit = fit or {}
    city_holders = city_holders or {}
    needs = []
    for need in sorted(entries, key=lambda e: e.entry_id):
        allowed = [r for r in reviewers if r not in need.excluded and r not in need.assigned]
        missing = min(k - len(need.assigned), len(allowed))
        if missing > 0:
            needs.append((need, allowed, missing))
    if not needs:
        return {}
    pairs = [(need.entry_id, r) for need, allowed, _m in needs for r in allowed]
    if len(needs) == 1:
        chosen = _solve_single(needs[0], reviewers, loads, fit, city_holders)
        return {needs[0][0].entry_id: sorted(r for _e, r in chosen)}
    for strict in (True, False):
        chosen = _solve(needs, pairs, reviewers, loads, fit, city_holders, strict)
        if chosen is not None:
            break
    plan: dict[int, list[int]] = defaultdict(list)
    for entry_id, reviewer in chosen:
        plan[entry_id].append(reviewer)
    return {e: sorted(rs) for e, rs in plan.items()}


def _solve_single(need_row, reviewers, loads, fit, city_holders):
    """One entry (the common case: an entry becomes eligible, a replacement, one more
    reviewer): the programme's objective is then a sum over the chosen reviewers, so
    taking the ``missing`` cheapest by the same costs is its exact optimum, without
    the solver's start-up cost. Same result as ``_solve`` (tested)."""
    need, allowed, missing = need_row
    level = _level([loads[r] for r in reviewers], missing)
    rindex = {r: i for i, r in enumerate(reviewers)}
    eps = 1 / (len(reviewers) * (missing + 1))
    held = city_holders.get(need.city, ()) if need.city is not None else ()
    big = MAX_FIT * 2 * max(1, missing) + 1  # above any fit difference

    def cost(r):
        under = 1 if level - loads[r] >= 1 else 0  # taking it lifts a reviewer to the floor
        over = 1 if level + 1 - loads[r] <= 0 else 0  # taking it goes past the ceiling
        balance = (over - under) * big * (missing + 1)
        return (
            balance + (big if r in held else 0) - fit.get((need.entry_id, r), 0) + eps * rindex[r]
        )

    return [(need.entry_id, r) for r in sorted(allowed, key=cost)[:missing]]


def _solve(needs, pairs, reviewers, loads, fit, city_holders, strict):
    n_pairs = len(pairs)
    demand = sum(m for _n, _a, m in needs)
    level = _level([loads[r] for r in reviewers], demand)
    floor_ = {r: max(0, level - loads[r]) for r in reviewers}  # new work each must take
    ceil_ = {r: max(0, level + 1 - loads[r]) for r in reviewers}  # new work each may take
    rindex = {r: i for i, r in enumerate(reviewers)}
    entry_city = {need.entry_id: need.city for need, _a, _m in needs}

    # City groups: (city, reviewer) pairs that could hold more than one entry of a city.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for j, (e, r) in enumerate(pairs):
        if entry_city[e] is not None:
            groups[(entry_city[e], r)].append(j)
    groups = {
        key: cols
        for key, cols in groups.items()
        if len(cols) + (key[1] in city_holders.get(key[0], ())) > 1
    }
    city_keys = sorted(groups)
    n_city = len(city_keys)
    n_bal = 0 if strict else 2 * len(reviewers)  # slack below the floor, above the ceiling
    n_vars = n_pairs + n_city + n_bal

    # Penalties dominate the whole plan's possible fit, so rules come first.
    city_cost = MAX_FIT * 2 * max(1, demand) + 1
    bal_cost = city_cost * (n_city + 1)
    c = np.zeros(n_vars)
    # Between equal fits the lower reviewer id wins: a tie-break too small (below 1 in
    # total) ever to trade away a unit of fit.
    eps = 1 / (len(reviewers) * (demand + 1))
    c[:n_pairs] = [-fit.get((e, r), 0) + eps * rindex[r] for e, r in pairs]
    c[n_pairs : n_pairs + n_city] = city_cost
    c[n_pairs + n_city :] = bal_cost

    rows, cols, vals, lo, hi = [], [], [], [], []
    row = 0
    by_entry: dict[int, list[int]] = defaultdict(list)
    by_reviewer: dict[int, list[int]] = defaultdict(list)
    for j, (e, r) in enumerate(pairs):
        by_entry[e].append(j)
        by_reviewer[r].append(j)
    for need, _allowed, missing in needs:  # coverage
        for j in by_entry[need.entry_id]:
            rows.append(row), cols.append(j), vals.append(1)
        lo.append(missing), hi.append(missing)
        row += 1
    for r in reviewers:  # balance
        for j in by_reviewer[r]:
            rows.append(row), cols.append(j), vals.append(1)
        if strict:
            lo.append(floor_[r]), hi.append(ceil_[r])
        else:
            i = rindex[r]
            (
                rows.extend([row, row]),
                cols.extend([n_pairs + n_city + 2 * i, n_pairs + n_city + 2 * i + 1]),
                vals.extend([1, -1]),
            )
            lo.append(floor_[r]), hi.append(ceil_[r])
        row += 1
    for g, key in enumerate(city_keys):  # one entry of a city per reviewer
        for j in groups[key]:
            rows.append(row), cols.append(j), vals.append(1)
        rows.append(row), cols.append(n_pairs + g), vals.append(-1)
        held = 1 if key[1] in city_holders.get(key[0], ()) else 0
        lo.append(-np.inf), hi.append(1 - held)
        row += 1

    matrix = coo_array((vals, (rows, cols)), shape=(row, n_vars)).tocsr()
    upper = np.full(n_vars, np.inf)
    upper[:n_pairs] = 1
    integrality = np.ones(n_vars)
    result = milp(
        c,
        constraints=LinearConstraint(matrix, lo, hi),
        integrality=integrality,
        bounds=Bounds(np.zeros(n_vars), upper),
        options={"mip_rel_gap": 0, "presolve": True},
    )
    if result.status != 0 or result.x is None:
        return None
    return [pairs[j] for j in range(n_pairs) if result.x[j] > 0.5]


def greedy_plan(
    *,
    entries: Iterable[EntryNeed],
    reviewers: Iterable[int],
    k: int,
    loads: dict[int, int] | None = None,
    fit: dict[tuple[int, int], int] | None = None,
) -> dict[int, list[int]]:
    """The baseline: entries in id order, the least-loaded allowed reviewers first
    (then the better fit, then the lower id). No solver, no city rule."""
    load = {r: (loads or {}).get(r, 0) for r in reviewers}
    fit = fit or {}
    plan: dict[int, list[int]] = {}
    for need in sorted(entries, key=lambda e: e.entry_id):
        missing = k - len(need.assigned)
        if missing <= 0:
            continue
        candidates = sorted(
            (r for r in load if r not in need.excluded and r not in need.assigned),
            key=lambda r: (load[r], -fit.get((need.entry_id, r), 0), r),
        )
        chosen = candidates[:missing]
        for r in chosen:
            load[r] += 1
        if chosen:
            plan[need.entry_id] = sorted(chosen)
    return plan


def plan_fit(plan: dict[int, list[int]], fit: dict[tuple[int, int], int]) -> int:
    return sum(fit.get((e, r), 0) for e, rs in plan.items() for r in rs)


def city_doubles(plan: dict[int, list[int]], city_of: dict[int, int | None], held=None) -> int:
    """How many times a reviewer gets a second (third, ...) entry of one city."""
    count: dict[tuple, int] = defaultdict(int)
    for city, holders in (held or {}).items():
        for r in holders:
            count[(city, r)] += 1
    for e, rs in plan.items():
        if city_of.get(e) is None:
            continue
        for r in rs:
            count[(city_of[e], r)] += 1
    return sum(n - 1 for n in count.values() if n > 1)
