"""The award's published statistics, per cycle and across cycles.

Every function here runs a fixed, small number of aggregate queries whatever the
number of entries: counts come from ``values().annotate(Count())`` in the database.
"""

from collections import Counter

from django.db.models import Count, Q, QuerySet

from submissions.classifications import Domain, Topic
from submissions.continents import Continent, continent_of
from submissions.models import Cycle, Submission, SubmissionGoal
from submissions.workflow import RECEIVED, RECOGNISED, SHORTLISTED_OR_BETTER, VALID, Status

UNASSIGNED = "unassigned"
OUTCOME_STATUSES = (
    Status.WINNER,
    Status.SPECIAL_MENTION,
    Status.MEDAL_OF_HONOR,
    Status.SHORTLISTED,
    Status.DESERVING,
    Status.NOT_SELECTED,
)


def _entries(cycle: Cycle | None) -> QuerySet:
    qs = Submission.objects.all()
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs


def statistics_get(*, cycle: Cycle | None = None) -> dict:
    """The statistics of one cycle, or of every cycle together when ``cycle`` is None.

    Returns the numbers ``cycle_stats`` prints (received, valid, cities, countries,
    by_continent, by_topic, by_sdg, funnel) plus ``by_country`` (ISO code → count,
    largest first) and ``by_domain``. Every continent, topic and SDG is present,
    with 0 when no entry has it. Five queries.
    """
    entries = _entries(cycle)
    valid = entries.filter(status__in=VALID)
    totals = entries.aggregate(
        received=Count("pk", filter=Q(status__in=RECEIVED)),
        valid=Count("pk", filter=Q(status__in=VALID)),
        recognised=Count("pk", filter=Q(status__in=RECOGNISED)),
        shortlisted=Count("pk", filter=Q(status__in=SHORTLISTED_OR_BETTER)),
        winners=Count("pk", filter=Q(status=Status.WINNER)),
        **{
            f"outcome_{status}": Count("pk", filter=Q(status=status)) for status in OUTCOME_STATUSES
        },
        cities=Count("organisation", distinct=True, filter=Q(status__in=VALID)),
        countries=Count("organisation__country", distinct=True, filter=Q(status__in=VALID)),
    )
    by_country_rows = (
        valid.values("organisation__country")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__country")
    )
    by_country = {row["organisation__country"]: row["n"] for row in by_country_rows}
    by_continent = {str(c.value): 0 for c in Continent}
    for code, n in by_country.items():
        name = continent_of(code)
        if name:
            by_continent[name] += n
    by_topic = {str(t.value): 0 for t in Topic}
    by_topic[UNASSIGNED] = 0
    for row in valid.values("topic").annotate(n=Count("pk")):
        by_topic[row["topic"] or UNASSIGNED] += row["n"]
    by_sdg = {str(n): 0 for n in range(1, 18)}
    for row in (
        SubmissionGoal.objects.filter(submission__in=valid.values("pk"))
        .values("goal")
        .annotate(n=Count("submission", distinct=True))
    ):
        by_sdg[str(row["goal"])] = row["n"]
    # Domains are a JSON list per entry: one query for the lists, counted here.
    domain_counts = Counter()
    for domains in valid.values_list("domains", flat=True):
        domain_counts.update(set(domains or []))
    by_domain = {str(d.value): domain_counts.get(d.value, 0) for d in Domain}
    return {
        "cycle": cycle.number if cycle is not None else "all",
        "received": totals["received"],
        "valid": totals["valid"],
        "cities": totals["cities"],
        "countries": totals["countries"],
        "by_continent": by_continent,
        "by_topic": by_topic,
        "by_sdg": by_sdg,
        "funnel": {
            "valid": totals["valid"],
            "recognised": totals["recognised"],
            "shortlisted": totals["shortlisted"],
            "winners": totals["winners"],
        },
        "by_country": by_country,
        "by_domain": by_domain,
        # Every decided outcome, the jury's special mentions included.
        "outcomes": {str(s): totals[f"outcome_{s}"] for s in OUTCOME_STATUSES},
    }


CLI_KEYS = (
    "cycle",
    "received",
    "valid",
    "cities",
    "countries",
    "by_continent",
    "by_topic",
    "by_sdg",
    "funnel",
)


def statistics_for_command(*, cycle: Cycle | None = None) -> dict:
    """Exactly the object ``manage.py cycle_stats`` prints."""
    stats = statistics_get(cycle=cycle)
    return {key: stats[key] for key in CLI_KEYS}


def statistics_list_per_cycle() -> list[dict]:
    """One row per cycle (newest first): received, valid, cities, countries and the
    funnel. One query."""
    rows = (
        Cycle.objects.annotate(
            received=Count("submissions", filter=Q(submissions__status__in=RECEIVED)),
            valid=Count("submissions", filter=Q(submissions__status__in=VALID)),
            recognised=Count("submissions", filter=Q(submissions__status__in=RECOGNISED)),
            shortlisted=Count(
                "submissions", filter=Q(submissions__status__in=SHORTLISTED_OR_BETTER)
            ),
            winners=Count("submissions", filter=Q(submissions__status=Status.WINNER)),
            cities=Count(
                "submissions__organisation",
                distinct=True,
                filter=Q(submissions__status__in=VALID),
            ),
            countries=Count(
                "submissions__organisation__country",
                distinct=True,
                filter=Q(submissions__status__in=VALID),
            ),
        )
        .order_by("-number")
        .values(
            "number",
            "year",
            "received",
            "valid",
            "recognised",
            "shortlisted",
            "winners",
            "cities",
            "countries",
        )
    )
    return list(rows)


def statistics_table_rows(stats: dict) -> list[tuple[str, str, int]]:
    """The statistics as (section, label, count) rows, for CSV and XLSX downloads."""
    from django_countries import countries as country_names

    rows: list[tuple[str, str, int]] = [
        ("total", "received", stats["received"]),
        ("total", "valid", stats["valid"]),
        ("total", "cities", stats["cities"]),
        ("total", "countries", stats["countries"]),
    ]
    rows += [("funnel", key, value) for key, value in stats["funnel"].items()]
    rows += [("outcome", key, value) for key, value in stats.get("outcomes", {}).items()]
    rows += [("continent", key, value) for key, value in stats["by_continent"].items()]
    rows += [
        ("country", str(country_names.name(code) or code), value)
        for code, value in stats["by_country"].items()
    ]
    rows += [("topic", key, value) for key, value in stats["by_topic"].items()]
    rows += [("sdg", key, value) for key, value in stats["by_sdg"].items()]
    rows += [("domain", str(Domain(key).label), value) for key, value in stats["by_domain"].items()]
    return rows
