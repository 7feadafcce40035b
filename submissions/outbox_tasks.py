"""The outbox's tasks: send one queued email (retried on SMTP/OS errors), sweep the
queue for emails a lost message left behind, and remind cities (drafts before the
final deadline, unanswered clarifications). All idempotent: send-once keys."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from .models import SentEmail
from .services.emails import email_deliver
from .services.reminders import city_reminders_send

logger = logging.getLogger(__name__)

# A queued email older than this was lost on the way to the worker.
OUTBOX_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 1000


# One open backend connection per worker process, reused from task to task: opening
# an SMTP connection (TLS) for every email would cap a worker at a few per second.
_backend = {"key": None, "connection": None}


def _connection():
    key = (
        settings.EMAIL_BACKEND,
        getattr(settings, "EMAIL_HOST", ""),
        getattr(settings, "EMAIL_PORT", ""),
        getattr(settings, "EMAIL_FILE_PATH", ""),
    )
    if _backend["key"] != key or _backend["connection"] is None:
        _drop_connection()
        connection = get_connection()
        connection.open()
        _backend.update(key=key, connection=connection)
    return _backend["connection"]


def _drop_connection():
    connection, _backend["connection"] = _backend["connection"], None
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a broken connection is dropped either way
            logger.info("Closing the mail connection failed", exc_info=True)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),  # smtplib.SMTPException is an OSError
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_outbound_email(email_id: int) -> bool:
    """Send one outbox row; nothing when it is already sent."""
    try:
        return email_deliver(email_id=email_id, connection=_connection())
    except Exception:
        _drop_connection()  # the server may have closed it: the retry opens a new one
        raise


@shared_task
def sweep_outbox() -> int:
    """Re-dispatch queued emails that no worker sent. Returns how many."""
    cutoff = timezone.now() - OUTBOX_GRACE
    stuck = SentEmail.objects.filter(state=SentEmail.State.QUEUED, queued_at__lt=cutoff)
    ids = list(stuck.order_by("queued_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    for email_id in ids:
        send_outbound_email.delay(email_id)
    return len(ids)


@shared_task(acks_late=True)
def send_city_reminders() -> int:
    """Daily: remind cities of unsubmitted drafts and unanswered clarifications."""
    return city_reminders_send()
