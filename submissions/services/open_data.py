"""The open data: every published initiative as one JSON document and one CSV table.

The documents are written record by record (memory does not grow with the database),
either straight into a streamed response (a filtered download, or the whole database
before its files exist) or, once per generation of the public content
(``submissions.public_cache``) and per language, into files in the default storage
that the download views then serve without reading the database.

A file is named by the generation it was built in, so it is served only while that
generation is current: a publication makes it unreachable at once (the view streams
until the next file exists, nothing is ever stale). Its bytes are those of the
streamed download of the same generation, language and site address.
"""

import contextlib
import csv
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from submissions.public_cache import public_generation
from submissions.selectors.public import (
    OPEN_DATA_FIELDS,
    DatabaseFilters,
    open_data_batches,
    submission_search_published,
)
from submissions.spreadsheets import spreadsheet_safe

logger = logging.getLogger(__name__)

# Rows read and encoded per round trip: memory does not grow with the database, and
# each chunk of bytes sent or written holds this many records.
OPEN_DATA_CHUNK = 500

# The storage folder of the built files: ``initiatives-<generation>-<language>.<format>``.
FOLDER = "open-data"
# format: (Content-Type, the name the download is saved under)
FORMATS = {
    "json": ("application/json", "guangzhou-award-initiatives.json"),
    "csv": ("text/csv; charset=utf-8", "guangzhou-award-initiatives.csv"),
}
# One build per language at a time (a rush of publications queues no pile of builds);
# the lock outlives a killed worker by at most the task's time limit.
_LOCK = "open-data:building:{language}"
# Set while a sweep is queued and not started: later bumps send none. A lost message
# holds them back this long at most (the beat sweep runs every minute meanwhile).
QUEUED = "open-data:queued"
QUEUED_TIMEOUT = 60
# Files are rebuilt (in place) after this long even when no service bumped the
# generation: an edit made outside the services (the admin, a shell) reaches the
# downloads within this time plus the sweep's minute (the pages: public_cache.TIMEOUT).
REBUILD_AFTER = timedelta(hours=1)
# A temporary file left by a killed build is deleted after this long.
_STALE_PART = timedelta(hours=1)


def open_data_site_url() -> str:
    """The address the built files' links start with (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/")


def open_data_licence(base_url: str) -> dict:
    """The licence fields heading the JSON document, for a site at ``base_url``."""
    return {
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "data_dictionary": base_url + reverse("public:open_data"),
    }


@contextlib.contextmanager
def _one_snapshot():
    """A read of the count and of the rows in one snapshot of the database (Postgres:
    REPEATABLE READ), so that a publication during a download cannot make the count
    disagree with the records. Inside an outer transaction (tests) that one is used."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def open_data_json_chunks(qs: QuerySet, *, head: dict, base_url: str) -> Iterator[str]:
    """The JSON document JsonResponse gave for ``{**head, "count": n, "initiatives":
    [...]}``, byte for byte, written record by record."""
    encoder = DjangoJSONEncoder
    with _one_snapshot():
        document = json.dumps({**head, "count": qs.count()}, cls=encoder)
        yield document[:-1] + ', "initiatives": ['
        separator = ""
        for batch in open_data_batches(qs, base_url=base_url, size=OPEN_DATA_CHUNK):
            yield separator + ", ".join(json.dumps(row, cls=encoder) for row in batch)
            separator = ", "
        yield "]}"


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, value: str) -> str:
        return value


def open_data_csv_chunks(qs: QuerySet, *, base_url: str) -> Iterator[str]:
    """The CSV table of ``qs``'s initiatives (spreadsheet-safe cells), chunk by chunk."""
    writer = csv.DictWriter(_Line(), fieldnames=OPEN_DATA_FIELDS)
    yield writer.writeheader()
    for batch in open_data_batches(qs, base_url=base_url, size=OPEN_DATA_CHUNK):
        lines = []
        for row in batch:
            row = {
                **row,
                "sdgs": " ".join(str(g) for g in row["sdgs"]),
                "domains": " ".join(row["domains"]),
            }
            lines.append(
                writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
            )
        yield "".join(lines)


def open_data_file_name(*, generation: int, language: str, fmt: str) -> str:
    """The storage name of the whole database's ``fmt`` file of that generation."""
    return f"{FOLDER}/initiatives-{generation}-{language}.{fmt}"


def _generation_and_language(name: str) -> tuple[int, str] | None:
    """The generation and language in a built file's name; None for anything else."""
    parts = name.rsplit(".", 1)[0].split("-", 2)  # the language may hold a dash
    if len(parts) != 3 or parts[0] != "initiatives" or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2]


