"""import_initiatives: a past cycle from a CSV file, whole or not at all."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from submissions.models import Cycle, Organisation, StatusChange, Submission
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
    with pytest.raises(CommandError):
        call_command("import_initiatives", str(_write(tmp_path, "title,city\nA,B\n")), cycle=3)
    assert capsys.readouterr().err.splitlines() == [
        "line 1: country: required column is missing",
        "line 1: outcome: required column is missing",
    ]


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
    with pytest.raises(CommandError):
        call_command("import_initiatives", str(_write(tmp_path, text)), cycle=4)
    assert capsys.readouterr().err.splitlines() == [
        "line 3: public_vote_title: only one entry wins it; line 2 already does",
        "line 4: public_vote_title: only a shortlisted entry can win the public vote",
        "line 5: public_vote_title: must be “yes” or empty",
    ]
    assert Submission.objects.count() == 0


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
