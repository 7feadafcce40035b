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
from submissions.workflow import PUBLISHABLE, RECOGNISED, Status

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


def _public_photos() -> Prefetch:
    """Each entry's photos that its city marked public, as ``public_photos``."""
    return Prefetch(
        "attachments",
        queryset=Attachment.objects.filter(kind=Attachment.Kind.PHOTO, is_public=True).exclude(
            file=""
        ),
        to_attr="public_photos",
    )


def submission_get_published(
    *, pk: int | None = None, cycle_number: int | None = None, slug: str | None = None
) -> Submission | None:
    """One published initiative, by id or by its cycle and address, with its SDGs and
    its public photos, or None."""
    qs = submission_list_published().prefetch_related(_public_photos())
    if pk is not None:
        return qs.filter(pk=pk).first()
    return qs.filter(cycle__number=cycle_number, slug=slug).first()


# The narrative a recognised entry's case study shows, in the order it is told.
CASE_STUDY_FIELDS = (
    "problem",
    "innovation",
    "implementation",
    "results",
    "transferability",
    "lessons",
)


def case_study_sections(sub: Submission) -> list[tuple[str, str]]:
    """(heading, text) of the case study, or nothing.

    Only a recognised entry (deserving and above) whose city agreed to the publication
    of its narrative has a case study; the others stay a short record.
    """
    if sub.status not in RECOGNISED or not sub.publication_consent:
        return []
    return [
        (str(Submission._meta.get_field(name).verbose_name).capitalize(), getattr(sub, name))
        for name in CASE_STUDY_FIELDS
        if getattr(sub, name).strip()
    ]


def submission_list_related(*, sub: Submission, limit: int = 4) -> list[Submission]:
    """Published initiatives of other cities on the same topic or sharing an SDG,
    recognised ones first, newest cycle first. Three queries."""
    goals = [g.goal for g in sub.goals.all()]
    match = Q(pk__in=[])
    if sub.topic:
        match |= Q(topic=sub.topic)
    if goals:
        match |= Exists(SubmissionGoal.objects.filter(submission=OuterRef("pk"), goal__in=goals))
    return list(
        submission_list_published()
        .filter(match)
        .exclude(organisation=sub.organisation_id)
        .prefetch_related(_public_photos())[:limit]
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
    """A published cycle's recognised entries grouped by outcome, each with its public
    photos (three queries)."""
    groups: dict[str, list[Submission]] = {
        Status.WINNER: [],
        Status.MEDAL_OF_HONOR: [],
        Status.SHORTLISTED: [],
        Status.DESERVING: [],
    }
    entries = (
        submission_list_published()
        .filter(cycle=cycle, status__in=list(groups))
        .prefetch_related(_public_photos())
    )
    for sub in entries:
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


# The data dictionary of the open data: every field, its type and what it holds.
OPEN_DATA_DICTIONARY = {
    "reference": (_("text"), _("The entry's reference, e.g. GZA-6-0042: cycle and number.")),
    "title": (_("text"), _("The initiative's title, as the city wrote it.")),
    "subtitle": (_("text"), _("Its subtitle, if any.")),
    "city": (_("text"), _("The city or local government that entered it.")),
    "country": (_("text"), _("The country's English name.")),
    "continent": (
        _("text"),
        _(
            "One of the six continents of the award's statistics (North America includes "
            "Central America and the Caribbean)."
        ),
    ),
    "cycle": (_("number"), _("The award's cycle: 1 = 2012 … 7 = 2025/26.")),
    "year": (_("text"), _("The cycle's year(s).")),
    "outcome": (
        _("text"),
        _("Winner, Medal of Honor, Shortlisted, Expert-recommended or Participant."),
    ),
    "topic": (_("text"), _("One of the 12 analytical topics, given by the Secretariat.")),
    "sdgs": (
        _("list of numbers"),
        _(
            "The Sustainable Development Goals (1–17) the initiative serves; in CSV, "
            "separated by spaces."
        ),
    ),
    "domains": (
        _("list of words"),
        _(
            "social_cultural, economic, environmental, governance, technology; in CSV, "
            "separated by spaces."
        ),
    ),
    "start_date": (_("date (YYYY-MM-DD)"), _("When the initiative started.")),
    "end_date": (_("date (YYYY-MM-DD)"), _("When it ended; empty while it runs.")),
    "ongoing": (_("true/false"), _("Whether it still runs.")),
    "abstract": (_("text"), _("The city's abstract (at most 150 words).")),
    "citation": (_("text"), _("The jury's citation, for winners and Medals of Honor.")),
    "url": (_("address"), _("The initiative's page on this site.")),
}


def open_data_row(sub: Submission, *, base_url: str = "") -> dict:
    """The open-data record of one published initiative (no contacts, no scores)."""
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
        "url": base_url + sub.get_public_url(),
    }


def publication_list_public(*, q: str = "", cycle: int | None = None) -> QuerySet:
    """The reports library, newest first: every publication, or those of one cycle,
    or those whose title or description has the words of ``q``."""
    from submissions.models import Publication

    qs = Publication.objects.select_related("cycle")
    if cycle:
        qs = qs.filter(cycle__number=cycle)
    for word in q.split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs
