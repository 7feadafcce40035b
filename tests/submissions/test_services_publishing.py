from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from submissions.models import Cycle
from submissions.publishing_tasks import publish_scheduled_results
from submissions.services.publishing import (
    cycle_cancel_scheduled_results,
    cycle_publish_due,
    cycle_publish_results,
    cycle_schedule_results,
)
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry

S = Status


def _released_cycle(**kwargs):
    # The jury chair has signed the jury report (a condition of publication).
    cycle = factories.CycleFactory(**{"jury_report_signed_at": timezone.now(), **kwargs})
    entry(cycle=cycle, status=S.WINNER)
    entry(cycle=cycle, status=S.MEDAL_OF_HONOR)
    entry(cycle=cycle, status=S.DESERVING)
    entry(cycle=cycle, status=S.INELIGIBLE)
    return cycle


def test_cycle_publish_results_sets_published_at(db, secretariat):
    cycle = _released_cycle()
    at = timezone.now()

    published = cycle_publish_results(cycle=cycle, by=secretariat, at=at)

    cycle.refresh_from_db()
    assert published.results_published_at == at
    assert cycle.results_published_at == at
    assert cycle.results_publish_at is None


def test_cycle_publish_results_is_idempotent(db, secretariat):
    cycle = _released_cycle()
    first = timezone.now() - timedelta(hours=1)
    cycle_publish_results(cycle=cycle, by=secretariat, at=first)

    cycle_publish_results(cycle=cycle, by=secretariat)

    cycle.refresh_from_db()
    assert cycle.results_published_at == first


def test_cycle_publish_results_refuses_before_the_jury_release(db, secretariat):
    cycle = factories.CycleFactory()
    entry(cycle=cycle, status=S.SHORTLISTED)
    entry(cycle=cycle, status=S.ELIGIBLE)

    with pytest.raises(ValidationError) as error:
        cycle_publish_results(cycle=cycle, by=secretariat)

    assert error.value.messages == [
        "Some entries are still waiting for screening or for the Technical Committee's decision.",
        "The jury's winners have not been released yet.",
    ]
    cycle.refresh_from_db()
    assert cycle.results_published_at is None


def test_cycle_publish_results_refuses_while_the_call_is_open(db, secretariat):
    cycle = _released_cycle(is_open=True)

    with pytest.raises(ValidationError) as error:
        cycle_publish_results(cycle=cycle, by=secretariat)

    assert error.value.messages == [
        "The call for applications is still open: close it before publishing the results."
    ]
    cycle.refresh_from_db()
    assert cycle.results_published_at is None
    assert list(cycle.submissions.exclude(slug="").values_list("slug", flat=True)) == []
    cycle.is_open = False
    cycle.save(update_fields=["is_open"])
    assert cycle_publish_results(cycle=cycle, by=secretariat).is_published


def test_cycle_schedule_results_refuses_a_past_time(db, secretariat):
    cycle = _released_cycle()

    with pytest.raises(ValidationError) as error:
        cycle_schedule_results(
            cycle=cycle, publish_at=timezone.now() - timedelta(minutes=1), by=secretariat
        )

    assert error.value.messages == ["Choose a time in the future, or publish now."]
    cycle.refresh_from_db()
    assert cycle.results_publish_at is None


def test_cycle_schedule_results_then_cancel(db, secretariat):
    cycle = _released_cycle()
    when = timezone.now() + timedelta(days=1)

    cycle_schedule_results(cycle=cycle, publish_at=when, by=secretariat)
    cycle.refresh_from_db()
    assert cycle.results_publish_at == when

    cycle_cancel_scheduled_results(cycle=cycle, by=secretariat)
    cycle.refresh_from_db()
    assert cycle.results_publish_at is None
    assert cycle.results_published_at is None


def test_cycle_publish_due_publishes_only_due_cycles(db):
    due = _released_cycle(number=31)
    later = _released_cycle(number=32)
    now = timezone.now()
    Cycle.objects.filter(pk=due.pk).update(results_publish_at=now - timedelta(minutes=1))
    Cycle.objects.filter(pk=later.pk).update(results_publish_at=now + timedelta(hours=1))

    assert cycle_publish_due(now=now) == [31]

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.results_published_at == now
    assert later.results_published_at is None


def test_publish_scheduled_results_task_runs_twice_like_once(db):
    cycle = _released_cycle(number=33)
    Cycle.objects.filter(pk=cycle.pk).update(
        results_publish_at=timezone.now() - timedelta(minutes=1)
    )

    assert publish_scheduled_results.delay().get() == [33]
    cycle.refresh_from_db()
    published_at = cycle.results_published_at
    assert publish_scheduled_results.delay().get() == []
    cycle.refresh_from_db()
    assert cycle.results_published_at == published_at


def test_cycle_publish_due_leaves_unreleased_cycle_scheduled(db):
    cycle = factories.CycleFactory(number=34)
    entry(cycle=cycle, status=S.ELIGIBLE)
    when = timezone.now() - timedelta(minutes=1)
    Cycle.objects.filter(pk=cycle.pk).update(results_publish_at=when)

    assert cycle_publish_due() == []

    cycle.refresh_from_db()
    assert cycle.results_published_at is None
    assert cycle.results_publish_at == when
