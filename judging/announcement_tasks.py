"""Sending announcements: resolve the recipients once, then one task per email.

``send_announcement`` is idempotent: run again (a redelivered message after a worker
died), it resolves nothing new and dispatches only the rows still queued."""

from celery import shared_task

from submissions.outbox_tasks import send_outbound_email

from .services.announcements import announcement_resolve, announcements_due


@shared_task(acks_late=True)
def send_announcement(announcement_id: int) -> int:
    """Resolve an announcement's recipients and dispatch each queued email."""
    ids = announcement_resolve(announcement_id=announcement_id)
    for email_id in ids:
        send_outbound_email.delay(email_id)
    return len(ids)


@shared_task
def send_due_announcements() -> int:
    """Beat: send the scheduled announcements whose time has come."""
    due = announcements_due()
    for announcement_id in due:
        send_announcement.delay(announcement_id)
    return len(due)
