import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.classifications import Topic
from submissions.public_cache import public_cache_bump
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry, photo, published_cycle

S = Status


def _titles(response):
    return [sub.title for sub in response.context["page"].object_list]


def test_results_index_lists_only_published_cycles(client, db):
    published_cycle(number=6, year="2023/24")
    factories.CycleFactory(number=7, year="2025/26")

    response = client.get(reverse("public:results_index"))

    assert response.status_code == 200
    assert [c.number for c in response.context["cycles"]] == [6]


def test_results_cycle_shows_groups_citation_report_and_city_of_your_choice(client, db):
    cycle = published_cycle(number=6, jury_report="The jury met in Guangzhou.")
    winner = entry(cycle=cycle, status=S.WINNER, title="Winning idea", citation="For courage.")
    medal = entry(cycle=cycle, status=S.MEDAL_OF_HONOR, title="Medal idea")
    entry(cycle=cycle, status=S.DESERVING, title="Deserving idea")
    entry(cycle=cycle, status=S.NOT_SELECTED, title="Other idea")
    cycle.city_of_your_choice = medal
    cycle.save()

    response = client.get(reverse("public:results_cycle", args=[6]))

    assert response.status_code == 200
    sections = {
        str(s): [e.title for e in entries]
        for s, _h, entries, _total in response.context["sections"]
    }
    assert sections == {
        "winner": ["Winning idea"],
        "medal_of_honor": ["Medal idea"],
        "shortlisted": [],
        "deserving": ["Deserving idea"],
    }
    body = response.content.decode()
    assert "For courage." in body
    assert "The jury met in Guangzhou." in body
    assert "City of Your Choice" in body
    assert winner.organisation.name in body


def test_a_long_outcome_shows_its_first_entries_and_links_to_the_rest(client, db):
    from submissions.views.public import RESULTS_SHOWN_PER_OUTCOME as SHOWN

    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Winning idea")
    for n in range(SHOWN + 2):
        entry(cycle=cycle, status=S.DESERVING, title=f"Deserving idea {n:03}")

    response = client.get(reverse("public:results_cycle", args=[6]))

    counts = {str(s): (len(e), total) for s, _h, e, total in response.context["sections"]}
    assert counts["deserving"] == (SHOWN, SHOWN + 2)
    assert counts["winner"] == (1, 1)
    body = response.content.decode()
    assert body.count("Deserving idea ") == SHOWN
    link = reverse("public:database") + "?cycle=6&amp;outcome=deserving"
    assert f'href="{link}">See all {SHOWN + 2} in the database' in body
    assert "outcome=winner" not in body
    listed = client.get(reverse("public:database"), {"cycle": 6, "outcome": "deserving"})
    assert f"{SHOWN + 2} initiatives" in listed.content.decode()


def test_results_cycle_of_unpublished_cycle_is_404(client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.WINNER)

    assert client.get(reverse("public:results_cycle", args=[7])).status_code == 404


