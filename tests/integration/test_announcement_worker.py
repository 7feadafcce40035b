"""A real worker on Redis sends an announcement to 500 cities in 4 languages: each
recipient gets exactly one copy, in its language, and the outbox shows 500 sent."""

import email
import email.policy
from pathlib import Path

import pytest
from django.db import transaction

from judging.services.announcements import announcement_save, announcement_schedule
from submissions.models import SentEmail
from tests import factories
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

LANGUAGES = factories.EMAIL_LANGUAGES
SUBJECTS = {
    "en": "The call is open",
    "fr": "L'appel est ouvert",
    "zh-hans": "申报已开放",
    "es": "La convocatoria está abierta",
}
CITIES = 500


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def celery_worker_env(mail_dir):
    """The worker writes every email it sends to a file, one file per connection."""
    mail_dir.mkdir()
    return {"EMAIL_URL": f"filemail:///{mail_dir}"}


def _messages(mail_dir: Path):
    """Every message the file backend wrote: (to, subject)."""
    found = []
    separator = b"\n" + b"-" * 79 + b"\n"
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip(), policy=email.policy.default)
                found.append((str(message["To"]), str(message["Subject"])))
    return found


def test_worker_sends_an_announcement_to_500_cities_once_each_in_their_language(
    celery_worker_process, mail_dir
):
    cycle = factories.OpenCycleFactory()
    factories.cities_with_entries(cycle, CITIES, prefix="Load")
    staff = factories.secretariat_user()
    translations = {
        code: {"subject": SUBJECTS[code], "body": f"{SUBJECTS[code]}: {{{{ recipient_name }}}}."}
        for code in ("fr", "zh-hans", "es")
    }
    with transaction.atomic():
        announcement = announcement_save(
            subject=SUBJECTS["en"],
            body="The call is open: {{ recipient_name }}.",
            translations=translations,
            audience="drafts",
            cycle=cycle,
            by=staff,
        )
        announcement_schedule(announcement=announcement, send_at=None, by=staff)

    sent = SentEmail.objects.filter(announcement=announcement, state="sent")
    assert wait_for(lambda: sent.count() == CITIES, timeout=240), (
        f"the worker sent {sent.count()} of {CITIES}"
    )
    assert celery_worker_process.poll() is None, "the worker died"
    messages = _messages(mail_dir)
    assert len(messages) == CITIES
    by_recipient = {}
    for to, subject in messages:
        by_recipient.setdefault(to, []).append(subject)
    assert len(by_recipient) == CITIES  # nobody twice
    for i in range(CITIES):
        assert by_recipient[f"load{i}@example.org"] == [SUBJECTS[LANGUAGES[i % 4]]]
    languages = SentEmail.objects.filter(announcement=announcement).values_list(
        "language", flat=True
    )
    assert sorted(set(languages)) == sorted(LANGUAGES)
    assert SentEmail.objects.filter(announcement=announcement).exclude(state="sent").count() == 0
