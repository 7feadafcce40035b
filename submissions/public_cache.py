"""The cache of the public site's published content.

Published results change only when the Secretariat publishes, imports or edits them, so
the public pages keep their data (and their heavy HTML fragments) in Django's cache
under keys that carry a *generation*: one number, kept in the cache itself, that every
service changing what the public sees replaces (``public_cache_bump``). A new
generation makes every older key unreachable at once, nothing is deleted one by one,
and the old entries expire on their own.

Keys also carry the active language (pages are translated) and whatever else the
content depends on (the cycle's number, the entry, the host of absolute links). Never
anything per visitor: the signed-in menu, the CSRF token and the vote's challenge are
rendered for each request around the cached parts.

The cache must be shared by every web process and worker (Redis when ``REDIS_URL`` is
set): with the per-process default, a publication made in one process is seen by the
others only when their entries expire (``TIMEOUT``).
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
# A backstop for edits made outside the services (the admin, a shell): entries live this
# long at most, whatever the generation. A rush re-renders a page once per period.
TIMEOUT = 600

_MISSING = object()


def _new_generation() -> int:
    # Never a number used before, even after the cache lost the key (a restart, an
    # eviction): a counter starting again at 1 would find the old entries of 1.
    return time.time_ns()


def public_generation() -> int:
    """The current generation of the published content (one cache read)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def public_cache_bump() -> None:
    """Make every cached public page and datum stale.

    Called by each service that changes what the public sees. It bumps now and again
    once the transaction commits: a page rendered between the two (from data not yet
    committed, under the first new generation) is then never served again. After the
    commit it also queues the build of the open-data files of the new generation.
    """
    cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    transaction.on_commit(_bump_committed, robust=True)


def _bump_committed() -> None:
    cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    # The open-data files of the new generation (submissions.services.open_data); the
    # downloads stream until they exist. Imported here: the services import this module.
    from submissions.services.open_data import open_data_files_refresh

    open_data_files_refresh()


def public_cache_key(name: str, *parts: Any, generation: int | None = None) -> str:
    """The cache key of ``name`` for ``parts`` in the current generation and language."""
    generation = public_generation() if generation is None else generation
    return ":".join(["public", str(generation), get_language() or "", name, *map(str, parts)])


def public_cached(
    name: str, *parts: Any, build: Callable[[], Any], generation: int | None = None
) -> Any:
    """``build()``'s result, from the cache when this generation already has it.

    ``None`` is cached too (e.g. "this cycle is not published"), so that a missing page
    costs no query either. ``build`` must return something picklable and identical for
    every visitor. A view that caches several parts reads the generation once and
    passes it to each, so that its parts all come from the same generation.
    """
    key = public_cache_key(name, *parts, generation=generation)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout=TIMEOUT)
    return value


def bumps_public_cache(service: Callable) -> Callable:
    """Decorate a service that changes what the public sees: once it has returned (its
    transaction committed, or on the outer one's commit), the public cache is stale.
    A service that raises changes nothing and bumps nothing."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        public_cache_bump()
        return result

    return wrapper
