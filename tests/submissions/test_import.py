"""import_initiatives: a past cycle from a CSV file, whole or not at all."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from submissions.models import Cycle, Organisation, StatusChange, Submission
from submissions.services.importing import (
    COLUMN_CHECKS,
    check_country,
    check_date,
    check_outcome,
    check_public_vote_title,
    check_row,
    check_sdgs,
    check_title,
    check_topic,
    check_url,
    parse_rows,
    vote_title_problem,
)
from tests import factories

GOOD = """title,city,country,outcome,topic,sdgs,abstract,start_date,end_date,url,citation
Climate shelters,Porto Aurora,BR,winner,resilient CITY,11;13,Cool rooms,2018-05-01,,https://example.org/a,For a safety net
Open budget,Valdoria,Spain,deserving,,16,,,,,
Night buses,porto aurora,br,not_selected,Urban public service improvement,,,2016-01-01,2020-06-30,,
"""


def _write(tmp_path, text, name="cycle.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_initiatives_loads_a_good_file(tmp_path, capsys):
    call_command("import_initiatives", str(_write(tmp_path, GOOD)), cycle=4)
    cycle = Cycle.objects.get(number=4)
    assert cycle.year == "2018"
    rows = {
        s.title: s for s in Submission.objects.filter(cycle=cycle).select_related("organisation")
    }
    assert sorted(rows) == ["Climate shelters", "Night buses", "Open budget"]
    shelters = rows["Climate shelters"]
    assert (shelters.status, shelters.topic, shelters.citation, shelters.imported) == (
        "winner",
        "Resilient city",
        "For a safety net",
        True,
    )
    assert list(shelters.goals.values_list("goal", flat=True)) == [11, 13]
    assert shelters.organisation.continent == "South America"
    assert rows["Open budget"].organisation.country.code == "ES"
    # Organisations are matched on (city, country) regardless of case.
    assert rows["Night buses"].organisation_id == shelters.organisation_id
    assert Organisation.objects.count() == 2
    assert [r.reference for r in sorted(rows.values(), key=lambda s: s.sequence)] == [
        "GZA-4-0001",
        "GZA-4-0002",
        "GZA-4-0003",
    ]
    assert StatusChange.objects.filter(transition="import").count() == 3
    assert "3 initiative(s) imported" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_initiatives_again_changes_nothing(tmp_path):
    path = _write(tmp_path, GOOD)
    call_command("import_initiatives", str(path), cycle=4)
    before = list(Submission.objects.order_by("pk").values())
    call_command("import_initiatives", str(path), cycle=4)
    assert list(Submission.objects.order_by("pk").values()) == before
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_import_initiatives_matches_existing_organisations_and_cycles(tmp_path):
    cycle = factories.CycleFactory(number=4, year="2018", theme="Kept")
    organisation = factories.OrganisationFactory(name="Porto Aurora", country="BR")
    call_command("import_initiatives", str(_write(tmp_path, GOOD)), cycle=4)
    cycle.refresh_from_db()
    assert cycle.theme == "Kept"
    assert Submission.objects.filter(organisation=organisation).count() == 2


@pytest.mark.django_db
def test_import_initiatives_reports_every_bad_row_and_imports_nothing(tmp_path, capsys):
    bad = (
        "title,city,country,outcome,topic,sdgs,start_date,url\n"
        "Good row,Valdoria,ES,winner,,,,\n"
        "Bad country,Somewhere,Atlantis,winner,,,,\n"
        ",Nowhere,FR,maybe,Dancing,0;18,2020-13-01,not a url\n"
        "Good row,valdoria,es,deserving,,,,\n"
    )
    with pytest.raises(CommandError, match="Nothing was imported: 9 problem"):
        call_command("import_initiatives", str(_write(tmp_path, bad)), cycle=3)
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "line 3: country: unknown country “Atlantis”",
        "line 4: title: is empty",
        "line 4: outcome: must be one of deserving, ineligible, medal_of_honor, not_selected, shortlisted, special_mention, winner",
        "line 4: topic: unknown topic “Dancing”",
        "line 4: sdgs: “0” is not a goal number from 1 to 17",
        "line 4: sdgs: “18” is not a goal number from 1 to 17",
        "line 4: start_date: “2020-13-01” is not a date (YYYY-MM-DD)",
        "line 4: url: “not a url” is not a web address",
        "line 5: title: the same initiative is already on line 2",
    ]
    assert Submission.objects.count() == 0
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
def test_import_initiatives_reports_a_missing_required_column(tmp_path, capsys):
    refused = r"Nothing was imported: 2 problem\(s\) in cycle\.csv\."
    with pytest.raises(CommandError, match=refused):
        call_command("import_initiatives", str(_write(tmp_path, "title,city\nA,B\n")), cycle=3)
    assert capsys.readouterr().err.splitlines() == [
        "line 1: country: required column is missing",
        "line 1: outcome: required column is missing",
    ]
    assert Submission.objects.count() == 0
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
def test_import_initiatives_refuses_a_missing_file():
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_initiatives", "/nonexistent/file.csv", cycle=3)


@pytest.mark.django_db
def test_demo_csv_imports_cleanly():
    path = Path(__file__).resolve().parents[2] / "submissions/fixtures/demo_past_cycle.csv"
    call_command("import_initiatives", str(path), cycle=6)
    assert Submission.objects.filter(cycle__number=6, status="winner").count() == 2


HISTORY = """title,city,country,outcome,citation,public_vote_title
Youth council,Andesara,CL,special_mention,For the young,
Green markets,Kanlaon City,PH,shortlisted,,yes
Rain gardens,Lumen,EE,winner,For courage,
"""


@pytest.mark.django_db
def test_import_initiatives_accepts_special_mention_and_the_vote_title(tmp_path):
    call_command(
        "import_initiatives",
        str(_write(tmp_path, HISTORY)),
        cycle=4,
        vote_title="Online Popular City",
    )
    cycle = Cycle.objects.get(number=4)
    mention = Submission.objects.get(cycle=cycle, title="Youth council")
    assert (mention.status, mention.citation) == ("special_mention", "For the young")
    assert cycle.city_of_your_choice.title == "Green markets"
    assert cycle.public_vote_title == "Online Popular City"
    # Imported again: nothing changes.
    call_command("import_initiatives", str(_write(tmp_path, HISTORY)), cycle=4)
    assert Submission.objects.filter(cycle=cycle).count() == 3
    cycle.refresh_from_db()
    assert cycle.city_of_your_choice.title == "Green markets"


@pytest.mark.django_db
def test_import_initiatives_refuses_bad_public_vote_title_values(tmp_path, capsys):
    text = """title,city,country,outcome,public_vote_title
