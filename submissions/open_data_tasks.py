"""The open-data files: built once per publication generation and language."""

from celery import shared_task
from django.core.cache import cache

from submissions.retry import RETRY_ON_TRANSIENT_ERRORS
from submissions.services.open_data import (
    QUEUED,
    open_data_files_build,
    open_data_files_present,
    open_data_languages,
)


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def build_open_data_files(language: str) -> int | None:
    """Write the JSON and CSV files of the current generation in ``language``.
    Idempotent: files already there are not written again."""
    return open_data_files_build(language=language)


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def sweep_open_data_files() -> list[str]:
    """Queue a build of each language whose files of the current generation are
    missing. Sent after each publication's commit, and by Celery beat every minute (a
    lost message, a killed worker, an evicted generation). Returns those languages."""
    # From now on a new publication queues a new sweep (this one may look too early).
    cache.delete(QUEUED)
    missing = [lang for lang in open_data_languages() if not open_data_files_present(language=lang)]
    for language in missing:
        build_open_data_files.delay(language)
    return missing
