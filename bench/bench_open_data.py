"""Memory and time of the open-data downloads: streamed, served from the files built
at publication, and against the former in-memory build. Not part of the test run.

It builds a throwaway test database (SQLite, or Postgres with DATABASE_URL), imports
SIZE initiatives over seven published cycles with run_bench's generator, then downloads
the whole database as JSON and as CSV through the test client, reading the stream
chunk by chunk as a WSGI server does, under tracemalloc. "extra" is the peak of Python
memory allocated during the download, above what was allocated before it.

Then it builds the files of the current publication generation (every language, as
the task does after a publication) and downloads them again: "held_seconds" is how long
the view holds the request before handing the open file to the server (which sends it
with sendfile where it can); "seconds" reads the file through Python in the test
client's blocks, an upper bound of what a server without sendfile spends.

    .venv/bin/python bench/bench_open_data.py --size 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_open_data.py --size 20000
"""

import argparse
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import FileResponse, JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from run_bench import build_csv  # noqa: E402  (sets Django up)

from submissions.models import Cycle  # noqa: E402
from submissions.public_cache import public_cache_bump  # noqa: E402
from submissions.selectors.public import (  # noqa: E402
    open_data_batches,
    submission_list_published,
)
from submissions.services.importing import initiatives_import  # noqa: E402
from submissions.services.open_data import (  # noqa: E402
    QUEUED,
    open_data_files_build,
    open_data_languages,
)
from tests.factories import secretariat_user  # noqa: E402

TARGET_EXTRA_MB = 20
# The longest a download may hold a worker (the target), with the file present.
TARGET_HELD_SECONDS = 1.0


def _measure(download) -> tuple[float, float, int]:
    """(seconds, peak extra MB, bytes) of ``download()``, which returns a byte count."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    size = download()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, (peak - base) / 1024 / 1024, size


def _streamed(client, url):
    def download():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return sum(len(chunk) for chunk in response.streaming_content)

    return download


def _held(client, url):
    """Seconds until the view returns the response (the file not read yet)."""
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    assert isinstance(response, FileResponse), "the stored file was not served"
    response.close()
    return seconds


def _former_json():
    """What database_json did before: every record in a list, then one JsonResponse."""
    rows = [
        row
        for batch in open_data_batches(submission_list_published(), base_url="http://testserver")
        for row in batch
    ]
    return len(JsonResponse({"count": len(rows), "initiatives": rows}).content)


def _timed_only(download) -> float:
    started = time.perf_counter()
    download()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--former", action="store_true", help="measure the former build too")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    rng = random.Random(2026)
    figures = {"database": connection.vendor}
    # The test client's address is the site's: the built files' links are the same.
    site = override_settings(SITE_URL="http://testserver")
    site.enable()
    try:
        staff = secretariat_user()
        per_cycle = args.size // 7
        started = time.perf_counter()
        # Each import bumps the public generation; its files are built once, below.
        cache.set(QUEUED, 1, timeout=None)
        for number in range(1, 8):
            initiatives_import(text=build_csv(per_cycle, rng), cycle_number=number, by=staff)
        cache.delete(QUEUED)
        Cycle.objects.update(results_published_at=timezone.now())
        figures["initiatives"] = per_cycle * 7
        figures["import_seconds"] = round(time.perf_counter() - started, 1)
        client = Client()
        _streamed(client, "/database/initiatives.json")()  # warm up (imports, caches)
        for name, download in {
            "json": _streamed(client, "/database/initiatives.json"),
            "csv": _streamed(client, "/database/initiatives.csv"),
            **({"former_json": _former_json} if args.former else {}),
        }.items():
            seconds, extra_mb, size = _measure(download)
            figures[name] = {
                "seconds_traced": round(seconds, 2),
                "seconds": round(_timed_only(download), 2),
                "peak_extra_mb": round(extra_mb, 1),
                "mb_sent": round(size / 1024 / 1024, 1),
            }
        # What the task does after a publication: every language's JSON and CSV.
        builds = {}
        for language in open_data_languages():
            started = time.perf_counter()
            open_data_files_build(language=language)
            builds[language] = round(time.perf_counter() - started, 2)
        figures["build_seconds_per_language"] = builds
        # Once more under tracemalloc, in a new generation (whose build is not queued).
        cache.set(QUEUED, 1, timeout=None)
        public_cache_bump()
        cache.delete(QUEUED)
        _seconds, extra_mb, _generation = _measure(lambda: open_data_files_build(language="en"))
        figures["build_peak_extra_mb"] = round(extra_mb, 1)
        for name, url in {
            "json": "/database/initiatives.json",
            "csv": "/database/initiatives.csv",
        }.items():
            download = _streamed(client, url)
            seconds, extra_mb, size = _measure(download)
            figures[f"{name}_from_file"] = {
                "held_seconds": round(min(_held(client, url) for _ in range(5)), 4),
                "seconds": round(_timed_only(download), 3),
                "peak_extra_mb": round(extra_mb, 2),
                "mb_sent": round(size / 1024 / 1024, 1),
            }
    finally:
        site.disable()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(figures, indent=2))
    missed = [
        name
        for name in ("json", "csv", "json_from_file", "csv_from_file")
        if figures.get(name, {}).get("peak_extra_mb", 0) > TARGET_EXTRA_MB
    ]
    if missed:
        print(f"MISSED: peak extra memory above {TARGET_EXTRA_MB} MB for {missed}")
    held = [
        name
        for name in ("json_from_file", "csv_from_file")
        if figures[name]["held_seconds"] > TARGET_HELD_SECONDS
    ]
    if held:
        print(f"MISSED: a download from the file held the request over {TARGET_HELD_SECONDS} s")
    return 1 if missed or held else 0


if __name__ == "__main__":
    sys.exit(main())
