"""The cache of the public site's published content.

Published results change only when the Secretariat publishes, imports or edits them, so
the public pages keep their data (and their heavy HTML fragments) in Django's cache
under keys that carry a *generation*: one number, kept in the cache itself, that every
service changing what the public sees replaces (``public_cache_bump``). A new
generation makes every older key unreachable at once, nothing is deleted one by one,
and the old entries expire on their own.

Keys also carry the active language (pages are translated) and whatever else the
content depends on (the cycle's number, the entry, the host of absolute links). Never
anything per visitor.

For anonymous visitors the public pages are cached whole (``public_page``): what differs
from one visitor to the next (the CSRF token, the language switcher's return address,
the vote's challenge) is rendered as a marker and put in for each request. Signed-in
users (their menu) and visitors with a message waiting get the page rendered for them.

The cache must be shared by every web process and worker (Redis when ``REDIS_URL`` is
set): with the per-process default, a publication made in one process is seen by the
others only when their entries expire (``TIMEOUT``).
"""

import functools
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
# A backstop for edits made outside the services (the admin, a shell): entries live this
# long at most, whatever the generation. A rush re-renders a page once per period.
TIMEOUT = 600

_MISSING = object()

# The web process's own copy of what it read from the shared cache ("public_local", set
# up beside Redis in the settings): a key carries its generation, so what it names never
# changes and a copy cannot go stale on a publication; the generation itself is always
# read from the shared cache. Kept briefly, so that an edit made behind the services'
# back is not seen later than TIMEOUT plus this.
LOCAL_SECONDS = 60


def _local_cache():
    return caches["public_local"] if "public_local" in settings.CACHES else None


def _cache_get(key: str) -> Any:
    """The value of ``key``: from this process's copy, else from the shared cache (and
    copied); ``_MISSING`` when neither has it."""
    local = _local_cache()
    if local is not None:
        value = local.get(key, _MISSING)
        if value is not _MISSING:
            return value
    value = cache.get(key, _MISSING)
    if local is not None and value is not _MISSING:
        local.set(key, value, timeout=LOCAL_SECONDS)
    return value


def _cache_set(key: str, value: Any) -> None:
    cache.set(key, value, timeout=TIMEOUT)
    local = _local_cache()
    if local is not None:
        local.set(key, value, timeout=LOCAL_SECONDS)


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
    value = _cache_get(key)
    if value is _MISSING:
        value = build()
        _cache_set(key, value)
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


# The per-visitor parts of a cached page, as rendered into it (plain letters: they come
# through HTML escaping unchanged). ``base.html`` takes them from the context.
CSRF_HOLE = "public-page-csrf-token-hole"
NEXT_HOLE = "public-page-next-path-hole"


def public_page(
    request,
    *parts: Any,
    render: Callable[[dict], HttpResponse],
    generation: int | None = None,
    holes: dict[str, Callable[[], str]] | None = None,
) -> HttpResponse:
    """The page ``render(extra_context)`` makes: for an anonymous visitor with no message
    waiting, rendered once per generation, language, address and ``parts`` (what else
    the content depends on; never the query string, which the caller turns into
    ``parts`` when it matters, so that no visitor can fill the cache with variants).

    The cached HTML carries markers where each visitor's own text goes: the CSRF token,
    the language switcher's return address and ``holes`` (marker -> a function giving
    this request's HTML, already escaped). Only a 200 page is kept."""
    if not _same_for_every_visitor(request):
        return render({})
    # The scheme and host too: pages carry absolute links (canonical address, image).
    key = public_cache_key(
        "page", request.scheme, request.get_host(), request.path, *parts, generation=generation
    )
    fills = {
        CSRF_HOLE: lambda: get_token(request),
        NEXT_HOLE: lambda: escape(request.get_full_path()),
        **(holes or {}),
    }
    html = _cache_get(key)
    if html is _MISSING:
        response = render({"csrf_token": CSRF_HOLE, "switcher_next": NEXT_HOLE})
        if response.status_code != 200 or response.streaming:
            # A redirect, an error page: this visitor's, with its own headers.
            if not response.streaming:
                response.content = _filled(response.content.decode(response.charset), fills)
            return response
        html = response.content.decode(response.charset)
        _cache_set(key, html)
    return HttpResponse(_filled(html, fills))


def _filled(html: str, fills: dict[str, Callable[[], str]]) -> str:
    """``html`` with each marker replaced by its fill, in one pass: a fill that happens to
    contain a marker (the visitor's return address is theirs to write) is never filled
    in turn."""
    found = [hole for hole in fills if hole in html]
    if not found:
        return html
    texts = {hole: fills[hole]() for hole in found}
    pattern = re.compile("|".join(map(re.escape, found)))
    return pattern.sub(lambda match: texts[match.group()], html)


def _same_for_every_visitor(request) -> bool:
    """Whether the page ``request`` asks for is the one every anonymous visitor sees."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # Read without marking them shown: the page rendered for the visitor shows them.
        and not len(get_messages(request))
    )
