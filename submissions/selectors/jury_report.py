"""The jury report as one structure, read by the results page, its PDF and the
chair's sign-off page alike."""

from submissions.models import Cycle, Submission
from submissions.workflow import Status


def jury_report_get(*, cycle: Cycle) -> dict:
    """Introduction, winners with their citations, medals, special mentions, the
    chair's name and the date of sign-off. Two queries."""
    entries = (
        Submission.objects.filter(
            cycle=cycle,
            status__in=[Status.WINNER, Status.MEDAL_OF_HONOR, Status.SPECIAL_MENTION],
        )
        .select_related("organisation")
        .order_by("organisation__name", "sequence")
    )
    groups = {Status.WINNER: [], Status.MEDAL_OF_HONOR: [], Status.SPECIAL_MENTION: []}
    for entry in entries:
        groups[entry.status].append(entry)
    return {
        "cycle": cycle,
        "introduction": cycle.jury_report,
        "winners": groups[Status.WINNER],
        "medals": groups[Status.MEDAL_OF_HONOR],
        "special_mentions": groups[Status.SPECIAL_MENTION],
        "chair_name": cycle.jury_report_chair_name,
        "signed_at": cycle.jury_report_signed_at,
        "is_signed": cycle.jury_report_signed_at is not None,
    }
