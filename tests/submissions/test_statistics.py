from django.db import connection
from django.test.utils import CaptureQueriesContext

from submissions.classifications import Topic
from submissions.selectors.statistics import (
    statistics_for_command,
    statistics_get,
    statistics_list_per_cycle,
)
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry, organisation

S = Status


def _zero_topics():
    return {**{t.value: 0 for t in Topic}, "unassigned": 0}


def _build(cycle):
    """Two cities in Brazil, one in Kenya, one in China; every kind of status."""
    rio = organisation("BR", name="Rio")
    recife = organisation("BR", name="Recife")
    nairobi = organisation("KE", name="Nairobi")
    wuhan = organisation("CN", name="Wuhan")
    entry(
        cycle=cycle,
        org=rio,
        status=S.WINNER,
        topic=Topic.SMART,
        goals=[11, 16],
        domains=["technology"],
    )
    entry(cycle=cycle, org=rio, status=S.SHORTLISTED, topic=Topic.SMART, goals=[11])
    entry(cycle=cycle, org=recife, status=S.MEDAL_OF_HONOR, topic=Topic.WASTE, goals=[12])
    entry(
        cycle=cycle,
        org=nairobi,
        status=S.DESERVING,
        goals=[1, 11],
        domains=["social_cultural", "technology"],
    )
    entry(cycle=cycle, org=nairobi, status=S.NOT_SELECTED)
    entry(cycle=cycle, org=wuhan, status=S.ELIGIBLE, topic=Topic.ENERGY)
    # Not counted as valid: ineligible, withdrawn; not received: draft.
    entry(cycle=cycle, org=organisation("FR"), status=S.INELIGIBLE, goals=[5], topic=Topic.SMART)
    entry(cycle=cycle, org=organisation("US"), status=S.WITHDRAWN, goals=[5])
    entry(cycle=cycle, org=organisation("AU"), status=S.DRAFT, goals=[5])


def test_statistics_get_counts_one_cycle_exactly(db):
    cycle = factories.CycleFactory(number=7)
    _build(cycle)
    entry(cycle=factories.CycleFactory(number=6), status=S.WINNER, country="DE")

    stats = statistics_get(cycle=cycle)

    assert stats["received"] == 8
    assert stats["valid"] == 6
    assert stats["cities"] == 4
    assert stats["countries"] == 3
    assert stats["by_continent"] == {
        "Africa": 2,
        "Asia": 1,
        "Europe": 0,
        "North America": 0,
        "Oceania": 0,
        "South America": 3,
    }
    assert stats["by_topic"] == {
        **_zero_topics(),
        Topic.SMART.value: 2,
        Topic.WASTE.value: 1,
        Topic.ENERGY.value: 1,
        "unassigned": 2,
    }
    assert stats["by_sdg"] == {
        **{str(n): 0 for n in range(1, 18)},
        "1": 1,
        "11": 3,
        "12": 1,
        "16": 1,
    }
    assert stats["funnel"] == {"valid": 6, "recognised": 4, "shortlisted": 3, "winners": 1}
    assert stats["by_country"] == {"BR": 3, "KE": 2, "CN": 1}
    assert stats["by_domain"] == {
        "social_cultural": 1,
        "economic": 0,
        "environmental": 0,
        "governance": 0,
        "technology": 2,
    }


def test_statistics_get_counts_imported_cycles_like_any_other(db):
    past = factories.CycleFactory(number=4)
    entry(
        cycle=past, status=S.WINNER, country="JP", imported=True, topic=Topic.RESILIENT, goals=[13]
    )
    entry(cycle=past, status=S.NOT_SELECTED, country="JP", imported=True)
    entry(cycle=past, status=S.INELIGIBLE, country="IT", imported=True)

    stats = statistics_for_command(cycle=past)

    assert stats == {
        "cycle": 4,
        "received": 3,
        "valid": 2,
        "cities": 2,
        "countries": 1,
        "by_continent": {
            "Africa": 0,
            "Asia": 2,
            "Europe": 0,
            "North America": 0,
            "Oceania": 0,
            "South America": 0,
        },
        "by_topic": {**_zero_topics(), Topic.RESILIENT.value: 1, "unassigned": 1},
        "by_sdg": {**{str(n): 0 for n in range(1, 18)}, "13": 1},
        "funnel": {"valid": 2, "recognised": 1, "shortlisted": 1, "winners": 1},
    }


def test_statistics_get_all_cycles_adds_them_up(db):
    current = factories.CycleFactory(number=7)
    _build(current)
    past = factories.CycleFactory(number=4)
    entry(cycle=past, status=S.WINNER, country="JP", imported=True)

    stats = statistics_get(cycle=None)

    assert stats["cycle"] == "all"
    assert stats["received"] == 9
    assert stats["valid"] == 7
    assert stats["cities"] == 5
    assert stats["countries"] == 4
    assert stats["funnel"] == {"valid": 7, "recognised": 5, "shortlisted": 4, "winners": 2}


def test_statistics_list_per_cycle_gives_one_row_per_cycle(db):
    current = factories.CycleFactory(number=7, year="2025/26")
    _build(current)
    past = factories.CycleFactory(number=4, year="2018")
    entry(cycle=past, status=S.WINNER, country="JP", imported=True)

    rows = statistics_list_per_cycle()

    assert rows == [
        {
            "number": 7,
            "year": "2025/26",
            "received": 8,
            "valid": 6,
            "recognised": 4,
            "shortlisted": 3,
            "winners": 1,
            "cities": 4,
            "countries": 3,
        },
        {
            "number": 4,
            "year": "2018",
            "received": 1,
            "valid": 1,
            "recognised": 1,
            "shortlisted": 1,
            "winners": 1,
            "cities": 1,
            "countries": 1,
        },
    ]


def _queries_for_stats(cycle):
    with CaptureQueriesContext(connection) as ctx:
        statistics_get(cycle=cycle)
    return len(ctx.captured_queries)


def test_statistics_get_query_count_does_not_grow_with_entries(db):
    cycle = factories.CycleFactory(number=7)
    _build(cycle)
    small = _queries_for_stats(cycle)
    for _n in range(30):
        entry(cycle=cycle, status=S.ELIGIBLE, country="IN", goals=[3, 4], topic=Topic.YOUTH)
    large = _queries_for_stats(cycle)
    assert small == large == 5


def test_statistics_live_cycle_counts_unscreened_entries_apart_from_valid(db):
    cycle = factories.CycleFactory(number=8)
    entry(cycle=cycle, status=S.SUBMITTED, country="IN", topic=Topic.SMART)
    entry(cycle=cycle, status=S.CLARIFICATION, country="IN")
    entry(cycle=cycle, status=S.ELIGIBLE, country="KE", topic=Topic.SMART)
    entry(cycle=cycle, status=S.INELIGIBLE, country="FR")

    stats = statistics_get(cycle=cycle)

    assert (stats["received"], stats["valid"], stats["awaiting_screening"]) == (4, 1, 2)
    assert (stats["cities"], stats["countries"]) == (1, 1)
    assert stats["by_topic"][Topic.SMART.value] == 1
    assert stats["funnel_cities"] == {
        "valid": 1,
        "recognised": 0,
        "shortlisted": 0,
        "winners": 0,
    }
