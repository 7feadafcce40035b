"""Backup and restore drill (README, "Backups"): dump the database with pg_dump,
drop it, restore it with pg_restore, and the portal serves the same data."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from submissions.models import Submission
from submissions.public_cache import public_cache_bump
from submissions.workflow import Status
from tests.conftest import skip_or_fail
from tests.submissions import factories_console as fc

pytestmark = pytest.mark.integration


def _pg_env():
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": str(db.get("PORT") or 5432),
    }
    env["PGUSER"] = db["USER"]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env, db["NAME"]


def _run(*args, env):
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{args[0]}: {result.stderr}"
    return result


def _served(client, initiative_pk):
    database = client.get(reverse("public:database_json"))
    page = client.get(reverse("public:initiative_by_id", args=[initiative_pk]))
    assert (database.status_code, page.status_code) == (200, 200)
    return database.getvalue(), page.context["sub"].title, Submission.objects.count()


def test_dump_drop_restore_serves_the_same_data(transactional_db):
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not name a Postgres database (the restore drill)")
    for tool in ("pg_dump", "pg_restore", "dropdb", "createdb"):
        if not shutil.which(tool):
            skip_or_fail(f"{tool} is not installed (apt-get install postgresql-client)")
    cycle = fc.published_cycle()
    winners = [fc.entry(cycle=cycle, status=Status.WINNER, goals=[11]) for _ in range(3)]
    fc.entry(cycle=cycle, status=Status.SHORTLISTED)
    client = Client()
    before = _served(client, winners[0].pk)
    assert before[2] == 4

    env, name = _pg_env()
    dump = Path(tempfile.mkdtemp(prefix="gza-dump-")) / "award.dump"
    try:
        _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", name, env=env)
        connection.close()
        _run("dropdb", "--force", name, env=env)
        _run("createdb", name, env=env)
        assert (
            _run(
                "psql",
                "-tAc",
                "SELECT count(*) FROM pg_tables WHERE schemaname='public'",
                name,
                env=env,
            ).stdout.strip()
            == "0"
        )
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={name}", str(dump), env=env)
    finally:
        shutil.rmtree(dump.parent, ignore_errors=True)

    # The cache outlives the database: read the restored data, not pages cached before.
    public_cache_bump()
    assert _served(Client(), winners[0].pk) == before
