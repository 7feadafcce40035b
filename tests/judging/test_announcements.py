"""Announcements: audiences and their counts, one copy per recipient in their
language, the unsubscribe link where it belongs, scheduling, and a sending killed
halfway that finishes without sending anyone two copies."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

from judging.announcement_tasks import send_announcement, send_due_announcements
from judging.services.announcements import (
    announcement_save,
    announcement_schedule,
    announcement_unschedule,
    audience_count,
    audience_recipients,
)
from submissions.models import Announcement, SentEmail
from submissions.outbox_tasks import sweep_outbox
from submissions.services.emails import email_opt_out
from tests import factories
from tests.judging.factories import PanelMemberFactory

TRANSLATIONS = {
    "fr": {"subject": "Bonjour {{ recipient_name }}", "body": "Le cycle {{ cycle_number }}."},
    "zh-hans": {"subject": "您好 {{ recipient_name }}", "body": "第{{ cycle_number }}届。"},
}


def _city(cycle, status="draft", language="en", **kwargs):
    official = factories.CityOfficialFactory(language=language, **kwargs)
    factories.SubmissionFactory(cycle=cycle, organisation=official.organisation, status=status)
    return official


def _announce(staff, cycle, audience="drafts", translations=None):
    return announcement_save(
        subject="Hello {{ recipient_name }}",
        body="Cycle {{ cycle_number }} of {{ city_name }}.",
        translations=translations or {},
        audience=audience,
        cycle=cycle,
        by=staff,
    )


def _send_now(announcement, staff, capture):
    with capture(execute=True):
        announcement_schedule(announcement=announcement, send_at=None, by=staff)


@pytest.fixture
def staff(db):
    return factories.secretariat_user()


def test_audiences_name_the_right_people(cycle, tc_panel, jury_panel, make_entry):
    earlier = factories.CycleFactory(number=cycle.number - 1)
    draft = _city(cycle, "draft")
    submitted = _city(cycle, "submitted")
    shortlisted = _city(cycle, "shortlisted")
    winner = _city(cycle, "winner")
    past = _city(earlier, "not_selected")
    _city(earlier, "draft")  # never entered: not a past applicant
    tc = PanelMemberFactory(panel=tc_panel, country="FR")
    jury = PanelMemberFactory(panel=jury_panel, country="DE")

    def emails(audience, of=cycle):
        return sorted(u.email for u in audience_recipients(audience=audience, cycle=of))

    assert emails("drafts") == [draft.email]
    assert emails("shortlisted") == sorted([shortlisted.email, winner.email])
    assert emails("earlier_cycles") == [past.email]
    assert emails("tc") == [tc.user.email]
    assert emails("jury") == [jury.user.email]
    # Without a cycle: every city that ever submitted.
    assert emails("earlier_cycles", of=None) == sorted(
        [submitted.email, shortlisted.email, winner.email, past.email]
    )


def test_unfinished_reviewers_are_those_with_reviews_left(tc_panel, tc_members, make_entry):
    from judging.services.assignment import assignment_staff_tc_entry

    entry = make_entry(status="eligible")
    assigned = {a.reviewer.user.email for a in assignment_staff_tc_entry(submission=entry)}
    people = {
        u.email for u in audience_recipients(audience="unfinished_reviewers", cycle=tc_panel.cycle)
    }
    assert people == assigned


def test_audience_count_leaves_out_who_unsubscribed_only_where_it_counts(cycle):
    earlier = factories.CycleFactory(number=cycle.number - 1)
    first = _city(earlier, "not_selected")
    _city(earlier, "deserving")
    email_opt_out(user=first)
    assert audience_count(audience="earlier_cycles", cycle=cycle) == {
        "recipients": 1,
        "opted_out": 1,
    }
    draft = _city(cycle, "draft")
    email_opt_out(user=draft)
    # About their own entry: the opt-out does not apply.
    assert audience_count(audience="drafts", cycle=cycle) == {"recipients": 1, "opted_out": 0}


def test_announcement_goes_once_to_each_recipient_in_their_language(
    cycle, staff, django_capture_on_commit_callbacks
):
    people = {lang: _city(cycle, language=lang) for lang in ("en", "fr", "zh-hans", "es")}
    announcement = _announce(staff, cycle, translations=TRANSLATIONS)
    _send_now(announcement, staff, django_capture_on_commit_callbacks)
    send_announcement(announcement.pk)  # a redelivered task sends nothing more
    by_to = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 4
    assert by_to[people["fr"].email].subject == f"Bonjour {people['fr'].display_name}"
    assert by_to[people["fr"].email].body == f"Le cycle {cycle.number}.\n"
    assert by_to[people["zh-hans"].email].subject == f"您好 {people['zh-hans'].display_name}"
    # No Spanish translation: the English text.
    es = people["es"]
    assert by_to[es.email].subject == f"Hello {es.display_name}"
    assert by_to[es.email].body == f"Cycle {cycle.number} of {es.organisation.name}.\n"
    assert '<html lang="fr"' in by_to[people["fr"].email].alternatives[0][0]
    announcement.refresh_from_db()
    assert (announcement.state, announcement.recipient_count) == ("sent", 4)
    rows = SentEmail.objects.filter(announcement=announcement)
    assert sorted(rows.values_list("language", flat=True)) == ["en", "en", "fr", "zh-hans"]
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    # Drafts are about the recipients' own entries: no unsubscribe link.
    assert "unsubscribe" not in by_to[es.email].body.lower()
    assert "List-Unsubscribe" not in by_to[es.email].extra_headers


def test_announcement_to_earlier_cities_carries_an_unsubscribe_link(
    cycle, staff, client, django_capture_on_commit_callbacks
):
    earlier = factories.CycleFactory(number=cycle.number - 1)
    past = _city(earlier, "winner")
    gone = _city(earlier, "deserving")
    email_opt_out(user=gone)
    announcement = _announce(staff, cycle, audience="earlier_cycles")
    _send_now(announcement, staff, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [past.email]
    message = mail.outbox[0]
    link = message.body.strip().splitlines()[-1]
    assert "/emails/unsubscribe/" in link
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.alternatives[0][0]
    # The link works without signing in.
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    assert client.post(path, {"action": "unsubscribe"}).status_code == 200
    assert audience_count(audience="earlier_cycles", cycle=cycle) == {
        "recipients": 0,
        "opted_out": 2,
    }


class WorkerKilled(BaseException):
    """Not an Exception: like a SIGKILL, nothing below gets to record a failure."""


class DyingBackend(BaseEmailBackend):
    """Hands over ``limit`` messages, then the worker dies."""

    limit = 0
    delivered: list = []

    def send_messages(self, messages):
        if len(DyingBackend.delivered) >= DyingBackend.limit:
            raise WorkerKilled
        DyingBackend.delivered.extend(m.to[0] for m in messages)
        return len(messages)


def test_a_sending_killed_halfway_finishes_without_sending_anyone_twice(
    cycle, staff, django_capture_on_commit_callbacks
):
    people = [_city(cycle, language=lang) for lang in ("en", "fr", "zh-hans", "es") * 10]
    announcement = _announce(staff, cycle, translations=TRANSLATIONS)
    DyingBackend.limit, DyingBackend.delivered = 17, []
    with override_settings(EMAIL_BACKEND="tests.judging.test_announcements.DyingBackend"):
        with pytest.raises(WorkerKilled):
            _send_now(announcement, staff, django_capture_on_commit_callbacks)
        assert len(DyingBackend.delivered) == 17
        rows = SentEmail.objects.filter(announcement=announcement)
        assert rows.filter(state="sent").count() == 17
        assert rows.filter(state="queued").count() == 23
        # The worker restarts; the broker redelivers the unacknowledged task.
        DyingBackend.limit = 10_000
        assert send_announcement(announcement.pk) == 23
        assert send_announcement(announcement.pk) == 0
    assert sorted(DyingBackend.delivered) == sorted(p.email for p in people)
    assert rows.filter(state="sent").count() == 40


def test_the_outbox_sweep_sends_queued_emails_a_lost_message_left(
    cycle, staff, django_capture_on_commit_callbacks
):
    _city(cycle)
    _city(cycle)
    announcement = _announce(staff, cycle)
    announcement_schedule(announcement=announcement, send_at=None, by=staff)  # dispatch lost
    from judging.services.announcements import announcement_resolve

    announcement_resolve(announcement_id=announcement.pk)
    SentEmail.objects.update(queued_at=timezone.now() - dt.timedelta(minutes=5))
    assert sweep_outbox() == 2
    assert sweep_outbox() == 0
    assert len(mail.outbox) == 2


def test_a_scheduled_announcement_is_sent_when_due_by_the_beat(
    cycle, staff, django_capture_on_commit_callbacks
):
    _city(cycle)
    announcement = _announce(staff, cycle)
    later = timezone.now() + dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        announcement_schedule(announcement=announcement, send_at=later, by=staff)
    assert send_due_announcements() == 0
    assert mail.outbox == []
    Announcement.objects.filter(pk=announcement.pk).update(send_at=timezone.now())
    assert send_due_announcements() == 1
    assert send_due_announcements() == 0
    assert len(mail.outbox) == 1


def test_a_scheduled_announcement_can_go_back_to_draft(cycle, staff):
    announcement = _announce(staff, cycle)
    announcement_schedule(
        announcement=announcement, send_at=timezone.now() + dt.timedelta(days=1), by=staff
    )
    announcement_unschedule(announcement=announcement, by=staff)
    announcement.refresh_from_db()
    assert (announcement.state, announcement.send_at) == ("draft", None)
    assert send_due_announcements() == 0


def test_announcement_save_refuses_bad_text_and_missing_cycle(cycle, staff):
    with pytest.raises(ValidationError) as error:
        announcement_save(
            subject="Hi",
            body="Hello\n{{ password }}",
            translations={"fr": {"subject": "Salut", "body": ""}},
            audience="drafts",
            cycle=None,
            by=staff,
        )
    errors = error.value.message_dict
    assert sorted(errors) == ["body", "cycle", "subject_fr"]
    assert errors["cycle"] == ["This audience needs a cycle."]
    assert errors["body"][0].startswith("Line 2: unknown placeholder “password”.")
    assert errors["subject_fr"] == [
        "Give both the subject and the message of a translation, or neither."
    ]
    assert Announcement.objects.count() == 0


def test_a_sent_announcement_cannot_change(cycle, staff, django_capture_on_commit_callbacks):
    announcement = _announce(staff, cycle)
    _send_now(announcement, staff, django_capture_on_commit_callbacks)
    announcement.refresh_from_db()
    emails = (SentEmail.objects.count(), len(mail.outbox))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError, match="has been sent; it can no longer change"):
            announcement_save(
                announcement=announcement,
                subject="x",
                body="y",
                translations={},
                audience="drafts",
                cycle=cycle,
                by=staff,
            )
        with pytest.raises(ValidationError, match="This announcement has already been sent"):
            announcement_schedule(announcement=announcement, send_at=None, by=staff)
    assert callbacks == []
    sent = (announcement.subject, announcement.body, announcement.state, announcement.send_at)
    announcement.refresh_from_db()
    assert (
        announcement.subject,
        announcement.body,
        announcement.state,
        announcement.send_at,
    ) == sent
    assert (SentEmail.objects.count(), len(mail.outbox)) == emails
