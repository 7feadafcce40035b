"""Reads for the Secretariat's early-bird feedback queue."""

from django.db.models import QuerySet

from submissions.models import Cycle, Submission
from submissions.workflow import Status


def submission_list_early_bird(*, cycle: Cycle) -> QuerySet[Submission]:
    """The cycle's early-bird entries that left the draft, with their feedback (one
    query): those still waiting for screening first, then by reference."""
    return (
        Submission.objects.filter(cycle=cycle, early_bird=True)
        .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .select_related("organisation", "early_bird_feedback", "cycle")
        .order_by("sequence")
    )
