"""Benchmark of the task pipeline with a real Celery worker (issue 13; not part of the tests).

On Postgres (DATABASE_URL) and Redis (REDIS_URL) it builds a throwaway database, starts
``celery -A awardportal worker -c 1`` against it and measures, per worker process:

- the no-op task rate (Celery's built-in ``celery.accumulate``: broker and worker
  overhead only, no database);
- entries routed per second: N complete entries submitted through the workflow, each
  acknowledged (one email per city member) and screened (its report built);
- entries assigned per second: N eligible entries given three Technical Committee
  reviewers each (``assign_eligible_entry``, the task an eligibility decision sends);
- the queries of assigning the 10th and the N-th entry (they must be equal).

Each phase's messages are first queued where the worker does not listen; the worker is
then told to consume them (``add_consumer``) and the clock runs until the work is seen
done, so the rate is the worker's, not the pace at which this script submits.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/bench_pipeline.py [--entries 1000] [--noop 3000]

Prints a Markdown table, writes bench/results/pipeline.json, exits 1 when a target is
missed (2 when Postgres or Redis is missing).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from awardportal.celery_app import app as celery_app  # noqa: E402

# BENCH_WORKER_LOG=INFO shows each task and its duration in the worker log.
LOG_LEVEL = os.environ.get("BENCH_WORKER_LOG", "WARNING")
TARGET_ROUTED_PER_S = 60.0
# How often the script looks whether the work is done: its count queries run on the same
# two cores as the worker and Postgres, so it looks rarely (a finish is seen at most
# this late, against runs of about 20 s).
POLL_SECONDS = float(os.environ.get("BENCH_POLL_SECONDS", "0.1"))
TARGET_ASSIGNED_PER_S = 50.0
RESULTS = ROOT / "bench" / "results" / "pipeline.json"
COUNTRIES = ["BR", "CN", "KE", "FR", "US", "IN", "AU", "MX", "ZA", "JP", "DE", "ID", "TR", "CA"]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """``celery worker -c 1`` (prefork, one child) on a private queue, output to a file."""

    def __init__(self, redis_url: str):
        self.queue = f"bench-{uuid.uuid4().hex[:8]}"
        self.name = f"{self.queue}@{socket.gethostname()}"
        self.log = Path(tempfile.gettempdir()) / f"{self.queue}.log"
        self.redis_url = redis_url
        self.process = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "awardportal.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "CELERY_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
        }
        self.handle = open(self.log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "awardportal", "worker", "-c", "1"]
            + ["-n", self.name, "-Q", self.queue, f"--loglevel={LOG_LEVEL}"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited; see {self.log}")
            if celery_app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise RuntimeError(f"the worker did not answer within 60 s; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time of the worker's processes so far (Linux /proc; 0 elsewhere): on a
        shared machine, work per CPU-second says more than work per wall-clock second."""
        ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        pids = [self.process.pid]
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids += [int(pid) for pid in children.read_text().split()]
            return (
                sum(
                    sum(
                        int(f)
                        for f in Path(f"/proc/{pid}/stat")
                        .read_text()
                        .rsplit(")", 1)[1]
                        .split()[11:13]
                    )
                    for pid in pids
                )
                / ticks
            )
        except (OSError, ValueError):
            return 0.0

    def consume(self, queue: str) -> None:
        celery_app.control.add_consumer(queue, destination=[self.name], reply=True, timeout=5)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()


def _held(queue: str):
    """Send this block's tasks to ``queue``, where no worker listens yet."""
    saved = celery_app.conf.task_default_queue

    class Held:
        def __enter__(self):
            celery_app.conf.task_default_queue = queue
            celery_app.amqp._producer_pool = None
            return self

        def __exit__(self, *exc):
            celery_app.conf.task_default_queue = saved
            celery_app.amqp._producer_pool = None

    return Held()


