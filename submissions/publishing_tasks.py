"""Publishing at a scheduled time (Celery beat, every minute)."""

from celery import shared_task

from submissions.retry import RETRY_ON_TRANSIENT_ERRORS
from submissions.services.publishing import cycle_publish_due


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def publish_scheduled_results() -> list[int]:
    """Publish the cycles whose ``results_publish_at`` has passed. Idempotent: a
    published cycle is never published again."""
    return cycle_publish_due()
