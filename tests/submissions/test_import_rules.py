"""The import's rules one by one: each column's check at its limits, the header, the
checks across rows, and what an import writes (or, refused, does not write)."""

import datetime as dt

import pytest

from submissions.models import Cycle, Organisation, StatusChange, Submission
from submissions.services.importing import (
    CYCLE_YEARS,
    ImportFailed,
    check_sdgs,
    country_code,
    initiatives_import,
    parse_rows,
)
from tests import factories

HEADER = "title,city,country,outcome"


def _problems(text):
    rows, problems = parse_rows(text)
    return problems


# Each column's check: the refused value, named with its row and column.
def test_import_goal_numbers_1_and_17_are_accepted_0_and_18_refused():
    assert check_sdgs("1;17") == ([1, 17], [])
    assert check_sdgs("18") == ([], ["“18” is not a goal number from 1 to 17"])
    assert _problems(f"{HEADER},sdgs\nParks,Lumen,EE,winner,1;17;0\n") == [
        "line 2: sdgs: “0” is not a goal number from 1 to 17"
    ]


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("title", "x" * 301, "is longer than 300 characters"),
        ("country", "Atlantis", "unknown country “Atlantis”"),
        (
            "outcome",
            "champion",
            "must be one of deserving, ineligible, medal_of_honor, not_selected, "
            "shortlisted, special_mention, winner",
        ),
        ("topic", "Dancing", "unknown topic “Dancing”"),
        ("sdgs", "18", "“18” is not a goal number from 1 to 17"),
        ("start_date", "2020-02-30", "“2020-02-30” is not a date (YYYY-MM-DD)"),
        ("end_date", "30/06/2020", "“30/06/2020” is not a date (YYYY-MM-DD)"),
        ("url", "example.org", "“example.org” is not a web address"),
        ("public_vote_title", "maybe", "must be “yes” or empty"),
    ],
)
def test_import_each_column_refuses_its_bad_value_naming_row_and_column(column, value, problem):
    good = {column: "", "title": "Parks", "city": "Lumen", "country": "EE", "outcome": "winner"}
    bad = {**good, "title": "Buses", column: value}
    text = "".join(",".join(row) + "\n" for row in (good, good.values(), bad.values()))
    rows, problems = parse_rows(text)
    assert problems == [f"line 3: {column}: {problem}"]
    assert [r.line for r in rows] == [2]


def test_import_country_code_from_a_code_or_a_name_in_any_case():
    assert country_code("es") == "ES"
    assert country_code(" es ") == "ES"
    assert country_code("spain") == "ES"
    assert country_code("XX") is None
    assert country_code("Atlantis") is None
    assert country_code("") is None
    assert country_code(None) is None


# The header and the shape of the rows.
def test_import_header_is_read_in_any_case_and_with_spaces():
    rows, problems = parse_rows(" Title , CITY ,Country,OUTCOME\nParks,Lumen,EE,winner\n")
    assert problems == []
    assert [(r.title, r.city, r.country, r.outcome) for r in rows] == [
        ("Parks", "Lumen", "EE", "winner")
    ]


def test_import_an_empty_file_misses_every_required_column():
    assert parse_rows("") == (
        [],
        [
            "line 1: title: required column is missing",
            "line 1: city: required column is missing",
            "line 1: country: required column is missing",
            "line 1: outcome: required column is missing",
        ],
    )


def test_import_rows_longer_or_shorter_than_the_header_are_read():
    text = f"{HEADER},topic\nParks,Lumen,EE,winner,,extra cell\nBuses,Valdoria,ES,deserving\n"
    rows, problems = parse_rows(text)
    assert problems == []
    assert [(r.line, r.title, r.topic) for r in rows] == [(2, "Parks", ""), (3, "Buses", "")]


# The checks across rows.
def test_import_the_same_initiative_twice_is_named_even_after_a_bad_first_row():
    text = f"{HEADER},topic\nParks,Lumen,EE,winner,Dancing\nparks,LUMEN,ee,winner,\n"
    assert _problems(text) == [
        "line 2: topic: unknown topic “Dancing”",
        "line 3: title: the same initiative is already on line 2",
    ]


