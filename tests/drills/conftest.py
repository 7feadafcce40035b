"""Fault drills: a real Celery worker, a private redis-server on a spare port that the
test starts, stops and empties, and the test database (Postgres when DATABASE_URL
names one). Each drill asserts that no work is lost and none is done twice.

Mails are counted twice over: the ``SentEmail`` rows (the send-once keys) and the
messages the worker actually printed (console email backend, output in a file).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from awardportal.celery_app import app as celery_app
from submissions.models import StatusChange, Submission
from submissions.services.transitions import submission_transition
from submissions.workflow import Status
from tests import factories
from tests.conftest import skip_or_fail
from tests.integration.conftest import _database_url, _reset_connections, wait_for

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["wait_for"]


def _free_port(start: int = 6390) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for redis-server")


class RedisServer:
    """A throw-away redis-server: no persistence, so a restart starts empty."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            skip_or_fail("redis-server is not installed (apt-get install redis-server)")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        assert wait_for(lambda: _pings(client), timeout=10), "redis-server did not start"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def queue_length(self, queue: str) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


def _pings(client) -> bool:
    import redis

    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False


class Worker:
    """``celery worker --pool=solo`` on the drill's queue, output to a file."""

    def __init__(self, redis_url: str, queue: str, log_dir: Path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "awardportal.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "CELERY_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "consolemail://",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "LOG_LEVEL": "WARNING",
        }
        self.queue = queue
        self.log = log_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.process = None

    def start(self):
        self.handle = open(self.log, "wb")
        self.process = subprocess.Popen(
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
                self.queue,
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self):
        """SIGKILL: no clean-up, no acknowledgement of the task in hand."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def drill(transactional_db):
    """A private Redis, the test process routed to it, and a factory of workers."""
    redis_server = RedisServer()
    redis_server.start()
    queue = drill_queue = f"drill-{uuid.uuid4().hex[:8]}"
    log_dir = Path(tempfile.mkdtemp(prefix="gza-drill-"))
    overrides = {
        "task_always_eager": False,
        "broker_url": redis_server.url,
        "task_default_queue": queue,
        # A stopped Redis must not hang the test: fail fast, the sweep redoes it.
        "broker_connection_timeout": 0.5,
        "broker_connection_max_retries": 1,
        "broker_transport_options": {
            "visibility_timeout": 3600,
            "max_retries": 1,
            "socket_connect_timeout": 0.5,
        },
    }
    saved = {key: celery_app.conf[key] for key in overrides}
    celery_app.conf.update(overrides)
    _reset_connections()
    workers = []

    class Drill:
        redis = redis_server
        queue = drill_queue

        def worker(self) -> Worker:
            w = Worker(redis_server.url, queue, log_dir).start()
            workers.append(w)
            return w

        def all_output(self) -> str:
            return "".join(w.output() for w in workers)

    try:
        yield Drill()
    finally:
        for w in workers:
            w.stop()
        redis_server.stop()
        celery_app.conf.update(saved)
        _reset_connections()
        shutil.rmtree(log_dir, ignore_errors=True)


def submit_entries(n: int, cycle=None) -> list[Submission]:
    """``n`` complete entries of ``n`` cities (one official each), submitted through
    the workflow: each commit dispatches its acknowledgement and screening."""
    from submissions.models import Cycle

    cycle = cycle or Cycle.objects.filter(is_open=True).first() or factories.OpenCycleFactory()
    entries = []
    for _ in range(n):
        official = factories.CityOfficialFactory()
        entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
        with transaction.atomic():
            entry.submitted_at = timezone.now()
            entry.save(update_fields=["submitted_at"])
            submission_transition(submission=entry, to=Status.SUBMITTED, by=official)
        entries.append(entry)
    return entries


def age_work(minutes: int = 10) -> None:
    """Make every submission and queued email look older than the sweeps' grace
    periods (instead of waiting for them): the sweeps then treat unfinished work as
    lost."""
    from submissions.models import SentEmail

    past = timezone.now() - timedelta(minutes=minutes)
    Submission.objects.filter(status=Status.SUBMITTED).update(submitted_at=past)
    StatusChange.objects.filter(transition="submit").update(at=past)
    # and every email still queued: the outbox sweep then sends what a killed worker
    # recorded but never handed to the mail server
    SentEmail.objects.filter(state=SentEmail.State.QUEUED).update(queued_at=past)


def acknowledgement_count(output: str, entry: Submission) -> int:
    """How many acknowledgement mails for ``entry`` the workers printed."""
    wanted = f"Entry {entry.reference} received"
    return sum(1 for line in output.splitlines() if line.startswith("Subject:") and wanted in line)


def time_left(started: float, budget: float = 55.0) -> float:
    return max(1.0, budget - (time.monotonic() - started))
