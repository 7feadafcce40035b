"""What the public may see: published cycles and their published initiatives.

An entry is public only when its cycle's results are published AND its status is
one of ``workflow.PUBLISHABLE``. Nothing here ever reads scores, reviews, contacts or
the audit trail; every public page and download goes through these functions.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from submissions.continents import CONTINENT_BY_COUNTRY
from submissions.models import Attachment, Cycle, Submission, SubmissionGoal
from submissions.workflow import PUBLISHABLE, Status

# The outcome as the public reads it, best first.
PUBLIC_OUTCOMES = {
    Status.WINNER: _("Winner"),
    Status.MEDAL_OF_HONOR: _("Medal of Honor"),
    Status.SPECIAL_MENTION: _("Special Mention"),
    Status.SHORTLISTED: _("Shortlisted"),
    Status.DESERVING: _("Expert-recommended"),
    Status.NOT_SELECTED: _("Participant"),
}
OUTCOME_ORDER = list(PUBLIC_OUTCOMES)
# Statuses whose jury citation is published.
CITED = (Status.WINNER, Status.MEDAL_OF_HONOR, Status.SPECIAL_MENTION)


def outcome_label(status: str) -> str:
    return str(PUBLIC_OUTCOMES.get(status, ""))


def _outcome_rank():
    return Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(OUTCOME_ORDER)],
        default=Value(len(OUTCOME_ORDER)),
        output_field=IntegerField(),
    )


def cycle_list_published() -> QuerySet:
    """Published cycles, newest first."""
    return Cycle.objects.filter(results_published_at__isnull=False).order_by("-number")


def cycle_get_published(*, number: int) -> Cycle | None:
    return (
        cycle_list_published()
        .select_related("city_of_your_choice__organisation")
        .filter(number=number)
        .first()
    )


def submission_list_published() -> QuerySet:
    """Every published initiative of every cycle, with its cycle, city and SDGs."""
    return (
        Submission.objects.filter(cycle__results_published_at__isnull=False, status__in=PUBLISHABLE)
        .select_related("cycle", "organisation")
        .prefetch_related(Prefetch("goals", queryset=SubmissionGoal.objects.order_by("goal")))
        .annotate(outcome_rank=_outcome_rank())
        .order_by("-cycle__number", "outcome_rank", "title", "pk")
    )


@dataclass
class DatabaseFilters:
    q: str = ""
    cycle: int | None = None
    outcome: str = ""
    continent: str = ""
    country: str = ""
    topic: str = ""
    sdg: int | None = None


def submission_search_published(filters: DatabaseFilters) -> QuerySet:
    """The published initiatives matching ``filters``: full-text search on Postgres,
    a plain case-insensitive match elsewhere."""
    qs = submission_list_published()
    if filters.cycle:
        qs = qs.filter(cycle__number=filters.cycle)
    if filters.outcome:
        qs = qs.filter(status=filters.outcome)
    if filters.continent:
        codes = [code for code, name in CONTINENT_BY_COUNTRY.items() if name == filters.continent]
        qs = qs.filter(organisation__country__in=codes)
    if filters.country:
        qs = qs.filter(organisation__country=filters.country)
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.sdg:
        qs = qs.filter(
            Exists(SubmissionGoal.objects.filter(submission=OuterRef("pk"), goal=filters.sdg))
        )
    q = filters.q.strip()
    if q:
        if settings.USES_POSTGRES:
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = (
                SearchVector("title", weight="A")
                + SearchVector("organisation__name", weight="A")
                + SearchVector("subtitle", "umbrella_title", weight="B")
                + SearchVector("abstract", "citation", weight="C")
            )
            qs = qs.annotate(search=vector).filter(
                search=SearchQuery(q, search_type="websearch", config="english")
            )
        else:
            qs = qs.filter(
                Q(title__icontains=q)
                | Q(subtitle__icontains=q)
                | Q(umbrella_title__icontains=q)
                | Q(abstract__icontains=q)
                | Q(organisation__name__icontains=q)
            )
    return qs


def submission_get_published(*, pk: int) -> Submission | None:
    """One published initiative with its SDGs and its public photos, or None."""
    return (
        submission_list_published()
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(kind=Attachment.Kind.PHOTO, is_public=True),
                to_attr="public_photos",
            )
        )
        .filter(pk=pk)
        .first()
    )


def attachment_get_public_photo(*, pk: int) -> Attachment | None:
    """A photo the public may see: marked public by its city, of a published entry."""
    return (
        Attachment.objects.filter(
            pk=pk,
            kind=Attachment.Kind.PHOTO,
            is_public=True,
            submission__status__in=PUBLISHABLE,
            submission__cycle__results_published_at__isnull=False,
        )
        .exclude(file="")
        .first()
    )


def cycle_results_groups(*, cycle: Cycle) -> dict[str, list[Submission]]:
    """A published cycle's recognised entries grouped by outcome (two queries)."""
    groups: dict[str, list[Submission]] = {
        Status.WINNER: [],
        Status.MEDAL_OF_HONOR: [],
        Status.SHORTLISTED: [],
        Status.DESERVING: [],
    }
    for sub in submission_list_published().filter(cycle=cycle, status__in=list(groups)):
        groups[sub.status].append(sub)
    return groups


OPEN_DATA_FIELDS = (
    "reference",
    "title",
    "subtitle",
    "city",
    "country",
    "continent",
    "cycle",
    "year",
    "outcome",
    "topic",
    "sdgs",
    "domains",
    "start_date",
    "end_date",
    "ongoing",
    "abstract",
    "citation",
    "url",
)


def open_data_row(sub: Submission, *, base_url: str = "") -> dict:
    """The open-data record of one published initiative (no contacts, no scores)."""
    from django.urls import reverse

    return {
        "reference": sub.reference,
        "title": sub.title,
        "subtitle": sub.subtitle,
        "city": sub.organisation.name,
        "country": sub.organisation.country.name,
        "continent": CONTINENT_BY_COUNTRY.get(sub.organisation.country.code, ""),
        "cycle": sub.cycle.number,
        "year": sub.cycle.year,
        "outcome": outcome_label(sub.status),
        "topic": sub.topic,
        "sdgs": [g.goal for g in sub.goals.all()],
        "domains": list(sub.domains or []),
        "start_date": sub.start_date.isoformat() if sub.start_date else "",
        "end_date": sub.end_date.isoformat() if sub.end_date else "",
        "ongoing": sub.ongoing,
        "abstract": sub.abstract,
        "citation": sub.citation if sub.status in CITED else "",
        "url": base_url + reverse("public:initiative", args=[sub.pk]),
    }
