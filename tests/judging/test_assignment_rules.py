"""The assignment rules (judging/services/assignment.py): automatic conflicts, who may
be given an entry, loads, releases and replacements, and what is refused and why."""

import datetime as dt
import logging

import pytest
import time_machine
from django.core.exceptions import ValidationError

from judging.models import Assignment, PanelMember
from judging.services.assignment import (
    assignment_add,
    assignment_add_one_more,
    assignment_confirm_no_conflict,
    assignment_declare_conflict,
    assignment_plan_panel,
    assignment_release,
    assignment_release_conflicts,
    assignment_staff_entry,
    assignment_staff_jury,
    assignment_staff_panel,
    assignment_staff_tc_entry,
    entries_needing_reviewers,
    is_automatic_conflict,
)
from tests.judging.conftest import score
from tests.judging.factories import PanelMemberFactory

# --- Automatic conflicts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "entry", "scope", "expected"),
    [
        ("BR", "", "country", False),
        ("BR", None, "continent", False),
        ("", "", "country", False),
        (None, None, "continent", False),
        ("AR", "AR", "continent", True),
        ("KE", "ZA", "continent", True),
        ("KE", "ZA", "country", False),
        ("KE", "FR", "none", False),
        # Territories on no continent share none: only the same code conflicts.
        ("AQ", "TF", "continent", False),
        ("AQ", "AQ", "continent", True),
    ],
)
def test_automatic_conflict_edges(member, entry, scope, expected):
    assert is_automatic_conflict(member, entry, scope) is expected


# --- Staffing ------------------------------------------------------------------------

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _live(entry) -> set[int]:
    return set(
        Assignment.objects.filter(submission=entry)
        .exclude(state="released")
        .values_list("reviewer_id", flat=True)
    )


def test_a_closed_stage_staffs_nothing(tc_panel, tc_members, jury_panel, jury_members, make_entry):
    make_entry(status="shortlisted")
    entry = make_entry(status="eligible")
    for panel in (tc_panel, jury_panel):
        panel.closed_at = NOON
        panel.save(update_fields=["closed_at"])
    assert assignment_staff_tc_entry(submission=entry) == []
    assert assignment_plan_panel(panel=tc_panel) == []
    assert assignment_staff_jury(panel=jury_panel) == 0
    assert Assignment.objects.count() == 0


def test_a_cycle_without_a_technical_committee_staffs_nothing(make_entry):
    assert assignment_staff_tc_entry(submission=make_entry(status="eligible")) == []
    assert Assignment.objects.count() == 0


def test_planning_a_panel_without_entries_or_members_makes_nothing(tc_panel, make_entry):
    assert assignment_plan_panel(panel=tc_panel) == []  # neither
    make_entry(status="eligible")
    assert assignment_plan_panel(panel=tc_panel) == []  # an entry, no member
    assert Assignment.objects.count() == 0


def test_planning_a_panel_with_members_but_no_eligible_entry_makes_nothing(
    tc_panel, tc_members, make_entry
):
    make_entry(status="submitted")
    assert assignment_plan_panel(panel=tc_panel) == []
    assert Assignment.objects.count() == 0


def test_staffing_records_who_assigned_when_and_the_fit(tc_panel, tc_members, make_entry):
    from tests.factories import secretariat_user

    staff = secretariat_user()
    entry = make_entry(status="eligible", topic="Smart city")
    tc_members[1].expertise = ["Smart city"]
    tc_members[1].save(update_fields=["expertise"])
    with time_machine.travel(NOON, tick=False):
        made = assignment_staff_entry(submission=entry, panel=tc_panel, by=staff)
    rows = Assignment.objects.filter(submission=entry)
    assert sorted(a.pk for a in made) == sorted(rows.values_list("pk", flat=True))
    assert {(a.state, a.assigned_by, a.created_at) for a in rows} == {("pending", staff, NOON)}
    assert {a.reviewer_id: a.fit for a in rows}[tc_members[1].pk] == 3
    assert sorted(a.fit for a in rows) == [0, 0, 3]


