"""The judging rules themselves (``user.has_perm``), each for the people it lets in and
the people it keeps out: panel members and chairs, a reviewer's own live assignment,
the conflict-of-interest rule of the panel (same country, same continent, none), the
hearings of the shortlist phase and the documents a person asked for."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from judging.models import (
    Assignment,
    ExportJob,
    HearingSession,
    HearingSlot,
    Panel,
    PanelMember,
)
from judging.permissions import has_conflict_free_assignment_for
from tests import factories
from tests.judging.factories import AssignmentFactory, JuryPanelFactory, PanelMemberFactory

ANONYMOUS = AnonymousUser()


@pytest.fixture
def entry(make_entry):
    """A Brazilian entry (no member of the fixtures' panels is Brazilian)."""
    return make_entry(status="eligible")


@pytest.fixture
def people(secretariat, tc_members, jury_members, entry):
    chair, member = tc_members[0].user, tc_members[1].user
    return {
        "secretariat": secretariat,
        "tc_chair": chair,
        "tc_member": member,
        "jury_chair": jury_members[0].user,
        "jury_member": jury_members[1].user,
        "official": entry.organisation.members.get(),
        "anonymous": ANONYMOUS,
    }


def _allowed(people, perm, obj):
    return sorted(role for role, user in people.items() if user.has_perm(perm, obj))


def _assign(panel, member, entry, state="active"):
    return Assignment.objects.get(
        pk=AssignmentFactory(panel=panel, reviewer=member, submission=entry, state=state).pk
    )


# --- Panels -----------------------------------------------------------------------


def test_panel_pages_are_for_that_panels_members(people, tc_panel, jury_panel):
    assert _allowed(people, "judging.panel_member", tc_panel) == ["tc_chair", "tc_member"]
    assert _allowed(people, "judging.panel_member", jury_panel) == ["jury_chair", "jury_member"]
    assert _allowed(people, "judging.view_meeting", tc_panel) == [
        "secretariat",
        "tc_chair",
        "tc_member",
    ]


def test_panel_member_rule_needs_a_saved_panel(people, cycle, tc_panel, entry):
    member = people["tc_member"]
    assert member.has_perm("judging.panel_member", tc_panel)
    assert not member.has_perm("judging.panel_member", None)
    assert not member.has_perm("judging.panel_member", entry)
    assert not member.has_perm("judging.panel_member", Panel(cycle=cycle, kind="tc"))


def test_chair_pages_are_for_that_panels_chair(people, tc_panel, jury_panel):
    assert _allowed(people, "judging.write_shortlist_report", tc_panel) == ["tc_chair"]
    assert _allowed(people, "judging.sign_jury_report", jury_panel) == ["jury_chair"]
    assert _allowed(people, "judging.view_ranking", tc_panel) == ["secretariat", "tc_chair"]
    assert _allowed(people, "judging.chair_panel", jury_panel) == ["jury_chair", "secretariat"]


def test_chair_rule_needs_a_saved_panel(people, cycle, tc_panel, entry):
    chair = people["tc_chair"]
    assert chair.has_perm("judging.write_shortlist_report", tc_panel)
    assert not chair.has_perm("judging.write_shortlist_report", None)
    assert not chair.has_perm("judging.write_shortlist_report", entry)
    assert not chair.has_perm("judging.write_shortlist_report", Panel(cycle=cycle, kind="tc"))


def test_reviewer_queue_is_for_any_panel_member(people):
    assert _allowed(people, "judging.review", None) == [
        "jury_chair",
        "jury_member",
        "tc_chair",
        "tc_member",
    ]


# --- A reviewer's assignment: conflict declaration and score sheet ------------------


def test_only_the_reviewer_may_declare_on_a_live_assignment(people, tc_panel, tc_members, entry):
    pending = _assign(tc_panel, tc_members[1], entry, state="pending")
    assert _allowed(people, "judging.declare_conflict", pending) == ["tc_member"]
    Assignment.objects.filter(pk=pending.pk).update(state="active")
    pending.refresh_from_db()
    assert _allowed(people, "judging.declare_conflict", pending) == ["tc_member"]
    Assignment.objects.filter(pk=pending.pk).update(state="released")
    pending.refresh_from_db()
    assert _allowed(people, "judging.declare_conflict", pending) == []
    assert not people["tc_member"].has_perm("judging.declare_conflict", entry)


def test_a_member_from_the_entrys_country_may_not_even_declare(tc_panel, tc_members, entry):
    assignment = _assign(tc_panel, tc_members[1], entry, state="pending")
    PanelMember.objects.filter(pk=tc_members[1].pk).update(country="BR")
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert not tc_members[1].user.has_perm("judging.declare_conflict", assignment)


def test_only_the_reviewer_may_score_and_only_once_confirmed(people, tc_panel, tc_members, entry):
    assignment = _assign(tc_panel, tc_members[1], entry, state="pending")
    assert _allowed(people, "judging.score", assignment) == []
    for state, allowed in [("active", ["tc_member"]), ("released", [])]:
        Assignment.objects.filter(pk=assignment.pk).update(state=state)
        assignment.refresh_from_db()
        assert _allowed(people, "judging.score", assignment) == allowed, state
    assert not people["tc_member"].has_perm("judging.score", entry)


@pytest.mark.parametrize(
    ("scope", "country", "may_score"),
    [
        ("country", "BR", False),  # same country
        ("country", "AR", True),  # same continent only
        ("continent", "AR", False),
        ("continent", "FR", True),
        ("none", "BR", True),  # only declared conflicts count
    ],
)
def test_the_panels_conflict_rule_decides_who_may_score(
    tc_panel, tc_members, entry, scope, country, may_score
):
    Panel.objects.filter(pk=tc_panel.pk).update(conflict_scope=scope)
    PanelMember.objects.filter(pk=tc_members[1].pk).update(country=country)
    assignment = _assign(tc_panel, tc_members[1], entry)
    user = tc_members[1].user
    assert user.has_perm("judging.score", assignment) is may_score
    assert user.has_perm("judging.view_attachment", entry) is may_score
    assert user.has_perm("judging.declare_conflict", assignment) is may_score


# --- An entry's files and dossier -------------------------------------------------


def test_entry_files_are_for_the_secretariat_and_its_conflict_free_reviewers(
    people, tc_panel, tc_members, entry
):
    assignment = _assign(tc_panel, tc_members[1], entry, state="pending")
    assert _allowed(people, "judging.view_attachment", entry) == ["secretariat"]
    Assignment.objects.filter(pk=assignment.pk).update(state="active")
    assert _allowed(people, "judging.view_attachment", entry) == ["secretariat", "tc_member"]
    assert _allowed(people, "judging.view_dossier", entry) == ["secretariat", "tc_member"]
    assert _allowed(people, "judging.view_attachment", None) == ["secretariat"]


def test_a_reviewer_may_not_read_an_entry_they_are_not_assigned(
    tc_panel, tc_members, entry, make_entry
):
    _assign(tc_panel, tc_members[1], entry)
    other = make_entry(status="eligible")
    assert not tc_members[1].user.has_perm("judging.view_attachment", other)
    assert not tc_members[1].user.has_perm("judging.view_dossier", other)


def test_the_reviewers_file_check_is_one_query(
    tc_panel, tc_members, entry, django_assert_num_queries
):
    _assign(tc_panel, tc_members[1], entry)
    user = PanelMember.objects.get(pk=tc_members[1].pk).user
    with django_assert_num_queries(1):
        assert has_conflict_free_assignment_for.test(user, entry)


# --- The shortlist phase ----------------------------------------------------------


@pytest.fixture
def slot(cycle, entry):
    session = HearingSession.objects.create(cycle=cycle, starts_at=timezone.now())
    return HearingSlot.objects.create(session=session, submission=entry, starts_at=timezone.now())


def test_a_presentation_is_for_its_city_the_cycles_jury_and_the_secretariat(people, slot):
    assert _allowed(people, "judging.view_presentation", slot) == [
        "jury_chair",
        "jury_member",
        "official",
        "secretariat",
    ]
    assert not people["official"].has_perm("judging.view_presentation", slot.submission)
    assert not people["jury_member"].has_perm("judging.view_presentation", slot.submission)


def test_another_citys_official_may_not_see_a_presentation(slot):
    assert not factories.CityOfficialFactory().has_perm("judging.view_presentation", slot)


def test_another_cycles_jury_may_not_see_a_presentation(slot):
    other = PanelMemberFactory(panel=JuryPanelFactory(), country="DE")
    assert not other.user.has_perm("judging.view_presentation", slot)


def test_the_jury_reads_the_committees_report_once_its_decisions_are_released(
    people, cycle, tc_panel, jury_panel
):
    assert _allowed(people, "judging.view_shortlist_report", tc_panel) == [
        "secretariat",
        "tc_chair",
    ]
    Panel.objects.filter(pk__in=[tc_panel.pk, jury_panel.pk]).update(released_at=timezone.now())
    tc_panel.refresh_from_db()
    jury_panel.refresh_from_db()
    assert _allowed(people, "judging.view_shortlist_report", tc_panel) == [
        "jury_chair",
        "jury_member",
        "secretariat",
        "tc_chair",
    ]
    # The jury's own panel is not the committee's: only its chair.
    assert _allowed(people, "judging.view_shortlist_report", jury_panel) == [
        "jury_chair",
        "secretariat",
    ]
    unsaved = Panel(cycle=cycle, kind="tc", released_at=timezone.now())
    assert not people["jury_member"].has_perm("judging.view_shortlist_report", unsaved)
    assert not people["jury_member"].has_perm("judging.view_shortlist_report", None)


def test_another_cycles_jury_never_reads_the_committees_report(tc_panel):
    Panel.objects.filter(pk=tc_panel.pk).update(released_at=timezone.now())
    tc_panel.refresh_from_db()
    other = PanelMemberFactory(panel=JuryPanelFactory(), country="DE")
    assert not other.user.has_perm("judging.view_shortlist_report", tc_panel)


# --- Background documents ---------------------------------------------------------


def test_a_document_job_is_for_the_person_who_asked(people, tc_panel):
    job = ExportJob.objects.create(kind="book", fmt="pdf", requested_by=people["tc_chair"])
    assert _allowed(people, "judging.own_document_job", job) == ["tc_chair"]
    assert not people["tc_chair"].has_perm("judging.own_document_job", tc_panel)
