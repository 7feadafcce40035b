"""Tasks: idempotent, and the sweep redoes what the broker may have lost."""

import datetime as dt

import pytest
from django.utils import timezone

from submissions import tasks
from submissions.models import ScreeningReport, SentEmail, StatusChange
from submissions.workflow import Status
from tests import factories


def _submitted_entry(minutes_ago=10):
    submission = factories.CompleteSubmissionFactory(
        status=Status.SUBMITTED, submitted_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    change = StatusChange.objects.create(
        submission=submission,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        transition="submit",
        by=official,
        at=submission.submitted_at,
    )
    return submission, official, change


@pytest.mark.django_db
def test_notify_status_change_sends_the_acknowledgement_once(mailoutbox):
    submission, official, change = _submitted_entry()
    assert tasks.notify_status_change(change.pk) == 1
    assert tasks.notify_status_change(change.pk) == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [official.email]
    assert submission.reference in mailoutbox[0].subject
    assert submission.reference in mailoutbox[0].body
    assert SentEmail.objects.filter(key=f"status:{change.pk}:{official.pk}").count() == 1


@pytest.mark.django_db
def test_notify_status_change_builds_the_screening_report_after_submit(mailoutbox):
    submission, _, change = _submitted_entry()
    tasks.notify_status_change(change.pk)
    assert ScreeningReport.objects.filter(submission=submission).exists()


@pytest.mark.django_db
def test_sweep_rebuilds_missing_reports_and_unsent_acknowledgements(mailoutbox):
    old, official, _ = _submitted_entry(minutes_ago=10)
    fresh, _, _ = _submitted_entry(minutes_ago=0)
    assert tasks.sweep_unfinished_work() == 2  # one report, one acknowledgement
    assert ScreeningReport.objects.filter(submission=old).exists()
    assert not ScreeningReport.objects.filter(submission=fresh).exists()
    assert [m.to for m in mailoutbox] == [[official.email]]
    # A second sweep finds nothing left to do.
    assert tasks.sweep_unfinished_work() == 0


@pytest.mark.django_db
def test_sweep_resends_the_acknowledgement_a_second_member_never_got(mailoutbox):
    submission, first, change = _submitted_entry(minutes_ago=10)
    second = factories.CityOfficialFactory(organisation=submission.organisation)
    ScreeningReport.objects.create(submission=submission)
    # The worker emailed the first member, then died; the message was lost.
    SentEmail.objects.create(key=f"status:{change.pk}:{first.pk}", to=first.email, subject="s")

    assert tasks.sweep_unfinished_work() == 1

    assert [m.to for m in mailoutbox] == [[second.email]]
    assert tasks.sweep_unfinished_work() == 0


@pytest.mark.django_db
def test_sweep_picks_up_lost_work_within_a_minute(mailoutbox):
    _submitted_entry(minutes_ago=1)

    assert tasks.sweep_unfinished_work() == 2  # the report and the acknowledgement


def test_sweep_runs_often_enough_to_recover_within_90_seconds(settings):
    interval = settings.CELERY_BEAT_SCHEDULE["submissions-sweep"]["schedule"]
    judging_interval = settings.CELERY_BEAT_SCHEDULE["judging-sweep"]["schedule"]
    assert tasks.SWEEP_GRACE.total_seconds() + interval < 90
    assert judging_interval < 90


@pytest.mark.django_db
def test_notify_status_change_retries_when_the_database_connection_drops(mailoutbox):
    from django.db import OperationalError, connection

    _submission, official, change = _submitted_entry()
    failures = []

    def drop_first_query(execute, sql, params, many, context):
        if not failures:
            failures.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_first_query):
        # As a worker runs it (errors not propagated to the caller): retried in-process.
        result = tasks.notify_status_change.apply(args=[change.pk], throw=False)

    assert (len(failures), result.state, result.result) == (1, "SUCCESS", 1)
    assert [m.to for m in mailoutbox] == [[official.email]]


@pytest.mark.django_db
def test_sweep_resends_a_lost_screening_decision_email(mailoutbox):
    submission, official, submitted = _submitted_entry(minutes_ago=10)
    ScreeningReport.objects.create(submission=submission)
    SentEmail.objects.create(
        key=f"status:{submitted.pk}:{official.pk}", to=official.email, subject="s"
    )
    StatusChange.objects.create(
        submission=submission,
        from_status=Status.SUBMITTED,
        to_status=Status.ELIGIBLE,
        transition="mark_eligible",
        at=timezone.now() - dt.timedelta(minutes=5),
    )

    assert tasks.sweep_unfinished_work() == 1

    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([official.email], f"Entry {submission.reference} passed the eligibility screening")
    ]