def test_the_jury_gets_every_shortlisted_entry_minus_same_country_members(
    jury_panel, jury_members, make_entry, secretariat
):
    mexican = make_entry(status="shortlisted", country="MX")  # jury_members[2] is Mexican
    brazilian = make_entry(status="shortlisted")
    make_entry(status="eligible")
    assert assignment_staff_jury(panel=jury_panel, by=secretariat) == 5
    assert _live(mexican) == {jury_members[0].pk, jury_members[1].pk}
    assert _live(brazilian) == {m.pk for m in jury_members}
    assert Assignment.objects.count() == 5
    assert set(Assignment.objects.values_list("assigned_by", flat=True)) == {secretariat.pk}
    assert assignment_staff_jury(panel=jury_panel, by=secretariat) == 0


def test_assign_missing_reviewers_on_the_jury_staffs_the_shortlist(
    jury_panel, jury_members, make_entry
):
    entry = make_entry(status="shortlisted")
    assert assignment_staff_panel(panel=jury_panel) == 3
    assert _live(entry) == {m.pk for m in jury_members}


def test_a_jury_without_members_or_entries_staffs_nothing(jury_panel, make_entry):
    assert assignment_staff_jury(panel=jury_panel) == 0
    make_entry(status="shortlisted")
    assert assignment_staff_jury(panel=jury_panel) == 0
    assert Assignment.objects.count() == 0


def test_only_a_jury_is_given_every_shortlisted_entry(tc_panel, tc_members, make_entry):
    make_entry(status="shortlisted")
    with pytest.raises(ValidationError) as error:
        assignment_staff_jury(panel=tc_panel)
    assert error.value.messages == ["Only a jury is given every shortlisted entry."]
    assert Assignment.objects.count() == 0


def test_staffing_one_jury_entry_gives_it_every_conflict_free_member(
    jury_panel, jury_members, make_entry
):
    entry = make_entry(status="shortlisted", country="DE")
    made = assignment_staff_entry(submission=entry, panel=jury_panel)
    assert {a.reviewer_id for a in made} == {jury_members[1].pk, jury_members[2].pk}


