"""The public cache: pages are served from it until what they show changes through a
service (publication, import, a topic, a jury report...), never across languages, and
never with a visitor's own data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.classifications import Topic
from submissions.models import Submission
from submissions.public_cache import public_cache_bump
from submissions.services.importing import initiatives_import
from submissions.services.publishing import cycle_publish_results
from submissions.services.topics import submission_set_topic
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry, published_cycle

S = Status
ONE_WINNER = "title,city,country,outcome,topic,sdgs,abstract\nRain gardens,Porto Aurora,BR,winner,,11,Gardens\n"


def _main(page: str) -> str:
    """The page's main part (the header's language form has a per-request CSRF token)."""
    return page[page.index("<main") : page.index("</main>")]


def _queries(client, url, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def test_a_published_page_is_served_from_the_cache_the_second_time(client, db):
    cycle = published_cycle(number=6)
    winner = entry(cycle=cycle, status=S.WINNER, title="Water for all", goals=[6])
    for url in (
        reverse("public:results_cycle", args=[6]),
        reverse("public:initiative_by_id", args=[winner.pk]),
        reverse("home"),
    ):
        first, first_body = _queries(client, url)
        second, second_body = _queries(client, url)

        assert (first > 0, second) == (True, 0), url
        assert _main(second_body) == _main(first_body)


def test_the_unsearched_database_is_rendered_once_per_publication(client, db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Water for all", goals=[6])
    url = reverse("public:database")
    for params in ("", "?cycle=6"):
        first, first_page = _queries(client, url + params)
        second, page = _queries(client, url + params)
        # The only published cycle's page reads what the whole database's has counted
        # and read already (the same matches, the same page of them).
        assert (first > 0 or params == "?cycle=6", second) == (True, 0), params
        assert "Water for all" in page
        assert _main(page) == _main(first_page)
    # Kept by the page shown, whatever asked for it.
    for same_as_the_first in ("?page=1", "?page=x", "?page=99"):
        assert _queries(client, url + same_as_the_first)[0] == 0
    entry(cycle=cycle, status=S.DESERVING, title="Bus lanes", goals=[11])
    public_cache_bump()  # as a publication or an import does
    _recounted, page = _queries(client, url)
    assert "Bus lanes" in page
    # A search's count and page are kept for the same words and filters (spaces
    # aside), until the next publication.
    searched, page = _queries(client, url + "?q=water")
    assert searched > 0
    assert "Water for all" in page
    assert _queries(client, url + "?q=water")[0] == 0
    assert _queries(client, url + "?q=+water++&page=1")[0] == 0
    assert _queries(client, url + "?q=water&sdg=6")[0] == searched


def test_a_searchs_count_follows_a_publication(client, db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Water for all", goals=[6])
    url = reverse("public:database") + "?q=water"
    assert "1 initiative<" in _queries(client, url)[1]
    entry(cycle=cycle, status=S.DESERVING, title="Water taxis", goals=[11])
    assert "1 initiative<" in _queries(client, url)[1]  # behind the services' back
    public_cache_bump()  # as a publication or an import does
    assert "2 initiatives<" in _queries(client, url)[1]


def test_a_searchs_lines_are_rendered_once_per_publication(client, db):
    cycle = published_cycle(number=6)
    water = entry(cycle=cycle, status=S.WINNER, title="Water for all", goals=[6])
    url = reverse("public:database") + "?q=water"
    assert "Water for all" in _queries(client, url)[1]
    # Renamed behind the services' back: the line stays as published until a bump.
    Submission.objects.filter(pk=water.pk).update(title="Water for everyone")
    assert "Water for all" in _queries(client, url + "&outcome=winner")[1]
    public_cache_bump()
    assert "Water for everyone" in _queries(client, url + "&outcome=winner")[1]


def test_publication_shows_the_new_results_at_once(client, db, secretariat):
    factories.CycleFactory(number=5, results_published_at=timezone.now())
    cycle = factories.CycleFactory(number=6, jury_report_signed_at=timezone.now())
    entry(cycle=cycle, status=S.WINNER, title="Water for all")
    url = reverse("public:results_cycle", args=[6])
    assert client.get(url).status_code == 404
    assert "Cycle 5" in client.get(reverse("home")).content.decode()

    cycle_publish_results(cycle=cycle, by=secretariat)

    assert "Water for all" in client.get(url).content.decode()
    assert "Cycle 6" in client.get(reverse("home")).content.decode()


def test_an_import_shows_its_initiatives_at_once(client, db, secretariat):
    cycle = published_cycle(number=3)
    entry(cycle=cycle, status=S.WINNER, title="Older winner")
    url = reverse("public:results_cycle", args=[3])
    assert "Rain gardens" not in client.get(url).content.decode()

    initiatives_import(text=ONE_WINNER, cycle_number=3, by=secretariat)

    assert "Rain gardens" in client.get(url).content.decode()


def test_a_topic_set_by_the_secretariat_shows_on_the_initiative_page(client, db, secretariat):
    winner = entry(cycle=published_cycle(number=6), status=S.WINNER)
    url = reverse("public:initiative_by_id", args=[winner.pk])
    assert str(Topic.WASTE.label) not in client.get(url).content.decode()

    submission_set_topic(submission=winner, topic=Topic.WASTE, by=secretariat)

    assert str(Topic.WASTE.label) in client.get(url).content.decode()


def test_a_change_behind_the_services_back_shows_after_a_bump(client, db):
    winner = entry(cycle=published_cycle(number=6), status=S.WINNER, title="Before")
    url = reverse("public:initiative_by_id", args=[winner.pk])
    assert "Before" in client.get(url).content.decode()
    type(winner).objects.filter(pk=winner.pk).update(title="After")

    assert "Before" in client.get(url).content.decode()  # cached until a service says
    public_cache_bump()
    assert "After" in client.get(url).content.decode()


def test_each_language_has_its_own_entry(client, db):
    entry(cycle=published_cycle(number=6), status=S.WINNER, title="Water for all")
    url = reverse("public:results_cycle", args=[6])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english_again = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert ">Winners <" in english and "获奖项目" not in english
    assert "获奖项目" in chinese and ">Winners <" not in chinese
    assert _main(english_again) == _main(english)


def test_a_signed_in_visitor_sees_their_own_menu_on_a_cached_page(client, db):
    entry(cycle=published_cycle(number=6), status=S.WINNER, title="Water for all")
    url = reverse("public:results_cycle", args=[6])
    anonymous = client.get(url).content.decode()
    official = factories.CityOfficialFactory()
    client.force_login(official)

    signed_in = client.get(url).content.decode()

    assert "Water for all" in signed_in
    assert official.display_name in signed_in and official.display_name not in anonymous
    assert reverse("account_login") in anonymous
