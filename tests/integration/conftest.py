"""Integration fixtures: a real Celery worker on Redis, against the test database.

The worker is a separate process, so it only sees committed rows: tests here use
``transactional_db``. It runs on a queue of its own so that nothing else on the
same Redis picks up its tasks.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from awardportal.celery_app import app as celery_app
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def _redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        skip_or_fail("REDIS_URL is not set: no Redis for a real Celery worker")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail(f"Redis at {url} does not answer")
    return url


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"
    if connection.vendor == "sqlite" and db["NAME"] and "memory" not in str(db["NAME"]):
        return f"sqlite:///{db['NAME']}"
    skip_or_fail("the test database is an in-memory SQLite that a worker process cannot open")


def _reset_connections():
    """Drop cached broker connections so the next send uses the current broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_env():
    """Extra environment for the worker; a test module may override this fixture."""
    return {}


@pytest.fixture
def celery_worker_process(transactional_db, celery_worker_env):
    """Start ``celery worker`` on a private queue; route this process's tasks to it."""
    redis_url = _redis_url()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "awardportal.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "consolemail://",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "LOG_LEVEL": "WARNING",
        **celery_worker_env,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "awardportal",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    overrides = {"task_always_eager": False, "broker_url": redis_url, "task_default_queue": queue}
    saved = {key: celery_app.conf[key] for key in overrides}
    celery_app.conf.update(overrides)
    _reset_connections()  # connect to Redis, not the memory broker
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        celery_app.conf.update(saved)
        _reset_connections()
        if os.environ.get("SHOW_WORKER_LOG"):
            print(output.decode(errors="replace"))


def wait_for(condition, timeout=45.0, interval=0.25):
    """Poll ``condition()`` until it is truthy; return its last value."""
    deadline = time.monotonic() + timeout
    value = condition()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = condition()
    return value
