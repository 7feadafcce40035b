"""Email throughput: emails rendered and handed to the backend per second, one process.

Not part of the test run. Builds a throwaway test database, N cities in the four
languages (a quarter each, French with the Secretariat's own wording), then times
what one worker does for each email:

- transactional: ``email_send_once`` of the acknowledgement (render in the
  recipient's language, outbox row, send, mark sent);
- announcement: resolving the audience into N rendered outbox rows, then
  ``send_outbound_email`` for each (the task body a worker runs).

The backend is Django's locmem (default) or file backend (``--backend file``).
Exits non-zero below the target.

    .venv/bin/python bench/bench_emails.py --emails 1000
    .venv/bin/python bench/bench_emails.py --emails 1000 --backend file
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from judging.services.announcements import (  # noqa: E402
    announcement_resolve,
    announcement_save,
)
from submissions.models import Announcement, SentEmail, StatusChange, Submission  # noqa: E402
from submissions.outbox_tasks import send_outbound_email  # noqa: E402
from submissions.services.emails import email_send_once, email_template_save  # noqa: E402
from tests.factories import (  # noqa: E402
    OpenCycleFactory,
    cities_with_entries,
    secretariat_user,
)

TARGET_PER_SECOND = 100


def build(n: int):
    cycle = OpenCycleFactory()
    cities_with_entries(cycle, n, status="submitted", prefix="Bench")
    StatusChange.objects.bulk_create(
        StatusChange(submission=s, from_status="draft", to_status="submitted", transition="submit")
        for s in Submission.objects.all()
    )
    staff = secretariat_user()
    email_template_save(
        key="submission_acknowledgement",
        language="fr",
        subject="Candidature {{ entry_reference }} reçue",
        body="Bonjour {{ recipient_name }},\n\nNous avons reçu « {{ entry_title }} ».\n\n"
        "{{ dashboard_url }}\n",
        by=staff,
    )
    return cycle, staff


def transactional(n: int) -> float:
    users = {
        u.organisation_id: u for u in get_user_model().objects.filter(organisation__isnull=False)
    }
    changes = list(
        StatusChange.objects.select_related("submission__cycle", "submission__organisation")
    )
    started, cpu = time.perf_counter(), time.process_time()
    for change in changes[:n]:
        user = users[change.submission.organisation_id]
        email_send_once(
            key=f"status:{change.pk}:{user.pk}",
            to=user.email,
            template="email/submission_acknowledgement",
            context={
                "user": user,
                "submission": change.submission,
                "change": change,
                "status_label": "Submitted",
            },
        )
    return time.perf_counter() - started, time.process_time() - cpu


def announcement(cycle, staff) -> tuple[float, float, int]:
    item = announcement_save(
        subject="The call is open",
        body="Dear {{ recipient_name }}, {{ city_name }} is invited to cycle {{ cycle_number }}.",
        translations={
            "fr": {"subject": "L'appel est ouvert", "body": "Bonjour {{ recipient_name }}."},
            "zh-hans": {"subject": "申报已开放", "body": "{{ recipient_name }}，您好。"},
        },
        audience="earlier_cycles",
        cycle=None,
        by=staff,
    )
    # Scheduled without dispatching: the timing below is the worker's part.
    Announcement.objects.filter(pk=item.pk).update(state=Announcement.State.SCHEDULED)
    started, cpu = time.perf_counter(), time.process_time()
    ids = announcement_resolve(announcement_id=item.pk)
    resolved = time.perf_counter() - started
    for email_id in ids:
        send_outbound_email(email_id)
    return resolved, time.perf_counter() - started, time.process_time() - cpu, len(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--backend", choices=["locmem", "file"], default="locmem")
    args = parser.parse_args()
    setup_test_environment()
    backend = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if args.backend == "file":
        backend = {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": tempfile.mkdtemp(prefix="gza-bench-mail-"),
        }
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        with override_settings(**backend):
            cycle, staff = build(args.emails)
            mail.outbox = []
            seconds, cpu_one = transactional(args.emails)
            rate_one = args.emails / seconds
            resolve_s, total_s, cpu_two, count = announcement(cycle, staff)
            rate_two = count / total_s
            sent = SentEmail.objects.filter(state="sent").count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"backend: {args.backend}, database: {connection.vendor}")
    # CPU time of this process: what the work costs one core, whatever else runs.
    print(
        f"transactional: {args.emails} emails in {seconds:.2f} s = {rate_one:.0f} emails/s "
        f"({args.emails / cpu_one:.0f} per CPU-second)"
    )
    print(
        f"announcement: {count} emails in {total_s:.2f} s (resolving {resolve_s:.2f} s) "
        f"= {rate_two:.0f} emails/s ({count / cpu_two:.0f} per CPU-second)"
    )
    print(f"outbox: {sent} sent")
    print(f"machine load (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    # The target is for mass sending (announcements); the transactional path is shown
    # alongside: it renders and records each email as it goes.
    if rate_two < TARGET_PER_SECOND:
        print(f"MISSED: announcement {rate_two:.0f} emails/s < {TARGET_PER_SECOND}")
        sys.exit(1)
    print(f"OK: announcements at {rate_two:.0f} emails/s >= {TARGET_PER_SECOND}")


if __name__ == "__main__":
    main()
