"""The import as a whole (``initiatives_import``): exactly what it creates and with which
values, what it counts, that a refused or failing file writes nothing, and that the
public pages are told to refresh only when something was imported."""

import pytest
from django.core.cache import cache

from submissions.models import Cycle, Organisation, StatusChange, Submission, SubmissionGoal
from submissions.public_cache import GENERATION_KEY, public_generation
from submissions.services.importing import ImportFailed, initiatives_import
from tests import factories

HEADER = "title,city,country,outcome"


def _counts(result):
    return (result.created, result.unchanged, result.organisations_created, result.cycle_created)


@pytest.mark.django_db
def test_import_creates_one_organisation_per_new_city_and_counts_each():
    text = f"{HEADER}\nParks,Lumen,EE,winner\nBuses,Mbale,KE,deserving\nTrams,LUMEN,ee,winner\n"
    result = initiatives_import(text=text, cycle_number=4)
    assert _counts(result) == (3, 0, 2, True)
    assert sorted(Organisation.objects.values_list("name", "country", "continent")) == [
        ("Lumen", "EE", "Europe"),
        ("Mbale", "KE", "Africa"),
    ]
    assert Submission.objects.filter(organisation__name="Lumen").count() == 2


@pytest.mark.django_db
def test_import_matches_a_city_only_in_its_own_country():
    other = factories.OrganisationFactory(name="Lumen", country="FI")
    result = initiatives_import(text=f"{HEADER}\nParks,lumen,EE,winner\n", cycle_number=4)
    assert result.organisations_created == 1
    parks = Submission.objects.get()
    assert parks.organisation_id != other.pk
    assert (parks.organisation.name, parks.organisation.country.code) == ("lumen", "EE")


@pytest.mark.django_db
def test_import_again_with_a_new_row_creates_only_the_new_entry_after_the_others():
    text = f"{HEADER}\nParks,Lumen,EE,winner\nBuses,Mbale,KE,deserving\n"
    initiatives_import(text=text, cycle_number=4)
    again = initiatives_import(
        text=text.replace("Parks,", "PARKS,") + "Trams,Quito,EC,winner\n", cycle_number=4
    )
    assert _counts(again) == (1, 2, 1, False)
    assert list(
        Submission.objects.order_by("sequence").values_list("title", "sequence", "reference")
    ) == [
        ("Parks", 1, "GZA-4-0001"),
        ("Buses", 2, "GZA-4-0002"),
        ("Trams", 3, "GZA-4-0003"),
    ]
    assert StatusChange.objects.count() == 3


@pytest.mark.django_db
def test_import_the_same_initiative_into_another_cycle_or_by_another_city_is_a_new_entry():
    initiatives_import(text=f"{HEADER}\nParks,Lumen,EE,winner\n", cycle_number=3)
    result = initiatives_import(
        text=f"{HEADER}\nParks,Lumen,EE,deserving\nParks,Mbale,KE,winner\n", cycle_number=4
    )
    assert _counts(result) == (2, 0, 1, True)
    assert sorted(
        Submission.objects.values_list("cycle__number", "organisation__name", "status")
    ) == [(3, "Lumen", "winner"), (4, "Lumen", "deserving"), (4, "Mbale", "winner")]


@pytest.mark.django_db
def test_import_writes_every_value_of_the_row_and_its_goals():
    text = (
        f"{HEADER},topic,sdgs,abstract,url,citation,problem,lessons\n"
        "Parks,Lumen,EE,Winner,resilient city,13;11,Green roofs,https://example.org/p,"
        "For shade,Heat.,Start small.\n"
    )
    initiatives_import(text=text, cycle_number=4)
    parks = Submission.objects.get()
    assert (parks.cycle.number, parks.title, parks.status, parks.topic, parks.imported) == (
        4,
        "Parks",
        "winner",
        "Resilient city",
        True,
    )
    assert (parks.abstract, parks.source_url, parks.citation) == (
        "Green roofs",
        "https://example.org/p",
        "For shade",
    )
    assert (parks.problem, parks.lessons, parks.innovation, parks.publication_consent) == (
        "Heat.",
        "Start small.",
        "",
        True,
    )
    assert list(SubmissionGoal.objects.order_by("goal").values_list("submission", "goal")) == [
        (parks.pk, 11),
        (parks.pk, 13),
    ]
    change = StatusChange.objects.get()
    assert (change.submission_id, change.from_status, change.to_status, change.by) == (
        parks.pk,
        "",
        "winner",
        None,
    )


