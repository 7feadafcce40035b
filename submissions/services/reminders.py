"""Automatic reminders to cities: drafts not submitted as the final deadline nears
(``Cycle.draft_reminder_days``, e.g. 14, 7 and 2 days before) and clarification
requests left unanswered (``Cycle.clarification_reminder_days`` after asking).

Each email has a send-once key, so the daily task may run any number of times.
Only the latest threshold passed is sent: a cycle whose deadline is two days away
when reminders start gets the two-day reminder, not all three.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import ClarificationRequest, Cycle, Submission
from ..workflow import Status
from .dispatch import dispatch_on_commit
from .emails import email_queue


def _members_by_organisation(organisation_ids) -> dict[int, list]:
    members: dict[int, list] = {}
    users = (
        get_user_model()
        .objects.filter(organisation_id__in=set(organisation_ids), is_active=True)
        .order_by("email")
    )
    for user in users:
        members.setdefault(user.organisation_id, []).append(user)
    return members


def _queue(key, user, template, context, queued: list) -> None:
    row, created = email_queue(
        key=key, to=user.email, template=template, context=context, recipient=user
    )
    if created:
        queued.append(row.pk)


def draft_threshold(cycle: Cycle, now) -> int | None:
    """The smallest reminder offset (days) already reached before the deadline."""
    if not cycle.final_deadline or now >= cycle.final_deadline:
        return None
    passed = [
        int(days)
        for days in (cycle.draft_reminder_days or [])
        if now >= cycle.final_deadline - timedelta(days=int(days))
    ]
    return min(passed) if passed else None


def city_reminders_send(*, now=None) -> int:
    """Queue the reminders due now and dispatch their sending. Returns how many."""
    from ..outbox_tasks import send_outbound_email

    now = now or timezone.now()
    queued: list[int] = []
    for cycle in Cycle.objects.filter(is_open=True, final_deadline__gt=now):
        days = draft_threshold(cycle, now)
        if days is None:
            continue
        drafts = list(
            Submission.objects.filter(cycle=cycle, status=Status.DRAFT, imported=False)
            .select_related("cycle", "organisation")
            .order_by("pk")
        )
        members = _members_by_organisation(d.organisation_id for d in drafts)
        days_left = max(1, (cycle.final_deadline - now).days)
        for draft in drafts:
            for user in members.get(draft.organisation_id, []):
                _queue(
                    f"draft-reminder:{draft.pk}:{days}:{user.pk}",
                    user,
                    "draft_reminder",
                    {"user": user, "submission": draft, "days_left": days_left},
                    queued,
                )
    pending = list(
        ClarificationRequest.objects.filter(
            answered_at__isnull=True, submission__status=Status.CLARIFICATION
        )
        .select_related("submission__cycle", "submission__organisation")
        .order_by("pk")
    )
    pending = [
        request
        for request in pending
        if request.asked_at
        <= now - timedelta(days=request.submission.cycle.clarification_reminder_days)
    ]
    members = _members_by_organisation(r.submission.organisation_id for r in pending)
    for request in pending:
        for user in members.get(request.submission.organisation_id, []):
            _queue(
                f"clarification-reminder:{request.pk}:{user.pk}",
                user,
                "clarification_reminder",
                {"user": user, "submission": request.submission, "clarification": request},
                queued,
            )
    for email_id in queued:
        dispatch_on_commit(send_outbound_email, email_id)
    return len(queued)