def _wait(done, what: str, timeout: float, worker: Worker) -> float:
    """Poll ``done()`` until true; return the time it first was."""
    deadline = time.monotonic() + timeout
    while not done():
        if worker.process.poll() is not None:
            raise RuntimeError(f"the worker died during {what}; see {worker.log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not finish within {timeout:.0f} s; see {worker.log}")
        time.sleep(POLL_SECONDS)
    return time.perf_counter()


class Rate:
    """``count`` items done in ``seconds`` of wall-clock time and ``cpu`` worker CPU-seconds."""

    def __init__(self, count: int, seconds: float, cpu: float):
        self.count, self.seconds, self.cpu = count, seconds, cpu
        self.per_s = count / seconds
        self.per_cpu_s = count / cpu if cpu else None


def measure_noop(worker: Worker, redis, count: int) -> Rate:
    queue = f"{worker.queue}-noop"
    with _held(queue):
        for i in range(count):
            celery_app.send_task("celery.accumulate", args=(i,), queue=queue)
    started, cpu = time.perf_counter(), worker.cpu_seconds()
    worker.consume(queue)
    # acks_late: a message is in "unacked" until its task has run.
    ended = _wait(
        lambda: redis.llen(queue) == 0 and redis.hlen("unacked") == 0,
        "the no-op tasks",
        600,
        worker,
    )
    return Rate(count, ended - started, worker.cpu_seconds() - cpu)


def measure_routing(worker: Worker, n: int) -> Rate:
    from submissions.models import ScreeningReport, SentEmail, Submission
    from submissions.services.transitions import submission_transition
    from submissions.workflow import Status
    from tests import factories

    cycle = factories.OpenCycleFactory()
    officials = [factories.CityOfficialFactory() for _ in range(n)]
    entries = [
        factories.CompleteSubmissionFactory(cycle=cycle, organisation=o.organisation)
        for o in officials
    ]
    queue = f"{worker.queue}-route"
    with _held(queue):
        for entry, official in zip(entries, officials, strict=True):
            with transaction.atomic():
                entry.submitted_at = timezone.now()
                entry.save(update_fields=["submitted_at"])
                submission_transition(submission=entry, to=Status.SUBMITTED, by=official)
    ids = [e.pk for e in entries]
    assert Submission.objects.filter(pk__in=ids, status=Status.SUBMITTED).count() == n
    started, cpu = time.perf_counter(), worker.cpu_seconds()
    worker.consume(queue)
    ended = _wait(
        lambda: (
            ScreeningReport.objects.filter(submission_id__in=ids).count() == n
            and SentEmail.objects.filter(subject__endswith="received", state="sent").count() >= n
        ),
        "the routing",
        1200,
        worker,
    )
    return Rate(n, ended - started, worker.cpu_seconds() - cpu)


