"""Assignment: the pure planner (Hypothesis properties) and the services around it."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.models import Assignment
from judging.services.assignment import (
    EntryNeed,
    assignment_add,
    assignment_confirm_no_conflict,
    assignment_declare_conflict,
    assignment_release,
    assignment_staff_tc_entry,
    is_automatic_conflict,
    plan_assignments,
)
from tests.judging.factories import PanelMemberFactory

# --- The pure planner -------------------------------------------------------------

sizes = st.tuples(st.integers(1, 30), st.integers(1, 12), st.integers(1, 5))


@st.composite
def problems(draw, with_conflicts=True):
    n_entries, n_reviewers, k = draw(sizes)
    reviewers = list(range(100, 100 + n_reviewers))
    entries = []
    for e in range(n_entries):
        excluded = (
            draw(st.frozensets(st.sampled_from(reviewers), max_size=n_reviewers))
            if with_conflicts
            else frozenset()
        )
        entries.append(EntryNeed(entry_id=e + 1, excluded=excluded))
    return entries, reviewers, k


@settings(max_examples=200, deadline=None)
@given(problems())
def test_plan_never_assigns_conflicts_or_duplicates(problem):
    entries, reviewers, k = problem
    plan = plan_assignments(entries=entries, reviewers=reviewers, k=k, loads={})
    for need in entries:
        chosen = plan.get(need.entry_id, [])
        assert len(chosen) == len(set(chosen))
        assert not set(chosen) & need.excluded
        allowed = len(set(reviewers) - need.excluded)
        assert len(chosen) == min(k, allowed)


@settings(max_examples=200, deadline=None)
@given(problems(with_conflicts=False))
def test_plan_balances_loads_within_one_without_conflicts(problem):
    entries, reviewers, k = problem
    plan = plan_assignments(entries=entries, reviewers=reviewers, k=k, loads={})
    loads = {r: 0 for r in reviewers}
    for chosen in plan.values():
        for r in chosen:
            loads[r] += 1
    assert max(loads.values()) - min(loads.values()) <= 1
    assert all(len(plan[e.entry_id]) == min(k, len(reviewers)) for e in entries)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_plan_is_deterministic_and_leaves_loads_alone(problem):
    entries, reviewers, k = problem
    loads = {r: 0 for r in reviewers}
    first = plan_assignments(entries=entries, reviewers=reviewers, k=k, loads=loads)
    second = plan_assignments(
        entries=list(reversed(entries)), reviewers=reviewers, k=k, loads=loads
    )
    assert first == second
    assert set(loads.values()) == {0}


@settings(max_examples=100, deadline=None)
@given(problems())
def test_plan_tops_up_existing_assignments_only(problem):
    entries, reviewers, k = problem
    topped = [
        EntryNeed(e.entry_id, e.excluded, frozenset(sorted(set(reviewers) - e.excluded)[:1]))
        for e in entries
    ]
    plan = plan_assignments(entries=topped, reviewers=reviewers, k=k, loads={})
    for need in topped:
        chosen = plan.get(need.entry_id, [])
        assert not set(chosen) & need.assigned
        assert len(chosen) + len(need.assigned) <= k


def test_plan_prefers_least_loaded_then_lowest_id():
    plan = plan_assignments(
        entries=[EntryNeed(1)], reviewers=[3, 2, 1], k=2, loads={1: 2, 2: 0, 3: 0}
    )
    assert plan == {1: [2, 3]}


@pytest.mark.parametrize(
    ("member", "entry", "scope", "expected"),
    [
        ("BR", "BR", "country", True),
        ("AR", "BR", "country", False),
        ("AR", "BR", "continent", True),
        ("FR", "BR", "continent", False),
        ("BR", "BR", "none", False),
        ("", "BR", "country", False),
    ],
)
def test_automatic_conflict_follows_scope(member, entry, scope, expected):
    assert is_automatic_conflict(member, entry, scope) is expected


# --- Services ---------------------------------------------------------------------


def test_staff_entry_skips_same_country_member(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible", country="FR")  # tc_members[0] is French
    made = assignment_staff_tc_entry(submission=entry)
    assert len(made) == 3
    assert tc_members[0].pk not in {a.reviewer_id for a in made}


def test_staff_entry_is_idempotent(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    assert assignment_staff_tc_entry(submission=entry) == []
    assert Assignment.objects.filter(submission=entry).count() == 3


def test_staff_entry_balances_loads(tc_panel, tc_members, make_entry):
    for _ in range(4):
        assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    loads = [Assignment.objects.filter(reviewer=m).count() for m in tc_members]
    assert loads == [3, 3, 3, 3]


def test_staff_entry_ignores_entries_not_eligible(tc_panel, tc_members, make_entry):
    assert assignment_staff_tc_entry(submission=make_entry(status="submitted")) == []


def test_continent_scope_widens_conflicts(tc_panel, make_entry):
    tc_panel.conflict_scope = "continent"
    tc_panel.save()
    argentine = PanelMemberFactory(panel=tc_panel, country="AR")
    french = PanelMemberFactory(panel=tc_panel, country="FR")
    made = assignment_staff_tc_entry(submission=make_entry(status="eligible", country="BR"))
    assert [a.reviewer for a in made] == [french]
    assert argentine.assignments.count() == 0


def test_declared_conflict_releases_and_reassigns(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    first = made[0]
    with django_capture_on_commit_callbacks(execute=True):
        assignment_declare_conflict(
            assignment=first, reason="I advised the city.", by=first.reviewer.user
        )
    first.refresh_from_db()
    assert (first.state, first.conflict_reason, first.replaced) == (
        "released",
        "I advised the city.",
        True,
    )
    live = Assignment.objects.filter(submission=entry).exclude(state="released")
    assert live.count() == 3
    assert first.reviewer_id not in set(live.values_list("reviewer_id", flat=True))


def test_declare_conflict_requires_reason(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    a = assignment_staff_tc_entry(submission=entry)[0]
    with pytest.raises(ValidationError, match="Please describe the conflict of interest"):
        assignment_declare_conflict(assignment=a, reason="", by=a.reviewer.user)
    a.refresh_from_db()
    assert a.state == "pending"


def test_confirm_no_conflict_activates(tc_panel, tc_members, make_entry):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    assignment_confirm_no_conflict(assignment=a, by=a.reviewer.user)
    a.refresh_from_db()
    assert a.state == "active"
    assert a.no_conflict_confirmed_at is not None


def test_manual_add_refuses_conflict_and_duplicate(tc_panel, tc_members, make_entry, secretariat):
    entry = make_entry(status="eligible", country="FR")
    with pytest.raises(ValidationError, match="has a conflict with this entry"):
        assignment_add(panel=tc_panel, submission=entry, member=tc_members[0], by=secretariat)
    assert Assignment.objects.filter(submission=entry).count() == 0
    assignment_add(panel=tc_panel, submission=entry, member=tc_members[1], by=secretariat)
    with pytest.raises(ValidationError, match="This member already reviews this entry"):
        assignment_add(panel=tc_panel, submission=entry, member=tc_members[1], by=secretariat)
    assert Assignment.objects.filter(submission=entry).count() == 1


def test_manual_release_keeps_reason(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    a = assignment_staff_tc_entry(submission=entry)[0]
    with pytest.raises(ValidationError, match="Please give a reason for removing this reviewer"):
        assignment_release(assignment=a, reason="", by=secretariat)
    a.refresh_from_db()
    assert a.state == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        assignment_release(assignment=a, reason="Workload.", replace=True, by=secretariat)
    a.refresh_from_db()
    assert (a.state, a.release_reason) == ("released", "Workload.")
    assert Assignment.objects.filter(submission=entry).exclude(state="released").count() == 3


# --- Matching in the database --------------------------------------------------------


def _staff_queries(submission):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        made = assignment_staff_tc_entry(submission=submission)
    assert len(made) == 3
    return len(ctx.captured_queries)


def test_staff_entry_queries_do_not_grow_with_the_panel(tc_panel, tc_members, make_entry):
    for _ in range(2):
        assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    early = _staff_queries(make_entry(status="eligible"))
    for _ in range(12):
        assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    assert _staff_queries(make_entry(status="eligible")) == early


def test_staff_entry_prefers_expertise_and_wishes(tc_panel, tc_members, make_entry):
    from judging.models import EntryPreference

    entry = make_entry(status="eligible", topic="Smart city")
    tc_members[3].expertise = ["Smart city"]
    tc_members[3].save()
    EntryPreference.objects.create(member=tc_members[0], submission=entry, level="rather_not")
    made = assignment_staff_tc_entry(submission=entry)
    assert sorted(a.reviewer_id for a in made) == sorted(m.pk for m in tc_members[1:])
    assert {a.reviewer_id: a.fit for a in made}[tc_members[3].pk] >= 3


def test_staff_panel_plans_every_entry_in_one_run(tc_panel, tc_members, make_entry, secretariat):
    from judging.services.assignment import assignment_staff_panel

    entries = [make_entry(status="eligible") for _ in range(8)]
    assert assignment_staff_panel(panel=tc_panel, by=secretariat) == 24
    loads = Counter(Assignment.objects.values_list("reviewer_id", flat=True))
    assert sorted(loads.values()) == [6, 6, 6, 6]
    assert all(Assignment.objects.filter(submission=e).count() == 3 for e in entries)
    assert not Assignment.objects.filter(fit__isnull=True).exists()
    assert assignment_staff_panel(panel=tc_panel, by=secretariat) == 0


def test_add_one_more_reviewer_uses_the_rules(tc_panel, tc_members, make_entry, secretariat):
    from judging.services.assignment import assignment_add_one_more

    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    extra = assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
    assert Assignment.objects.filter(submission=entry).count() == 4
    assert extra.assigned_by == secretariat
    with pytest.raises(ValidationError, match="No other member"):
        assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