@pytest.mark.django_db
def test_import_names_the_new_vote_title_winner_and_leaves_it_when_it_is_already_named():
    text = f"{HEADER},public_vote_title\nParks,Lumen,EE,winner,\nBuses,Mbale,KE,shortlisted,yes\n"
    initiatives_import(text=text, cycle_number=4, vote_title_name="Online Popular City")
    cycle = Cycle.objects.get()
    buses = Submission.objects.get(title="Buses")
    assert (cycle.city_of_your_choice_id, cycle.public_vote_title) == (
        buses.pk,
        "Online Popular City",
    )
    again = initiatives_import(text=text, cycle_number=4)
    assert _counts(again) == (0, 2, 0, False)
    cycle.refresh_from_db()
    assert (cycle.city_of_your_choice_id, cycle.public_vote_title) == (
        buses.pk,
        "Online Popular City",
    )


@pytest.mark.django_db
def test_import_without_a_vote_title_name_keeps_the_cycles_title():
    factories.CycleFactory(number=4, year="2018", public_vote_title="City of Your Choice")
    result = initiatives_import(text=f"{HEADER}\nParks,Lumen,EE,winner\n", cycle_number=4)
    assert _counts(result) == (1, 0, 1, False)
    cycle = Cycle.objects.get()
    assert (cycle.public_vote_title, cycle.year, cycle.city_of_your_choice) == (
        "City of Your Choice",
        "2018",
        None,
    )


@pytest.mark.django_db
def test_import_refused_creates_no_cycle_and_sets_no_vote_title():
    text = f"{HEADER},public_vote_title\nParks,Lumen,EE,shortlisted,yes\nBuses,,KE,winner,\n"
    with pytest.raises(ImportFailed) as refused:
        initiatives_import(text=text, cycle_number=4, vote_title_name="Online Popular City")
    assert refused.value.problems == ["line 3: city: is empty"]
    assert (Cycle.objects.count(), Organisation.objects.count(), Submission.objects.count()) == (
        0,
        0,
        0,
    )


# The public pages' cache: stale after an import, untouched by a refused one.
@pytest.mark.django_db
def test_import_makes_the_public_pages_stale_only_when_it_imports():
    before = public_generation()
    with pytest.raises(ImportFailed):
        initiatives_import(text=f"{HEADER}\nParks,,EE,winner\n", cycle_number=4)
    assert cache.get(GENERATION_KEY) == before
    initiatives_import(text=f"{HEADER}\nParks,Lumen,EE,winner\n", cycle_number=4)
    assert cache.get(GENERATION_KEY) != before


@pytest.mark.django_db
def test_import_takes_a_new_city_in_a_country_it_knows_as_a_new_organisation():
    known = factories.OrganisationFactory(name="Tartu", country="EE")
    result = initiatives_import(text=f"{HEADER}\nParks,Lumen,EE,winner\n", cycle_number=4)
    assert result.organisations_created == 1
    assert Submission.objects.get().organisation_id != known.pk
    assert Organisation.objects.filter(country="EE").count() == 2


@pytest.mark.django_db
def test_a_city_matches_the_same_within_one_file_as_across_imports():
    """The file's own rows are matched as the database matches them (lower-cased):
    "Straße" and "STRASSE" lower to different names, so they stay two cities, whether
    they come in one file or in two."""
    rows = ["Parks,Straße,DE,winner", "Trams,STRASSE,DE,winner"]
    initiatives_import(text="\n".join([HEADER, *rows]), cycle_number=4)
    in_one_file = Organisation.objects.count()
    Submission.objects.all().delete()
    Organisation.objects.all().delete()
    for number, row in enumerate(rows, start=5):
        initiatives_import(text=f"{HEADER}\n{row}\n", cycle_number=number)
    assert in_one_file == Organisation.objects.count() == 2


@pytest.mark.django_db
def test_import_looks_each_city_up_once_per_file(django_assert_num_queries):
    """The rows of one city share the organisation found (or created) for the first:
    three rows of a city, one lookup of it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    text = f"{HEADER}\nParks,Lumen,EE,winner\nBuses,LUMEN,EE,deserving\nTrams,lumen,EE,winner\n"
    with CaptureQueriesContext(connection) as queries:
        result = initiatives_import(text=text, cycle_number=4)
    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "submissions_organisation"' in q["sql"]
    ]
    assert (result.created, result.organisations_created, len(lookups)) == (3, 1, 1)
