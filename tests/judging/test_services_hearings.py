"""Public hearings: sessions and slots (Secretariat), the city's confirmation,
delegates and presentation, and who may see what."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from judging.models import HearingSession, HearingSlot
from judging.services.hearings import (
    hearing_presentation_set,
    hearing_session_create,
    hearing_slot_assign,
    hearing_slot_confirm,
)
from submissions.workflow import Status
from tests import factories
from tests.judging.conftest import client_for
from tests.submissions.helpers import PDF, upload


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _stored(slot) -> list[str]:
    """The files the storage holds in the slot's presentation folder."""
    from django.core.files.storage import default_storage

    folder = f"hearings/{slot.session.cycle_id}/{slot.submission_id}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


PPTX = _zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
ODP = _zip({"mimetype": "application/vnd.oasis.opendocument.presentation", "content.xml": "<x/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


@pytest.fixture
def session(cycle, secretariat):
    return hearing_session_create(
        cycle=cycle,
        starts_at=timezone.now() + dt.timedelta(days=10),
        place="Guangzhou",
        online_link="",
        theme="Green cities",
        by=secretariat,
    )


@pytest.fixture
def shortlisted(make_entry):
    return make_entry(status=Status.SHORTLISTED)


@pytest.fixture
def slot(session, shortlisted, secretariat):
    return hearing_slot_assign(
        session=session,
        submission=shortlisted,
        starts_at=session.starts_at + dt.timedelta(minutes=30),
        minutes=20,
        by=secretariat,
    )


@pytest.fixture
def city(shortlisted):
    from accounts.models import User

    return User.objects.get(organisation=shortlisted.organisation)


def test_hearing_session_needs_a_place_or_a_link(cycle, secretariat):
    with pytest.raises(ValidationError) as raised:
        hearing_session_create(
            cycle=cycle,
            starts_at=timezone.now(),
            place=" ",
            online_link="",
            theme="",
            by=secretariat,
        )
    assert raised.value.message_dict == {"place": ["Give a place or an online link."]}
    assert HearingSession.objects.count() == 0


def test_hearing_slot_only_for_shortlisted_entries(session, make_entry, secretariat):
    eligible = make_entry(status=Status.ELIGIBLE)
    with pytest.raises(ValidationError) as raised:
        hearing_slot_assign(
            session=session,
            submission=eligible,
            starts_at=session.starts_at,
            minutes=20,
            by=secretariat,
        )
    assert raised.value.messages == ["Only shortlisted entries present at the hearings."]
    assert HearingSlot.objects.count() == 0


def test_hearing_slot_moved_to_a_new_time_needs_a_new_confirmation(
    slot, session, city, secretariat
):
    hearing_slot_confirm(slot=slot, delegates=[{"name": "Ana", "position": "Mayor"}], by=city)
    moved = hearing_slot_assign(
        session=session,
        submission=slot.submission,
        starts_at=session.starts_at + dt.timedelta(hours=1),
        minutes=20,
        by=secretariat,
    )
    assert (moved.pk, moved.confirmed_at, moved.delegates) == (
        slot.pk,
        None,
        [{"name": "Ana", "position": "Mayor"}],
    )


def test_hearing_slot_confirm_by_the_city_with_delegates(slot, city):
    confirmed = hearing_slot_confirm(
        slot=slot,
        delegates=[{"name": "Ana Souza", "position": "Mayor"}, {"name": "", "position": ""}],
        by=city,
    )
    assert confirmed.delegates == [{"name": "Ana Souza", "position": "Mayor"}]
    assert confirmed.confirmed_by == city
    assert confirmed.confirmed_at is not None


def test_hearing_slot_confirm_refuses_more_delegates_than_funded(slot, city):
    with pytest.raises(ValidationError) as raised:
        hearing_slot_confirm(
            slot=slot, delegates=[{"name": n, "position": ""} for n in "ABC"], by=city
        )
    assert raised.value.message_dict == {"delegates": ["At most 2 delegates are funded."]}
    slot.refresh_from_db()
    assert (slot.confirmed_at, slot.confirmed_by, slot.delegates) == (None, None, [])


def test_hearing_slot_confirm_refused_to_another_city(slot):
    other = factories.CityOfficialFactory()
    with pytest.raises(PermissionDenied):
        hearing_slot_confirm(slot=slot, delegates=[{"name": "X"}], by=other)
    slot.refresh_from_db()
    assert (slot.confirmed_at, slot.confirmed_by, slot.delegates) == (None, None, [])


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("talk.pdf", PDF, "application/pdf"),
        (
            "talk.pptx",
            PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("talk.odp", ODP, "application/vnd.oasis.opendocument.presentation"),
    ],
)
def test_hearing_presentation_accepts_pdf_and_slides(slot, city, name, content, content_type):
    saved = hearing_presentation_set(slot=slot, upload=upload(name, content), by=city)
    assert (saved.presentation_name, saved.presentation_type) == (name, content_type)


@pytest.mark.parametrize("content", [b"MZ\x90\x00 not a presentation", ODT])
def test_hearing_presentation_refuses_other_content_whatever_the_name(slot, city, content):
    stored = _stored(slot)
    with pytest.raises(ValidationError) as raised:
        hearing_presentation_set(slot=slot, upload=upload("talk.pptx", content), by=city)
    assert raised.value.message_dict == {
        "presentation": [
            "“talk.pptx” is not a PDF, PowerPoint (PPTX) or OpenDocument (ODP) presentation."
            " Files are recognised by their content, not their name."
        ]
    }
    slot.refresh_from_db()
    assert (slot.presentation.name, slot.presentation_name, slot.presentation_type) == ("", "", "")
    assert _stored(slot) == stored  # no file stored


def test_hearing_presentation_video_link(slot, city):
    saved = hearing_presentation_set(slot=slot, video_url="https://video.example.org/a", by=city)
    assert saved.video_url == "https://video.example.org/a"


def test_city_sees_only_its_own_slot_page(slot, city, shortlisted):
    url = reverse("shortlist:hearing_city", args=[shortlisted.pk])
    page = client_for(city).get(url)
    assert page.status_code == 200
    assert "Green cities" in page.content.decode()
    assert client_for(factories.CityOfficialFactory()).get(url).status_code == 403


def test_city_confirms_and_uploads_over_http_while_the_entry_stays_locked(slot, city, shortlisted):
    client = client_for(city)
    url = reverse("shortlist:hearing_city", args=[shortlisted.pk])
    r = client.post(url, {"action": "confirm", "del-name_1": "Ana", "del-position_1": "Mayor"})
    assert r.status_code == 302
    r = client.post(url, {"action": "presentation", "pres-presentation": upload("talk.pdf", PDF)})
    assert r.status_code == 302
    slot.refresh_from_db()
    assert (slot.delegates, slot.presentation_name) == (
        [{"name": "Ana", "position": "Mayor"}],
        "talk.pdf",
    )
    # The application itself stays locked.
    r = client.post(
        reverse("submissions:field_save", args=[shortlisted.pk, "abstract"]), {"abstract": "New"}
    )
    shortlisted.refresh_from_db()
    assert shortlisted.abstract != "New"


def test_presentation_download_for_city_jury_and_secretariat_only(
    slot, city, jury_members, tc_members, secretariat_client
):
    hearing_presentation_set(slot=slot, upload=upload("talk.pdf", PDF), by=city)
    url = reverse("shortlist:hearing_presentation", args=[slot.pk])
    assert client_for(city).get(url).status_code == 200
    assert client_for(jury_members[1].user).get(url).status_code == 200
    assert secretariat_client.get(url).status_code == 200
    assert client_for(tc_members[1].user).get(url).status_code == 403
    assert client_for(factories.CityOfficialFactory()).get(url).status_code == 403


def test_jury_sees_sessions_and_presentations(slot, city, jury_members, jury_panel, cycle):
    hearing_presentation_set(slot=slot, video_url="https://video.example.org/b", by=city)
    page = client_for(jury_members[1].user).get(
        reverse("shortlist:hearings_jury", args=[cycle.number])
    )
    assert page.status_code == 200
    assert "https://video.example.org/b" in page.content.decode()
    assert (
        client_for(city).get(reverse("shortlist:hearings_jury", args=[cycle.number])).status_code
        == 403
    )


@pytest.mark.parametrize("name", ["hearingsession", "hearingslot", "shortlistreport"])
def test_admin_lists_the_shortlist_phase_read_only(name, client, slot):
    from django.contrib import admin

    from judging import models

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:judging_{name}_changelist")
    assert client.get(url + "?q=x").status_code == 200
    model = {m._meta.model_name: m for m in admin.site._registry}[name]
    assert model._meta.app_label == models.HearingSlot._meta.app_label
    assert client.get(reverse(f"admin:judging_{name}_add")).status_code == 403


def test_jury_hearings_page_query_count_does_not_grow(
    session, jury_members, make_entry, secretariat
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    juror = client_for(jury_members[0].user)
    url = reverse("shortlist:hearings_jury", args=[session.cycle.number])

    def add(n):
        for _ in range(n):
            entry = make_entry(status=Status.SHORTLISTED)
            hearing_slot_assign(
                session=session,
                submission=entry,
                starts_at=session.starts_at,
                minutes=20,
                by=secretariat,
            )

    add(1)
    with CaptureQueriesContext(connection) as small:
        assert juror.get(url).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as large:
        juror.get(url)
    assert len(small) == len(large)


def test_hearing_slot_emails_the_city_once_per_time(
    session, shortlisted, city, secretariat, django_capture_on_commit_callbacks
):
    from django.core import mail

    from judging.tasks import notify_hearing_slot

    with django_capture_on_commit_callbacks(execute=True):
        slot = hearing_slot_assign(
            session=session,
            submission=shortlisted,
            starts_at=session.starts_at,
            minutes=20,
            by=secretariat,
        )
    assert [m.to for m in mail.outbox] == [[city.email]]
    assert mail.outbox[0].subject == f"Your public hearing slot for {shortlisted.reference}"
    assert "Green cities" in mail.outbox[0].body
    assert notify_hearing_slot(slot.pk) == 0  # run again: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        hearing_slot_assign(
            session=session,
            submission=shortlisted,
            starts_at=session.starts_at + dt.timedelta(hours=1),
            minutes=20,
            by=secretariat,
        )
    assert len(mail.outbox) == 2


def test_the_hearing_email_is_sent_in_the_citys_language_with_the_secretariats_wording(
    slot, city, secretariat
):
    from django.core import mail

    from judging.services.hearings import hearing_slot_notify
    from submissions.models import SentEmail
    from submissions.services.emails import email_template_save

    email_template_save(
        key="hearing_slot",
        language="es",
        subject="Audiencia {{ entry_reference }}",
        body="{{ theme }}: {{ minutes }} minutos. {{ hearing_url }}\n",
        by=secretariat,
    )
    city.language = "es"
    city.save(update_fields=["language"])
    mail.outbox.clear()
    assert hearing_slot_notify(slot=slot) == 1
    message = mail.outbox[0]
    url = reverse("shortlist:hearing_city", args=[slot.submission_id])
    assert message.subject == f"Audiencia {slot.submission.reference}"
    assert message.body.startswith("Green cities: 20 minutos. http")
    assert message.body.rstrip().endswith(url)
    assert SentEmail.objects.get(to=city.email, template_key="hearing_slot").language == "es"
