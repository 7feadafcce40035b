"""The outcome rules one by one: each quota at its limit and one past it, a quota
lowered after the proposals, every reason a release is refused (and that nothing is
released then), and who hears the jury's decision.

The stored ranking is written directly (the ranking itself is tested elsewhere): it is
what proposals are built from."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from judging.models import OutcomeProposal, RankedEntry, Ranking
from judging.services.outcomes import (
    jury_decision_notify,
    outcome_choices,
    panel_close,
    panel_reopen,
    proposal_move,
    proposal_set_citation,
    proposal_summary,
    proposals_build,
    proposals_problems,
    proposals_release,
)
from submissions.models import StatusChange
from tests import factories
from tests.judging.factories import AssignmentFactory


def _rank(panel, entries, scores=None):
    """Store a ranking of ``entries`` in this order (scores 9, 8, ... unless given)."""
    ranking, _ = Ranking.objects.get_or_create(panel=panel)
    ranking.entries.all().delete()
    scores = scores or [Decimal(9 - i) for i in range(len(entries))]
    RankedEntry.objects.bulk_create(
        RankedEntry(ranking=ranking, submission=e, rank=i + 1, score=s)
        for i, (e, s) in enumerate(zip(entries, scores, strict=True))
    )


def _close(panel):
    panel.closed_at = timezone.now()
    panel.save(update_fields=["closed_at"])


def _quotas(cycle, **quotas):
    for name, value in quotas.items():
        setattr(cycle, name, value)
    cycle.save(update_fields=list(quotas))


def _outcomes(panel, entries):
    by_entry = dict(panel.proposals.values_list("submission_id", "outcome"))
    return [by_entry.get(e.pk) for e in entries]


def _proposal(panel, entry):
    return OutcomeProposal.objects.get(panel=panel, submission=entry)


def _snapshot(panel):
    return list(
        panel.proposals.order_by("pk").values_list(
            "outcome", "moved_reason", "moved_by", "moved_at", "citation"
        )
    )


@pytest.fixture
def eligible(make_entry):
    return [make_entry(status="eligible") for _ in range(5)]


@pytest.fixture
def shortlisted(make_entry):
    return [make_entry(status="shortlisted") for _ in range(3)]


# Building the proposals from the ranking.
def test_build_fills_each_quota_to_its_limit_and_the_next_entry_goes_below(
    cycle, tc_panel, eligible
):
    _quotas(cycle, shortlist_quota=1, deserving_quota=2)
    _rank(tc_panel, eligible)
    assert proposals_build(panel=tc_panel) == 5
    assert _outcomes(tc_panel, eligible) == [
        "shortlisted",
        "deserving",
        "deserving",
        "not_selected",
        "not_selected",
    ]
    assert all(p.proposed_outcome == p.outcome for p in tc_panel.proposals.all())
    # Built again: nothing changes.
    assert proposals_build(panel=tc_panel) == 0
    assert _outcomes(tc_panel, eligible)[:3] == ["shortlisted", "deserving", "deserving"]


def test_build_proposes_an_unscored_entry_for_no_distinction_even_with_room(
    cycle, tc_panel, eligible
):
    _quotas(cycle, shortlist_quota=2, deserving_quota=2)
    _rank(tc_panel, eligible[:2], scores=[None, Decimal(8)])
    proposals_build(panel=tc_panel)
    assert _outcomes(tc_panel, eligible[:2]) == ["not_selected", "shortlisted"]


def test_build_without_a_ranking_or_after_release_proposes_nothing(cycle, tc_panel, eligible):
    assert proposals_build(panel=tc_panel) == 0
    _rank(tc_panel, eligible)
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    assert proposals_build(panel=tc_panel) == 0
    assert tc_panel.proposals.count() == 0


def test_build_after_a_quota_is_lowered_keeps_the_proposals_and_fills_no_more(
    cycle, tc_panel, eligible, secretariat
):
    _quotas(cycle, shortlist_quota=2, deserving_quota=1)
    _rank(tc_panel, eligible[:3])
    proposals_build(panel=tc_panel)
    _quotas(cycle, shortlist_quota=1)
    _rank(tc_panel, [eligible[0], eligible[3], eligible[1], eligible[2]])
    assert proposals_build(panel=tc_panel) == 1
    # The newcomer, ranked second, finds both quotas taken: not selected.
    assert _outcomes(tc_panel, eligible[:4]) == [
        "shortlisted",
        "shortlisted",
        "deserving",
        "not_selected",
    ]
    _close(tc_panel)
    assert proposals_problems(tc_panel) == ["More than 1 entries are proposed as “Shortlisted”."]


def test_build_fills_the_room_a_move_left_in_a_quota(cycle, tc_panel, eligible, secretariat):
    _quotas(cycle, shortlist_quota=1, deserving_quota=1)
    _rank(tc_panel, eligible[:2])
    proposals_build(panel=tc_panel)
    proposal_move(
        proposal=_proposal(tc_panel, eligible[0]),
        outcome="not_selected",
        reason="Thin evidence.",
        by=secretariat,
    )
    _rank(tc_panel, eligible[:3])
    assert proposals_build(panel=tc_panel) == 1
    assert _outcomes(tc_panel, eligible[:3]) == ["not_selected", "deserving", "shortlisted"]


def test_build_gives_newcomers_exactly_the_room_left_in_each_quota(cycle, tc_panel, eligible):
    _quotas(cycle, shortlist_quota=3, deserving_quota=1)
    _rank(tc_panel, eligible[:2])
    proposals_build(panel=tc_panel)
    assert _outcomes(tc_panel, eligible[:2]) == ["shortlisted", "shortlisted"]
    _rank(tc_panel, eligible)
    assert proposals_build(panel=tc_panel) == 3
    # One shortlisted place and one deserving place were left.
    assert _outcomes(tc_panel, eligible) == [
        "shortlisted",
        "shortlisted",
        "shortlisted",
        "deserving",
        "not_selected",
    ]


# Moving a proposal.
def test_move_is_allowed_below_the_quota_and_refused_at_it(cycle, tc_panel, eligible, secretariat):
    _quotas(cycle, shortlist_quota=2, deserving_quota=0)
    _rank(tc_panel, eligible[:3])
    proposals_build(panel=tc_panel)
    assert _outcomes(tc_panel, eligible[:3]) == ["shortlisted", "shortlisted", "not_selected"]
    proposal_move(
        proposal=_proposal(tc_panel, eligible[1]),
        outcome="not_selected",
        reason="Weak.",
        by=secretariat,
    )
    # One of two taken: the move in is allowed, and fills the quota.
    proposal_move(
        proposal=_proposal(tc_panel, eligible[2]),
        outcome="shortlisted",
        reason="  Strong evidence.  ",
        by=secretariat,
    )
    moved = _proposal(tc_panel, eligible[2])
    assert (moved.outcome, moved.proposed_outcome, moved.moved_reason, moved.moved_by) == (
        "shortlisted",
        "not_selected",
        "Strong evidence.",
        secretariat,
    )
    assert moved.moved_at is not None
    # Two of two taken: refused, and nothing changes.
    before = _snapshot(tc_panel)
    with pytest.raises(ValidationError) as refused:
        proposal_move(
            proposal=_proposal(tc_panel, eligible[1]),
            outcome="shortlisted",
            reason="Also strong.",
            by=secretariat,
        )
    assert refused.value.messages == [
        "The quota of 2 for “Shortlisted” is full: move another entry out first."
    ]
    assert _snapshot(tc_panel) == before


def test_move_without_a_reason_is_refused_and_moves_nothing(tc_panel, eligible, secretariat):
    _rank(tc_panel, eligible[:1])
    proposals_build(panel=tc_panel)
    before = _snapshot(tc_panel)
    with pytest.raises(ValidationError) as refused:
        proposal_move(
            proposal=_proposal(tc_panel, eligible[0]),
            outcome="deserving",
            reason="  ",
            by=secretariat,
        )
    assert refused.value.messages == ["Please give a reason for moving this entry."]
    assert _snapshot(tc_panel) == before


def test_move_within_a_full_outcome_records_the_reason(cycle, tc_panel, eligible, secretariat):
    _quotas(cycle, shortlist_quota=1, deserving_quota=0)
    _rank(tc_panel, eligible[:1])
    proposals_build(panel=tc_panel)
    proposal_move(
        proposal=_proposal(tc_panel, eligible[0]),
        outcome="shortlisted",
        reason="Confirmed.",
        by=secretariat,
    )
    kept = _proposal(tc_panel, eligible[0])
    assert (kept.outcome, kept.moved_reason) == ("shortlisted", "Confirmed.")


def test_move_to_an_outcome_of_another_stage_or_after_release_is_refused(
    tc_panel, eligible, secretariat
):
    _rank(tc_panel, eligible[:1])
    proposals_build(panel=tc_panel)
    before = _snapshot(tc_panel)
    with pytest.raises(ValidationError) as refused:
        proposal_move(
            proposal=_proposal(tc_panel, eligible[0]),
            outcome="winner",
            reason="Great.",
            by=secretariat,
        )
    assert refused.value.messages == ["This outcome is not available at this stage."]
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    with pytest.raises(ValidationError) as refused:
        proposal_move(
            proposal=_proposal(tc_panel, eligible[0]),
            outcome="deserving",
            reason="Good.",
            by=secretariat,
        )
    assert refused.value.messages == ["The decisions are released: proposals can no longer change."]
    assert _snapshot(tc_panel) == before


def test_jury_special_mentions_have_no_quota(cycle, jury_panel, shortlisted, secretariat):
    _quotas(cycle, winner_quota=1)
    _rank(jury_panel, shortlisted)
    proposals_build(panel=jury_panel)
    for entry in shortlisted:
        proposal_move(
            proposal=_proposal(jury_panel, entry),
            outcome="special_mention",
            reason="A bold idea.",
            by=secretariat,
        )
    assert _outcomes(jury_panel, shortlisted) == ["special_mention"] * 3


# Citations.
def test_citation_is_saved_trimmed_and_refused_after_release(tc_panel, eligible, secretariat):
    _rank(tc_panel, eligible[:1])
    proposals_build(panel=tc_panel)
    proposal = _proposal(tc_panel, eligible[0])
    proposal_set_citation(proposal=proposal, citation="  For courage. ", by=secretariat)
    assert _proposal(tc_panel, eligible[0]).citation == "For courage."
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    proposal = _proposal(tc_panel, eligible[0])
    with pytest.raises(ValidationError) as refused:
        proposal_set_citation(proposal=proposal, citation="Changed.", by=secretariat)
    assert refused.value.messages == ["The decisions are released: citations can no longer change."]
    assert _proposal(tc_panel, eligible[0]).citation == "For courage."


def test_citation_saved_from_an_earlier_read_keeps_a_move_made_since(
    tc_panel, eligible, secretariat
):
    _rank(tc_panel, eligible[:1])
    proposals_build(panel=tc_panel)
    read_before_the_move = _proposal(tc_panel, eligible[0])
    proposal_move(
        proposal=_proposal(tc_panel, eligible[0]),
        outcome="deserving",
        reason="Thin evidence.",
        by=secretariat,
    )
    proposal_set_citation(proposal=read_before_the_move, citation="For care.", by=secretariat)
    saved = _proposal(tc_panel, eligible[0])
    assert (saved.outcome, saved.moved_reason, saved.citation) == (
        "deserving",
        "Thin evidence.",
        "For care.",
    )


# Closing and reopening a stage.
def test_close_twice_keeps_the_first_closing_time_and_ranks_each_time(
    tc_panel, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        panel_close(panel=tc_panel, by=secretariat)
    closed_at = type(tc_panel).objects.get(pk=tc_panel.pk).closed_at
    assert closed_at is not None
    with django_capture_on_commit_callbacks() as second:
        assert panel_close(panel=tc_panel, by=None).closed_at == closed_at
    assert type(tc_panel).objects.get(pk=tc_panel.pk).closed_at == closed_at
    assert (len(first), len(second)) == (1, 1)


def test_reopen_drops_ranking_and_proposals_but_is_refused_after_release(
    tc_panel, eligible, secretariat
):
    _rank(tc_panel, eligible[:2])
    proposals_build(panel=tc_panel)
    _close(tc_panel)
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    with pytest.raises(ValidationError) as refused:
        panel_reopen(panel=tc_panel, by=secretariat)
    assert refused.value.messages == ["The decisions are released: the stage cannot reopen."]
    tc_panel.refresh_from_db()
    assert tc_panel.closed_at is not None
    assert (Ranking.objects.filter(panel=tc_panel).count(), tc_panel.proposals.count()) == (1, 2)
    tc_panel.released_at = None
    tc_panel.save(update_fields=["released_at"])
    assert panel_reopen(panel=tc_panel, by=secretariat).closed_at is None
    tc_panel.refresh_from_db()
    assert tc_panel.closed_at is None
    assert (Ranking.objects.filter(panel=tc_panel).count(), tc_panel.proposals.count()) == (0, 0)


# Why a release is refused; a refused release releases nothing.
def _released_nothing(panel, entries, status):
    panel.refresh_from_db()
    assert panel.released_at is None
    assert {e.status for e in entries if not e.refresh_from_db()} == {status}
    assert StatusChange.objects.count() == 0


def test_release_refused_before_close_and_before_any_proposal(tc_panel, eligible, secretariat):
    assert proposals_problems(tc_panel) == ["Close the stage first.", "There are no proposals yet."]
    with pytest.raises(ValidationError) as refused:
        proposals_release(panel=tc_panel, by=secretariat)
    assert refused.value.messages == ["Close the stage first.", "There are no proposals yet."]
    _released_nothing(tc_panel, eligible, "eligible")


def test_release_refused_once_a_deserving_quota_is_lowered_below_the_proposals(
    cycle, tc_panel, eligible, secretariat
):
    _quotas(cycle, shortlist_quota=1, deserving_quota=2)
    _rank(tc_panel, eligible)
    proposals_build(panel=tc_panel)
    _close(tc_panel)
    assert proposals_problems(tc_panel) == []  # at both quotas
    _quotas(cycle, deserving_quota=1)
    tc_panel.refresh_from_db()
    expected = ["More than 1 entries are proposed as “Deserving (expert-recommended)”."]
    assert proposals_problems(tc_panel) == expected
    with pytest.raises(ValidationError) as refused:
        proposals_release(panel=tc_panel, by=secretariat)
    assert refused.value.messages == expected
    _released_nothing(tc_panel, eligible, "eligible")


def test_a_quota_of_0_with_none_proposed_does_not_stop_the_release(
    cycle, tc_panel, eligible, secretariat
):
    _quotas(cycle, shortlist_quota=1, deserving_quota=0)
    _rank(tc_panel, eligible[:2])
    proposals_build(panel=tc_panel)
    _close(tc_panel)
    assert _outcomes(tc_panel, eligible[:2]) == ["shortlisted", "not_selected"]
    assert proposals_problems(tc_panel) == []


def test_release_refused_when_an_entry_is_no_longer_eligible(
    cycle, tc_panel, eligible, secretariat
):
    _rank(tc_panel, eligible[:2])
    proposals_build(panel=tc_panel)
    _close(tc_panel)
    type(eligible[1]).objects.filter(pk=eligible[1].pk).update(status="submitted")
    expected = [f"{eligible[1].reference} is no longer Eligible."]
    assert proposals_problems(tc_panel) == expected
    with pytest.raises(ValidationError) as refused:
        proposals_release(panel=tc_panel, by=secretariat)
    assert refused.value.messages == expected
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None
    assert StatusChange.objects.count() == 0


def test_jury_release_refused_without_a_written_citation_or_a_shortlisted_entry(
    cycle, jury_panel, shortlisted, secretariat
):
    _quotas(cycle, winner_quota=1)
    _rank(jury_panel, shortlisted)
    proposals_build(panel=jury_panel)
    _close(jury_panel)
    winner = _proposal(jury_panel, shortlisted[0])
    proposal_set_citation(proposal=winner, citation="   ", by=secretariat)
    expected = [f"Write the citation of {shortlisted[0].reference}."]
    assert proposals_problems(jury_panel) == expected
    with pytest.raises(ValidationError) as refused:
        proposals_release(panel=jury_panel, by=secretariat)
    assert refused.value.messages == expected
    _released_nothing(jury_panel, shortlisted, "shortlisted")
    proposal_set_citation(proposal=winner, citation="Bold.", by=secretariat)
    type(shortlisted[2]).objects.filter(pk=shortlisted[2].pk).update(status="eligible")
    assert proposals_problems(jury_panel) == [
        f"{shortlisted[2].reference} is no longer Shortlisted."
    ]


def test_release_refused_when_already_released(cycle, tc_panel, eligible, secretariat):
    _rank(tc_panel, eligible[:1])
    proposals_build(panel=tc_panel)
    _close(tc_panel)
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    assert proposals_problems(tc_panel) == ["The decisions are already released."]


# What the Secretariat sees of the proposals.
def test_outcome_choices_of_each_stage(cycle, tc_panel, jury_panel):
    assert outcome_choices(tc_panel) == [
        ("shortlisted", "Shortlisted"),
        ("deserving", "Deserving (expert-recommended)"),
        ("not_selected", "Not selected"),
    ]
    assert [v for v, _label in outcome_choices(jury_panel)] == [
        "winner",
        "special_mention",
        "medal_of_honor",
    ]
    _quotas(cycle, medals_of_honor=False)
    jury_panel.refresh_from_db()
    assert [v for v, _label in outcome_choices(jury_panel)] == [
        "winner",
        "special_mention",
        "shortlisted",
    ]


def test_jury_summary_counts_winners_against_their_quota_only(
    cycle, jury_panel, shortlisted, secretariat
):
    _quotas(cycle, winner_quota=1)
    _rank(jury_panel, shortlisted)
    proposals_build(panel=jury_panel)
    assert [(value, n, quota) for value, _label, n, quota in proposal_summary(jury_panel)] == [
        ("winner", 1, 1),
        ("special_mention", 0, None),
        ("medal_of_honor", 2, None),
    ]


# Who hears the jury's decision apart from a move.
def test_jury_decision_told_to_each_active_member_of_the_cities_left_shortlisted(
    cycle, jury_panel, make_entry
):
    stays = make_entry(status="shortlisted")
    also_stays = make_entry(status="shortlisted")
    won = make_entry(status="winner")
    elsewhere = make_entry(status="shortlisted")  # not before this jury
    for entry in (stays, stays, also_stays, won):
        AssignmentFactory(panel=jury_panel, submission=entry)
    second = factories.CityOfficialFactory(organisation=stays.organisation)
    factories.CityOfficialFactory(organisation=stays.organisation, is_active=False)
    assert elsewhere.organisation.members.exists()
    assert jury_decision_notify(panel=jury_panel) == 0  # not released yet
    jury_panel.released_at = timezone.now()
    jury_panel.save(update_fields=["released_at"])
    mail.outbox.clear()
    assert jury_decision_notify(panel=jury_panel) == 3
    expected = {
        (stays.organisation.members.order_by("pk").first().email, stays.reference),
        (second.email, stays.reference),
        (also_stays.organisation.members.get().email, also_stays.reference),
    }
    assert {(m.to[0], m.subject.split()[-1]) for m in mail.outbox} == expected
    assert all(
        m.subject.startswith("Guangzhou Award: the Jury's decision on entry") for m in mail.outbox
    )
    to_second = next(m for m in mail.outbox if m.to == [second.email])
    assert to_second.body.startswith(f"Dear {second.display_name},")
    dashboard = settings.SITE_URL + reverse("submissions:dashboard")
    assert f"Your dashboard: {dashboard}\n" in to_second.body
    # Idempotent: nothing is sent twice.
    assert jury_decision_notify(panel=jury_panel) == 0
    assert len(mail.outbox) == 3


def test_jury_decision_is_not_told_after_the_technical_committee(tc_panel, make_entry):
    entry = make_entry(status="shortlisted")
    AssignmentFactory(panel=tc_panel, submission=entry)
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    mail.outbox.clear()
    assert jury_decision_notify(panel=tc_panel) == 0
    assert mail.outbox == []