def test_import_the_same_title_in_another_city_or_country_is_another_initiative():
    text = f"{HEADER}\nParks,Lumen,EE,winner\nParks,Valdoria,EE,winner\nParks,Lumen,FI,winner\n"
    rows, problems = parse_rows(text)
    assert problems == []
    assert [r.line for r in rows] == [2, 3, 4]


def test_import_a_refused_vote_title_row_leaves_the_title_to_a_later_row():
    text = (
        f"{HEADER},public_vote_title\n"
        "Parks,Lumen,EE,deserving,yes\n"
        "Buses,Valdoria,ES,shortlisted,yes\n"
        "Trams,Mbale,KE,winner,no\n"
    )
    rows, problems = parse_rows(text)
    assert problems == [
        "line 2: public_vote_title: only a shortlisted entry can win the public vote"
    ]
    assert [(r.line, r.public_vote_title) for r in rows] == [(3, True), (4, False)]


# What an import writes, and that a refused one writes nothing.
@pytest.mark.django_db
def test_import_refused_lists_every_problem_and_writes_nothing():
    factories.CycleFactory(number=4, year="2018", public_vote_title="Kept")
    text = f"{HEADER},sdgs\nParks,Lumen,EE,winner,11\nBuses,,ES,winner,\nTrams,Mbale,KE,winner,99\n"
    with pytest.raises(ImportFailed) as refused:
        initiatives_import(text=text, cycle_number=4, vote_title_name="Online Popular City")
    expected = [
        "line 3: city: is empty",
        "line 4: sdgs: “99” is not a goal number from 1 to 17",
    ]
    assert refused.value.problems == expected
    assert str(refused.value) == "\n".join(expected)
    assert Submission.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert Cycle.objects.get().public_vote_title == "Kept"


@pytest.mark.django_db
def test_import_result_counts_what_was_created_and_what_was_already_there():
    factories.OrganisationFactory(name="Lumen", country="EE")
    text = (
        f"{HEADER}\nParks,Lumen,EE,winner\nBuses,Valdoria,ES,deserving\nTrams,valdoria,ES,winner\n"
    )
    first = initiatives_import(text=text, cycle_number=4)
    assert (
        first.created,
        first.unchanged,
        first.organisations_created,
        first.cycle_created,
    ) == (3, 0, 1, True)
    again = initiatives_import(text=text, cycle_number=4)
    assert (
        again.created,
        again.unchanged,
        again.organisations_created,
        again.cycle_created,
    ) == (0, 3, 0, False)
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(("number", "year"), [*CYCLE_YEARS.items(), (8, "")])
@pytest.mark.django_db
def test_import_a_created_cycle_gets_the_award_calendar_year(number, year):
    initiatives_import(text=f"{HEADER}\nParks,Lumen,EE,winner\n", cycle_number=number)
    assert Cycle.objects.get(number=number).year == year


def test_import_the_award_calendar():
    assert CYCLE_YEARS == {
        1: "2012",
        2: "2014",
        3: "2016",
        4: "2018",
        5: "2020/21",
        6: "2023/24",
        7: "2025/26",
    }


@pytest.mark.django_db
def test_import_vote_title_name_is_trimmed_cut_at_100_and_kept_when_not_given():
    factories.CycleFactory(number=4, year="2018", public_vote_title="Online Popular City")
    row = f"{HEADER}\nParks,Lumen,EE,winner\n"
    initiatives_import(text=row, cycle_number=4, vote_title_name="   ")
    assert Cycle.objects.get(number=4).public_vote_title == "Online Popular City"
    initiatives_import(text=row, cycle_number=4, vote_title_name=" " + "v" * 120 + " ")
    assert Cycle.objects.get(number=4).public_vote_title == "v" * 100
    initiatives_import(text=row, cycle_number=4, vote_title_name=" City of Your Choice ")
    assert Cycle.objects.get(number=4).public_vote_title == "City of Your Choice"


