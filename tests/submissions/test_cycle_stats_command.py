import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from submissions.classifications import Topic
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry, organisation

S = Status
ZERO_CONTINENTS = {
    "Africa": 0,
    "Asia": 0,
    "Europe": 0,
    "North America": 0,
    "Oceania": 0,
    "South America": 0,
}


def _run(*args):
    out = StringIO()
    call_command("cycle_stats", *args, stdout=out)
    return json.loads(out.getvalue())


def _topics(**counts):
    result = {t.value: 0 for t in Topic}
    result["unassigned"] = 0
    result.update(counts)
    return result


def _sdgs(**counts):
    result = {str(n): 0 for n in range(1, 18)}
    result.update(counts)
    return result


def test_cycle_stats_prints_exactly_the_specified_object(db):
    cycle = factories.CycleFactory(number=7)
    lima = organisation("PE")
    entry(cycle=cycle, org=lima, status=S.WINNER, topic=Topic.INCLUSIVE, goals=[10, 11])
    entry(cycle=cycle, org=lima, status=S.DESERVING, topic=Topic.INCLUSIVE, goals=[11])
    entry(cycle=cycle, country="MX", status=S.SHORTLISTED)
    entry(cycle=cycle, country="CA", status=S.NOT_SELECTED, goals=[7])
    entry(cycle=cycle, country="NZ", status=S.INELIGIBLE, goals=[7])
    entry(cycle=cycle, country="NZ", status=S.DRAFT)

    assert _run("--cycle", "7") == {
        "cycle": 7,
        "received": 5,
        "valid": 4,
        "cities": 3,
        "countries": 3,
        "by_continent": {**ZERO_CONTINENTS, "North America": 2, "South America": 2},
        "by_topic": _topics(**{Topic.INCLUSIVE.value: 2, "unassigned": 2}),
        "by_sdg": _sdgs(**{"7": 1, "10": 1, "11": 2}),
        "funnel": {"valid": 4, "recognised": 3, "shortlisted": 2, "winners": 1},
    }


def test_cycle_stats_all_counts_imported_cycles_too(db):
    current = factories.CycleFactory(number=7)
    entry(cycle=current, country="EG", status=S.WINNER, goals=[6])
    past = factories.CycleFactory(number=3)
    entry(cycle=past, country="EG", status=S.DESERVING, imported=True, topic=Topic.ENVIRONMENT)
    entry(cycle=past, country="ES", status=S.WITHDRAWN, imported=True)

    assert _run("--all") == {
        "cycle": "all",
        "received": 3,
        "valid": 2,
        "cities": 2,
        "countries": 1,
        "by_continent": {**ZERO_CONTINENTS, "Africa": 2},
        "by_topic": _topics(**{Topic.ENVIRONMENT.value: 1, "unassigned": 1}),
        "by_sdg": _sdgs(**{"6": 1}),
        "funnel": {"valid": 2, "recognised": 2, "shortlisted": 1, "winners": 1},
    }


def test_cycle_stats_empty_cycle_prints_zeros(db):
    factories.CycleFactory(number=8)

    assert _run("--cycle", "8") == {
        "cycle": 8,
        "received": 0,
        "valid": 0,
        "cities": 0,
        "countries": 0,
        "by_continent": ZERO_CONTINENTS,
        "by_topic": _topics(),
        "by_sdg": _sdgs(),
        "funnel": {"valid": 0, "recognised": 0, "shortlisted": 0, "winners": 0},
    }


def test_cycle_stats_unknown_cycle_fails_with_a_message(db):
    with pytest.raises(CommandError) as error:
        _run("--cycle", "99")
    assert str(error.value) == "There is no cycle 99."
