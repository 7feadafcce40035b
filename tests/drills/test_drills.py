"""Fault drills (marked ``drill``): 0 lost, 0 duplicated, whatever breaks."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions.models import ScreeningReport, SentEmail, StatusChange, Submission
from submissions.outbox_tasks import sweep_outbox
from submissions.services.transitions import submission_transition
from submissions.tasks import build_screening_report, notify_status_change, sweep_unfinished_work
from submissions.workflow import Status
from tests import factories
from tests.conftest import skip_or_fail
from tests.drills.conftest import acknowledgement_count, age_work, submit_entries, wait_for

pytestmark = pytest.mark.drill


def _assert_each_entry_done_once(entries, output=None, in_flight=None):
    """Every entry: one screening report, one acknowledgement row per member (and,
    when the workers' output is given, one printed acknowledgement).

    ``in_flight``: the entry whose acknowledgement a killed worker handed to the mail
    server last. Killed after that hand-over and before the row's "sent" mark, it
    leaves the row queued and the email is sent again (at least once is the rule for
    the one email in flight: no transaction spans the mail server); printed twice, it
    is not counted as wrong."""
    ids = [e.pk for e in entries]
    assert ScreeningReport.objects.filter(submission_id__in=ids).count() == len(ids)
    acks = SentEmail.objects.filter(subject__endswith="received")
    assert sorted(acks.values_list("to", flat=True)) == sorted(
        factories.UserFactory._meta.model.objects.filter(
            organisation__submissions__in=ids
        ).values_list("email", flat=True)
    )
    if output is not None:
        wrong = {e.reference: n for e in entries if (n := acknowledgement_count(output, e)) != 1}
        if in_flight is not None and wrong.get(in_flight.reference) == 2:
            del wrong[in_flight.reference]
        assert wrong == {}


def _done(entries) -> bool:
    ids = [e.pk for e in entries]
    return ScreeningReport.objects.filter(submission_id__in=ids).count() == len(
        ids
    ) and SentEmail.objects.filter(
        subject__endswith="received", state=SentEmail.State.SENT
    ).count() == len(ids)


def test_worker_killed_while_200_entries_are_routed(drill):
    entries = submit_entries(200)
    first = drill.worker()
    assert wait_for(lambda: SentEmail.objects.count() >= 20, timeout=40), first.output()
    first.kill()  # SIGKILL in the middle of the queue
    assert not _done(entries)
    drill.worker()  # the restarted worker takes the rest of the queue
    age_work()
    sweep_unfinished_work.delay()  # and the sweep redoes the task that was in hand
    # Killed between recording an acknowledgement and handing it to the mail server,
    # the worker leaves its row queued: the outbox sweep sends it.
    sweep_outbox.delay()
    assert wait_for(lambda: _done(entries), timeout=60)
    time.sleep(1)  # let any duplicate show itself
    _assert_each_entry_done_once(
        entries, drill.all_output(), in_flight=_last_acknowledged(entries, first.output())
    )


def _last_acknowledged(entries, output: str):
    """The entry whose acknowledgement ``output`` printed last (None if none)."""
    printed = [line for line in output.splitlines() if line.startswith("Subject:")]
    for line in reversed(printed):
        for entry in entries:
            if f"Entry {entry.reference} received" in line:
                return entry
    return None


def test_redis_stopped_during_submissions_and_restarted_empty(drill):
    worker = drill.worker()
    before = submit_entries(3)
    assert wait_for(lambda: _done(before), timeout=40), worker.output()
    drill.redis.stop()
    started = time.monotonic()
    during = submit_entries(5)  # dispatch fails: logged, the submits still succeed
    assert time.monotonic() - started < 30
    assert Submission.objects.filter(status=Status.SUBMITTED).count() == 8
    drill.redis.start()  # empty: the messages for `during` are gone
    assert drill.redis.queue_length(worker.queue) == 0
    worker.stop()
    drill.worker()
    age_work()
    sweep_unfinished_work.delay()
    assert wait_for(lambda: _done(before + during), timeout=45)
    time.sleep(1)
    _assert_each_entry_done_once(before + during, drill.all_output())


def test_rolled_back_transaction_dispatches_nothing(drill):
    drill.worker()
    official = factories.CityOfficialFactory()
    ghost = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(), organisation=official.organisation
    )
    with (
        pytest.raises(RuntimeError, match="^the request failed after the move$"),
        transaction.atomic(),
    ):
        submission_transition(submission=ghost, to=Status.SUBMITTED, by=official)
        raise RuntimeError("the request failed after the move")
    marker = submit_entries(1)  # dispatched after the ghost: done means the queue passed it
    assert wait_for(lambda: _done(marker), timeout=40)
    assert Submission.objects.get(pk=ghost.pk).status == Status.DRAFT
    assert StatusChange.objects.filter(submission=ghost).count() == 0
    assert ScreeningReport.objects.filter(submission=ghost).count() == 0
    assert SentEmail.objects.filter(to=official.email).count() == 0
    assert acknowledgement_count(drill.all_output(), ghost) == 0


def _snapshot():
    return (
        sorted(SentEmail.objects.values_list("key", "to", "subject")),
        sorted(
            ScreeningReport.objects.values_list("submission_id", "is_clean", "checks")
        ).__repr__(),
    )


def test_every_task_run_twice_and_concurrently_leaves_the_same_state(drill):
    entries = submit_entries(4)  # queued; no worker yet
    changes = list(StatusChange.objects.filter(submission__in=entries).values_list("pk", flat=True))
    # Once, in this process:
    for pk in changes:
        notify_status_change.apply(args=[pk])  # also queues a screening
    for e in entries:
        build_screening_report.apply(args=[e.pk])
    once = _snapshot()
    # Twice more in this process, then twice more each on two concurrent workers
    # (which also drain the messages queued by the submits):
    for _ in range(2):
        for pk in changes:
            notify_status_change.apply(args=[pk])
        for e in entries:
            build_screening_report.apply(args=[e.pk])
    assert _snapshot() == once
    for _ in range(2):
        for pk in changes:
            notify_status_change.delay(pk)
        for e in entries:
            build_screening_report.delay(e.pk)
    drill.worker(), drill.worker()
    assert wait_for(lambda: drill.redis.queue_length(drill.queue) == 0, timeout=40)
    time.sleep(2)  # the last task in hand finishes
    assert _snapshot() == once
    _assert_each_entry_done_once(entries)
    for e in entries:
        assert acknowledgement_count(drill.all_output(), e) == 0  # all sent in-process
    assert len([m for m in mail.outbox if m.subject.endswith("received")]) == len(entries)


def test_database_connections_terminated_under_the_worker(drill):
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not name a Postgres database (pg_terminate_backend)")
    worker = drill.worker()
    entries = submit_entries(30)
    stop = threading.Event()
    terminated = []

    def terminate_worker_connections():
        from django.db import connections

        conn = connections.create_connection("default")
        try:
            while not stop.is_set():
                with conn.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND application_name <> 'pytest-drill'"
                    )
                    terminated.extend(row for row in cursor.fetchall() if row[0])
                time.sleep(0.3)
        finally:
            conn.close()

    # Keep this test's own connection out of reach.
    with connection.cursor() as cursor:
        cursor.execute("SET application_name = 'pytest-drill'")
    killer = threading.Thread(target=terminate_worker_connections)
    killer.start()
    time.sleep(4)
    stop.set()
    killer.join()
    assert terminated, "no worker connection was terminated"
    age_work()
    sweep_unfinished_work.delay()
    assert wait_for(lambda: _done(entries), timeout=50), worker.output()
    time.sleep(1)
    _assert_each_entry_done_once(entries)  # the database: nothing lost, nothing twice
    output = drill.all_output()
    printed = {e.reference: acknowledgement_count(output, e) for e in entries}
    assert [ref for ref, n in printed.items() if n == 0] == []
    twice = {ref: n for ref, n in printed.items() if n > 1}
    if twice:
        # Known limit of email_send_once: the mail goes out inside the transaction
        # that records it; a connection cut between the send and the commit loses
        # the record, and the retry sends again. Needs an outbox (issue 9).
        pytest.xfail(f"mail re-sent after a connection cut before commit: {twice}")


def test_two_simultaneous_submits_of_one_entry(drill):
    drill.worker()
    official = factories.CityOfficialFactory()
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(), organisation=official.organisation
    )
    url = reverse("submissions:submit", args=[entry.pk])
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        from django.db import connections

        client = Client()
        client.force_login(official)
        barrier.wait()
        try:
            statuses.append(client.post(url, {"confirm": "on"}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 2 and all(s < 500 for s in statuses), statuses
    assert wait_for(lambda: _done([entry]), timeout=40)
    time.sleep(1)
    assert Submission.objects.get(pk=entry.pk).status == Status.SUBMITTED
    assert StatusChange.objects.filter(submission=entry, transition="submit").count() == 1
    _assert_each_entry_done_once([entry], drill.all_output())


def test_worker_killed_halfway_through_an_announcement_to_2000_cities(drill):
    """The announcement survives a SIGKILL halfway: the restarted worker and the outbox
    sweep send the rest, and nobody gets two copies. The one email the killed worker
    held may have reached the mail server just before its row was marked sent (no
    mail server takes part in a database transaction): at most that one repeats."""
    from judging.services.announcements import announcement_save, announcement_schedule

    cities = 2000
    cycle = factories.OpenCycleFactory()
    factories.cities_with_entries(cycle, cities, prefix="Drill")
    staff = factories.secretariat_user()
    with transaction.atomic():
        announcement = announcement_save(
            subject="The call is open",
            body="Dear {{ recipient_name }}, the call is open.",
            translations={},
            audience="drafts",
            cycle=cycle,
            by=staff,
        )
        announcement_schedule(announcement=announcement, send_at=None, by=staff)
    rows = SentEmail.objects.filter(announcement=announcement)
    first = drill.worker()
    assert wait_for(lambda: rows.filter(state="sent").count() >= cities // 2, timeout=120), (
        first.output()
    )
    first.kill()  # SIGKILL in the middle of the sending
    assert rows.count() == cities
    assert rows.filter(state="sent").count() < cities
    drill.worker()
    rows.filter(state="queued").update(queued_at=timezone.now() - timedelta(minutes=10))
    sweep_outbox.delay()  # the email the killed worker held
    assert wait_for(lambda: rows.filter(state="sent").count() == cities, timeout=120)
    time.sleep(1)  # let any duplicate show itself
    printed = [
        line.removeprefix("To: ").strip()
        for line in drill.all_output().splitlines()
        if line.startswith("To: drill")
    ]
    assert set(printed) == {f"drill{i}@example.org" for i in range(cities)}
    assert len(printed) - cities <= 1, "more than the email in hand was sent twice"
