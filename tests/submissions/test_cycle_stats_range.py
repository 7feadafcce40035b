"""cycle_stats --cycles: two past cycles imported from spreadsheets, every key checked
against figures counted by hand from those spreadsheets (the comments show the count)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

HEADER = "title,city,country,outcome,topic,sdgs,abstract,start_date,end_date,url,citation\n"
CYCLE_3 = HEADER + (
    "Sensor streets,Lyon,FR,winner,Smart city,11;9,,,,,For open data\n"
    "Open permits,Lyon,FR,deserving,Smart city,11,,,,,\n"
    "Market homes,Nairobi,KE,shortlisted,Inclusive community,1;10,,,,,\n"
    "River walk,Quito,EC,not_selected,,,,,,,\n"
    "Bus cards,Quito,EC,ineligible,Smart city,11,,,,,\n"
    "Sponge parks,Wuhan,CN,medal_of_honor,Resilient city,13,,,,,\n"
)
CYCLE_4 = HEADER + (
    "Flood maps,Lyon,FR,shortlisted,Resilient city,13;11,,,,,\n"
    "Winter lab,Montreal,CA,winner,Smart city,9,,,,,For its lab\n"
    "Elder hubs,Sydney,AU,deserving,Inclusive community,,,,,,\n"
    "Zero waste,Seoul,KR,not_selected,Urban waste management,12,,,,,\n"
    "Drought plan,Nairobi,KE,winner,Resilient city,13,,,,,For its plan\n"
)
CONTINENTS = ("Africa", "Asia", "Europe", "North America", "Oceania", "South America")
TOPICS = (
    "Urban waste management",
    "Energy saving and emission reduction",
    "Resilient city",
    "Smart city",
    "Resident engagement",
    "Inclusive community",
    "Government capacity building",
    "Urban public service improvement",
    "Urban economic development",
    "Urban renewal and infrastructure construction",
    "Youth development and civic education",
    "Environmental protection",
    "unassigned",
)


def continents(**counts):
    return {c: counts.get(c.replace(" ", "_"), 0) for c in CONTINENTS}


def topics(counts):
    return {t: counts.get(t, 0) for t in TOPICS}


def _import(tmp_path, number, text):
    path = tmp_path / f"cycle{number}.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_initiatives", str(path), cycle=number, stdout=StringIO())


def _stats(*args):
    out = StringIO()
    call_command("cycle_stats", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_cycle_stats_over_two_imported_cycles_matches_the_hand_count(tmp_path):
    _import(tmp_path, 3, CYCLE_3)
    _import(tmp_path, 4, CYCLE_4)

    assert _stats("--cycles", "4,3") == {
        "cycles": [3, 4],
        "received": 11,  # 6 + 5 rows
        "valid": 10,  # all but the ineligible bus cards
        "cities": 7,  # Lyon, Nairobi, Quito, Wuhan, Montreal, Sydney, Seoul
        "countries": 7,
        "by_continent": continents(
            Europe=3, Africa=2, South_America=1, Asia=2, North_America=1, Oceania=1
        ),
        "by_topic": topics(
            {
                "Smart city": 3,
                "Inclusive community": 2,
                "Resilient city": 3,
                "Urban waste management": 1,
                "unassigned": 1,
            }
        ),
        "by_sdg": {
            **{str(n): 0 for n in range(1, 18)},
            "1": 1,
            "9": 2,
            "10": 1,
            "11": 3,
            "12": 1,
            "13": 3,
        },
        "funnel": {"valid": 10, "recognised": 8, "shortlisted": 6, "winners": 3},
        "by_continent_by_cycle": {
            "3": continents(Europe=2, Africa=1, South_America=1, Asia=1),
            "4": continents(Europe=1, North_America=1, Oceania=1, Asia=1, Africa=1),
        },
        "winners_by_topic": topics({"Smart city": 2, "Resilient city": 1}),
        "by_topic_by_continent": {
            **{t: continents() for t in TOPICS},
            "Smart city": continents(Europe=2, North_America=1),
            "Inclusive community": continents(Africa=1, Oceania=1),
            "Resilient city": continents(Asia=1, Europe=1, Africa=1),
            "Urban waste management": continents(Asia=1),
            "unassigned": continents(South_America=1),
        },
    }


@pytest.mark.django_db
def test_cycle_stats_single_cycle_keys_stay_as_they_were(tmp_path):
    _import(tmp_path, 3, CYCLE_3)
    assert list(_stats("--cycle", "3")) == [
        "cycle",
        "received",
        "valid",
        "cities",
        "countries",
        "by_continent",
        "by_topic",
        "by_sdg",
        "funnel",
    ]


@pytest.mark.django_db
def test_cycle_stats_range_refuses_unknown_cycles_and_bad_numbers(tmp_path):
    _import(tmp_path, 3, CYCLE_3)
    with pytest.raises(CommandError) as missing:
        _stats("--cycles", "3,9")
    assert str(missing.value) == "There is no cycle 9."
    with pytest.raises(CommandError) as bad:
        _stats("--cycles", "3,four")
    assert str(bad.value) == "--cycles takes cycle numbers separated by commas, not '3,four'."
