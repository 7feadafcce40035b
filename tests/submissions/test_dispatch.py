"""Dispatching after commit: a broker that is down costs the user nothing."""

import logging
import socket
import time

import pytest
from django.test import Client
from django.urls import reverse

from awardportal.celery_app import app
from submissions.models import StatusChange
from submissions.services.dispatch import dispatch_on_commit
from submissions.tasks import build_screening_report
from submissions.workflow import Status
from tests import factories


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on leaving: nothing listens there


@pytest.fixture
def broker_down():
    """Celery publishes for real (not in-process) to a Redis port where nothing listens."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    saved_pools = (app._pool, app.amqp._producer_pool)
    app._pool, app.amqp._producer_pool = None, None
    app.conf.update(broker_url=f"redis://127.0.0.1:{_closed_port()}/0", task_always_eager=False)
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = saved_pools


def test_broker_settings_bound_the_time_a_dispatch_may_wait(settings):
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
    assert settings.CELERY_TASK_PUBLISH_RETRY is False
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_connect_timeout"] <= 1
    assert options["max_retries"] == 0


def test_submit_with_the_broker_down_succeeds_and_the_dispatch_fails_fast(
    broker_down, official, open_cycle, django_capture_on_commit_callbacks, caplog
):
    client = Client()
    client.force_login(official)
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation
    )
    dispatch_on_commit(build_screening_report, entry.pk)  # warm up: imports, first connect
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("submissions:submit", args=[entry.pk]))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert StatusChange.objects.filter(submission=entry, transition="submit").count() == 1
    # The submit also bumps the public pages' cache generation on commit: only the
    # dispatches talk to the broker.
    callbacks = [c for c in callbacks if c.__qualname__.startswith("dispatch_on_commit")]
    assert callbacks
    caplog.clear()
    started = time.monotonic()
    for callback in callbacks * 3:
        callback()
    elapsed = time.monotonic() - started
    # A correctness bound, not a benchmark: without the bounded broker settings each
    # dispatch waited about 0.6 to 1 s on retries.
    assert elapsed < 1, elapsed
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 3 * len(callbacks)
    assert "the periodic sweep will retry" in failures[0].getMessage()
