"""Giving published initiatives their readable addresses."""

from submissions.models import Cycle, Submission
from submissions.slugs import make_slug
from submissions.workflow import PUBLISHABLE


def submission_assign_slugs(*, cycle: Cycle) -> int:
    """Give every publishable entry of ``cycle`` that has none its address.

    An address once given never changes (links to it stay valid), so entries that
    already have one keep it. Idempotent; returns how many were given. Two queries
    and one bulk update.
    """
    taken = set(cycle.submissions.exclude(slug="").values_list("slug", flat=True))
    entries = list(
        cycle.submissions.filter(status__in=PUBLISHABLE, slug="")
        .select_related("organisation")
        .order_by("sequence")
    )
    for entry in entries:
        entry.slug = make_slug(
            city=entry.organisation.name, title=entry.title, reference=entry.reference, taken=taken
        )
    Submission.objects.bulk_update(entries, ["slug"], batch_size=500)
    return len(entries)
