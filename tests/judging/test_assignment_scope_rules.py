"""The assignment rules' scope: each service reads and writes the assignments of its own
panel, its own cycle's entries, the entry in hand and the member in hand, never another
panel's or another cycle's; who assigned is recorded; a domain counts in the fit; each
refusal says why. (judging/services/assignment.py; the other rules are in
test_assignment_rules.py.)"""

import pytest
from django.core.exceptions import ValidationError

from judging.models import Assignment
from judging.services.assignment import (
    assignment_add,
    assignment_add_one_more,
    assignment_declare_conflict,
    assignment_release_conflicts,
    assignment_staff_entry,
    assignment_staff_jury,
    assignment_staff_panel,
    assignment_staff_tc_entry,
    entries_needing_reviewers,
)
from judging.services.panels import panel_get_or_create
from tests import factories
from tests.judging.factories import PanelMemberFactory


def _live(entry, panel=None) -> set[int]:
    rows = Assignment.objects.filter(submission=entry).exclude(state="released")
    if panel is not None:
        rows = rows.filter(panel=panel)
    return set(rows.values_list("reviewer_id", flat=True))


def _released(panel, entry, member, *, replaced=False) -> Assignment:
    return Assignment.objects.create(
        panel=panel,
        submission=entry,
        reviewer=member,
        state="released",
        conflict_reason="Adviser to the city.",
        release_reason="Conflict of interest declared by the reviewer.",
        replaced=replaced,
    )


def _one_reviewer_each(panel):
    panel.reviewers_per_entry = 1
    panel.save(update_fields=["reviewers_per_entry"])


# --- Each cycle's panels, each cycle's entries ------------------------------------------


def test_an_entry_is_staffed_on_its_own_cycles_technical_committee(cycle, make_entry):
    # Another cycle's committee exists first: the entry's own is not simply "the first".
    earlier = panel_get_or_create(cycle=factories.CycleFactory(), kind="tc")
    PanelMemberFactory.create_batch(3, panel=earlier, country="JP")
    own = panel_get_or_create(cycle=cycle, kind="tc")
    members = PanelMemberFactory.create_batch(3, panel=own, country="KE")
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    assert {a.panel_id for a in made} == {own.pk}
    assert _live(entry) == {m.pk for m in members}


def test_the_jury_is_given_only_its_own_cycles_shortlist(jury_panel, jury_members, make_entry):
    own = make_entry(status="shortlisted")
    elsewhere = factories.CompleteSubmissionFactory(status="shortlisted")
    assert assignment_staff_jury(panel=jury_panel) == 3
    assert _live(own) == {m.pk for m in jury_members}
    assert _live(elsewhere) == set()


def test_planning_a_committee_staffs_only_its_own_cycles_eligible_entries(
    tc_panel, tc_members, make_entry
):
    own = make_entry(status="eligible")
    elsewhere = factories.CompleteSubmissionFactory(status="eligible")
    assert assignment_staff_panel(panel=tc_panel) == 3
    assert len(_live(own)) == 3
    assert _live(elsewhere) == set()


def test_the_jury_counts_only_its_own_reviewers_of_an_entry(
    tc_panel, tc_members, jury_panel, jury_members, make_entry
):
    """The Technical Committee's reviewers of a shortlisted entry stay on it (their
    assignments remain live): the jury still gives it to every jury member."""
    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    entry.status = "shortlisted"
    entry.save(update_fields=["status"])
    assert assignment_staff_jury(panel=jury_panel) == 3
    assert _live(entry, jury_panel) == {m.pk for m in jury_members}
    assert len(_live(entry, tc_panel)) == 3


# --- Releases marked replaced -----------------------------------------------------------


