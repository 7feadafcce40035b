"""Special Mention: the jury's own outcome, moved to from the ranking's proposals and
released like the others; counted in the statistics."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import User
from judging.models import OutcomeProposal
from judging.services.assignment import assignment_staff_jury
from judging.services.outcomes import (
    outcome_choices,
    panel_close,
    proposal_move,
    proposal_set_citation,
    proposals_release,
)
from submissions.models import StatusChange
from submissions.selectors.statistics import statistics_get
from submissions.workflow import APPLICANT_LABELS, Status
from tests.judging.conftest import score


@pytest.fixture
def scored_jury(cycle, jury_panel, jury_members, make_entry):
    cycle.winner_quota = 1
    cycle.is_open = False
    cycle.save()
    entries = [make_entry(status=Status.SHORTLISTED) for _ in range(3)]
    assignment_staff_jury(panel=jury_panel)
    for a in jury_panel.assignments.all():
        score(a, 9 - entries.index(a.submission))
    return entries


def test_jury_outcomes_include_special_mention(jury_panel, tc_panel):
    assert [v for v, _l in outcome_choices(jury_panel)] == [
        "winner",
        "special_mention",
        "medal_of_honor",
    ]
    assert "special_mention" not in [v for v, _l in outcome_choices(tc_panel)]


def test_special_mention_is_never_proposed_from_the_ranking(
    jury_panel, scored_jury, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=jury_panel, by=secretariat)
    outcomes = dict(
        OutcomeProposal.objects.filter(panel=jury_panel).values_list("submission_id", "outcome")
    )
    assert [outcomes[e.pk] for e in scored_jury] == ["winner", "medal_of_honor", "medal_of_honor"]


def test_special_mention_moved_and_released_emails_the_city(
    cycle, jury_panel, scored_jury, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=jury_panel, by=secretariat)
    winner = OutcomeProposal.objects.get(panel=jury_panel, submission=scored_jury[0])
    proposal_set_citation(proposal=winner, citation="For courage.", by=secretariat)
    mention = OutcomeProposal.objects.get(panel=jury_panel, submission=scored_jury[1])
    was = mention.outcome
    with pytest.raises(ValidationError, match="Please give a reason for moving this entry"):
        proposal_move(proposal=mention, outcome="special_mention", reason=" ", by=secretariat)
    mention.refresh_from_db()
    assert mention.outcome == was
    proposal_move(
        proposal=mention, outcome="special_mention", reason="Youth engagement.", by=secretariat
    )
    proposal_set_citation(proposal=mention, citation="For the young.", by=secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposals_release(panel=jury_panel, by=secretariat)
    scored_jury[1].refresh_from_db()
    assert (scored_jury[1].status, scored_jury[1].citation) == ("special_mention", "For the young.")
    change = StatusChange.objects.get(submission=scored_jury[1], to_status="special_mention")
    assert (change.transition, change.note) == ("jury_outcome", "Youth engagement.")
    assert APPLICANT_LABELS[Status.SPECIAL_MENTION] == "Special Mention of the Jury"
    city_email = User.objects.get(organisation=scored_jury[1].organisation).email
    body = next(m.body for m in mail.outbox if m.to == [city_email])
    assert "the Jury gives your initiative a Special Mention" in body
    assert "For the young." in body
    stats = statistics_get(cycle=cycle)
    assert stats["outcomes"]["special_mention"] == 1
    assert stats["funnel"]["shortlisted"] == 3
    assert stats["funnel"]["recognised"] == 3