@pytest.mark.django_db
def test_import_numbers_new_entries_after_those_already_in_the_cycle():
    cycle = factories.CycleFactory(number=4, year="2018")
    factories.SubmissionFactory(cycle=cycle, sequence=7, reference="GZA-4-0007")
    initiatives_import(
        text=f"{HEADER}\nParks,Lumen,EE,winner\nBuses,Mbale,KE,winner\n", cycle_number=4
    )
    assert list(
        Submission.objects.filter(imported=True)
        .order_by("sequence")
        .values_list("sequence", "reference")
    ) == [(8, "GZA-4-0008"), (9, "GZA-4-0009")]


@pytest.mark.django_db
def test_import_writes_each_entry_with_its_audit_row_and_address():
    secretariat = factories.secretariat_user()
    text = (
        f"{HEADER},start_date,end_date,url,abstract,citation\n"
        "Parks,Lumen,EE,winner,2018-05-01,,https://example.org/parks,Green roofs,For shade\n"
        "Buses,Mbale,KE,not_selected,2016-01-01,2020-06-30,,,\n"
        "Trams,Valdoria,ES,deserving,,,,,\n"
        "Boats,Quito,EC,ineligible,,,,,\n"
    )
    initiatives_import(text=text, cycle_number=4, source="cycle4.csv", by=secretariat)
    entries = {s.title: s for s in Submission.objects.all()}
    parks, buses, trams = entries["Parks"], entries["Buses"], entries["Trams"]
    assert (parks.start_date, parks.end_date, parks.ongoing) == (dt.date(2018, 5, 1), None, True)
    assert (buses.end_date, buses.ongoing) == (dt.date(2020, 6, 30), False)
    assert (trams.start_date, trams.ongoing) == (None, False)
    assert (parks.source_url, parks.abstract, parks.citation) == (
        "https://example.org/parks",
        "Green roofs",
        "For shade",
    )
    assert (trams.abstract, trams.citation, trams.topic, trams.publication_consent) == (
        "",
        "",
        "",
        False,
    )
    assert list(
        StatusChange.objects.order_by("submission__sequence").values_list(
            "from_status", "to_status", "transition", "note", "by"
        )
    ) == [
        ("", "winner", "import", "Imported from cycle4.csv, line 2", secretariat.pk),
        ("", "not_selected", "import", "Imported from cycle4.csv, line 3", secretariat.pk),
        ("", "deserving", "import", "Imported from cycle4.csv, line 4", secretariat.pk),
        ("", "ineligible", "import", "Imported from cycle4.csv, line 5", secretariat.pk),
    ]
    # Published outcomes get their public address; an ineligible entry has none.
    assert (parks.slug, buses.slug, trams.slug) == ("lumen-parks", "mbale-buses", "valdoria-trams")
    assert entries["Boats"].slug == ""


@pytest.mark.django_db
def test_import_without_optional_columns_or_a_source_leaves_them_empty():
    initiatives_import(text=f"{HEADER}\nParks,Lumen,EE,winner\n", cycle_number=4)
    parks = Submission.objects.get()
    assert (parks.abstract, parks.source_url, parks.citation, parks.topic) == ("", "", "", "")
    assert (parks.start_date, parks.end_date, parks.ongoing) == (None, None, False)
    assert StatusChange.objects.get().note == "Imported from a spreadsheet, line 2"


@pytest.mark.django_db
def test_import_again_marks_an_entry_already_there_as_the_vote_title_winner():
    text = f"{HEADER},public_vote_title\nParks,Lumen,EE,shortlisted,\nBuses,Mbale,KE,winner,\n"
    initiatives_import(text=text, cycle_number=4)
    assert Cycle.objects.get(number=4).city_of_your_choice is None
    initiatives_import(text=text.replace("shortlisted,\n", "shortlisted,yes\n"), cycle_number=4)
    assert Cycle.objects.get(number=4).city_of_your_choice.title == "Parks"
    assert Submission.objects.count() == 2
