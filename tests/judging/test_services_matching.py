"""The matching solver: hard rules hold for random panels, fit never below greedy's."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.services.matching import (
    EntryNeed,
    city_doubles,
    fit_score,
    greedy_plan,
    plan_assignments,
    plan_fit,
)


@st.composite
def panels(draw, with_conflicts=True):
    n_entries = draw(st.integers(1, 25))
    n_reviewers = draw(st.integers(1, 10))
    k = draw(st.integers(1, 4))
    reviewers = list(range(100, 100 + n_reviewers))
    n_cities = draw(st.integers(1, max(1, n_entries)))
    entries, fit = [], {}
    for e in range(1, n_entries + 1):
        excluded = (
            draw(st.frozensets(st.sampled_from(reviewers), max_size=n_reviewers // 2))
            if with_conflicts
            else frozenset()
        )
        entries.append(EntryNeed(e, excluded, frozenset(), draw(st.integers(0, n_cities - 1))))
        for r in reviewers:
            fit[(e, r)] = draw(st.sampled_from([-3, 0, 0, 1, 2, 3, 4, 6]))
    return entries, reviewers, k, fit


def _loads(plan, reviewers):
    counts = Counter(r for chosen in plan.values() for r in chosen)
    return [counts.get(r, 0) for r in reviewers]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_matching_never_breaks_coverage_or_conflicts(panel):
    entries, reviewers, k, fit = panel
    plan = plan_assignments(entries=entries, reviewers=reviewers, k=k, fit=fit)
    for need in entries:
        chosen = plan.get(need.entry_id, [])
        assert len(chosen) == len(set(chosen))
        assert not set(chosen) & need.excluded
        assert len(chosen) == min(k, len(set(reviewers) - need.excluded))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(with_conflicts=False))
def test_matching_balances_loads_within_one_without_conflicts(panel):
    entries, reviewers, k, fit = panel
    plan = plan_assignments(entries=entries, reviewers=reviewers, k=k, fit=fit)
    loads = _loads(plan, reviewers)
    assert max(loads) - min(loads) <= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_matching_fit_never_worse_than_greedy(panel):
    """Whenever the greedy plan keeps every rule (balanced within one, no reviewer
    with two entries of a city), the solver keeps them too with at least its fit;
    and the solver never gives a reviewer more double cities than a balanced greedy."""
    entries, reviewers, k, fit = panel
    plan = plan_assignments(entries=entries, reviewers=reviewers, k=k, fit=fit)
    greedy = greedy_plan(entries=entries, reviewers=reviewers, k=k, fit=fit)
    city = {e.entry_id: e.city for e in entries}
    greedy_loads = _loads(greedy, reviewers)
    if max(greedy_loads) - min(greedy_loads) > 1:
        return  # conflicts made greedy unbalanced: not a valid plan to compare with
    loads = _loads(plan, reviewers)
    assert max(loads) - min(loads) <= 1
    assert city_doubles(plan, city) <= city_doubles(greedy, city)
    if city_doubles(greedy, city) == 0:
        assert plan_fit(plan, fit) >= plan_fit(greedy, fit)


def test_matching_avoids_two_entries_of_one_city_when_possible():
    # Fit alone would give reviewer 1 both entries of city 7 and reviewer 2 both of city 8.
    entries = [
        EntryNeed(1, city=7),
        EntryNeed(2, city=7),
        EntryNeed(3, city=8),
        EntryNeed(4, city=8),
    ]
    fit = {(1, 1): 5, (2, 1): 5, (3, 2): 5, (4, 2): 5}
    plan = plan_assignments(entries=entries, reviewers=[1, 2], k=1, fit=fit)
    cities = {r: sorted(e.city for e in entries if r in plan[e.entry_id]) for r in (1, 2)}
    assert cities == {1: [7, 8], 2: [7, 8]}
    assert plan_fit(plan, fit) == 10


def test_matching_counts_cities_already_held():
    plan = plan_assignments(
        entries=[EntryNeed(1, city=7)], reviewers=[1, 2], k=1, city_holders={7: {1}}
    )
    assert plan == {1: [2]}


def test_matching_prefers_fit_among_equally_loaded():
    plan = plan_assignments(
        entries=[EntryNeed(1), EntryNeed(2)],
        reviewers=[1, 2],
        k=1,
        fit={(1, 2): 3, (2, 1): 3},
    )
    assert plan == {1: [2], 2: [1]}


def test_fit_score_counts_topic_domains_and_preference():
    assert fit_score(["Smart city", "technology"], "Smart city", ["technology"], "want") == 7
    assert fit_score([], "Smart city", [], "rather_not") == -3
    assert (
        fit_score(
            ["economic", "governance", "technology"], "", ["economic", "governance", "technology"]
        )
        == 2
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 12),
    st.integers(1, 5),
    st.data(),
)
def test_single_entry_shortcut_matches_the_solver(n_reviewers, k, data):
    from judging.services.matching import _solve, _solve_single

    reviewers = list(range(1, n_reviewers + 1))
    excluded = data.draw(st.frozensets(st.sampled_from(reviewers), max_size=n_reviewers - 1))
    loads = {r: data.draw(st.integers(0, 4)) for r in reviewers}
    fit = {(1, r): data.draw(st.sampled_from([-3, 0, 1, 3, 6])) for r in reviewers}
    holders = {7: data.draw(st.sets(st.sampled_from(reviewers)))}
    need = EntryNeed(1, excluded, frozenset(), 7)
    allowed = [r for r in reviewers if r not in excluded]
    row = (need, allowed, min(k, len(allowed)))
    pairs = [(1, r) for r in allowed]
    expected = _solve([row], pairs, reviewers, loads, fit, holders, True)
    if expected is None:
        expected = _solve([row], pairs, reviewers, loads, fit, holders, False)
    assert sorted(_solve_single(row, reviewers, loads, fit, holders)) == sorted(expected)
