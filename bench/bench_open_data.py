"""Memory and time of the open-data downloads, streamed, against the former in-memory
build. Not part of the test run.

It builds a throwaway test database (SQLite, or Postgres with DATABASE_URL), imports
SIZE initiatives over seven published cycles with run_bench's generator, then downloads
the whole database as JSON and as CSV through the test client, reading the stream
chunk by chunk as a WSGI server does, under tracemalloc. "extra" is the peak of Python
memory allocated during the download, above what was allocated before it.

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

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from run_bench import build_csv  # noqa: E402  (sets Django up)

from submissions.models import Cycle  # noqa: E402
from submissions.selectors.public import open_data_row, submission_list_published  # noqa: E402
from submissions.services.importing import initiatives_import  # noqa: E402
from tests.factories import secretariat_user  # noqa: E402

TARGET_EXTRA_MB = 20


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


def _former_json():
    """What database_json did before: every record in a list, then one JsonResponse."""
    rows = [open_data_row(sub, base_url="http://testserver") for sub in submission_list_published()]
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
    try:
        staff = secretariat_user()
        per_cycle = args.size // 7
        started = time.perf_counter()
        for number in range(1, 8):
            initiatives_import(text=build_csv(per_cycle, rng), cycle_number=number, by=staff)
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
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(figures, indent=2))
    missed = [
        name
        for name in ("json", "csv")
        if figures.get(name, {}).get("peak_extra_mb", 0) > TARGET_EXTRA_MB
    ]
    if missed:
        print(f"MISSED: peak extra memory above {TARGET_EXTRA_MB} MB for {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