def test_a_removed_reviewer_is_replaced_by_another_and_the_release_marked_replaced(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assignment_release(assignment=first, reason="Workload.", replace=True, by=secretariat)
    assert len(callbacks) == 1
    first.refresh_from_db()
    assert first.replaced is True
    assert len(_live(entry)) == 3
    assert first.reviewer_id not in _live(entry)


def test_an_entry_staffed_again_by_hand_gets_its_release_marked_replaced(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    spare = next(m for m in tc_members if m.pk not in {a.reviewer_id for a in made})
    with django_capture_on_commit_callbacks(execute=False):
        assignment_release(assignment=made[0], reason="Workload.", replace=True, by=secretariat)
    assignment_add(panel=tc_panel, submission=entry, member=spare, by=secretariat)
    made[0].refresh_from_db()
    assert made[0].replaced is False
    assert assignment_staff_entry(submission=entry, panel=tc_panel) == []  # the task
    made[0].refresh_from_db()
    assert made[0].replaced is True


def test_a_release_stays_unreplaced_while_nobody_may_take_the_entry(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible", country="FR")  # tc_members[0] may not review it
    made = assignment_staff_tc_entry(submission=entry)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_release(assignment=made[0], reason="Workload.", replace=True, by=secretariat)
    made[0].refresh_from_db()
    assert made[0].replaced is False
    assert len(_live(entry)) == 2


def test_released_assignments_do_not_count_in_a_reviewers_load(tc_panel, make_entry, secretariat):
    tc_panel.reviewers_per_entry = 1
    tc_panel.save(update_fields=["reviewers_per_entry"])
    first = PanelMemberFactory(panel=tc_panel, country="KE")
    second = PanelMemberFactory(panel=tc_panel, country="JP")
    for _ in range(2):
        a = assignment_add(
            panel=tc_panel, submission=make_entry(status="eligible"), member=first, by=secretariat
        )
        assignment_release(assignment=a, reason="Workload.", by=secretariat)
    assignment_add(
        panel=tc_panel, submission=make_entry(status="eligible"), member=second, by=secretariat
    )
    made = assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    assert [a.reviewer_id for a in made] == [first.pk]


def test_the_least_loaded_reviewer_is_chosen(tc_panel, make_entry, secretariat):
    tc_panel.reviewers_per_entry = 1
    tc_panel.save(update_fields=["reviewers_per_entry"])
    first = PanelMemberFactory(panel=tc_panel, country="KE")
    second = PanelMemberFactory(panel=tc_panel, country="JP")
    for _ in range(2):
        assignment_add(
            panel=tc_panel, submission=make_entry(status="eligible"), member=first, by=secretariat
        )
    assignment_add(
        panel=tc_panel, submission=make_entry(status="eligible"), member=second, by=secretariat
    )
    made = assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    assert [a.reviewer_id for a in made] == [second.pk]


def test_a_reviewer_gets_one_entry_per_city_even_when_they_fit_it_best(
    tc_panel, make_entry, secretariat
):
    from tests.factories import CompleteSubmissionFactory

    tc_panel.reviewers_per_entry = 1
    tc_panel.save(update_fields=["reviewers_per_entry"])
    expert = PanelMemberFactory(panel=tc_panel, country="KE", expertise=["Smart city"])
    other = PanelMemberFactory(panel=tc_panel, country="JP")
    held = make_entry(status="eligible", topic="Smart city")
    assignment_add(panel=tc_panel, submission=held, member=expert, by=secretariat)
    # The other member holds as many entries: balance does not decide, fit would.
    assignment_add(
        panel=tc_panel, submission=make_entry(status="eligible"), member=other, by=secretariat
    )
    same_city = CompleteSubmissionFactory(
        cycle=tc_panel.cycle, organisation=held.organisation, status="eligible", topic="Smart city"
    )
    made = assignment_staff_tc_entry(submission=same_city)
    assert [a.reviewer_id for a in made] == [other.pk]


# --- One more reviewer --------------------------------------------------------------


def test_one_more_reviewer_only_on_a_technical_committee(
    jury_panel, jury_members, make_entry, secretariat
):
    entry = make_entry(status="shortlisted")
    with pytest.raises(ValidationError) as error:
        assignment_add_one_more(panel=jury_panel, submission=entry, by=secretariat)
    assert error.value.messages == ["Only a Technical Committee entry can get one more reviewer."]
    assert Assignment.objects.count() == 0


def test_one_more_reviewer_only_for_an_entry_of_the_panels_cycle(tc_panel, tc_members, secretariat):
    from tests.factories import CompleteSubmissionFactory

    elsewhere = CompleteSubmissionFactory(status="eligible")
    assert elsewhere.cycle_id != tc_panel.cycle_id
    with pytest.raises(ValidationError) as error:
        assignment_add_one_more(panel=tc_panel, submission=elsewhere, by=secretariat)
    assert error.value.messages == ["Only a Technical Committee entry can get one more reviewer."]
    assert Assignment.objects.count() == 0


def test_one_more_reviewer_refused_once_the_stage_is_closed(
    tc_panel, tc_members, make_entry, secretariat
):
    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    tc_panel.closed_at = NOON
    tc_panel.save(update_fields=["closed_at"])
    with pytest.raises(ValidationError) as error:
        assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
    assert error.value.messages == [
        "The stage is closed: reopen scoring before asking for another reviewer."
    ]
    assert Assignment.objects.count() == 3


def test_one_more_reviewer_counts_only_live_reviewers(
    tc_panel, tc_members, make_entry, secretariat
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    assignment_release(assignment=made[0], reason="Workload.", by=secretariat)
    extra = assignment_add_one_more(panel=tc_panel, submission=entry, by=secretariat)
    assert extra.reviewer_id not in {a.reviewer_id for a in made}
    assert len(_live(entry)) == 3


# --- Entries the sweep should staff --------------------------------------------------


def test_entries_needing_reviewers(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    unstaffed = make_entry(status="eligible")
    staffed = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=staffed)
    short = make_entry(status="eligible")  # one removed, another member may take it
    made = assignment_staff_tc_entry(submission=short)
    assignment_release(assignment=made[0], reason="Workload.", by=secretariat)
    french = make_entry(status="eligible", country="FR")  # nobody else may take it
    made = assignment_staff_tc_entry(submission=french)
    assignment_release(assignment=made[0], reason="Workload.", by=secretariat)
    unreplaced = make_entry(status="eligible")  # staffed again by hand, not yet marked
    made = assignment_staff_tc_entry(submission=unreplaced)
    spare = next(m for m in tc_members if m.pk not in {a.reviewer_id for a in made})
    with django_capture_on_commit_callbacks(execute=False):
        assignment_release(assignment=made[0], reason="Workload.", replace=True, by=secretariat)
    assignment_add(panel=tc_panel, submission=unreplaced, member=spare, by=secretariat)
    make_entry(status="submitted")
    assert sorted(entries_needing_reviewers(tc_panel)) == sorted(
        [unstaffed.pk, short.pk, unreplaced.pk]
    )


def test_an_entry_whose_only_free_member_declared_a_conflict_needs_nobody(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    spare = next(m for m in tc_members if m.pk not in {a.reviewer_id for a in made})
    with django_capture_on_commit_callbacks(execute=True):
        assignment_declare_conflict(assignment=made[0], reason="Adviser.", by=None)
    replacement = Assignment.objects.get(submission=entry, reviewer=spare)
    with django_capture_on_commit_callbacks(execute=False):
        assignment_declare_conflict(assignment=replacement, reason="Adviser.", by=None)
    assert len(_live(entry)) == 2
    assert entries_needing_reviewers(tc_panel) == []


def test_entries_of_another_cycle_never_need_this_panels_reviewers(tc_panel, tc_members):
    from tests.factories import CompleteSubmissionFactory

    CompleteSubmissionFactory(status="eligible")
    assert entries_needing_reviewers(tc_panel) == []


# --- Assigning by hand ---------------------------------------------------------------


def test_adding_a_member_of_another_panel_is_refused(
    tc_panel, jury_members, make_entry, secretariat
):
    entry = make_entry(status="eligible")
    with pytest.raises(ValidationError) as error:
        assignment_add(panel=tc_panel, submission=entry, member=jury_members[0], by=secretariat)
    assert error.value.messages == ["This member or entry does not belong to this panel."]
    assert Assignment.objects.count() == 0


def test_adding_an_entry_of_another_cycle_is_refused(tc_panel, tc_members, secretariat):
    from tests.factories import CompleteSubmissionFactory

    elsewhere = CompleteSubmissionFactory(status="eligible")
    with pytest.raises(ValidationError) as error:
        assignment_add(panel=tc_panel, submission=elsewhere, member=tc_members[1], by=secretariat)
    assert error.value.messages == ["This member or entry does not belong to this panel."]
    assert Assignment.objects.count() == 0


def test_adding_is_refused_once_the_stage_is_closed(tc_panel, tc_members, make_entry, secretariat):
    tc_panel.closed_at = NOON
    tc_panel.save(update_fields=["closed_at"])
    with pytest.raises(ValidationError) as error:
        assignment_add(
            panel=tc_panel,
            submission=make_entry(status="eligible"),
            member=tc_members[1],
            by=secretariat,
        )
    assert error.value.messages == ["The stage is closed: assignments can no longer change."]
    assert Assignment.objects.count() == 0


def test_adding_a_same_country_member_names_them_in_the_refusal(
    tc_panel, tc_members, make_entry, secretariat
):
    entry = make_entry(status="eligible", country="FR")
    with pytest.raises(ValidationError) as error:
        assignment_add(panel=tc_panel, submission=entry, member=tc_members[0], by=secretariat)
    name = tc_members[0].user.display_name
    assert error.value.messages == [
        f"{name} has a conflict with this entry (same country or region)."
    ]
    assert Assignment.objects.count() == 0


def test_adding_a_member_who_declared_a_conflict_is_refused(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    with django_capture_on_commit_callbacks(execute=False):
        assignment_declare_conflict(assignment=first, reason="Adviser.", by=None)
    with pytest.raises(ValidationError) as error:
        assignment_add(panel=tc_panel, submission=entry, member=first.reviewer, by=secretariat)
    assert error.value.messages == ["This member declared a conflict with this entry."]
    assert len(_live(entry)) == 2


def test_a_member_removed_without_a_conflict_may_be_added_back(
    tc_panel, tc_members, make_entry, secretariat
):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    assignment_release(assignment=first, reason="Workload.", by=secretariat)
    again = assignment_add(panel=tc_panel, submission=entry, member=first.reviewer, by=secretariat)
    again.refresh_from_db()
    assert (again.state, again.assigned_by, again.reviewer_id) == (
        "pending",
        secretariat,
        first.reviewer_id,
    )
    assert len(_live(entry)) == 3


# --- Removing a reviewer ---------------------------------------------------------------


def test_removing_keeps_the_trimmed_reason_and_the_time_without_replacing(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks() as callbacks:
        assignment_release(assignment=first, reason="  Workload.  ", by=secretariat)
    assert callbacks == []
    first.refresh_from_db()
    assert (first.state, first.release_reason, first.released_at, first.replaced) == (
        "released",
        "Workload.",
        NOON,
        True,
    )
    assert first.conflict_reason == ""
    assert len(_live(entry)) == 2


def test_removing_with_a_replacement_leaves_it_to_a_task(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_release(assignment=first, reason="Workload.", replace=True, by=secretariat)
    assert len(callbacks) == 1
    first.refresh_from_db()
    assert (first.state, first.replaced) == ("released", False)
    assert len(_live(entry)) == 2


def test_removing_twice_keeps_the_first_removal(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    first = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    with time_machine.travel(NOON, tick=False):
        assignment_release(assignment=first, reason="Workload.", by=secretariat)
    with (
        time_machine.travel(NOON + dt.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        again = assignment_release(
            assignment=first, reason="Something else.", replace=True, by=secretariat
        )
    assert callbacks == []
    again.refresh_from_db()
    assert (again.release_reason, again.released_at, again.replaced) == ("Workload.", NOON, True)


def test_removing_needs_a_reason_that_is_not_blank(tc_panel, tc_members, make_entry, secretariat):
    first = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    with pytest.raises(ValidationError) as error:
        assignment_release(assignment=first, reason="   ", by=secretariat)
    assert error.value.messages == ["Please give a reason for removing this reviewer."]
    first.refresh_from_db()
    assert (first.state, first.release_reason, first.released_at) == ("pending", "", None)


# --- Conflicts found again after a change --------------------------------------------------

MOVED = (
    "Conflict of interest: the member (BR) and the entry (BR) are from the same country or region."
)


def test_a_member_moving_to_the_entrys_country_is_released_with_the_reason(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks, caplog
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    mover = made[0].reviewer
    PanelMember.objects.filter(pk=mover.pk).update(country="BR")
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        caplog.at_level(logging.INFO, logger="judging.services.assignment"),
    ):
        released = assignment_release_conflicts(panel=tc_panel)
    assert [a.pk for a in released] == [made[0].pk]
    assert len(callbacks) == 1
    released = Assignment.objects.get(pk=made[0].pk)
    assert (
        released.state,
        released.conflict_reason,
        released.release_reason,
        released.released_at,
    ) == ("released", MOVED, MOVED, NOON)
    assert released.replaced is True  # the task staffed the entry again
    assert mover.pk not in _live(entry)
    assert len(_live(entry)) == 3
    assert f"Released 1 conflicting assignments on panel {tc_panel.pk}" in caplog.messages
    assert assignment_release_conflicts(panel=tc_panel) == []


def test_conflicts_found_again_are_left_unreplaced_until_the_task_runs(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    PanelMember.objects.filter(pk=made[0].reviewer_id).update(country="BR")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_release_conflicts(panel=tc_panel)
    assert len(callbacks) == 1
    made[0].refresh_from_db()
    assert (made[0].state, made[0].replaced) == ("released", False)
    others = Assignment.objects.exclude(pk=made[0].pk)
    assert set(others.values_list("state", "release_reason")) == {("pending", "")}


def test_conflicts_checked_for_one_member_leave_the_others(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    first, second = made[0].reviewer, made[1].reviewer
    PanelMember.objects.filter(pk__in=[first.pk, second.pk]).update(country="BR")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        released = assignment_release_conflicts(panel=tc_panel, member=second)
    assert [a.reviewer_id for a in released] == [second.pk]
    assert len(callbacks) == 1
    assert first.pk in _live(entry)


def test_a_wider_conflict_rule_releases_members_of_the_same_continent(
    tc_panel, make_entry, django_capture_on_commit_callbacks
):
    argentine = PanelMemberFactory(panel=tc_panel, country="AR")
    entry = make_entry(status="eligible")
    assignment_staff_tc_entry(submission=entry)
    tc_panel.conflict_scope = "continent"
    tc_panel.save(update_fields=["conflict_scope"])
    with django_capture_on_commit_callbacks(execute=False):
        released = assignment_release_conflicts(panel=tc_panel)
    assert [a.reviewer_id for a in released] == [argentine.pk]
    assert released[0].conflict_reason == (
        "Conflict of interest: the member (AR) and the entry (BR) are from the same country "
        "or region."
    )


def test_conflicts_are_not_looked_for_again_in_a_closed_stage(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    PanelMember.objects.filter(pk=made[0].reviewer_id).update(country="BR")
    tc_panel.closed_at = NOON
    tc_panel.save(update_fields=["closed_at"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert assignment_release_conflicts(panel=tc_panel) == []
    assert callbacks == []
    assert len(_live(entry)) == 3


def test_a_released_assignment_is_not_released_again_for_a_conflict(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    made = assignment_staff_tc_entry(submission=entry)
    assignment_release(assignment=made[0], reason="Workload.", by=secretariat)
    PanelMember.objects.filter(pk=made[0].reviewer_id).update(country="BR")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert assignment_release_conflicts(panel=tc_panel) == []
    assert callbacks == []
    made[0].refresh_from_db()
    assert (made[0].release_reason, made[0].conflict_reason) == ("Workload.", "")


# --- The reviewer's own declarations -----------------------------------------------------


def test_confirming_no_conflict_opens_scoring_once_and_marks_activity(
    tc_panel, tc_members, make_entry
):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    with time_machine.travel(NOON, tick=False):
        assignment_confirm_no_conflict(assignment=a, by=a.reviewer.user)
    later = NOON + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        again = assignment_confirm_no_conflict(assignment=a, by=a.reviewer.user)
    again.refresh_from_db()
    assert (again.state, again.no_conflict_confirmed_at) == ("active", NOON)
    activity = dict(PanelMember.objects.values_list("pk", "last_activity_at"))
    assert activity.pop(a.reviewer_id) == later
    assert set(activity.values()) == {None}


def test_confirming_no_conflict_does_not_reopen_a_released_assignment(
    tc_panel, tc_members, make_entry, secretariat
):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    assignment_release(assignment=a, reason="Workload.", by=secretariat)
    assignment_confirm_no_conflict(assignment=a, by=a.reviewer.user)
    a.refresh_from_db()
    assert (a.state, a.no_conflict_confirmed_at) == ("released", None)


def test_declaring_a_conflict_keeps_the_trimmed_reason_and_asks_for_a_replacement(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        assignment_declare_conflict(assignment=a, reason="  I advised the city.  ", by=None)
    assert len(callbacks) == 1
    a.refresh_from_db()
    assert (a.state, a.conflict_reason, a.release_reason, a.released_at, a.replaced) == (
        "released",
        "I advised the city.",
        "Conflict of interest declared by the reviewer.",
        NOON,
        False,
    )
    assert PanelMember.objects.get(pk=a.reviewer_id).last_activity_at == NOON


def test_a_jury_members_conflict_needs_no_replacement(
    jury_panel, jury_members, make_entry, django_capture_on_commit_callbacks
):
    make_entry(status="shortlisted")
    assignment_staff_jury(panel=jury_panel)
    a = Assignment.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_declare_conflict(assignment=a, reason="My former student.", by=None)
    assert callbacks == []
    a.refresh_from_db()
    assert (a.state, a.replaced) == ("released", True)


def test_a_conflict_cannot_be_declared_twice(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    with django_capture_on_commit_callbacks(execute=False):
        assignment_declare_conflict(assignment=a, reason="Adviser.", by=None)
    with pytest.raises(ValidationError) as error:
        assignment_declare_conflict(assignment=a, reason="Another reason.", by=None)
    assert error.value.messages == ["This assignment was already released."]
    a.refresh_from_db()
    assert a.conflict_reason == "Adviser."


def test_a_conflict_cannot_be_declared_after_submitting_a_review(tc_panel, tc_members, make_entry):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    score(a, 7)
    with pytest.raises(ValidationError) as error:
        assignment_declare_conflict(assignment=a, reason="Adviser.", by=None)
    assert error.value.messages == ["You already submitted a review for this entry."]
    a.refresh_from_db()
    assert (a.state, a.conflict_reason) == ("active", "")


def test_a_conflict_may_be_declared_over_a_draft_review(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    score(a, 7, submit=False)
    with django_capture_on_commit_callbacks(execute=False):
        assignment_declare_conflict(assignment=a, reason="Adviser.", by=None)
    a.refresh_from_db()
    assert a.state == "released"
