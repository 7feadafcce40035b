"""The award's published statistics: one cycle, a range of cycles, or all of them.

Every function here runs a fixed, small number of aggregate queries whatever the
number of entries: counts come from ``values().annotate(Count())`` in the database,
and what is summed in Python is bounded by countries × topics × cycles, never by
entries.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from submissions.classifications import Domain, Topic
from submissions.continents import Continent, continent_of
from submissions.models import Cycle, Submission, SubmissionGoal
from submissions.public_cache import public_cache_key
from submissions.workflow import (
    AWAITING_SCREENING,
    RECEIVED,
    RECOGNISED,
    SHORTLISTED_OR_BETTER,
    VALID,
    Status,
)

UNASSIGNED = "unassigned"
# The funnel's stages, each with the statuses it counts.
FUNNEL = {
    "valid": VALID,
    "recognised": RECOGNISED,
    "shortlisted": SHORTLISTED_OR_BETTER,
    "winners": frozenset({Status.WINNER}),
}
OUTCOME_STATUSES = (
    Status.WINNER,
    Status.SPECIAL_MENTION,
    Status.MEDAL_OF_HONOR,
    Status.SHORTLISTED,
    Status.DESERVING,
    Status.NOT_SELECTED,
)


def _zero_continents() -> dict[str, int]:
    return {str(c.value): 0 for c in Continent}


def _zero_topics() -> dict[str, int]:
    return {**{str(t.value): 0 for t in Topic}, UNASSIGNED: 0}


def _entries(cycles: Sequence[Cycle] | None) -> QuerySet:
    qs = Submission.objects.all()
    if cycles is not None:
        qs = qs.filter(cycle__in=[c.pk for c in cycles])
    return qs


def _totals(entries: QuerySet) -> dict:
    """Entries and distinct cities at each stage of the funnel, in one query."""
    counts = {
        "received": Count("pk", filter=Q(status__in=RECEIVED)),
        "awaiting_screening": Count("pk", filter=Q(status__in=AWAITING_SCREENING)),
        "countries": Count("organisation__country", distinct=True, filter=Q(status__in=VALID)),
    }
    for status in OUTCOME_STATUSES:
        counts[f"outcome_{status}"] = Count("pk", filter=Q(status=status))
    for stage, statuses in FUNNEL.items():
        counts[stage] = Count("pk", filter=Q(status__in=statuses))
        counts[f"{stage}_cities"] = Count(
            "organisation", distinct=True, filter=Q(status__in=statuses)
        )
    return entries.aggregate(**counts)


def statistics_get(*, cycle: Cycle | None = None, cycles: Sequence[Cycle] | None = None) -> dict:
    """The statistics of one cycle (``cycle``), of a range (``cycles``), or of every
    cycle together (neither).

    Returns the numbers ``cycle_stats`` prints (received, valid, cities, countries,
    by_continent, by_topic, by_sdg, funnel) plus ``awaiting_screening`` (received but
    not yet screened: a live cycle's), ``funnel_cities`` (the funnel in distinct
    cities), ``by_country`` (ISO code → count, largest first), ``by_domain``,
    ``by_continent_by_cycle`` (the reports' Table 1-1), ``by_topic_by_continent``,
    ``winners_by_topic`` and ``shortlisted_by_topic``. Every continent, topic and SDG
    is present, with 0 when no entry has it. Over a range, cities and countries are
    distinct across the range. Five queries.
    """
    if cycle is not None:
        cycles = [cycle]
    entries = _entries(cycles)
    valid = entries.filter(status__in=VALID)
    totals = _totals(entries)

    # Valid entries per (cycle, country): by country, by continent, and both per cycle.
    by_country_counter: Counter = Counter()
    by_continent_by_cycle: dict[str, dict[str, int]] = {}
    if cycles is not None:
        by_continent_by_cycle = {str(c.number): _zero_continents() for c in cycles}
    for row in valid.values("cycle__number", "organisation__country").annotate(n=Count("pk")):
        code, n = row["organisation__country"], row["n"]
        by_country_counter[code] += n
        per_cycle = by_continent_by_cycle.setdefault(str(row["cycle__number"]), _zero_continents())
        if continent_of(code):
            per_cycle[continent_of(code)] += n
    by_country = dict(sorted(by_country_counter.items(), key=lambda item: (-item[1], item[0])))
    by_continent = _zero_continents()
    for code, n in by_country.items():
        if continent_of(code):
            by_continent[continent_of(code)] += n

    # Valid, shortlisted and winning entries per (topic, country).
    by_topic, winners_by_topic, shortlisted_by_topic = (
        _zero_topics(),
        _zero_topics(),
        _zero_topics(),
    )
    by_topic_by_continent = {topic: _zero_continents() for topic in _zero_topics()}
    topic_rows = valid.values("topic", "organisation__country").annotate(
        n=Count("pk"),
        winners=Count("pk", filter=Q(status=Status.WINNER)),
        shortlisted=Count("pk", filter=Q(status__in=SHORTLISTED_OR_BETTER)),
    )
    for row in topic_rows:
        topic = row["topic"] or UNASSIGNED
        by_topic[topic] += row["n"]
        winners_by_topic[topic] += row["winners"]
        shortlisted_by_topic[topic] += row["shortlisted"]
        continent = continent_of(row["organisation__country"])
        if continent:
            by_topic_by_continent[topic][continent] += row["n"]

    by_sdg = {str(n): 0 for n in range(1, 18)}
    for row in (
        SubmissionGoal.objects.filter(submission__in=valid.values("pk"))
        .values("goal")
        .annotate(n=Count("submission", distinct=True))
    ):
        by_sdg[str(row["goal"])] = row["n"]
    # Domains are a JSON list per entry: the database counts the entries whose list
    # holds each domain (an entry once, however often its list repeats it).
    domain_counts = valid.aggregate(
        **{f"domain_{d.value}": Count("pk", filter=_has_domain(d.value)) for d in Domain}
    )
    by_domain = {str(d.value): domain_counts[f"domain_{d.value}"] for d in Domain}

    if cycle is not None:
        label = cycle.number
    elif cycles is not None:
        label = "-".join(str(c.number) for c in cycles)
    else:
        label = "all"
    return {
        "cycle": label,
        "cycles": sorted(c.number for c in cycles) if cycles is not None else "all",
        "received": totals["received"],
        "valid": totals["valid"],
        "awaiting_screening": totals["awaiting_screening"],
        "cities": totals["valid_cities"],
        "countries": totals["countries"],
        "by_continent": by_continent,
        "by_topic": by_topic,
        "by_sdg": by_sdg,
        "funnel": {stage: totals[stage] for stage in FUNNEL},
        "funnel_cities": {stage: totals[f"{stage}_cities"] for stage in FUNNEL},
        "by_country": by_country,
        "by_domain": by_domain,
        "by_continent_by_cycle": dict(sorted(by_continent_by_cycle.items(), key=_cycle_key)),
        "by_topic_by_continent": by_topic_by_continent,
        "winners_by_topic": winners_by_topic,
        "shortlisted_by_topic": shortlisted_by_topic,
        # Every decided outcome, the jury's special mentions included.
        "outcomes": {str(s): totals[f"outcome_{s}"] for s in OUTCOME_STATUSES},
    }


def _has_domain(value: str) -> Q:
    """Entries whose ``domains`` list holds ``value``. On Postgres the JSON containment
    operator (``@>``); elsewhere (SQLite has no JSON containment lookup) the quoted
    value in the list's JSON text: domains are plain ASCII words, so ``"economic"``
    matches that element and nothing else."""
    if connection.vendor == "postgresql":
        return Q(domains__contains=[value])
    return Q(domains__icontains=f'"{value}"')


def _cycle_key(item):
    return int(item[0])


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
RANGE_KEYS = (
    "cycles",
    "received",
    "valid",
    "cities",
    "countries",
    "by_continent",
    "by_topic",
    "by_sdg",
    "funnel",
    "by_continent_by_cycle",
    "winners_by_topic",
    "by_topic_by_continent",
)


def statistics_for_command(
    *, cycle: Cycle | None = None, cycles: Sequence[Cycle] | None = None
) -> dict:
    """Exactly the object ``manage.py cycle_stats`` prints: the single-cycle (or all
    cycles) keys as they always were, or the range keys for ``--cycles``."""
    stats = statistics_get(cycle=cycle, cycles=cycles)
    keys = RANGE_KEYS if cycles is not None else CLI_KEYS
    return {key: stats[key] for key in keys}


def cycle_list_by_numbers(numbers: Sequence[int]) -> tuple[list[Cycle], list[int]]:
    """The cycles with these numbers (in number order) and the numbers that have none."""
    found = {c.number: c for c in Cycle.objects.filter(number__in=numbers)}
    wanted = sorted(set(numbers))
    return [found[n] for n in wanted if n in found], [n for n in wanted if n not in found]


def statistics_list_per_cycle() -> list[dict]:
    """One row per cycle (newest first): received, valid, awaiting screening, cities,
    countries and the funnel. One query."""
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
        ("total", "awaiting screening", stats["awaiting_screening"]),
    ]
    rows += [("funnel", key, value) for key, value in stats["funnel"].items()]
    rows += [("funnel (cities)", key, value) for key, value in stats["funnel_cities"].items()]
    rows += [("outcome", key, value) for key, value in stats.get("outcomes", {}).items()]
    rows += [("continent", key, value) for key, value in stats["by_continent"].items()]
    rows += [
        (f"continent, cycle {number}", key, value)
        for number, continents in stats["by_continent_by_cycle"].items()
        for key, value in continents.items()
    ]
    rows += [
        ("country", str(country_names.name(code) or code), value)
        for code, value in stats["by_country"].items()
    ]
    rows += [("topic", key, value) for key, value in stats["by_topic"].items()]
    rows += [("topic, winners", key, value) for key, value in stats["winners_by_topic"].items()]
    rows += [
        ("topic, shortlisted", key, value) for key, value in stats["shortlisted_by_topic"].items()
    ]
    rows += [
        (f"topic by continent: {topic}", continent, value)
        for topic, continents in stats["by_topic_by_continent"].items()
        for continent, value in continents.items()
    ]
    rows += [("sdg", key, value) for key, value in stats["by_sdg"].items()]
    rows += [("domain", str(Domain(key).label), value) for key, value in stats["by_domain"].items()]
    return rows


# Over the award's whole history the console's statistics take a few hundred
# milliseconds of database time; a Secretariat reloading the page (or several staff at
# once on a deadline day) should not pay it every time. They are recounted at most
# this often per scope, and at once after anything the workflow or a publication
# changes (the key carries the public cache's generation, which those bump).
RECOUNT_SECONDS = 60


def statistics_recounted(
    *, cycle: Cycle | None = None, cycles: Sequence[Cycle] | None = None
) -> dict:
    """{"stats", "per_cycle", "counted_at"}: the console's statistics for one cycle, a
    range or all cycles, counted at most RECOUNT_SECONDS ago."""
    scope = cycle.number if cycle else "-".join(str(c.number) for c in cycles or []) or "all"
    key = public_cache_key("console-statistics", "range" if cycles else "cycle", scope)
    counted = cache.get(key)
    now = timezone.now()
    # The age is read from the counts themselves, not left to the cache's expiry: the
    # portal's clock decides (Redis expires keys by its own).
    if counted is None or now - counted["counted_at"] > timedelta(seconds=RECOUNT_SECONDS):
        counted = {
            "stats": statistics_get(cycle=cycle, cycles=cycles),
            "per_cycle": statistics_list_per_cycle(),
            "counted_at": now,
        }
        cache.set(key, counted, timeout=RECOUNT_SECONDS)
    return counted
