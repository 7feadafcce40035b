"""Score sheets: saving a draft, submitting, revising until the stage closes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Assignment,
    CriterionScore,
    PanelKind,
    PanelMember,
    Recommendation,
    Review,
    ReviewHistory,
)


def review_snapshot(review: Review) -> dict:
    """What a review says, as JSON: kept in ``ReviewHistory`` at every save."""
    return {
        "scores": {
            str(s.criterion_id): {"value": s.value, "comment": s.comment}
            for s in review.scores.all().order_by("criterion_id")
        },
        "overall_comment": review.overall_comment,
        "recommendation": review.recommendation,
        "submitted": review.submitted_at is not None,
    }


def review_problems(
    *,
    criteria: list,
    values: dict[int, int | None],
    overall_comment: str,
    recommendation: str,
    is_tc: bool,
    submitting: bool,
) -> list[str]:
    """What is wrong with a score sheet, without touching the database: scores outside a
    criterion's scale, an unknown recommendation (only the Technical Committee gives
    one) and, when ``submitting`` (or revising a submitted review), a criterion left
    unscored, no overall comment or no recommendation. Empty when it may be saved."""
    problems = []
    for c in criteria:
        value = values.get(c.pk)
        if value is not None and not (c.scale_min <= value <= c.scale_max):
            problems.append(
                _("%(name)s: give a score from %(lo)s to %(hi)s.")
                % {"name": c.name, "lo": c.scale_min, "hi": c.scale_max}
            )
    if recommendation and (not is_tc or recommendation not in Recommendation.values):
        problems.append(_("Unknown recommendation."))
    if submitting:
        unscored = [c.name for c in criteria if values.get(c.pk) is None]
        if unscored:
            problems.append(_("Score every criterion: %(names)s.") % {"names": ", ".join(unscored)})
        if not overall_comment.strip():
            problems.append(_("Write an overall comment."))
        if is_tc and not recommendation:
            problems.append(_("Choose a recommendation."))
    return problems


def _check_scoring_open(assignment: Assignment) -> None:
    """Refuse while the reviewer has not declared no conflict, once the stage is closed
    and during the calibration round."""
    panel = assignment.panel
    if assignment.state != Assignment.State.ACTIVE:
        raise ValidationError(_("Confirm that you have no conflict before scoring."))
    if panel.closed_at:
        raise ValidationError(_("This stage is closed: scores can no longer change."))
    if panel.calibration_round:
        raise ValidationError(
            _("Scoring opens after the calibration round: the chair will let you know.")
        )


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    values: dict[int, int | None],
    comments: dict[int, str],
    overall_comment: str,
    recommendation: str = "",
    submit: bool,
    by,
) -> Review:
    """Save the reviewer's scores as a draft, or submit them.

    ``values``/``comments`` are keyed by criterion id. A submitted review may be
    revised (it stays submitted) until the stage closes. Submitting needs every
    criterion scored, an overall comment and, for the Technical Committee, a
    recommendation (``review_problems``). Every save writes a ``ReviewHistory``
    snapshot. Raises ``ValidationError`` (nothing saved) on any problem.
    """
    assignment = (
        Assignment.objects.select_for_update().select_related("panel").get(pk=assignment.pk)
    )
    _check_scoring_open(assignment)
    panel = assignment.panel
    criteria = list(panel.criteria.all())
    is_tc = panel.kind == PanelKind.TECHNICAL_COMMITTEE
    review = Review.objects.filter(assignment=assignment).first()
    stays_submitted = submit or (review is not None and review.is_submitted)
    problems = review_problems(
        criteria=criteria,
        values=values,
        overall_comment=overall_comment,
        recommendation=recommendation,
        is_tc=is_tc,
        submitting=stays_submitted,
    )
    if problems:
        raise ValidationError(problems)
    if review is None:
        review = Review(assignment=assignment)
    review.overall_comment = overall_comment.strip()
    review.recommendation = recommendation if is_tc else ""
    if stays_submitted and review.submitted_at is None:
        review.submitted_at = timezone.now()
    review.save()
    # Every criterion's score in one statement (insert, or update the one there).
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(
                review=review,
                criterion=c,
                value=values.get(c.pk),
                comment=(comments.get(c.pk) or "").strip(),
            )
            for c in criteria
        ],
        update_conflicts=True,
        unique_fields=["review", "criterion"],
        update_fields=["value", "comment"],
    )
    ReviewHistory.objects.create(review=review, snapshot=review_snapshot(review), by=by)
    PanelMember.objects.filter(pk=assignment.reviewer_id).update(last_activity_at=timezone.now())
    return review