def test_staffing_again_marks_replaced_only_this_panels_releases_of_this_entry(
    tc_panel, tc_members, jury_panel, jury_members, make_entry
):
    first, second, third, fourth = tc_members
    entry, other = make_entry(status="eligible"), make_entry(status="eligible")
    Assignment.objects.create(panel=tc_panel, submission=entry, reviewer=second)
    Assignment.objects.create(panel=tc_panel, submission=entry, reviewer=third)
    mine = _released(tc_panel, entry, first)
    others = _released(tc_panel, other, second)  # another entry's, still to replace
    jurys = _released(jury_panel, entry, jury_members[0])  # another panel's
    made = assignment_staff_entry(submission=entry, panel=tc_panel)
    assert [a.reviewer_id for a in made] == [fourth.pk]
    replaced = dict(Assignment.objects.values_list("pk", "replaced"))
    assert (replaced[mine.pk], replaced[others.pk], replaced[jurys.pk]) == (True, False, False)
    # Live assignments are never marked replaced.
    assert not Assignment.objects.exclude(state="released").filter(replaced=True).exists()


# --- One city per reviewer, the fit -----------------------------------------------------


def test_a_member_released_from_a_citys_entry_does_not_hold_that_city(
    tc_panel, make_entry, secretariat
):
    """Only live assignments hold a city: a member released from one of its entries may
    take another (here they fit it best, and nobody else is lighter)."""
    from tests.factories import CompleteSubmissionFactory

    _one_reviewer_each(tc_panel)
    expert = PanelMemberFactory(panel=tc_panel, country="KE", expertise=["Smart city"])
    holder = PanelMemberFactory(panel=tc_panel, country="JP")
    PanelMemberFactory(panel=tc_panel, country="CA")
    held = make_entry(status="eligible")
    _released(tc_panel, held, expert)
    Assignment.objects.create(panel=tc_panel, submission=held, reviewer=holder)
    same_city = CompleteSubmissionFactory(
        cycle=tc_panel.cycle, organisation=held.organisation, status="eligible", topic="Smart city"
    )
    made = assignment_staff_tc_entry(submission=same_city)
    assert [a.reviewer_id for a in made] == [expert.pk]


def test_shared_domains_count_in_the_fit_up_to_two(tc_panel, make_entry):
    _one_reviewer_each(tc_panel)
    member = PanelMemberFactory(
        panel=tc_panel, country="KE", expertise=["governance", "economic", "technology"]
    )
    entry = make_entry(
        status="eligible", topic="", domains=["governance", "economic", "technology"]
    )
    (made,) = assignment_staff_tc_entry(submission=entry)
    assert (made.reviewer_id, made.fit) == (member.pk, 2)


# --- Who assigned -----------------------------------------------------------------------


def test_every_way_of_staffing_records_who_asked(
    tc_panel, tc_members, jury_panel, jury_members, make_entry, secretariat
):
    one = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=one, by=secretariat)
    make_entry(status="eligible")
    assignment_staff_panel(panel=tc_panel, by=secretariat)
    make_entry(status="shortlisted")
    assignment_staff_panel(panel=jury_panel, by=secretariat)
    assert Assignment.objects.count() == 3 + 3 + 3
    assert set(Assignment.objects.values_list("panel", "assigned_by")) == {
        (tc_panel.pk, secretariat.pk),
        (jury_panel.pk, secretariat.pk),
    }


# --- One more reviewer ------------------------------------------------------------------


def test_one_more_reviewer_adds_exactly_one(tc_panel, tc_members, make_entry, secretariat):
    PanelMemberFactory(panel=tc_panel, country="AU")  # two members are free
    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    added = assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
    assert len(_live(entry)) == 4
    assert added.assigned_by == secretariat


def test_one_more_reviewer_refused_when_nobody_else_may_review_it(
    tc_panel, tc_members, make_entry, secretariat
):
    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
    with pytest.raises(ValidationError) as error:
        assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
    assert error.value.messages == ["No other member may review this entry."]
    assert len(_live(entry)) == 4


# --- The panel's conflict rule ----------------------------------------------------------


def _continent_rule(panel):
    panel.conflict_scope = "continent"
    panel.save(update_fields=["conflict_scope"])