def test_initiative_page_shows_public_fields_and_public_photos_only(client, db):
    cycle = published_cycle(number=6)
    sub = entry(
        cycle=cycle,
        status=S.WINNER,
        title="Bike lanes",
        abstract="Safe lanes everywhere.",
        citation="Bold and replicable.",
        topic=Topic.SMART,
        goals=[11, 13],
    )
    shown = photo(submission=sub, is_public=True, caption="Opening day")
    hidden = photo(submission=sub, is_public=False, caption="Internal meeting")

    response = client.get(reverse("public:initiative_by_id", args=[sub.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Bike lanes",
        "Safe lanes everywhere.",
        "Bold and replicable.",
        "Smart city",
        "13. Climate action",
        "Opening day",
    ):
        assert text in body
    assert reverse("public:photo", args=[shown.pk]) in body
    assert reverse("public:photo", args=[hidden.pk]) not in body
    assert "Internal meeting" not in body


def test_photo_view_serves_public_photo_of_published_entry(client, db):
    sub = entry(cycle=published_cycle(), status=S.DESERVING)
    pic = photo(submission=sub)

    response = client.get(reverse("public:photo", args=[pic.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\nfake"


def test_photo_view_refuses_private_photo_and_unpublished_entry(client, db):
    private = photo(submission=entry(cycle=published_cycle(), status=S.WINNER), is_public=False)
    unpublished = photo(submission=entry(cycle=factories.CycleFactory(), status=S.WINNER))
    ineligible = photo(submission=entry(cycle=published_cycle(), status=S.INELIGIBLE))

    for pic in (private, unpublished, ineligible):
        assert client.get(reverse("public:photo", args=[pic.pk])).status_code == 404


def _database_data():
    c6 = published_cycle(number=6, year="2023/24")
    c4 = published_cycle(number=4, year="2018")
    entry(
        cycle=c6,
        status=S.WINNER,
        title="Water for all",
        country="KE",
        topic=Topic.INCLUSIVE,
        goals=[6],
    )
    entry(
        cycle=c6,
        status=S.DESERVING,
        title="Smart buses",
        country="BR",
        topic=Topic.SMART,
        goals=[11],
    )
    entry(
        cycle=c4,
        status=S.NOT_SELECTED,
        title="Old water plan",
        country="FR",
        imported=True,
        goals=[6],
    )
    entry(
        cycle=c4,
        status=S.SHORTLISTED,
        title="Youth councils",
        country="JP",
        imported=True,
        topic=Topic.YOUTH,
    )


def test_database_lists_every_published_initiative(client, db):
    _database_data()

    response = client.get(reverse("public:database"))

    assert response.status_code == 200
    assert _titles(response) == ["Water for all", "Smart buses", "Youth councils", "Old water plan"]


def test_database_search_matches_title_and_city(client, db):
    _database_data()

    assert _titles(client.get(reverse("public:database"), {"q": "water"})) == [
        "Water for all",
        "Old water plan",
    ]


def test_database_filters(client, db):
    _database_data()
    url = reverse("public:database")

    assert _titles(client.get(url, {"cycle": "4"})) == ["Youth councils", "Old water plan"]
    assert _titles(client.get(url, {"outcome": "winner"})) == ["Water for all"]
    assert _titles(client.get(url, {"continent": "Africa"})) == ["Water for all"]
    assert _titles(client.get(url, {"country": "JP"})) == ["Youth councils"]
    assert _titles(client.get(url, {"topic": Topic.SMART.value})) == ["Smart buses"]
    assert _titles(client.get(url, {"sdg": "6"})) == ["Water for all", "Old water plan"]
    assert _titles(client.get(url, {"sdg": "6", "cycle": "6"})) == ["Water for all"]


def test_database_bad_filter_is_ignored_with_a_message(client, db):
    _database_data()

    response = client.get(reverse("public:database"), {"sdg": "99", "cycle": "6"})

    assert response.status_code == 200
    assert _titles(response) == ["Water for all", "Smart buses"]
    assert "Some filters were not understood" in response.content.decode()


def test_database_pages_by_twenty(client, db):
    cycle = published_cycle(number=6)
    for n in range(25):
        entry(cycle=cycle, status=S.NOT_SELECTED, title=f"Entry {n:02d}")

    first = client.get(reverse("public:database"))
    second = client.get(reverse("public:database"), {"page": "2"})

    assert len(first.context["page"].object_list) == 20
    assert _titles(second) == [f"Entry {n:02d}" for n in range(20, 25)]


def test_database_json_download_contains_published_records(client, db):
    _database_data()

    response = client.get(reverse("public:database_json"), {"cycle": "6"})

    data = json.loads(response.getvalue())
    assert data["count"] == 2
    first = data["initiatives"][0]
    assert {k: first[k] for k in ("title", "country", "continent", "cycle", "outcome", "sdgs")} == {
        "title": "Water for all",
        "country": "Kenya",
        "continent": "Africa",
        "cycle": 6,
        "outcome": "Winner",
        "sdgs": [6],
    }


def test_database_csv_download_has_header_and_rows(client, db):
    _database_data()

    response = client.get(reverse("public:database_csv"), {"sdg": "6"})

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [(r["title"], r["outcome"], r["sdgs"]) for r in rows] == [
        ("Water for all", "Winner", "6"),
        ("Old water plan", "Participant", "6"),
    ]


def _database_queries(client):
    public_cache_bump()  # the entries were added behind the services' back
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("public:database")).status_code == 200
    return len(ctx.captured_queries)


def test_database_query_count_is_the_same_at_two_sizes(client, db):
    cycle = published_cycle(number=6)
    for _n in range(3):
        entry(cycle=cycle, status=S.DESERVING, goals=[1, 2])
    small = _database_queries(client)
    for _n in range(17):
        entry(cycle=cycle, status=S.DESERVING, goals=[3, 4], topic=Topic.SMART)
    large = _database_queries(client)

    assert small == large


def _count(client, url):
    """Queries of ``url`` rendered afresh (the factories publish behind the services' back,
    so nothing bumps the public cache for them)."""
    public_cache_bump()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_results_cycle_query_count_is_the_same_at_two_sizes(client, db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, goals=[1])
    url = reverse("public:results_cycle", args=[6])
    small = _count(client, url)
    for n in range(12):
        entry(
            cycle=cycle, status=[S.MEDAL_OF_HONOR, S.DESERVING, S.SHORTLISTED][n % 3], goals=[2, 3]
        )
    public_cache_bump()  # the entries were added behind the services' back
    large = _count(client, url)

    assert small == large


def test_results_index_query_count_is_the_same_at_two_sizes(client, db):
    published_cycle(number=4)
    small = _count(client, reverse("public:results_index"))
    for number in (5, 6, 7):
        published_cycle(number=number)
    large = _count(client, reverse("public:results_index"))

    assert small == large


def test_database_csv_writes_a_formula_typed_by_a_city_as_text(client, db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title='=HYPERLINK("http://evil.example","x")')

    response = client.get(reverse("public:database_csv"))

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://evil.example","x")']
