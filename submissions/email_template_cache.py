"""The Secretariat's email wordings (``EmailTemplate``), kept in each process.

Every email looks up the wording of its message in its recipient's language; a worker
sending thousands of emails would otherwise ask the database the same question each
time. The table is small (messages × languages), so a process reads it whole once and
keeps it under a *generation*: a number kept in Django's cache (Redis, shared by every
web process and worker, when ``REDIS_URL`` is set), replaced whenever a wording is
saved or deleted (``post_save``/``post_delete`` of ``EmailTemplate``: the console's
services, the admin, a shell). Each lookup reads the generation (one cache read, no
query) and reloads the table when it changed.

Correctness:

- The generation is replaced at the write and again when its transaction commits, so
  a process that read the table between the two (still the old rows) reads it again.
- Only committed rows are kept: inside a transaction (``atomic``) the lookup asks the
  database, since the rows it sees there may still be rolled back.
- A write the signals do not see (``QuerySet.update``, raw SQL) is picked up after at
  most ``MAX_AGE`` seconds.
"""

import time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from submissions.models import EmailTemplate

GENERATION_KEY = "emails:templates:generation"
MAX_AGE = 60.0

_kept: dict = {"generation": None, "read_at": 0.0, "rows": {}}


def _new_generation() -> int:
    return time.time_ns()  # never a number used before, even after the cache lost it


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def email_templates_changed() -> None:
    """Make every process read the wordings again (now, and after commit)."""
    _kept["generation"] = None
    cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, _new_generation(), timeout=None))


@receiver(post_save, sender=EmailTemplate, dispatch_uid="email_templates_saved")
@receiver(post_delete, sender=EmailTemplate, dispatch_uid="email_templates_deleted")
def _email_template_written(sender, **kwargs) -> None:
    email_templates_changed()


def email_template_get(key: str, language: str) -> EmailTemplate | None:
    """The Secretariat's wording of message ``key`` in ``language``, or None (the
    shipped default). No query while the kept wordings are current."""
    if connection.in_atomic_block:
        return EmailTemplate.objects.filter(key=key, language=language).first()
    generation = _generation()
    if _kept["generation"] != generation or time.monotonic() - _kept["read_at"] > MAX_AGE:
        read_at = time.monotonic()
        rows = {(t.key, t.language): t for t in EmailTemplate.objects.all()}
        _kept.update(generation=generation, read_at=read_at, rows=rows)
    return _kept["rows"].get((key, language))
