"""Reads for the secretariat's console: cycles, funnels, history, classification."""

from django.db.models import Count, Q, QuerySet

from submissions.models import Cycle, DeadlineChange, Submission
from submissions.workflow import RECEIVED, VALID, Status


def cycle_list_console() -> QuerySet:
    """Every cycle with its received and valid entry counts (one query)."""
    return Cycle.objects.annotate(
        received=Count("submissions", filter=Q(submissions__status__in=RECEIVED)),
        valid=Count("submissions", filter=Q(submissions__status__in=VALID)),
    ).order_by("-number")


def cycle_get_console(*, number: int) -> Cycle | None:
    return (
        Cycle.objects.select_related("city_of_your_choice__organisation")
        .filter(number=number)
        .first()
    )


def cycle_funnel(*, cycle: Cycle) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in workflow order (one query)."""
    counts = dict(
        Submission.objects.filter(cycle=cycle)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in Status]


def deadline_change_list(*, cycle: Cycle) -> QuerySet:
    return (
        DeadlineChange.objects.filter(cycle=cycle)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
    )


def submission_list_for_topics(*, cycle: Cycle, topic: str | None = None) -> QuerySet:
    """The cycle's received entries to classify; ``topic``="unassigned" for those
    without one."""
    qs = (
        Submission.objects.filter(cycle=cycle)
        .exclude(status=Status.DRAFT)
        .select_related("organisation")
        .order_by("sequence")
    )
    if topic == "unassigned":
        qs = qs.filter(topic="")
    elif topic:
        qs = qs.filter(topic=topic)
    return qs