def _store(name: str, chunks: Iterable[str]) -> None:
    """Write ``chunks`` (UTF-8) under ``name`` so that no reader ever sees part of it:
    on a file system into a temporary file of the same folder, then renamed over the
    name (atomic); on an object store (S3) with one upload, which shows the object
    only once it is whole."""
    storage = default_storage
    try:
        final = storage.path(name)
    except NotImplementedError:
        final = None
    if final is not None:
        os.makedirs(os.path.dirname(final), exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=os.path.dirname(final), prefix=".building-", suffix=".part", delete=False
        ) as part:
            try:
                for chunk in chunks:
                    part.write(chunk.encode())
            except BaseException:
                os.unlink(part.name)
                raise
        os.replace(part.name, final)
        return
    with tempfile.TemporaryFile() as local:
        for chunk in chunks:
            local.write(chunk.encode())
        local.seek(0)
        # ``_save``, not ``save``: a rebuild replaces the object under its own name
        # (``save`` would pick another name for a name that exists).
        storage._save(name, File(local, name=os.path.basename(name)))


def _delete_older(*, language: str, generation: int) -> None:
    """Delete the language's files of generations before ``generation`` (unreachable
    since), and temporary files a killed build left behind."""
    storage = default_storage
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    stale = timezone.now() - _STALE_PART
    for file in files:
        name = f"{FOLDER}/{file}"
        if file.endswith(".part"):
            with contextlib.suppress(OSError):
                if storage.get_modified_time(name) < stale:
                    storage.delete(name)
            continue
        built = _generation_and_language(file)
        if built is not None and built[0] < generation and built[1] == language:
            with contextlib.suppress(FileNotFoundError):
                storage.delete(name)


def _fresh(name: str) -> bool:
    if not default_storage.exists(name):
        return False
    try:
        return default_storage.get_modified_time(name) > timezone.now() - REBUILD_AFTER
    except FileNotFoundError:  # deleted in between (a newer generation's build)
        return False


def open_data_files_present(*, language: str, generation: int | None = None) -> bool:
    """Whether every file of ``language`` exists for the (current) generation, written
    less than ``REBUILD_AFTER`` ago."""
    generation = public_generation() if generation is None else generation
    return all(
        _fresh(open_data_file_name(generation=generation, language=language, fmt=fmt))
        for fmt in FORMATS
    )


def open_data_files_build(*, language: str) -> int | None:
    """Write the whole database's JSON and CSV files of the current generation in
    ``language`` (links to ``settings.SITE_URL``), then delete the language's files of
    older generations. Returns the generation built; None when its files were there
    already or another build of the language is running (the sweep comes back).

    Idempotent (files older than ``REBUILD_AFTER`` are written again, in place). The
    generation is read before the data: a publication committed
    during the build moves the generation on, and the file (maybe without it) is
    never served.
    """
    lock = _LOCK.format(language=language)
    if not cache.add(lock, 1, timeout=settings.CELERY_TASK_TIME_LIMIT):
        return None
    try:
        generation = public_generation()
        if open_data_files_present(language=language, generation=generation):
            return None
        base_url = open_data_site_url()
        qs = submission_search_published(DatabaseFilters())
        with translation.override(language):
            with _one_snapshot():
                _store(
                    open_data_file_name(generation=generation, language=language, fmt="json"),
                    open_data_json_chunks(qs, head=open_data_licence(base_url), base_url=base_url),
                )
                _store(
                    open_data_file_name(generation=generation, language=language, fmt="csv"),
                    open_data_csv_chunks(qs, base_url=base_url),
                )
        _delete_older(language=language, generation=generation)
        return generation
    finally:
        cache.delete(lock)


def open_data_languages() -> list[str]:
    """The languages the files are built in: every language of the site."""
    return [code for code, _name in settings.LANGUAGES]


def open_data_files_refresh() -> None:
    """Queue the sweep that builds the files of the current generation (called when
    the public content changed, after the commit): one message, whatever the number of
    languages, and none while a sweep is queued and not started yet. A broker that is
    down is logged: the periodic sweep builds them."""
    from submissions.open_data_tasks import sweep_open_data_files

    if not cache.add(QUEUED, 1, timeout=QUEUED_TIMEOUT):
        return
    try:
        sweep_open_data_files.delay()
    except Exception:  # noqa: BLE001 - any broker failure; the beat sweep builds them
        cache.delete(QUEUED)
        logger.exception("Could not queue the open-data files; the periodic sweep will")
