"""Assigning the 12 analytical topics to entries (the Secretariat's classification)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from submissions.classifications import Topic
from submissions.models import Cycle, Submission
from submissions.public_cache import bumps_public_cache
from submissions.workflow import Status


def _check_topic(topic: str) -> str:
    topic = topic or ""
    if topic and topic not in Topic.values:
        raise ValidationError(_("Choose one of the 12 analytical topics."))
    return topic


@bumps_public_cache
@transaction.atomic
def submission_set_topic(*, submission: Submission, topic: str, by) -> Submission:
    """Set (or clear, with "") one entry's analytical topic. Drafts have none."""
    topic = _check_topic(topic)
    if submission.status == Status.DRAFT:
        raise ValidationError(_("Drafts are not classified."))
    Submission.objects.filter(pk=submission.pk).update(topic=topic)
    submission.topic = topic
    return submission


@bumps_public_cache
@transaction.atomic
def submission_set_topic_bulk(*, cycle: Cycle, submission_ids: list[int], topic: str, by) -> int:
    """Set the topic of several entries of ``cycle`` at once; returns how many.

    Raises ``ValidationError`` (nothing saved) when no entry is chosen or one of them
    is not a received entry of this cycle.
    """
    topic = _check_topic(topic)
    ids = set(submission_ids)
    if not ids:
        raise ValidationError(_("Choose at least one entry."))
    entries = Submission.objects.filter(pk__in=ids, cycle=cycle).exclude(status=Status.DRAFT)
    if entries.count() != len(ids):
        raise ValidationError(
            _("Some of the chosen entries are not received entries of this cycle.")
        )
    return entries.update(topic=topic)