A,Andesara,CL,shortlisted,yes
B,Lumen,EE,shortlisted,yes
C,Valdoria,ES,deserving,yes
D,Mbale,KE,winner,maybe
"""
    refused = r"Nothing was imported: 3 problem\(s\) in cycle\.csv\."
    with pytest.raises(CommandError, match=refused):
        call_command("import_initiatives", str(_write(tmp_path, text)), cycle=4)
    assert capsys.readouterr().err.splitlines() == [
        "line 3: public_vote_title: only one entry wins it; line 2 already does",
        "line 4: public_vote_title: only a shortlisted entry can win the public vote",
        "line 5: public_vote_title: must be “yes” or empty",
    ]
    assert Submission.objects.count() == 0
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
def test_imported_vote_title_shows_on_the_results_page(tmp_path, client):
    from django.urls import reverse
    from django.utils import timezone

    call_command(
        "import_initiatives",
        str(_write(tmp_path, HISTORY)),
        cycle=3,
        vote_title="Online Popular City",
    )
    Cycle.objects.filter(number=3).update(results_published_at=timezone.now())
    page = client.get(reverse("public:results_cycle", args=[3])).content.decode()
    assert "Online Popular City" in page
    assert "Kanlaon City: Green markets" in page
    assert "Special Mentions" in page


# Each column's check alone, then parse_rows collecting them (no database).
def test_import_check_title_length():
    assert check_title("x" * 300) == ("x" * 300, [])
    assert check_title("x" * 301) == ("x" * 301, ["is longer than 300 characters"])


def test_import_check_country_code_or_name():
    assert check_country("br") == ("BR", [])
    assert check_country("Spain") == ("ES", [])
    assert check_country("") == (None, [])
    assert check_country("Atlantis") == (None, ["unknown country “Atlantis”"])


def test_import_check_outcome_lowercases_and_keeps_an_unknown_one():
    assert check_outcome("Winner") == ("winner", [])
    assert check_outcome("") == ("", [])
    value, problems = check_outcome("Champion")
    assert value == "champion"
    assert len(problems) == 1
    assert problems[0].startswith("must be one of ")


def test_import_check_topic_by_english_name():
    assert check_topic("") == ("", [])
    assert check_topic("resilient CITY")[1] == []
    assert check_topic("Space travel") == ("", ["unknown topic “Space travel”"])


def test_import_check_sdgs_sorted_without_repeats_and_every_bad_part_named():
    assert check_sdgs("13; 11;13;") == ([11, 13], [])
    assert check_sdgs("") == ([], [])
    assert check_sdgs("0;5;x") == (
        [5],
        ["“0” is not a goal number from 1 to 17", "“x” is not a goal number from 1 to 17"],
    )


def test_import_check_date_iso_or_empty():
    assert check_date("2018-05-01") == (dt.date(2018, 5, 1), [])
    assert check_date("") == (None, [])
    assert check_date("01/05/2018") == (None, ["“01/05/2018” is not a date (YYYY-MM-DD)"])


def test_import_check_url_web_addresses_only():
    assert check_url("https://example.org/a") == ("https://example.org/a", [])
    assert check_url("") == ("", [])
    assert check_url("ftp://example.org") == (
        "ftp://example.org",
        ["“ftp://example.org” is not a web address"],
    )


def test_import_check_public_vote_title_yes_no_or_empty():
    assert check_public_vote_title("YES") == (True, [])
    assert check_public_vote_title("no") == (False, [])
    assert check_public_vote_title("") == (False, [])
    assert check_public_vote_title("maybe") == (False, ["must be “yes” or empty"])


def test_import_vote_title_problem_shortlisted_and_only_once():
    assert vote_title_problem("winner", None) is None
    assert vote_title_problem("", None) is None
    assert vote_title_problem("not_selected", None) == (
        "only a shortlisted entry can win the public vote"
    )
    assert vote_title_problem("winner", 3) == "only one entry wins it; line 3 already does"


def test_import_check_row_lists_empty_required_columns_first():
    assert list(COLUMN_CHECKS) == [
        "title",
        "country",
        "outcome",
        "topic",
        "sdgs",
        "start_date",
        "end_date",
        "url",
        "public_vote_title",
    ]
    parsed, bad = check_row({"title": "x" * 301, "country": "Atlantis", "sdgs": "18"})
    assert bad == [
        ("city", "is empty"),
        ("outcome", "is empty"),
        ("title", "is longer than 300 characters"),
        ("country", "unknown country “Atlantis”"),
        ("sdgs", "“18” is not a goal number from 1 to 17"),
    ]
    assert (parsed["country"], parsed["sdgs"], parsed["public_vote_title"]) == (None, [], False)


def test_import_parse_rows_collects_every_row_and_the_checks_across_rows():
    text = (
        "title,city,country,outcome,public_vote_title\n"
        "Parks,Porto Aurora,BR,winner,yes\n"
        "Buses,Valdoria,ES,shortlisted,yes\n"
        ",,,,\n"
        "Parks,porto aurora,br,winner,\n"
        "Bad,,XX,winner,\n"
    )
    rows, problems = parse_rows(text)
    assert [(r.line, r.title, r.public_vote_title) for r in rows] == [(2, "Parks", True)]
    assert problems == [
        "line 3: public_vote_title: only one entry wins it; line 2 already does",
        "line 5: title: the same initiative is already on line 2",
        "line 6: city: is empty",
        "line 6: country: unknown country “XX”",
    ]
