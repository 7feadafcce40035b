"""Export tasks: build a requested export's file (idempotent)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from judging.models import ExportJob
from submissions.retry import RETRY_ON_TRANSIENT_ERRORS


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def run_export_job(job_id: int) -> str:
    """Build export ``job_id``'s file; running twice builds it once."""
    from judging.exports import export_job_run

    job = export_job_run(job=ExportJob.objects.get(pk=job_id))
    return job.status


@shared_task
def sweep_export_jobs() -> int:
    """Re-dispatch waiting jobs the broker may have lost (not scheduled by default)."""
    cutoff = timezone.now() - timedelta(minutes=5)
    count = 0
    waiting = ExportJob.objects.filter(status=ExportJob.Status.PENDING, created_at__lt=cutoff)
    for job_id in waiting.values_list("pk", flat=True):
        run_export_job.delay(job_id)
        count += 1
    return count
