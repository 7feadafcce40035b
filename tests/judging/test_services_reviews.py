"""Score sheets: drafts, submission, revision, history, closed stages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from judging.models import CriterionScore, Review, ReviewHistory
from judging.services.assignment import assignment_staff_tc_entry
from judging.services.reviews import review_save
from tests.judging.conftest import score


@pytest.fixture
def assignment(tc_panel, tc_members, make_entry):
    return assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]


def test_review_requires_conflict_confirmation(assignment):
    with pytest.raises(ValidationError):
        review_save(
            assignment=assignment,
            values={},
            comments={},
            overall_comment="",
            submit=False,
            by=assignment.reviewer.user,
        )
    assert Review.objects.count() == 0


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


def test_review_refuses_out_of_scale(assignment):
    from judging.services.assignment import assignment_confirm_no_conflict

    assignment_confirm_no_conflict(assignment=assignment, by=assignment.reviewer.user)
    c = assignment.panel.criteria.first()
    with pytest.raises(ValidationError):
        review_save(
            assignment=assignment,
            values={c.pk: 11},
            comments={},
            overall_comment="x",
            submit=False,
            by=assignment.reviewer.user,
        )
    assert Review.objects.count() == 0


def test_submitted_review_stays_complete_on_revision(assignment):
    score(assignment, 8)
    c = assignment.panel.criteria.first()
    with pytest.raises(ValidationError):
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


def test_review_refused_after_close(assignment, tc_panel):
    score(assignment, 8)
    tc_panel.closed_at = timezone.now()
    tc_panel.save()
    with pytest.raises(ValidationError):
        score(assignment, 2)
    assert set(CriterionScore.objects.values_list("value", flat=True)) == {8}