def measure_assignment(worker: Worker, n: int) -> tuple[Rate, int, int]:
    """(entries assigned by the worker, queries of the 10th entry, of the n-th)."""
    from judging.models import Assignment
    from judging.services.panels import panel_get_or_create
    from judging.tasks import assign_eligible_entry
    from submissions.classifications import Topic
    from tests import factories
    from tests.judging.factories import PanelMemberFactory

    cycle = factories.CycleFactory()
    panel = panel_get_or_create(cycle=cycle, kind="tc")
    for i in range(15):
        PanelMemberFactory(
            panel=panel,
            country=COUNTRIES[i % len(COUNTRIES)],
            expertise=Topic.values[i % 12 : i % 12 + 3],
        )
    orgs = [factories.OrganisationFactory(country=COUNTRIES[i % 14]) for i in range(n // 2 + 1)]
    entries = [
        factories.SubmissionFactory(
            cycle=cycle,
            organisation=orgs[i % len(orgs)],
            status="eligible",
            topic=Topic.values[i % 12],
        ).pk
        for i in range(n)
    ]

    def queries_of(entry_id: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assign_eligible_entry(entry_id)
        return len(ctx.captured_queries)

    for entry_id in entries[:9]:
        assign_eligible_entry(entry_id)
    tenth = queries_of(entries[9])
    by_worker = entries[10:-1]
    queue = f"{worker.queue}-assign"
    with _held(queue):
        for entry_id in by_worker:
            assign_eligible_entry.delay(entry_id)
    started, cpu = time.perf_counter(), worker.cpu_seconds()
    worker.consume(queue)
    want = 3 * len(by_worker)
    ended = _wait(
        lambda: Assignment.objects.filter(panel=panel, submission_id__in=by_worker).count() >= want,
        "the assignment",
        1200,
        worker,
    )
    rate = Rate(len(by_worker), ended - started, worker.cpu_seconds() - cpu)
    last = queries_of(entries[-1])
    assert Assignment.objects.filter(panel=panel).count() == 3 * n
    return rate, tenth, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000, help="entries routed and assigned")
    parser.add_argument("--noop", type=int, default=3000, help="no-op tasks")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL")
    if connection.vendor != "postgresql" or not redis_url:
        print("bench_pipeline needs Postgres (DATABASE_URL) and Redis (REDIS_URL).")
        return 2
    import redis as redis_client

    redis = redis_client.Redis.from_url(redis_url)
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"{connection.settings_dict['NAME']}_bench_pipeline"
    )
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    worker = Worker(redis_url)
    try:
        worker.start()
        noop = measure_noop(worker, redis, args.noop)
        routed = measure_routing(worker, args.entries)
        assigned, tenth, last = measure_assignment(worker, args.entries)
    finally:
        worker.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def figures(rate: Rate) -> dict:
        per_cpu = round(rate.per_cpu_s, 1) if rate.per_cpu_s else None
        return {
            "per_s": round(rate.per_s, 1),
            "count": rate.count,
            "seconds": round(rate.seconds, 2),
            "worker_cpu_s": round(rate.cpu, 2),
            "per_worker_cpu_s": per_cpu,
        }

    results = {
        "entries": args.entries,
        "noop_tasks": figures(noop),
        "routed": figures(routed),
        "assigned": figures(assigned),
        "queries_assign_10th": tenth,
        "queries_assign_last": last,
        "targets": {
            "routed_per_s": TARGET_ROUTED_PER_S,
            "assigned_per_s": TARGET_ASSIGNED_PER_S,
            "queries_assign_last_le_10th": True,
        },
        "worker": "celery -A awardportal worker -c 1 (prefork, one process)",
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }

    def cpu(rate: Rate) -> str:
        return f"{rate.per_cpu_s:.0f}" if rate.per_cpu_s else "?"

    checks = [
        ("no-op tasks/s", f"{noop.per_s:.0f}", cpu(noop), "(reference)", True),
        (
            "entries routed/s",
            f"{routed.per_s:.1f}",
            cpu(routed),
            f"≥ {TARGET_ROUTED_PER_S:.0f}",
            routed.per_s >= TARGET_ROUTED_PER_S,
        ),
        (
            "entries assigned/s",
            f"{assigned.per_s:.1f}",
            cpu(assigned),
            f"≥ {TARGET_ASSIGNED_PER_S:.0f}",
            assigned.per_s >= TARGET_ASSIGNED_PER_S,
        ),
        (
            f"queries: entry 10 / entry {args.entries}",
            f"{tenth} / {last}",
            "",
            "equal",
            last <= tenth,
        ),
    ]
    results["passed"] = all(ok for *_x, ok in checks)
    print(
        f"Pipeline, one worker process, {args.entries} entries (Postgres, Redis),"
        f" load average {results['load_average']}\n"
    )
    print("| measure | per second | per worker CPU-second | target | |")
    print("| --- | --- | --- | --- | --- |")
    for name, value, per_cpu, target, ok in checks:
        print(f"| {name} | {value} | {per_cpu} | {target} | {'ok' if ok else 'MISSED'} |")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
