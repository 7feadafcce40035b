"""Thin tasks: take ids, load rows, call services. Each is idempotent."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from .models import SentEmail, StatusChange, Submission
from .retry import RETRY_ON_TRANSIENT_ERRORS
from .services.emails import email_send_once
from .services.screening import screening_counts, screening_report_build, screening_report_write
from .workflow import APPLICANT_LABELS, Status

logger = logging.getLogger(__name__)

# Which email tells the city of a move; moves not named here send none.
STATUS_EMAILS = {
    "submit": "email/submission_acknowledgement",
    "mark_eligible": "email/screening_passed",
    "request_clarification": "email/clarification_requested",
    "mark_ineligible": "email/status_changed",
    "reconsider": "email/status_changed",
    "tc_outcome": "email/outcome",
    "jury_outcome": "email/outcome",
    "correct_tc_outcome": "email/outcome",
    "correct_jury_outcome": "email/outcome",
    "withdraw": "email/status_changed",
}

# A submitted entry without a screening report (or an acknowledgement) after this long
# was lost on the way. With the sweep every 30 s (CELERY_BEAT_SCHEDULE), work lost by
# a killed worker or an emptied broker is redone within 75 s.
SWEEP_GRACE = timedelta(seconds=45)


def _city_members(submission):
    return (
        get_user_model()
        .objects.filter(organisation_id=submission.organisation_id, is_active=True)
        .order_by("email")
    )


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def notify_status_change(status_change_id: int) -> int:
    """Email every member of the city about one move. Returns how many were sent.

    A "submit" move also gets its screening report, built here from the entry this
    task has loaded, after the emails (no second task, no second load of the entry)."""
    change = (
        StatusChange.objects.select_related("submission__cycle", "submission__organisation")
        # Only the screening report reads them; two indexed subqueries cost less than
        # loading the entry again.
        .annotate(**screening_counts("submission_id"))
        .get(pk=status_change_id)
    )
    template = STATUS_EMAILS.get(change.transition)
    if template is None:
        return 0
    submission = change.submission
    sent = 0
    for member in _city_members(submission):
        sent += email_send_once(
            key=f"status:{change.pk}:{member.pk}",
            to=member.email,
            template=template,
            context={
                "user": member,
                "submission": submission,
                "change": change,
                "status_label": APPLICANT_LABELS[Status(change.to_status)],
                "dashboard_url": settings.SITE_URL + reverse("submissions:dashboard"),
            },
        )
    if change.transition == "submit":
        submission.contact_count, submission.goal_count = change.contact_count, change.goal_count
        screening_report_write(submission)
    return sent


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def send_feedback_email(feedback_id: int) -> int:
    """Email the city its early-bird feedback (once per member, whatever the runs)."""
    from .models import EarlyBirdFeedback

    feedback = EarlyBirdFeedback.objects.select_related(
        "submission__cycle", "submission__organisation"
    ).get(pk=feedback_id)
    if feedback.sent_at is None:
        return 0
    submission = feedback.submission
    sent = 0
    for member in _city_members(submission):
        sent += email_send_once(
            key=f"feedback:{feedback.pk}:{member.pk}",
            to=member.email,
            template="email/early_bird_feedback",
            context={
                "user": member,
                "submission": submission,
                "feedback": feedback,
                "dashboard_url": settings.SITE_URL + reverse("submissions:dashboard"),
            },
        )
    return sent


@shared_task(acks_late=True, **RETRY_ON_TRANSIENT_ERRORS)
def build_screening_report(submission_id: int) -> int:
    report = screening_report_build(submission_id=submission_id)
    return report.pk


@shared_task
def sweep_unfinished_work() -> int:
    """Re-dispatch what the database shows undone: submitted entries with no report
    ``SWEEP_GRACE`` after submitting, and status emails some member never got."""
    cutoff = timezone.now() - SWEEP_GRACE
    missing = Submission.objects.filter(
        status=Status.SUBMITTED, submitted_at__lt=cutoff, screening_report__isnull=True
    ).values_list("pk", flat=True)
    count = 0
    for submission_id in missing:
        build_screening_report.delay(submission_id)
        count += 1
    # Status emails (the acknowledgement first) that some member of the city never got:
    # each member has their own send-once key, so one member's email proves nothing.
    for change_id in _moves_missing_an_email(cutoff):
        notify_status_change.delay(change_id)
        count += 1
    # Early-bird feedback sent in the portal whose emails were never recorded.
    from .models import EarlyBirdFeedback

    feedback_sent_for = {
        int(key.split(":")[1])
        for key in SentEmail.objects.filter(key__startswith="feedback:").values_list(
            "key", flat=True
        )
    }
    for feedback_id in EarlyBirdFeedback.objects.filter(
        sent_at__lt=cutoff, sent_at__gt=timezone.now() - timedelta(days=2)
    ).values_list("pk", flat=True):
        if feedback_id not in feedback_sent_for:
            send_feedback_email.delay(feedback_id)
            count += 1
    return count


def _moves_missing_an_email(cutoff) -> list[int]:
    """Ids of recent emailed moves (``STATUS_EMAILS``) for which an active member of the
    city has no ``SentEmail`` row. Three queries whatever the number of entries."""
    recent = list(
        StatusChange.objects.filter(
            transition__in=list(STATUS_EMAILS),
            at__lt=cutoff,
            at__gt=timezone.now() - timedelta(days=2),
        ).values_list("pk", "submission__organisation_id")
    )
    members: dict[int, list[int]] = {}
    for org_id, user_id in (
        get_user_model()
        .objects.filter(organisation_id__in={org for _pk, org in recent}, is_active=True)
        .values_list("organisation_id", "pk")
    ):
        members.setdefault(org_id, []).append(user_id)
    expected = {
        (change_id, f"status:{change_id}:{user_id}")
        for change_id, org_id in recent
        for user_id in members.get(org_id, [])
    }
    sent = set(
        SentEmail.objects.filter(key__in=[key for _c, key in expected]).values_list(
            "key", flat=True
        )
    )
    return sorted({change_id for change_id, key in expected if key not in sent})
