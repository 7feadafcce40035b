"""The Celery application: tasks are discovered in each app's tasks.py."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.local")

app = Celery("awardportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def check_reused_database_connections(sender=None, **kwargs) -> None:
    """Before each task in a worker, have a kept connection checked before its next query.

    Workers reuse their database connection (``CELERY_DB_REUSE_MAX``): one the server
    dropped meanwhile (a restart, a failover, ``pg_terminate_backend``) must be
    reopened, not fail the task. With ``CONN_HEALTH_CHECKS`` Django checks it lazily
    (a task that does not touch the database pays nothing); otherwise it is checked here.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is None or conn.in_atomic_block:
            continue
        if conn.settings_dict.get("CONN_HEALTH_CHECKS"):
            conn.health_check_done = False  # as Django does at the start of a request
        elif not conn.is_usable():
            conn.close()
