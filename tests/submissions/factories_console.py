"""Helpers for the console, statistics and public-site tests: they make exactly the
rows they name, through the core factories."""

from django.utils import timezone

from submissions.continents import continent_of
from submissions.models import Attachment, SubmissionGoal
from submissions.workflow import Status
from tests import factories


def organisation(country: str = "BR", **kwargs):
    return factories.OrganisationFactory(country=country, continent=continent_of(country), **kwargs)


def entry(
    *,
    cycle,
    status: str = Status.ELIGIBLE,
    org=None,
    country: str = "BR",
    topic: str = "",
    goals=(),
    domains=(),
    **kwargs,
):
    """An entry in ``status`` with the given city, topic, SDGs and domains."""
    org = org or organisation(country)
    sub = factories.SubmissionFactory(
        cycle=cycle,
        organisation=org,
        status=status,
        topic=topic,
        domains=list(domains),
        title=kwargs.pop("title", f"Initiative of {org.name}"),
        submitted_at=None if status == Status.DRAFT else timezone.now(),
        **kwargs,
    )
    for goal in goals:
        SubmissionGoal.objects.create(submission=sub, goal=goal)
    return sub


def published_cycle(**kwargs):
    return factories.CycleFactory(results_published_at=timezone.now(), **kwargs)


def photo(*, submission, is_public=True, caption="A street"):
    return factories.AttachmentFactory(
        submission=submission,
        kind=Attachment.Kind.PHOTO,
        file__filename="street.png",
        file__data=b"\x89PNG\r\n\x1a\nfake",
        original_name="street.png",
        content_type="image/png",
        is_public=is_public,
        caption=caption,
    )