def test_an_entry_only_a_same_continent_member_could_take_needs_nobody(tc_panel, make_entry):
    _continent_rule(tc_panel)
    _one_reviewer_each(tc_panel)
    PanelMemberFactory(panel=tc_panel, country="DE")
    make_entry(status="eligible", country="FR")
    assert entries_needing_reviewers(tc_panel) == []


def test_adding_a_same_continent_member_by_hand_is_refused(tc_panel, make_entry, secretariat):
    _continent_rule(tc_panel)
    german = PanelMemberFactory(panel=tc_panel, country="DE")
    entry = make_entry(status="eligible", country="FR")
    with pytest.raises(ValidationError) as error:
        assignment_add(panel=tc_panel, submission=entry, member=german, by=secretariat)
    assert error.value.messages == [
        f"{german.user.display_name} has a conflict with this entry (same country or region)."
    ]
    assert Assignment.objects.count() == 0


def test_conflicts_found_again_leave_other_panels_alone(
    tc_panel, jury_panel, make_entry, secretariat
):
    """The committee's wider rule is not applied to the jury's assignments."""
    _continent_rule(tc_panel)
    juror = PanelMemberFactory(panel=jury_panel, country="DE")
    entry = make_entry(status="shortlisted", country="FR")
    kept = assignment_add(panel=jury_panel, submission=entry, member=juror, by=secretariat)
    assert assignment_release_conflicts(panel=tc_panel) == []
    kept.refresh_from_db()
    assert kept.state == "pending"


def test_conflicts_found_again_go_past_the_assignments_without_one(
    tc_panel, make_entry, secretariat, django_capture_on_commit_callbacks
):
    kenyan = PanelMemberFactory(panel=tc_panel, country="KE")
    french = PanelMemberFactory(panel=tc_panel, country="FR")
    first = assignment_add(
        panel=tc_panel, submission=make_entry(status="eligible"), member=kenyan, by=secretariat
    )
    second = assignment_add(
        panel=tc_panel, submission=make_entry(status="eligible"), member=french, by=secretariat
    )
    french.country = "BR"  # now from the entries' country
    french.save(update_fields=["country"])
    with django_capture_on_commit_callbacks(execute=False):
        released = assignment_release_conflicts(panel=tc_panel)
    assert [a.pk for a in released] == [second.pk]
    first.refresh_from_db()
    assert first.state == "pending"


# --- Adding by hand: the refusals and what does not refuse ------------------------------


def test_adding_a_member_twice_is_refused(tc_panel, tc_members, make_entry, secretariat):
    entry = make_entry(status="eligible")
    assignment_add(panel=tc_panel, submission=entry, member=tc_members[0], by=secretariat)
    with pytest.raises(ValidationError) as error:
        assignment_add(panel=tc_panel, submission=entry, member=tc_members[0], by=secretariat)
    assert error.value.messages == ["This member already reviews this entry."]
    assert Assignment.objects.count() == 1


def test_a_declared_conflict_refuses_only_that_member_for_that_entry(
    tc_panel, tc_members, make_entry, secretariat
):
    first, second = tc_members[:2]
    entry, other = make_entry(status="eligible"), make_entry(status="eligible")
    _released(tc_panel, entry, first)
    assert assignment_add(panel=tc_panel, submission=other, member=first, by=secretariat).pk
    assert assignment_add(panel=tc_panel, submission=entry, member=second, by=secretariat).pk
    assert _live(other) == {first.pk}
    assert _live(entry) == {second.pk}


def test_declaring_a_conflict_needs_a_reason(tc_panel, tc_members, make_entry):
    (assignment, *_others) = assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    with pytest.raises(ValidationError) as error:
        assignment_declare_conflict(assignment=assignment, reason="  ", by=None)
    assert error.value.messages == ["Please describe the conflict of interest."]
    assignment.refresh_from_db()
    assert (assignment.state, assignment.conflict_reason) == ("pending", "")
