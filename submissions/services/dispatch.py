"""Dispatching Celery tasks after the database commit.

The database is the truth: if the broker is down, the work is redone by the
periodic sweeps, so a failed dispatch is logged and never shown to the user.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def dispatch_on_commit(task, *args) -> None:
    """Send ``task.delay(*args)`` once the current transaction commits."""

    def _send():
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 - any broker failure; the sweep redoes the work
            logger.exception(
                "Could not dispatch %s%r; the periodic sweep will retry", task.name, args
            )

    transaction.on_commit(_send)
