"""Closing a stage, proposing outcomes, moving within quotas, releasing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from judging.models import Assignment, OutcomeProposal
from judging.services.outcomes import (
    panel_close,
    panel_reopen,
    proposal_move,
    proposal_set_citation,
    proposals_problems,
    proposals_release,
)
from judging.tasks import sweep_unfinished_work
from submissions.models import StatusChange
from tests.judging.conftest import score


def _close(panel, by, capture):
    with capture(execute=True):
        panel_close(panel=panel, by=by)
    panel.refresh_from_db()


def _outcomes(panel, entries):
    by_entry = dict(
        OutcomeProposal.objects.filter(panel=panel).values_list("submission_id", "outcome")
    )
    return [by_entry.get(e.pk) for e in entries]


def test_close_ranks_and_proposes_by_quota(
    tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _close(tc_panel, secretariat, django_capture_on_commit_callbacks)
    assert tc_panel.closed_at is not None
    assert [r.submission_id for r in tc_panel.ranking.entries.order_by("rank")] == [
        e.pk for e in scored_tc
    ]
    assert _outcomes(tc_panel, scored_tc) == [
        "shortlisted",
        "shortlisted",
        "deserving",
        "deserving",
        "not_selected",
    ]


def test_move_refuses_full_quota_and_needs_reason(
    tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _close(tc_panel, secretariat, django_capture_on_commit_callbacks)
    last = OutcomeProposal.objects.get(panel=tc_panel, submission=scored_tc[4])
    with pytest.raises(ValidationError) as error:
        proposal_move(proposal=last, outcome="shortlisted", reason="Strong.", by=secretariat)
    assert "quota of 2" in error.value.messages[0]
    last.refresh_from_db()
    assert last.outcome == "not_selected"
    with pytest.raises(ValidationError, match="Please give a reason for moving this entry"):
        proposal_move(proposal=last, outcome="not_selected", reason=" ", by=secretariat)
    second = OutcomeProposal.objects.get(panel=tc_panel, submission=scored_tc[1])
    proposal_move(proposal=second, outcome="not_selected", reason="Weak evidence.", by=secretariat)
    proposal_move(proposal=last, outcome="shortlisted", reason="Strong.", by=secretariat)
    assert _outcomes(tc_panel, scored_tc) == [
        "shortlisted",
        "not_selected",
        "deserving",
        "deserving",
        "shortlisted",
    ]
    last.refresh_from_db()
    assert (last.proposed_outcome, last.moved_reason, last.moved_by) == (
        "not_selected",
        "Strong.",
        secretariat,
    )


def test_release_applies_every_outcome_emails_and_staffs_jury(
    tc_panel, jury_panel, jury_members, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _close(tc_panel, secretariat, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = proposals_release(panel=tc_panel, by=secretariat)
    assert moved == 5
    for e in scored_tc:
        e.refresh_from_db()
    assert [e.status for e in scored_tc] == [
        "shortlisted",
        "shortlisted",
        "deserving",
        "deserving",
        "not_selected",
    ]
    changes = StatusChange.objects.filter(transition="tc_outcome")
    assert changes.count() == 5 and {c.by for c in changes} == {secretariat}
    assert len(mail.outbox) == 5  # one city official per entry
    assert all("Guangzhou Award: the decision on entry" in m.subject for m in mail.outbox)
    bodies = {m.subject.split()[-1]: m.body for m in mail.outbox}
    assert "has shortlisted your initiative" in bodies[scored_tc[0].reference]
    assert "deserving (expert-recommended)" in bodies[scored_tc[2].reference]
    assert "was not selected this time" in bodies[scored_tc[4].reference]
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is not None
    jury = Assignment.objects.filter(panel=jury_panel)
    assert jury.count() == 2 * 3  # two shortlisted × three jurors
    with pytest.raises(ValidationError, match="The decisions are already released"):
        proposals_release(panel=tc_panel, by=secretariat)
    assert StatusChange.objects.filter(transition="tc_outcome").count() == 5


def test_release_refused_while_open(tc_panel, scored_tc, secretariat):
    with pytest.raises(ValidationError, match="Close the stage first"):
        proposals_release(panel=tc_panel, by=secretariat)
    assert {e.status for e in scored_tc} == {"eligible"}
    assert StatusChange.objects.count() == 0
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None


def test_reopen_discards_ranking_and_proposals(
    tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _close(tc_panel, secretariat, django_capture_on_commit_callbacks)
    panel_reopen(panel=tc_panel, by=secretariat)
    tc_panel.refresh_from_db()
    assert tc_panel.closed_at is None
    assert OutcomeProposal.objects.filter(panel=tc_panel).count() == 0


@pytest.fixture
def scored_jury(cycle, jury_panel, jury_members, make_entry):
    from judging.services.assignment import assignment_staff_jury

    cycle.winner_quota = 1
    cycle.save()
    entries = [make_entry(status="shortlisted") for _ in range(3)]
    assignment_staff_jury(panel=jury_panel)
    for i, entry in enumerate(entries):
        for a in Assignment.objects.filter(panel=jury_panel, submission=entry):
            score(a, 9 - i)
    return entries


def test_jury_release_needs_citation_and_gives_medals(
    jury_panel, scored_jury, secretariat, django_capture_on_commit_callbacks
):
    _close(jury_panel, secretariat, django_capture_on_commit_callbacks)
    assert _outcomes(jury_panel, scored_jury) == ["winner", "medal_of_honor", "medal_of_honor"]
    with pytest.raises(ValidationError) as error:
        proposals_release(panel=jury_panel, by=secretariat)
    assert any("citation" in m for m in error.value.messages)
    assert {e.status for e in scored_jury if not e.refresh_from_db()} == {"shortlisted"}
    winner = OutcomeProposal.objects.get(panel=jury_panel, outcome="winner")
    proposal_set_citation(proposal=winner, citation="A model of open budgeting.", by=secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposals_release(panel=jury_panel, by=secretariat)
    for e in scored_jury:
        e.refresh_from_db()
    assert [e.status for e in scored_jury] == ["winner", "medal_of_honor", "medal_of_honor"]
    assert scored_jury[0].citation == "A model of open budgeting."
    assert len(mail.outbox) == 3
    assert "A model of open budgeting." in next(
        m.body for m in mail.outbox if scored_jury[0].reference in m.subject
    )


def test_jury_without_medals_keeps_others_shortlisted(
    cycle, jury_panel, scored_jury, secretariat, django_capture_on_commit_callbacks
):
    cycle.medals_of_honor = False
    cycle.save()
    _close(jury_panel, secretariat, django_capture_on_commit_callbacks)
    assert _outcomes(jury_panel, scored_jury) == ["winner", "shortlisted", "shortlisted"]
    winner = OutcomeProposal.objects.get(panel=jury_panel, outcome="winner")
    proposal_set_citation(proposal=winner, citation="Bold.", by=secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert proposals_release(panel=jury_panel, by=secretariat) == 1
    assert [e.status for e in scored_jury if not e.refresh_from_db()] == [
        "winner",
        "shortlisted",
        "shortlisted",
    ]
    # Every city hears the jury's decision: the winner by its move, the others apart.
    officials = {e.pk: e.organisation.members.get().email for e in scored_jury}
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == sorted(
        [
            (
                officials[scored_jury[0].pk],
                f"Guangzhou Award: the decision on entry {scored_jury[0].reference}",
            ),
            *[
                (officials[e.pk], f"Guangzhou Award: the Jury's decision on entry {e.reference}")
                for e in scored_jury[1:]
            ],
        ]
    )
    # The sweep re-sends nothing already sent.
    sweep_unfinished_work()
    assert len(mail.outbox) == 3


def test_winner_quota_never_exceeded(
    jury_panel, scored_jury, secretariat, django_capture_on_commit_callbacks
):
    _close(jury_panel, secretariat, django_capture_on_commit_callbacks)
    other = OutcomeProposal.objects.get(panel=jury_panel, submission=scored_jury[1])
    with pytest.raises(ValidationError, match="The quota of 1 for “Winner” is full"):
        proposal_move(proposal=other, outcome="winner", reason="Also great.", by=secretariat)
    assert OutcomeProposal.objects.filter(panel=jury_panel, outcome="winner").count() == 1


def test_rank_again_keeps_moves_and_drops_unranked(
    tc_panel, scored_tc, secretariat, make_entry, django_capture_on_commit_callbacks
):
    from judging.services.outcomes import proposals_build
    from judging.services.ranking import ranking_compute
    from judging.services.screening import screening_reconsider

    _close(tc_panel, secretariat, django_capture_on_commit_callbacks)
    second = OutcomeProposal.objects.get(panel=tc_panel, submission=scored_tc[1])
    proposal_move(proposal=second, outcome="not_selected", reason="Thin evidence.", by=secretariat)
    late = make_entry(status="eligible")  # eligible after the close: ranked last, unscored
    screening_reconsider(
        submission=scored_tc[3], to="submitted", note="Check the dates again.", by=secretariat
    )
    ranking_compute(panel=tc_panel)
    assert proposals_build(panel=tc_panel) == 1
    assert _outcomes(tc_panel, [*scored_tc, late]) == [
        "shortlisted",
        "not_selected",
        "deserving",
        None,  # back in screening: no longer ranked
        "not_selected",
        "not_selected",  # unreviewed: never proposed for a distinction
    ]


def test_release_refused_while_the_call_for_applications_is_open(
    cycle, tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _close(tc_panel, secretariat, django_capture_on_commit_callbacks)
    cycle.is_open = True
    cycle.save(update_fields=["is_open"])
    assert cycle.accepts_submissions()
    assert "The call for applications is still open: close it first." in proposals_problems(
        tc_panel
    )
    with pytest.raises(ValidationError, match="The call for applications is still open"):
        proposals_release(panel=tc_panel, by=secretariat)
    assert StatusChange.objects.filter(transition="tc_outcome").count() == 0
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None
