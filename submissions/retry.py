"""How the portal's tasks retry a transient failure.

A mail server that refuses a connection (``OSError``) and a database connection that
drops (Django's ``OperationalError``/``InterfaceError``: a failover, a restart, a
terminated backend) are retried with exponential backoff and jitter, so a blip
costs seconds instead of waiting for the sweep. Workers reuse their connection, and
it is checked before each task (``awardportal.celery_app``), so the retry (and any
later task) runs on a fresh one.
"""

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)

# Keyword arguments for ``@shared_task``: up to 5 retries, 1 s, 2 s, 4 s... at most 30 s.
RETRY_ON_TRANSIENT_ERRORS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 5,
}
