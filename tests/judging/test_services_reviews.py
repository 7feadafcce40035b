"""Score sheets: drafts, submission, revision, history, closed stages."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from judging.models import Criterion, CriterionScore, Review, ReviewHistory
from judging.services.assignment import assignment_staff_tc_entry
from judging.services.reviews import review_problems, review_save
from tests.judging.conftest import score


@pytest.fixture
def assignment(tc_panel, tc_members, make_entry):
    return assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]


def test_review_requires_conflict_confirmation(assignment):
    with pytest.raises(ValidationError, match="Confirm that you have no conflict before scoring"):
        review_save(
            assignment=assignment,
            values={},
            comments={},
            overall_comment="",
            submit=False,
            by=assignment.reviewer.user,
        )
    assert Review.objects.count() == 0
    assert ReviewHistory.objects.count() == 0


def test_review_draft_then_submit_keeps_history(assignment):
    draft = score(assignment, 5, submit=False)
    assert draft.submitted_at is None
    final = score(assignment, 8)
    assert final.pk == draft.pk and final.submitted_at is not None
    assert set(CriterionScore.objects.filter(review=final).values_list("value", flat=True)) == {8}
    snapshots = list(ReviewHistory.objects.filter(review=final).values_list("snapshot", flat=True))
    assert [s["submitted"] for s in snapshots] == [False, True]
    assert {v["value"] for v in snapshots[0]["scores"].values()} == {5}
    assert {v["value"] for v in snapshots[1]["scores"].values()} == {8}


def test_review_submit_needs_every_score_comment_and_recommendation(assignment):
    from judging.services.assignment import assignment_confirm_no_conflict

    assignment_confirm_no_conflict(assignment=assignment, by=assignment.reviewer.user)
    with pytest.raises(ValidationError) as error:
        review_save(
            assignment=assignment,
            values={},
            comments={},
            overall_comment="",
            submit=True,
            by=assignment.reviewer.user,
        )
    assert len(error.value.messages) == 3
    assert Review.objects.count() == 0
    assert error.value.messages[1:] == ["Write an overall comment.", "Choose a recommendation."]
    assert error.value.messages[0].startswith("Score every criterion: ")
    assert (CriterionScore.objects.count(), ReviewHistory.objects.count()) == (0, 0)


def test_review_refuses_out_of_scale(assignment):
    from judging.services.assignment import assignment_confirm_no_conflict

    assignment_confirm_no_conflict(assignment=assignment, by=assignment.reviewer.user)
    c = assignment.panel.criteria.first()
    with pytest.raises(ValidationError, match=re.escape(f"{c.name}: give a score from 1 to 10.")):
        review_save(
            assignment=assignment,
            values={c.pk: 11},
            comments={},
            overall_comment="x",
            submit=False,
            by=assignment.reviewer.user,
        )
    assert Review.objects.count() == 0
    assert (CriterionScore.objects.count(), ReviewHistory.objects.count()) == (0, 0)


def test_submitted_review_stays_complete_on_revision(assignment):
    score(assignment, 8)
    c = assignment.panel.criteria.first()
    with pytest.raises(ValidationError, match="Score every criterion: ") as error:
        review_save(
            assignment=assignment,
            values={c.pk: 3},
            comments={},
            overall_comment="x",
            recommendation="shortlist",
            submit=False,
            by=assignment.reviewer.user,
        )
    assert set(CriterionScore.objects.values_list("value", flat=True)) == {8}
    assert c.name not in error.value.messages[0]
    assert ReviewHistory.objects.count() == 1


def test_review_refused_after_close(assignment, tc_panel):
    score(assignment, 8)
    tc_panel.closed_at = timezone.now()
    tc_panel.save()
    with pytest.raises(ValidationError, match="This stage is closed: scores can no longer change"):
        score(assignment, 2)
    assert set(CriterionScore.objects.values_list("value", flat=True)) == {8}
    assert ReviewHistory.objects.count() == 1


# review_problems alone: unsaved criteria, no database.
IMPACT = Criterion(pk=1, name="Impact", scale_min=1, scale_max=10)
NOVELTY = Criterion(pk=2, name="Novelty", scale_min=0, scale_max=5)


def _problems(**overrides):
    arguments = {
        "criteria": [IMPACT, NOVELTY],
        "values": {1: 7, 2: 3},
        "overall_comment": "Convincing.",
        "recommendation": "shortlist",
        "is_tc": True,
        "submitting": True,
    }
    return review_problems(**{**arguments, **overrides})


def test_review_problems_none_for_a_complete_sheet():
    assert _problems() == []


def test_review_problems_score_outside_each_criterions_scale():
    assert _problems(values={1: 0, 2: 6}) == [
        "Impact: give a score from 1 to 10.",
        "Novelty: give a score from 0 to 5.",
    ]
    assert _problems(values={1: 1, 2: 0}) == []
    assert _problems(values={1: 10, 2: 5}) == []


def test_review_problems_draft_may_be_incomplete():
    assert (
        _problems(values={1: None}, overall_comment=" ", recommendation="", submitting=False) == []
    )


def test_review_problems_submitting_needs_every_score_a_comment_and_a_recommendation():
    assert _problems(values={1: 4}, overall_comment="  ", recommendation="") == [
        "Score every criterion: Novelty.",
        "Write an overall comment.",
        "Choose a recommendation.",
    ]


def test_review_problems_recommendation_only_known_and_only_for_the_tc():
    assert _problems(recommendation="maybe") == ["Unknown recommendation."]
    assert _problems(recommendation="shortlist", is_tc=False) == ["Unknown recommendation."]
    assert _problems(recommendation="", is_tc=False) == []


def test_review_problems_out_of_scale_even_on_a_draft():
    assert _problems(values={1: 11}, submitting=False) == ["Impact: give a score from 1 to 10."]
