"""The award's quotas: 15 shortlisted, 30 deserving, 5 winners by default, and a quota
lowered after the proposals were made stops the release."""

import pytest
from django.core.exceptions import ValidationError

from judging.models import PanelKind
from judging.services.outcomes import (
    outcome_quotas,
    panel_close,
    proposal_summary,
    proposals_problems,
    proposals_release,
)
from submissions.models import Cycle, Submission
from submissions.workflow import Status


@pytest.mark.django_db
def test_default_quotas_are_15_shortlisted_30_deserving_5_winners():
    cycle = Cycle.objects.create(number=99, year="2099")
    assert (cycle.shortlist_quota, cycle.deserving_quota, cycle.winner_quota) == (15, 30, 5)


def test_outcome_quotas_of_each_stage_come_from_the_cycle(tc_panel, jury_panel):
    assert outcome_quotas(tc_panel) == {Status.SHORTLISTED: 15, Status.DESERVING: 30}
    assert outcome_quotas(jury_panel) == {Status.WINNER: 5}
    assert jury_panel.kind == PanelKind.JURY


def test_quota_lowered_after_proposals_blocks_the_release_and_moves_nothing(
    tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    tc_panel.refresh_from_db()
    assert proposals_problems(tc_panel) == []  # two shortlisted, quota 2
    cycle = tc_panel.cycle
    cycle.shortlist_quota = 1
    cycle.save(update_fields=["shortlist_quota"])
    tc_panel.refresh_from_db()
    expected = "More than 1 entries are proposed as “Shortlisted”."
    assert proposals_problems(tc_panel) == [expected]
    with pytest.raises(ValidationError) as refused:
        proposals_release(panel=tc_panel, by=secretariat)
    assert refused.value.messages == [expected]
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None
    assert (
        sorted(
            Submission.objects.filter(pk__in=[e.pk for e in scored_tc]).values_list(
                "status", flat=True
            )
        )
        == ["eligible"] * 5
    )


def test_proposal_summary_counts_each_outcome_against_its_quota(
    tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    assert [(value, n, quota) for value, _label, n, quota in proposal_summary(tc_panel)] == [
        ("shortlisted", 2, 2),
        ("deserving", 2, 2),
        ("not_selected", 1, None),
    ]
