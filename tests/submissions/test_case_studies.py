"""Published initiatives as case studies: readable addresses, the narrative of
recognised entries with consent, related initiatives, metadata, sitemap."""

import json
import re

import pytest
from django.urls import reverse

from submissions.classifications import Topic
from submissions.models import Submission
from submissions.services.slugs import submission_assign_slugs
from submissions.slugs import make_slug
from submissions.workflow import Status
from tests.submissions.factories_console import entry, organisation, photo, published_cycle

S = Status
NARRATIVE = {
    "problem": "Flooded schoolyards every rainy season.",
    "innovation": "Rain gardens designed with the pupils.",
    "implementation": "The parks office and 40 schools.",
    "results": "Runoff down by 35 per cent.",
    "transferability": "Copied by two neighbouring districts.",
    "lessons": "Let the children lead.",
}


def test_make_slug_keeps_every_script_and_stays_unique():
    taken: set[str] = set()
    assert make_slug(city="Porto Aurora", title="Rain gardens!", reference="X", taken=taken) == (
        "porto-aurora-rain-gardens"
    )
    assert make_slug(city="Porto Aurora", title="Rain gardens", reference="X", taken=taken) == (
        "porto-aurora-rain-gardens-2"
    )
    assert make_slug(city="广州", title="微改造", reference="X", taken=taken) == "广州-微改造"
    assert make_slug(city="", title="", reference="GZA-7-0003", taken=taken) == "gza-7-0003"


@pytest.mark.django_db
def test_assign_slugs_gives_publishable_entries_an_address_once():
    cycle = published_cycle(number=6)
    winner = entry(cycle=cycle, status=S.WINNER, title="Sponge parks")
    ineligible = entry(cycle=cycle, status=S.INELIGIBLE, title="Late entry")
    assert submission_assign_slugs(cycle=cycle) == 1
    winner.refresh_from_db()
    first = winner.slug
    assert first.endswith("sponge-parks")
    Submission.objects.filter(pk=winner.pk).update(title="Renamed")
    assert submission_assign_slugs(cycle=cycle) == 0  # an address never changes
    winner.refresh_from_db()
    ineligible.refresh_from_db()
    assert (winner.slug, ineligible.slug) == (first, "")


@pytest.fixture
def showcase(db):
    cycle = published_cycle(number=6, year="2023/24")
    lyon = organisation("FR", name="Lyon")
    winner = entry(
        cycle=cycle,
        org=lyon,
        status=S.WINNER,
        title="Rain gardens",
        abstract="Schoolyards that drink the rain.",
        citation="Simple, cheap and loved by children.",
        topic=Topic.RESILIENT,
        goals=[11, 13],
        publication_consent=True,
        **NARRATIVE,
    )
    hero = photo(submission=winner, caption="Pupils planting")
    photo(submission=winner, caption="A garden after the storm")
    related = entry(cycle=cycle, status=S.DESERVING, topic=Topic.RESILIENT, title="Flood maps")
    entry(cycle=cycle, status=S.DESERVING, goals=[13], title="Cool roofs")
    entry(cycle=cycle, status=S.DESERVING, topic=Topic.SMART, title="Unrelated sensors")
    entry(cycle=cycle, org=lyon, status=S.DESERVING, topic=Topic.RESILIENT, title="Same city")
    participant = entry(
        cycle=cycle,
        status=S.NOT_SELECTED,
        title="Night buses",
        abstract="Buses all night.",
        publication_consent=True,
        **NARRATIVE,
    )
    submission_assign_slugs(cycle=cycle)
    for sub in (winner, related, participant):
        sub.refresh_from_db()
    return {"winner": winner, "hero": hero, "related": related, "participant": participant}


def test_initiative_page_tells_the_case_study_of_a_recognised_entry(client, showcase):
    winner = showcase["winner"]
    url = f"/initiatives/6/{winner.slug}/"
    assert winner.get_public_url() == url
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for text in NARRATIVE.values():
        assert text in body
    assert "Simple, cheap and loved by children." in body
    assert "13. Climate action" in body
    photo_url = reverse("public:photo", args=[showcase["hero"].pk])
    assert f'<meta property="og:image" content="http://testserver{photo_url}">' in body
    assert f'<link rel="canonical" href="http://testserver{url}">' in body
    structured = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    )
    assert (structured["@type"], structured["name"], structured["url"]) == (
        "CreativeWork",
        "Rain gardens",
        f"http://testserver{url}",
    )
    related_titles = [s.title for s in response.context["related"]]
    assert sorted(related_titles) == ["Cool roofs", "Flood maps"]


def test_initiative_page_of_a_participant_stays_a_short_record(client, showcase):
    participant = showcase["participant"]
    body = client.get(participant.get_public_url()).content.decode()
    assert "Buses all night." in body
    for text in NARRATIVE.values():
        assert text not in body


def test_case_study_needs_the_citys_consent(client, showcase):
    winner = showcase["winner"]
    Submission.objects.filter(pk=winner.pk).update(publication_consent=False)
    body = client.get(winner.get_public_url()).content.decode()
    assert "Schoolyards that drink the rain." in body  # the abstract is always public
    assert NARRATIVE["problem"] not in body


def test_old_id_address_moves_permanently_to_the_readable_one(client, showcase):
    winner = showcase["winner"]
    response = client.get(reverse("public:initiative_by_id", args=[winner.pk]))
    assert (response.status_code, response["Location"]) == (301, winner.get_public_url())
    assert client.get("/initiatives/6/no-such-initiative/").status_code == 404
    assert client.get(f"/initiatives/7/{winner.slug}/").status_code == 404


def test_results_page_shows_winners_first_with_their_photo(client, showcase):
    response = client.get(reverse("public:results_cycle", args=[6]))
    body = response.content.decode()
    assert body.index("Rain gardens") < body.index("Flood maps")
    assert reverse("public:photo", args=[showcase["hero"].pk]) in body
    assert showcase["winner"].get_public_url() in body


def test_sitemap_lists_published_initiatives_and_results(client, showcase, settings):
    settings.SITE_URL = "https://award.example.org"
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<loc>https://award.example.org{showcase['winner'].get_public_url()}</loc>" in body
    assert "<loc>https://award.example.org/results/6/</loc>" in body
    assert body.count("<loc>https://award.example.org/initiatives/6/") == 6


def test_open_data_downloads_carry_their_licence_and_dictionary(client, showcase):
    data = json.loads(client.get(reverse("public:database_json")).getvalue())
    assert data["licence"] == "Creative Commons Attribution 4.0 (CC BY 4.0)"
    assert data["data_dictionary"] == "http://testserver/database/open-data/"
    assert data["initiatives"][0]["url"].startswith("http://testserver/initiatives/6/")
    csv_response = client.get(reverse("public:database_csv"))
    assert csv_response["Link"] == (
        '<http://testserver/database/open-data/>; rel="describedby", '
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    page = client.get(reverse("public:open_data")).content.decode()
    for field in ("reference", "sdgs", "citation", "url"):
        assert f"<code>{field}</code>" in page
