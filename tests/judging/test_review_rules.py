"""The score sheet's rules (judging/services/reviews.py): when scoring is open, the
scale's bounds, drafts, submission and revision, what is kept and what is refused."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from judging.models import CriterionScore, PanelMember, Review, ReviewHistory
from judging.services.assignment import (
    assignment_confirm_no_conflict,
    assignment_staff_jury,
    assignment_staff_tc_entry,
)
from judging.services.reviews import review_problems, review_save
from tests.judging.conftest import score

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
LATER = NOON + dt.timedelta(days=3)


@pytest.fixture
def assignment(tc_panel, tc_members, make_entry):
    return assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]


@pytest.fixture
def active(assignment):
    """An assignment whose reviewer has declared no conflict: open for scoring."""
    assignment_confirm_no_conflict(assignment=assignment, by=assignment.reviewer.user)
    assignment.refresh_from_db()
    return assignment


def _save(assignment, values, *, submit, comments=None, overall="Considered.", rec="shortlist"):
    return review_save(
        assignment=assignment,
        values=values,
        comments=comments or {},
        overall_comment=overall,
        recommendation=rec,
        submit=submit,
        by=assignment.reviewer.user,
    )


def _every(assignment, value):
    return {c.pk: value for c in assignment.panel.criteria.all()}


def _nothing_written():
    return (Review.objects.count(), CriterionScore.objects.count(), ReviewHistory.objects.count())


# --- When scoring is open ----------------------------------------------------------


def test_a_reviewer_cannot_score_before_declaring_no_conflict(assignment):
    with pytest.raises(ValidationError) as error:
        _save(assignment, _every(assignment, 5), submit=True)
    assert error.value.messages == ["Confirm that you have no conflict before scoring."]
    assert _nothing_written() == (0, 0, 0)
    assert PanelMember.objects.get(pk=assignment.reviewer_id).last_activity_at is None


def test_a_closed_stage_refuses_every_change_to_a_submitted_review(active, tc_panel):
    score(active, 8)
    tc_panel.closed_at = NOON
    tc_panel.save(update_fields=["closed_at"])
    with pytest.raises(ValidationError) as error:
        _save(active, _every(active, 2), submit=True)
    assert error.value.messages == ["This stage is closed: scores can no longer change."]
    assert set(CriterionScore.objects.values_list("value", flat=True)) == {8}
    assert ReviewHistory.objects.count() == 1


def test_scoring_waits_for_the_end_of_the_calibration_round(active, tc_panel):
    tc_panel.calibration_round = True
    tc_panel.save(update_fields=["calibration_round"])
    with pytest.raises(ValidationError) as error:
        _save(active, _every(active, 5), submit=False)
    assert error.value.messages == [
        "Scoring opens after the calibration round: the chair will let you know."
    ]
    assert _nothing_written() == (0, 0, 0)


# --- The scale's bounds ------------------------------------------------------------


def test_scores_at_the_lowest_and_highest_point_of_the_scale_are_accepted(active):
    criteria = list(active.panel.criteria.all())
    assert {(c.scale_min, c.scale_max) for c in criteria} == {(1, 10)}
    values = {c.pk: (1 if i % 2 else 10) for i, c in enumerate(criteria)}
    review = _save(active, values, submit=True)
    assert dict(review.scores.values_list("criterion_id", "value")) == values


@pytest.mark.parametrize("value", [0, 11])
def test_a_score_one_beyond_the_scale_is_refused_with_the_criterions_name(active, value):
    first = active.panel.criteria.first()
    values = {**_every(active, 5), first.pk: value}
    with pytest.raises(ValidationError) as error:
        _save(active, values, submit=False)
    assert error.value.messages == [f"{first.name}: give a score from 1 to 10."]
    assert _nothing_written() == (0, 0, 0)


def test_review_problems_names_every_unscored_criterion_in_order():
    from judging.models import Criterion

    criteria = [
        Criterion(pk=1, name="Impact", scale_min=1, scale_max=10),
        Criterion(pk=2, name="Novelty", scale_min=1, scale_max=10),
        Criterion(pk=3, name="Reach", scale_min=1, scale_max=10),
    ]
    problems = review_problems(
        criteria=criteria,
        values={2: 4},
        overall_comment="Fine.",
        recommendation="deserving",
        is_tc=True,
        submitting=True,
    )
    assert problems == ["Score every criterion: Impact, Reach."]


# --- Drafts, submission, revision ----------------------------------------------------


def test_submitting_needs_every_score_a_comment_and_a_recommendation(active):
    with pytest.raises(ValidationError) as error:
        _save(active, {}, submit=True, overall=" ", rec="")
    names = ", ".join(c.name for c in active.panel.criteria.all())
    assert error.value.messages == [
        f"Score every criterion: {names}.",
        "Write an overall comment.",
        "Choose a recommendation.",
    ]
    assert _nothing_written() == (0, 0, 0)


def test_a_draft_saved_again_stays_an_incomplete_draft(active):
    first = _save(active, {}, submit=False, overall="", rec="")
    again = _save(active, {active.panel.criteria.first().pk: 4}, submit=False, overall="", rec="")
    again.refresh_from_db()
    assert again.pk == first.pk
    assert again.submitted_at is None
    assert ReviewHistory.objects.filter(review=again).count() == 2
    assert not any(h.snapshot["submitted"] for h in again.history.all())


def test_a_submitted_review_revised_keeps_its_first_submission_time(active):
    with time_machine.travel(NOON, tick=False):
        _save(active, _every(active, 6), submit=True)
    with time_machine.travel(LATER, tick=False):
        revised = _save(active, _every(active, 7), submit=False, rec="deserving")
    revised.refresh_from_db()
    assert revised.submitted_at == NOON
    assert revised.recommendation == "deserving"
    assert set(revised.scores.values_list("value", flat=True)) == {7}
    assert Review.objects.count() == 1


def test_a_submitted_review_cannot_be_made_incomplete_again(active):
    score(active, 8)
    with pytest.raises(ValidationError) as error:
        _save(active, _every(active, 5), submit=False, overall="  ", rec="")
    assert error.value.messages == ["Write an overall comment.", "Choose a recommendation."]
    review = Review.objects.get()
    assert (review.overall_comment, review.recommendation) == ("Considered.", "shortlist")
    assert set(CriterionScore.objects.values_list("value", flat=True)) == {8}
    assert ReviewHistory.objects.count() == 1


def test_comments_are_kept_trimmed_and_a_missing_comment_is_empty(active):
    first, *others = list(active.panel.criteria.all())
    review = _save(
        active,
        _every(active, 5),
        comments={first.pk: "  Strong evidence. \n"},
        overall="  Convincing overall.  ",
        submit=True,
    )
    review.refresh_from_db()
    assert review.overall_comment == "Convincing overall."
    comments = dict(review.scores.values_list("criterion_id", "comment"))
    assert comments == {first.pk: "Strong evidence.", **{c.pk: "" for c in others}}


def test_an_empty_comment_is_kept_empty(active):
    first = active.panel.criteria.first()
    review = _save(active, _every(active, 5), comments={first.pk: ""}, submit=False)
    assert review.scores.get(criterion=first).comment == ""


def test_every_save_keeps_a_snapshot_by_the_reviewer(active):
    first, *others = list(active.panel.criteria.all())
    review = _save(active, {first.pk: 3}, comments={first.pk: "Thin."}, submit=False, rec="")
    history = ReviewHistory.objects.get(review=review)
    assert history.by == active.reviewer.user
    assert history.snapshot == {
        "scores": {
            str(first.pk): {"value": 3, "comment": "Thin."},
            **{str(c.pk): {"value": None, "comment": ""} for c in others},
        },
        "overall_comment": "Considered.",
        "recommendation": "",
        "submitted": False,
    }


def test_saving_marks_the_reviewers_last_activity_only(active, tc_members):
    with time_machine.travel(NOON, tick=False):
        _save(active, {}, submit=False, rec="")
    activity = dict(PanelMember.objects.values_list("pk", "last_activity_at"))
    assert activity.pop(active.reviewer_id) == NOON
    assert set(activity.values()) == {None}


def test_saving_marks_the_last_activity_at_each_save(active):
    with time_machine.travel(NOON, tick=False):
        _save(active, {}, submit=False, rec="")
    with time_machine.travel(LATER, tick=False):
        _save(active, {}, submit=False, rec="")
    assert PanelMember.objects.get(pk=active.reviewer_id).last_activity_at == LATER


# --- The jury --------------------------------------------------------------------


@pytest.fixture
def jury_assignment(jury_panel, jury_members, make_entry):
    make_entry(status="shortlisted")
    assignment_staff_jury(panel=jury_panel)
    a = jury_panel.assignments.order_by("pk").first()
    assignment_confirm_no_conflict(assignment=a, by=a.reviewer.user)
    a.refresh_from_db()
    return a


def test_a_jury_review_is_submitted_without_a_recommendation(jury_assignment):
    review = _save(jury_assignment, _every(jury_assignment, 9), submit=True, rec="")
    review.refresh_from_db()
    assert review.is_submitted
    assert review.recommendation == ""


def test_a_jury_review_refuses_a_recommendation(jury_assignment):
    with pytest.raises(ValidationError) as error:
        _save(jury_assignment, _every(jury_assignment, 9), submit=True, rec="shortlist")
    assert error.value.messages == ["Unknown recommendation."]
    assert _nothing_written() == (0, 0, 0)
