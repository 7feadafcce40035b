"""The whole database's open-data files: built once per publication generation and
language, served without reading the database, replaced at the next publication, and
the download streamed whenever the current file is not there (never stale)."""

import os
import urllib.request
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.open_data_tasks import sweep_open_data_files
from submissions.public_cache import public_cache_bump, public_generation
from submissions.services import open_data
from submissions.services.open_data import (
    FOLDER,
    QUEUED,
    open_data_file_name,
    open_data_files_build,
    open_data_files_present,
)
from submissions.services.publishing import cycle_publish_results
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry, published_cycle
from tests.submissions.test_dispatch import broker_down  # noqa: F401 - fixture
from tests.test_storage import s3_endpoint, s3_storage  # noqa: F401 - fixtures

S = Status
URLS = {"json": "public:database_json", "csv": "public:database_csv"}
LANGUAGES = ["en", "zh-hans", "fr", "es"]


@pytest.fixture
def site(settings):
    """The test client's address is the site's: the files' links are the same."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def published(db, site, monkeypatch):
    monkeypatch.setattr(open_data, "OPEN_DATA_CHUNK", 2)  # several chunks per file
    cycle = published_cycle(number=6)
    for n, status in enumerate([S.WINNER, S.MEDAL_OF_HONOR, S.DESERVING, S.NOT_SELECTED]):
        entry(
            cycle=cycle,
            status=status,
            country=["KE", "CN", "FR"][n % 3],
            goals=[6, 11],
            title=f'Entrée n°{n} «quoted» "x", y',
            abstract="Line one,\nline two; 水 and ü.",
            citation="=cmd|' /C calc'!A0" if n == 1 else "",
        )
    return cycle


def _name(fmt: str, language: str = "en", generation: int | None = None) -> str:
    generation = public_generation() if generation is None else generation
    return open_data_file_name(generation=generation, language=language, fmt=fmt)


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _download(client, fmt: str, **extra):
    response = client.get(reverse(URLS[fmt]), **extra)
    assert response.status_code == 200
    return response, _body(response)


def _stored_files() -> list[str]:
    try:
        return sorted(default_storage.listdir(FOLDER)[1])
    except FileNotFoundError:
        return []


def test_publication_builds_every_language_s_files_after_the_commit(
    published, secretariat, django_capture_on_commit_callbacks
):
    cycle = factories.CycleFactory(number=7, jury_report_signed_at=timezone.now())
    entry(cycle=cycle, status=S.WINNER, title="Rain gardens")

    with django_capture_on_commit_callbacks(execute=True):
        cycle_publish_results(cycle=cycle, by=secretariat)

    for language in LANGUAGES:
        assert open_data_files_present(language=language)
    with default_storage.open(_name("json")) as file:
        assert b"Rain gardens" in file.read()
    assert not [name for name in _stored_files() if name.endswith(".part")]


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_stored_file_is_the_streamed_download_byte_for_byte(client, published, fmt, language):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    streamed_response, streamed = _download(client, fmt, **headers)
    assert isinstance(streamed_response, StreamingHttpResponse)

    open_data_files_build(language=language)
    stored_response, stored = _download(client, fmt, **headers)

    assert isinstance(stored_response, FileResponse)
    assert stored == streamed
    for header in ("Content-Type", "Content-Disposition", "Link"):
        assert stored_response[header] == streamed_response[header], header
    assert stored_response["Content-Length"] == str(len(stored))
    assert stored_response["Cache-Control"] == "no-cache"
    mtime = os.stat(default_storage.path(_name(fmt, language))).st_mtime_ns
    assert stored_response["ETag"] == f'"{public_generation()}-{language}-{fmt}-{mtime}"'


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_stored_file_is_served_without_a_query(client, published, fmt):
    open_data_files_build(language="en")

    with CaptureQueriesContext(connection) as ctx:
        response, body = _download(client, fmt)

    assert isinstance(response, FileResponse)
    assert body.count(b"Entr") == 4
    assert ctx.captured_queries == []


def test_unchanged_stored_file_answers_not_modified(client, published):
    open_data_files_build(language="en")
    etag = client.get(reverse(URLS["json"]))["ETag"]

    response = client.get(reverse(URLS["json"]), HTTP_IF_NONE_MATCH=etag)

    assert (response.status_code, response.content) == (304, b"")


def test_next_publication_replaces_the_files_and_deletes_the_old_ones(
    client, published, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public_cache_bump()
    first = public_generation()
    old = {_name(fmt, language, first) for fmt in ("json", "csv") for language in LANGUAGES}
    assert old <= {f"{FOLDER}/{name}" for name in _stored_files()}
    cycle = factories.CycleFactory(number=7, jury_report_signed_at=timezone.now())
    entry(cycle=cycle, status=S.WINNER, title="Rain gardens")

    with django_capture_on_commit_callbacks(execute=True):
        cycle_publish_results(cycle=cycle, by=secretariat)

    assert public_generation() != first
    new = {_name(fmt, language) for fmt in ("json", "csv") for language in LANGUAGES}
    assert {f"{FOLDER}/{name}" for name in _stored_files()} >= new
    assert not old & {f"{FOLDER}/{name}" for name in _stored_files()}
    for fmt in ("json", "csv"):
        response, body = _download(client, fmt)
        assert isinstance(response, FileResponse)
        assert b"Rain gardens" in body


def test_download_streams_while_the_current_file_is_missing(client, published):
    open_data_files_build(language="en")
    public_cache_bump()  # a publication whose files are not built yet

    response, body = _download(client, "json")

    assert isinstance(response, StreamingHttpResponse)
    assert body.count(b"Entr") == 4


@pytest.mark.parametrize(
    ("params", "host"), [({"cycle": "6"}, "testserver"), ({}, "other.example")]
)
def test_search_or_another_address_streams_instead_of_the_file(
    client, published, settings, params, host
):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    open_data_files_build(language="en")

    response = client.get(reverse(URLS["json"]), params, HTTP_HOST=host)

    assert isinstance(response, StreamingHttpResponse)
    assert f"http://{host}/".encode() in _body(response)


def test_building_twice_builds_once(published):
    assert open_data_files_build(language="en") == public_generation()
    assert open_data_files_build(language="en") is None


def test_a_failed_write_leaves_no_file_and_no_part(published):
    def failing():
        yield "{"
        raise RuntimeError("the database went away")

    name = _name("json")
    with pytest.raises(RuntimeError):
        open_data._store(name, failing())

    assert not default_storage.exists(name)
    assert not [file for file in _stored_files() if file.endswith(".part")]


def test_sweep_builds_the_missing_languages_only(published):
    open_data_files_build(language="fr")

    assert sweep_open_data_files() == ["en", "zh-hans", "es"]
    assert sweep_open_data_files() == []
    for language in LANGUAGES:
        assert open_data_files_present(language=language)


@pytest.mark.django_db
def test_on_an_object_store_the_download_redirects_to_the_signed_object(
    client,
    published,  # before the store: the settings' overrides are undone in order
    s3_storage,  # noqa: F811 - the fixture
):
    streamed = _download(client, "csv")[1]
    open_data_files_build(language="en")

    response = client.get(reverse(URLS["csv"]))

    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    with urllib.request.urlopen(response["Location"]) as stored:  # noqa: S310 - moto
        assert stored.read() == streamed
        assert stored.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert stored.headers["Content-Disposition"] == (
            'attachment; filename="guangzhou-award-initiatives.csv"'
        )


def test_publication_while_a_sweep_is_queued_queues_no_other(
    published, django_capture_on_commit_callbacks
):
    cache.add(QUEUED, 1, timeout=60)  # a sweep queued, not started yet

    with django_capture_on_commit_callbacks(execute=True):
        public_cache_bump()

    assert not open_data_files_present(language="en")
    cache.delete(QUEUED)


def test_publication_with_the_broker_down_is_logged_and_left_to_the_sweep(
    broker_down,  # noqa: F811 - the fixture
    published,
    django_capture_on_commit_callbacks,
    caplog,
):
    with django_capture_on_commit_callbacks(execute=True):
        public_cache_bump()

    assert not open_data_files_present(language="en")
    assert cache.get(QUEUED) is None  # the next publication tries again
    assert "the periodic sweep will" in caplog.text


def test_files_older_than_the_rebuild_age_are_written_again_in_place(published, settings):
    open_data_files_build(language="en")
    name = _name("json")
    old = timezone.now() - open_data.REBUILD_AFTER - timedelta(minutes=1)
    os.utime(default_storage.path(name), (old.timestamp(), old.timestamp()))
    assert not open_data_files_present(language="en")

    assert open_data_files_build(language="en") == public_generation()

    assert open_data_files_present(language="en")
