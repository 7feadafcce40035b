"""Automatic reminders to cities: drafts before the final deadline (the latest
threshold passed only) and clarifications left unanswered. Sent once each."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from submissions.models import SentEmail
from submissions.outbox_tasks import send_city_reminders
from submissions.services.reminders import city_reminders_send, draft_threshold
from tests import factories

pytestmark = pytest.mark.django_db


def _cycle(days_left: float, **kwargs):
    return factories.OpenCycleFactory(
        final_deadline=timezone.now() + dt.timedelta(days=days_left), **kwargs
    )


def _draft(cycle, language="en"):
    official = factories.CityOfficialFactory(language=language)
    entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
    return official, entry


@pytest.mark.parametrize(
    ("days_left", "expected"), [(20, None), (13.5, 14), (6.9, 7), (1.5, 2), (0.2, 2)]
)
def test_draft_threshold_is_the_latest_offset_passed(days_left, expected):
    cycle = _cycle(days_left)
    assert draft_threshold(cycle, timezone.now()) == expected


def test_drafts_are_reminded_once_per_threshold(django_capture_on_commit_callbacks):
    cycle = _cycle(6.5)
    official, entry = _draft(cycle)
    factories.CompleteSubmissionFactory(cycle=cycle, status="submitted")  # not a draft
    with django_capture_on_commit_callbacks(execute=True):
        assert send_city_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_city_reminders() == 0  # the daily task again: nothing new
    assert [m.to for m in mail.outbox] == [[official.email]]
    assert mail.outbox[0].subject == f"Entry {entry.reference}: 6 days left to submit"
    assert "is still a draft, and the final deadline is in 6 days" in mail.outbox[0].body
    row = SentEmail.objects.get()
    assert (row.key, row.template_key, row.state) == (
        f"draft-reminder:{entry.pk}:7:{official.pk}",
        "draft_reminder",
        "sent",
    )
    # Five days later the 2-day reminder goes.
    with django_capture_on_commit_callbacks(execute=True):
        assert city_reminders_send(now=timezone.now() + dt.timedelta(days=5)) == 1
    assert len(mail.outbox) == 2


def test_the_cycle_setting_chooses_the_offsets(django_capture_on_commit_callbacks):
    cycle = _cycle(6.5, draft_reminder_days=[3])
    _draft(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        assert city_reminders_send() == 0
    assert mail.outbox == []


def test_unanswered_clarifications_are_reminded_after_the_set_days(
    django_capture_on_commit_callbacks,
):
    cycle = factories.CycleFactory(clarification_reminder_days=5)
    official = factories.CityOfficialFactory(language="fr")
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle, organisation=official.organisation, status="clarification"
    )
    request = factories.ClarificationRequestFactory(submission=entry)
    with django_capture_on_commit_callbacks(execute=True):
        assert city_reminders_send() == 0  # asked just now
        assert city_reminders_send(now=timezone.now() + dt.timedelta(days=6)) == 1
        assert city_reminders_send(now=timezone.now() + dt.timedelta(days=9)) == 0
    assert mail.outbox[0].to == [official.email]
    assert request.question in mail.outbox[0].body
    assert SentEmail.objects.get().language == "fr"
