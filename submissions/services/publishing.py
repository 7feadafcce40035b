"""Publishing a cycle's results: the public results page, the initiatives' pages and
their entries in the International Database go live in one step."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Cycle
from submissions.public_cache import bumps_public_cache
from submissions.services.slugs import submission_assign_slugs
from submissions.workflow import Status

logger = logging.getLogger(__name__)

# Entries in these statuses mean the judging is not finished: nothing is published.
UNDECIDED = (Status.SUBMITTED, Status.CLARIFICATION, Status.ELIGIBLE)


def cycle_publication_problems(*, cycle: Cycle) -> list[str]:
    """Why ``cycle`` cannot be published yet (an empty list when it can).

    The judging is released when no received entry waits for a decision and the
    jury's winners are known; then the jury chair must have signed the jury report.
    """
    problems = []
    if cycle.accepts_submissions():
        problems.append(
            _("The call for applications is still open: close it before publishing the results.")
        )
    statuses = set(cycle.submissions.values_list("status", flat=True).distinct())
    if statuses & set(UNDECIDED):
        problems.append(
            _(
                "Some entries are still waiting for screening or for the Technical Committee's decision."
            )
        )
    if Status.WINNER not in statuses:
        problems.append(_("The jury's winners have not been released yet."))
    elif cycle.jury_report_signed_at is None:
        problems.append(_("The jury chair has not signed the jury report yet."))
    return problems


@bumps_public_cache
@transaction.atomic
def cycle_publish_results(*, cycle: Cycle, by, at: datetime | None = None) -> Cycle:
    """Publish ``cycle``'s results now, in one step.

    Idempotent: a cycle already published is returned unchanged. Raises
    ``ValidationError`` when the judging has not been released. Sets
    ``results_published_at`` (and clears a pending schedule) and gives every published
    initiative its readable address.
    """
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.results_published_at is not None:
        return locked
    problems = cycle_publication_problems(cycle=locked)
    if problems:
        raise ValidationError(problems)
    locked.results_published_at = at or timezone.now()
    locked.results_publish_at = None
    locked.save(update_fields=["results_published_at", "results_publish_at"])
    submission_assign_slugs(cycle=locked)
    logger.info("Cycle %s results published by %s", locked.number, by or "schedule")
    return locked


@transaction.atomic
def cycle_schedule_results(*, cycle: Cycle, publish_at: datetime, by) -> Cycle:
    """Schedule the publication at ``publish_at`` (the beat task publishes it).

    Raises ``ValidationError`` for a time in the past, an already published cycle or
    a judging not yet released.
    """
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.results_published_at is not None:
        raise ValidationError(_("The results of this cycle are already published."))
    if publish_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future, or publish now."))
    problems = cycle_publication_problems(cycle=locked)
    if problems:
        raise ValidationError(problems)
    locked.results_publish_at = publish_at
    locked.save(update_fields=["results_publish_at"])
    return locked


@transaction.atomic
def cycle_cancel_scheduled_results(*, cycle: Cycle, by) -> Cycle:
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    locked.results_publish_at = None
    locked.save(update_fields=["results_publish_at"])
    return locked


def cycle_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every cycle whose scheduled time has come. Returns the numbers
    published; a cycle that cannot be published is logged and left scheduled."""
    now = now or timezone.now()
    published = []
    due = Cycle.objects.filter(
        results_publish_at__lte=now, results_published_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in due:
        try:
            cycle = cycle_publish_results(cycle=Cycle.objects.get(pk=pk), by=None, at=now)
        except ValidationError as error:
            logger.warning("Scheduled publication of cycle id %s refused: %s", pk, error.messages)
            continue
        published.append(cycle.number)
    return published
