"""Reads of judging: a reviewer's queue, and what they may see of the other members'
reviews."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from judging.selectors import (
    assignment_list_for_reviewer,
    assignment_list_for_scoring,
    assignment_with_entry_cycle,
    peer_reviews,
)
from judging.services.assignment import assignment_staff_tc_entry
from tests.factories import CycleFactory
from tests.judging.conftest import score
from tests.judging.factories import AssignmentFactory, PanelMemberFactory


@pytest.mark.django_db
def test_a_reviewers_queue_leaves_out_panels_whose_decisions_are_released():
    member = PanelMemberFactory()
    live = AssignmentFactory(panel=member.panel, reviewer=member)
    past_member = PanelMemberFactory(
        user=member.user,
        panel__cycle=CycleFactory(number=member.panel.cycle.number - 2),
        panel__closed_at=timezone.now(),
        panel__released_at=timezone.now(),
    )
    AssignmentFactory(panel=past_member.panel, reviewer=past_member)
    closed_not_released = PanelMemberFactory(
        user=member.user,
        panel__cycle=CycleFactory(number=member.panel.cycle.number - 4),
        panel__closed_at=timezone.now(),
    )
    closed = AssignmentFactory(panel=closed_not_released.panel, reviewer=closed_not_released)

    queue = list(assignment_list_for_reviewer(user=member.user))

    assert sorted(a.pk for a in queue) == sorted([live.pk, closed.pk])


def test_peer_reviews_hidden_until_own_review_submitted_even_when_panel_shows_them(
    tc_panel, tc_members, make_entry
):
    tc_panel.show_peer_scores = True
    tc_panel.save(update_fields=["show_peer_scores"])
    entry = make_entry(status="eligible")
    first, second, third = assignment_staff_tc_entry(submission=entry)
    score(first, 9)
    score(third, 6)
    score(second, 4, submit=False)  # a draft is not a submitted review
    second.refresh_from_db()
    assert list(peer_reviews(assignment=second)) == []
    score(second, 4)
    second.refresh_from_db()
    assert sorted(r.assignment_id for r in peer_reviews(assignment=second)) == sorted(
        [first.pk, third.pk]
    )


def test_peer_reviews_never_shown_when_the_panel_hides_them(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    first, second, _third = assignment_staff_tc_entry(submission=entry)
    score(first, 9)
    score(second, 4)
    second.refresh_from_db()
    assert tc_panel.show_peer_scores is False
    assert list(peer_reviews(assignment=second)) == []


@pytest.mark.parametrize("language", ["en", "fr", "es", "zh-hans"])
def test_ranking_number_formatter_matches_number_format(language):
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    from judging.selectors import _decimal_formatter

    with translation.override(language):
        fmt = _decimal_formatter()
        for value in [Decimal("7.000"), Decimal("0.125"), Decimal("-1.500"), Decimal("1234.500")]:
            assert fmt(value) == number_format(value)
        assert fmt(None) == "–"


@pytest.mark.django_db
def test_the_score_sheets_entry_reads_its_cycle_from_the_panel_without_a_query():
    assignment = AssignmentFactory()
    assert assignment.submission.cycle_id == assignment.panel.cycle_id
    loaded = assignment_with_entry_cycle(assignment_list_for_scoring().get(pk=assignment.pk))
    with CaptureQueriesContext(connection) as queries:
        number = loaded.submission.cycle.number
        queue_line = (loaded.submission.organisation.name, loaded.reviewer.user.email)
    assert number == assignment.panel.cycle.number and all(queue_line)
    assert len(queries) == 0


@pytest.mark.django_db
def test_an_entry_of_another_cycle_keeps_its_own_cycle():
    assignment = AssignmentFactory()
    other = CycleFactory(number=assignment.panel.cycle.number + 2)
    assignment.submission.cycle = other
    assignment.submission.save(update_fields=["cycle"])
    loaded = assignment_with_entry_cycle(assignment_list_for_scoring().get(pk=assignment.pk))
    assert loaded.submission.cycle == other


@pytest.mark.django_db
def test_live_analysis_is_computed_once_per_state_of_the_scores(
    tc_panel, tc_members, make_entry, monkeypatch
):
    from judging import selectors
    from judging.services import ranking

    calm = make_entry(status="eligible")
    for a in assignment_staff_tc_entry(submission=calm):
        score(a, 7)
    split = make_entry(status="eligible")
    split_assignments = list(assignment_staff_tc_entry(submission=split))
    for a, value in zip(split_assignments, [9, 9, 3], strict=True):
        score(a, value)
    computed = []
    original = ranking.rank_entries
    monkeypatch.setattr(
        ranking, "rank_entries", lambda *a, **kw: computed.append(1) or original(*a, **kw)
    )

    first = selectors.panel_live_analysis(tc_panel)
    again = selectors.panel_live_analysis(tc_panel)

    assert len(computed) == 1
    assert [(s.pk, s.spread) for s in first[1]] == [(split.pk, 2.83)]
    assert [(s.pk, s.spread) for s in again[1]] == [(split.pk, 2.83)]
    assert again[0] == first[0]

    # One changed score is another state: computed again, and the entry agrees now.
    score(split_assignments[2], 9)
    after = selectors.panel_live_analysis(tc_panel)
    assert len(computed) == 2
    assert after[1] == []
    assert after[0] != first[0]
