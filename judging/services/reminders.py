"""Reminding panel members of unfinished reviews, at most once a day each."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from submissions.services.emails import email_send_once

from ..models import Panel, PanelMember, ReminderLog

AWARD_ZONE = zoneinfo.ZoneInfo(settings.AWARD_TIME_ZONE)


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name or settings.AWARD_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return AWARD_ZONE


def award_today() -> dt.date:
    return timezone.now().astimezone(AWARD_ZONE).date()


def members_with_unfinished_work(panel: Panel):
    """Members with live assignments whose review is not submitted, annotated ``todo``."""
    unfinished = Q(assignments__state__in=["pending", "active"]) & (
        Q(assignments__review__isnull=True) | Q(assignments__review__submitted_at__isnull=True)
    )
    return (
        PanelMember.objects.filter(panel=panel)
        .annotate(todo=Count("assignments", filter=unfinished, distinct=True))
        .filter(todo__gt=0)
        .select_related("user")
    )


def reminders_due(panel: Panel, today: dt.date) -> bool:
    """Whether today falls in the reminder window before the panel's deadline."""
    if panel.closed_at or panel.scoring_deadline is None:
        return False
    deadline = panel.scoring_deadline.astimezone(AWARD_ZONE).date()
    return deadline - dt.timedelta(days=panel.reminder_days_before) <= today <= deadline


def reminders_send(*, panel: Panel, today: dt.date | None = None, by=None) -> int:
    """Email each member with unfinished reviews, once per day at most (a
    ``ReminderLog`` row per member and day). Staff (``by``) may send outside the
    window; the daily task sends only inside it. Returns how many were sent."""
    today = today or award_today()
    if panel.closed_at or (by is None and not reminders_due(panel, today)):
        return 0
    sent = 0
    queue_url = settings.SITE_URL + reverse("judging:reviewer_queue")
    for member in members_with_unfinished_work(panel):
        try:
            with transaction.atomic():
                ReminderLog.objects.create(member=member, sent_on=today)
                # The deadline in the email: Beijing time and the member's own zone.
                with timezone.override(_zone(member.user.time_zone)):
                    sent += email_send_once(
                        key=f"judging-reminder:{member.pk}:{today.isoformat()}",
                        to=member.user.email,
                        template="judging/email/reminder",
                        context={
                            "user": member.user,
                            "member": member,
                            "panel": panel,
                            "todo": member.todo,
                            "queue_url": queue_url,
                        },
                    )
        except IntegrityError:
            continue  # already reminded today
    return sent
