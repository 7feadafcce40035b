"""The email wordings each process keeps (issue 13): read once per generation, read
again as soon as the Secretariat saves or resets one, whichever process did it.

Transactional tests: the wordings are kept only outside a transaction, as a worker
sends its emails."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions import email_template_cache, tasks
from submissions.models import EmailTemplate, StatusChange
from submissions.services.emails import email_template_reset, email_template_save
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _acknowledge() -> tuple[str, str, int]:
    """Route one newly submitted entry; (the email's subject, body, queries on wordings)."""
    submission = factories.CompleteSubmissionFactory(
        status="submitted", submitted_at=timezone.now()
    )
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    change = StatusChange.objects.create(
        submission=submission,
        from_status="draft",
        to_status="submitted",
        transition="submit",
        by=official,
        at=submission.submitted_at,
    )
    mail.outbox = []
    with CaptureQueriesContext(connection) as ctx:
        tasks.notify_status_change(change.pk)
    (email,) = mail.outbox
    reads = sum("submissions_emailtemplate" in q["sql"] for q in ctx.captured_queries)
    return email.subject, email.body, reads


def _save(subject: str, body: str = "Dear {{ recipient_name }}, thank you.\n") -> None:
    staff = factories.secretariat_user()
    email_template_save(
        key="submission_acknowledgement", language="en", subject=subject, body=body, by=staff
    )


def test_email_wordings_are_read_once_then_kept():
    first = _acknowledge()
    second = _acknowledge()
    assert (first[2], second[2]) == (1, 0)
    assert first[0].endswith("received") and second[0].endswith("received")


def test_a_saved_wording_is_used_by_the_next_email_and_a_reset_one_is_not():
    assert _acknowledge()[0].endswith("received")  # the default, now kept
    _save("We have your entry {{ entry_reference }}")
    subject, body, reads = _acknowledge()
    assert subject.startswith("We have your entry GZA-") and reads == 1
    assert body.startswith("Dear ") and body.endswith(", thank you.\n")  # the saved body
    _save("Edited again: {{ entry_reference }}")
    assert _acknowledge()[0].startswith("Edited again: GZA-")
    staff = factories.secretariat_user()
    assert email_template_reset(key="submission_acknowledgement", language="en", by=staff)
    subject, _body, reads = _acknowledge()
    assert subject.endswith("received") and reads == 1


def test_a_wording_saved_by_another_process_is_seen_through_the_generation():
    _save("Old wording {{ entry_reference }}")
    assert _acknowledge()[0].startswith("Old wording")
    # Another process writes the row and replaces the shared generation; this process
    # sees no signal (a queryset update sends none).
    EmailTemplate.objects.filter(key="submission_acknowledgement").update(
        subject="New wording {{ entry_reference }}"
    )
    assert _acknowledge()[0].startswith("Old wording")  # kept: nobody said it changed
    cache.set(email_template_cache.GENERATION_KEY, 1, timeout=None)
    assert _acknowledge()[0].startswith("New wording")


def test_a_write_no_one_reports_is_seen_after_max_age(monkeypatch):
    _save("Old wording {{ entry_reference }}")
    assert _acknowledge()[0].startswith("Old wording")
    EmailTemplate.objects.filter(key="submission_acknowledgement").update(
        subject="New wording {{ entry_reference }}"
    )
    monkeypatch.setattr(email_template_cache, "MAX_AGE", 0.0)
    assert _acknowledge()[0].startswith("New wording")


def test_a_wording_created_outside_the_services_is_seen_at_once():
    assert _acknowledge()[0].endswith("received")
    EmailTemplate.objects.create(  # the admin, a shell: the model's signals still tell
        key="submission_acknowledgement",
        language="en",
        subject="From a shell {{ entry_reference }}",
        body="Hello",
    )
    assert _acknowledge()[0].startswith("From a shell")


def test_a_rolled_back_wording_is_never_kept():
    assert _acknowledge()[0].endswith("received")
    with pytest.raises(RuntimeError), transaction.atomic():
        _save("Rolled back {{ entry_reference }}")
        assert _acknowledge()[0].startswith("Rolled back")  # its own transaction sees it
        raise RuntimeError
    assert _acknowledge()[0].endswith("received")
    assert EmailTemplate.objects.count() == 0
