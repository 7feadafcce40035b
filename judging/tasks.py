"""Thin, idempotent judging tasks: ids in, services called.

``sweep_unfinished_work`` (beat, every 30 seconds) re-dispatches whatever the
database shows undone, so a lost message or a killed worker loses nothing.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from submissions.models import Submission
from submissions.retry import RETRY_ON_TRANSIENT_ERRORS
from submissions.workflow import Status

from .models import Panel, PanelKind
from .services.assignment import (
    assignment_staff_entry,
    assignment_staff_jury,
    assignment_staff_tc_entry,
    entries_needing_reviewers,
)
from .services.outcomes import jury_decision_notify, panel_close, proposals_build
from .services.ranking import ranking_compute
from .services.reminders import reminders_send

logger = logging.getLogger(__name__)
LIVE = ["pending", "active"]


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def assign_eligible_entry(submission_id: int) -> int:
    """Give an eligible entry its Technical Committee reviewers."""
    return len(assignment_staff_tc_entry(submission_id=submission_id))


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def staff_entry(submission_id: int, panel_id: int) -> int:
    """Top up an entry's reviewers on a panel (after a conflict or a removal)."""
    panel = Panel.objects.get(pk=panel_id)
    submission = Submission.objects.get(pk=submission_id)
    return len(assignment_staff_entry(submission=submission, panel=panel))


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def assign_jury(cycle_id: int) -> int:
    """Give the jury every shortlisted entry of the cycle, minus conflicts."""
    panel = Panel.objects.filter(cycle_id=cycle_id, kind=PanelKind.JURY).first()
    if panel is None:
        return 0
    return assignment_staff_jury(panel=panel)


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def rank_panel(panel_id: int) -> int:
    """Rank a closed stage and propose outcomes."""
    panel = Panel.objects.get(pk=panel_id)
    if not panel.closed_at:
        return 0
    ranking_compute(panel=panel)
    return proposals_build(panel=panel)


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def send_vote_confirmation(vote_id: int) -> bool:
    """Email a public vote's confirmation link; retried while the mail server is down."""
    from .votes import vote_send_confirmation

    return vote_send_confirmation(vote_id=vote_id)


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def notify_jury_decision(panel_id: int) -> int:
    """Tell the cities that stay shortlisted (no medals) that the jury has decided."""
    return jury_decision_notify(panel=Panel.objects.get(pk=panel_id))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_hearing_slot(slot_id: int) -> int:
    """Email a city its hearing slot (once per slot time and member)."""
    from .models import HearingSlot
    from .services.hearings import hearing_slot_notify

    slot = HearingSlot.objects.filter(pk=slot_id).first()
    return hearing_slot_notify(slot=slot) if slot is not None else 0


@shared_task
def send_daily_reminders() -> int:
    """Remind members with unfinished reviews (in each panel's reminder window)."""
    panels = Panel.objects.filter(
        closed_at__isnull=True, scoring_deadline__isnull=False
    ).select_related("cycle")
    return sum(reminders_send(panel=panel) for panel in panels)


@shared_task
def sweep_unfinished_work() -> int:
    """Re-dispatch what the database shows undone. Returns how many tasks it sent."""
    count = 0
    now = timezone.now()
    open_tc = Panel.objects.filter(
        kind=PanelKind.TECHNICAL_COMMITTEE, closed_at__isnull=True
    ).select_related("cycle")
    for panel in open_tc:
        for submission_id in entries_needing_reviewers(panel):
            staff_entry.delay(submission_id, panel.pk)
            count += 1
    # Juries of cycles whose shortlist is released: every shortlisted entry staffed.
    for panel in Panel.objects.filter(kind=PanelKind.JURY, closed_at__isnull=True):
        tc_released = Panel.objects.filter(
            cycle_id=panel.cycle_id, kind=PanelKind.TECHNICAL_COMMITTEE, released_at__isnull=False
        ).exists()
        missing = (
            Submission.objects.filter(cycle_id=panel.cycle_id, status=Status.SHORTLISTED)
            .exclude(assignments__panel=panel)
            .exists()
        )
        if tc_released and missing and panel.members.exists():
            assign_jury.delay(panel.cycle_id)
            count += 1
    # Stages past their deadline are closed; closed stages without a ranking ranked.
    for panel in Panel.objects.filter(closed_at__isnull=True, scoring_deadline__lt=now):
        panel_close(panel=panel)
        count += 1
    for panel in Panel.objects.filter(closed_at__isnull=False, ranking__isnull=True):
        rank_panel.delay(panel.pk)
        count += 1
    # Juries released in the last week: the "stays shortlisted" emails (sent once).
    recent_juries = Panel.objects.filter(
        kind=PanelKind.JURY, released_at__gt=now - timedelta(days=7), cycle__medals_of_honor=False
    )
    for panel in recent_juries:
        notify_jury_decision.delay(panel.pk)
        count += 1
    return count
