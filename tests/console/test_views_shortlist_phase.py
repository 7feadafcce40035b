"""Console pages of issue 7: the early-bird feedback queue and page, the hearings."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.models import HearingSession, HearingSlot
from submissions.models import EarlyBirdFeedback
from submissions.services.screening import screening_report_build
from submissions.workflow import Status
from tests import factories
from tests.judging.conftest import client_for


def _early(cycle, n=1):
    entries = []
    for _ in range(n):
        official = factories.CityOfficialFactory()
        entry = factories.CompleteSubmissionFactory(
            cycle=cycle,
            organisation=official.organisation,
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
            early_bird=True,
        )
        screening_report_build(submission=entry)
        entries.append(entry)
    return entries


@pytest.fixture
def cycle(db):
    return factories.OpenCycleFactory(number=7)


def test_feedback_queue_lists_only_early_bird_entries(cycle, secretariat_client):
    early = _early(cycle)[0]
    factories.CompleteSubmissionFactory(cycle=cycle, status=Status.SUBMITTED, early_bird=False)
    page = secretariat_client.get(reverse("console:feedback_queue", args=[7]))
    assert page.status_code == 200
    assert [e.pk for e in page.context["entries"]] == [early.pk]


def test_feedback_queue_query_count_does_not_grow(cycle, secretariat_client):
    url = reverse("console:feedback_queue", args=[7])
    _early(cycle, 2)
    with CaptureQueriesContext(connection) as small:
        secretariat_client.get(url)
    _early(cycle, 6)
    with CaptureQueriesContext(connection) as large:
        secretariat_client.get(url)
    assert len(small) == len(large)


def test_feedback_draft_then_send_over_http(
    cycle, secretariat_client, django_capture_on_commit_callbacks
):
    entry = _early(cycle)[0]
    url = reverse("console:feedback_entry", args=[7, entry.pk])
    assert "Supporting documents or photos attached" in secretariat_client.get(url).content.decode()
    r = secretariat_client.post(
        url, {"action": "draft", "text": "Add figures.", "checklist": ["evidence"]}
    )
    assert r.status_code == 302
    assert EarlyBirdFeedback.objects.get().sent_at is None
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        r = secretariat_client.post(url, {"action": "send", "text": "Add figures, please."})
    assert r.status_code == 302
    feedback = EarlyBirdFeedback.objects.get()
    assert (feedback.text, feedback.sent_at is not None) == ("Add figures, please.", True)
    assert len(mail.outbox) == 1
    # A second send is refused and changes nothing.
    r = secretariat_client.post(url, {"action": "send", "text": "Again"})
    assert r.status_code == 400
    assert "This feedback was already sent" in r.content.decode()
    assert EarlyBirdFeedback.objects.get().text == "Add figures, please."
    assert len(mail.outbox) == 1


def test_feedback_pages_refused_to_others(cycle, client):
    entry = _early(cycle)[0]
    for url in (
        reverse("console:feedback_queue", args=[7]),
        reverse("console:feedback_entry", args=[7, entry.pk]),
    ):
        assert client_for(factories.CityOfficialFactory()).get(url).status_code == 403
        assert client.get(url).status_code == 302


def test_feedback_and_changes_shown_to_city_secretariat_and_reviewers(
    cycle, secretariat, secretariat_client
):
    from submissions.services.applications import submission_update
    from submissions.services.feedback import feedback_save, feedback_send

    entry = _early(cycle)[0]
    feedback_save(submission=entry, text="Add figures.", checklist=[], by=secretariat)
    feedback_send(submission=entry, by=secretariat)
    from accounts.models import User

    official = User.objects.get(organisation=entry.organisation)
    submission_update(submission=entry, fields={"lessons": "Publish results early."}, by=official)
    city = client_for(official)
    dashboard = city.get(reverse("submissions:dashboard")).content.decode()
    assert "Add figures." in dashboard
    preview = city.get(reverse("submissions:preview", args=[entry.pk])).content.decode()
    assert "Changed since the early-bird feedback" in preview
    assert "Lessons learned" in preview
    screening = secretariat_client.get(reverse("judging:screening_detail", args=[entry.pk]))
    assert "Publish results early." in screening.content.decode()
    assert "Changed since the early-bird feedback" in screening.content.decode()


def test_hearings_console_creates_sessions_and_slots(db, secretariat_client):
    cycle = factories.CycleFactory(number=6)
    entry = factories.CompleteSubmissionFactory(cycle=cycle, status=Status.SHORTLISTED)
    url = reverse("console:hearings", args=[6])
    r = secretariat_client.post(
        url,
        {
            "action": "session",
            "session-starts_at": "2026-12-20T09:00",
            "session-theme": "Green cities",
            "session-place": "Guangzhou",
        },
    )
    assert r.status_code == 302
    session = HearingSession.objects.get()
    assert timezone.localtime(session.starts_at, dt.timezone(dt.timedelta(hours=8))).hour == 9
    r = secretariat_client.post(
        url,
        {
            "action": "slot",
            "entry": entry.pk,
            "session": session.pk,
            "starts_at": "2026-12-20T09:30",
            "minutes": "20",
        },
    )
    assert r.status_code == 302
    assert HearingSlot.objects.get().submission == entry
    page = secretariat_client.get(url)
    assert [e.pk for e, slot in page.context["rows"]] == [entry.pk]


def test_hearings_console_refuses_a_session_without_place_or_link(db, secretariat_client):
    factories.CycleFactory(number=6)
    r = secretariat_client.post(
        reverse("console:hearings", args=[6]),
        {"action": "session", "session-starts_at": "2026-12-20T09:00"},
    )
    assert r.status_code == 400
    assert "Give a place or an online link." in r.content.decode()
    assert HearingSession.objects.count() == 0


def test_hearings_console_query_count_does_not_grow(db, secretariat_client):
    cycle = factories.CycleFactory(number=6)
    url = reverse("console:hearings", args=[6])
    session = HearingSession.objects.create(cycle=cycle, starts_at=timezone.now(), place="GZ")

    def add(n):
        for _ in range(n):
            entry = factories.CompleteSubmissionFactory(cycle=cycle, status=Status.SHORTLISTED)
            HearingSlot.objects.create(session=session, submission=entry, starts_at=timezone.now())

    add(1)
    with CaptureQueriesContext(connection) as small:
        secretariat_client.get(url)
    add(5)
    with CaptureQueriesContext(connection) as large:
        secretariat_client.get(url)
    assert len(small) == len(large)


BEIJING = dt.timezone(dt.timedelta(hours=8))


def _session_with_slot(cycle, *, starts=dt.datetime(2026, 12, 20, 9, 0, tzinfo=BEIJING)):
    session = HearingSession.objects.create(cycle=cycle, starts_at=starts, place="Guangzhou")
    entry = factories.CompleteSubmissionFactory(cycle=cycle, status=Status.SHORTLISTED)
    factories.CityOfficialFactory(organisation=entry.organisation)
    slot = HearingSlot.objects.create(
        session=session, submission=entry, starts_at=starts + dt.timedelta(minutes=30)
    )
    return session, slot


def test_a_session_is_corrected_and_its_cities_are_told_the_new_place(
    db, secretariat_client, django_capture_on_commit_callbacks
):
    cycle = factories.CycleFactory(number=6)
    session, slot = _session_with_slot(cycle)
    url = reverse("console:hearing_session", args=[6, session.pk])
    assert "Guangzhou" in secretariat_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = secretariat_client.post(
            url,
            {
                "action": "save",
                "starts_at": "2026-12-20T08:30",
                "place": "Canton Tower",
                "theme": "",
            },
        )
    assert r.status_code == 302
    session.refresh_from_db()
    assert (session.place, timezone.localtime(session.starts_at, BEIJING).hour) == (
        "Canton Tower",
        8,
    )
    assert [m.to for m in mail.outbox] == [[slot.submission.organisation.members.get().email]]
    assert "Canton Tower" in mail.outbox[0].body
    # Saved again unchanged: nobody is emailed twice.
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            url,
            {
                "action": "save",
                "starts_at": "2026-12-20T08:30",
                "place": "Canton Tower",
                "theme": "",
            },
        )
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"starts_at": "2026-12-20T10:00", "place": "Guangzhou"}, "A slot of this session starts"),
        ({"starts_at": "2026-12-20T09:00", "place": " "}, "Give a place or an online link."),
        ({"starts_at": "not a time", "place": "Guangzhou"}, "Enter a valid date/time."),
    ],
)
def test_a_session_correction_that_breaks_a_rule_is_refused_and_nothing_changes(
    db, secretariat_client, data, reason
):
    cycle = factories.CycleFactory(number=6)
    session, _slot = _session_with_slot(cycle)
    r = secretariat_client.post(
        reverse("console:hearing_session", args=[6, session.pk]), {"action": "save", **data}
    )
    assert r.status_code == 400
    assert reason in r.content.decode()
    before = session.starts_at
    session.refresh_from_db()
    assert (session.place, session.starts_at) == ("Guangzhou", before)


def test_only_an_empty_session_can_be_removed(db, secretariat_client):
    cycle = factories.CycleFactory(number=6)
    session, slot = _session_with_slot(cycle)
    url = reverse("console:hearing_session", args=[6, session.pk])
    r = secretariat_client.post(url, {"action": "delete"})
    assert r.status_code == 400
    assert "give them another session first" in r.content.decode()
    assert HearingSession.objects.filter(pk=session.pk).exists()
    slot.delete()
    assert secretariat_client.post(url, {"action": "delete"}).status_code == 302
    assert not HearingSession.objects.filter(pk=session.pk).exists()


def test_a_session_of_a_published_cycle_stays_as_it_was(db, secretariat_client):
    cycle = factories.CycleFactory(number=6, results_published_at=timezone.now())
    session, _slot = _session_with_slot(cycle)
    url = reverse("console:hearing_session", args=[6, session.pk])
    r = secretariat_client.post(
        url, {"action": "save", "starts_at": "2026-12-20T08:00", "place": "X"}
    )
    assert r.status_code == 400
    assert "The results of this cycle are published." in r.content.decode()
    session.refresh_from_db()
    assert session.place == "Guangzhou"
    assert (
        secretariat_client.get(reverse("console:hearing_session", args=[5, session.pk])).status_code
        == 404
    )
