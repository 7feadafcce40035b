"""Inserting a row under a unique key that another process may have taken first."""

import contextlib
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.db.models import Model


def insert_unless_taken(create: Callable[[], Model]) -> Model | None:
    """``create()``'s new row, or None when its unique key is already taken (by an
    earlier run, or by another worker at the same moment).

    The insert is tried first rather than a lookup, because the key is almost always
    free: one round trip. Inside a transaction a savepoint keeps the transaction usable
    after a duplicate key; outside one (a task) the insert is its own transaction and
    needs no BEGIN and COMMIT."""
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard:
            return create()
    except IntegrityError:
        return None
