"""Whole public pages cached for anonymous visitors (submissions.public_cache.public_page):
rendered once per publication generation, language and address, with each visitor's own
CSRF token, return address and vote challenge put in; never for a signed-in user or a
visitor with a message waiting; never an error page."""

import html
import json
import re
from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judging.forms_vote import CHALLENGE_HOLE
from submissions.public_cache import CSRF_HOLE, NEXT_HOLE
from submissions.views.public import SEARCH_RESULTS_HOLE
from submissions.workflow import Status
from tests import factories
from tests.judging.factories_vote import candidates, solved_captcha, voting_cycle
from tests.submissions.factories_console import entry, published_cycle

HOLES = (CSRF_HOLE, NEXT_HOLE, CHALLENGE_HOLE, SEARCH_RESULTS_HOLE)


def _get(client, url) -> tuple[bool, str]:
    """Whether ``url`` was rendered for this request, and its page (never a marker)."""
    response = client.get(url)
    page = response.content.decode()
    assert not [hole for hole in HOLES if hole in page], url
    return "base.html" in [t.name for t in response.templates], page


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _switcher_next(page: str) -> str:
    return html.unescape(re.search(r'name="next" value="([^"]*)"', page).group(1))


def _challenge(page: str) -> dict:
    return json.loads(html.unescape(re.search(r'challengejson="([^"]+)"', page).group(1)))


def test_each_visitor_of_a_cached_page_gets_a_csrf_token_that_works(db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=Status.WINNER, title="Water for all")
    url = reverse("public:results_cycle", args=[6])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    rendered, _page = _get(first, url)
    cached, page = _get(second, url)

    assert (rendered, cached) == (True, False)
    assert "Water for all" in page
    # The cached page's form works for this visitor: its token matches their cookie.
    response = second.post(
        reverse("accounts:set_language"),
        {"language": "fr", "next": url, "csrfmiddlewaretoken": _csrf_token(page)},
    )
    assert response.status_code == 302
    assert response["Location"] == url


def test_the_language_switcher_returns_each_visitor_to_their_own_address(client, db):
    published_cycle(number=6)
    url = reverse("public:results_index")
    _get(client, url)
    rendered, page = _get(client, url + "?from=newsletter&x=<b>")

    assert not rendered  # the query string makes no new entry: no visitor fills the cache
    assert _switcher_next(page) == url + "?from=newsletter&x=%3Cb%3E"
    assert "<b>" not in page


def test_a_marker_in_the_address_is_only_text(client, db):
    cycle = voting_cycle()
    candidates(cycle)
    url = reverse("vote:index")
    _get(client, url)
    tricky = f"{url}?next={CHALLENGE_HOLE}&csrf={CSRF_HOLE}"

    page = client.get(tricky).content.decode()

    assert _switcher_next(page) == tricky
    assert page.count(CHALLENGE_HOLE) == page.count(CSRF_HOLE) == 1  # the address only
    assert _challenge(page)["algorithm"]  # the widget's own challenge, filled once


def test_absolute_links_follow_the_address_the_page_was_asked_at(client, db):
    cycle = published_cycle(number=6)
    winner = entry(cycle=cycle, status=Status.WINNER, title="Water for all")
    url = reverse("public:initiative_by_id", args=[winner.pk])
    _get(client, url)

    _rendered, page = _get(client, url)
    https = Client().get(url, secure=True).content.decode()
    other_host = Client().get(url, HTTP_HOST="localhost").content.decode()

    canonical = '<link rel="canonical" href="{}">'
    assert canonical.format(f"http://testserver{url}") in page
    assert canonical.format(f"https://testserver{url}") in https
    assert canonical.format(f"http://localhost{url}") in other_host


def test_each_search_has_its_own_results_in_the_cached_page_around_them(client, db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=Status.WINNER, title="Water for all")
    entry(cycle=cycle, status=Status.DESERVING, title="Bus lanes")
    url = reverse("public:database")
    client.get(url, {"q": "water"})

    second = client.get(url, {"q": "bus"})
    tricky = client.get(url, {"q": f"{SEARCH_RESULTS_HOLE} {CSRF_HOLE}"})

    rendered = [t.name for t in second.templates]
    assert "public/_database_content.html" in rendered and "base.html" not in rendered
    page = second.content.decode()
    assert "Bus lanes" in page and "Water for all" not in page
    assert _switcher_next(page) == url + "?q=bus"
    # The words searched are shown as typed, never filled in.
    shown = tricky.content.decode()
    assert f'value="{SEARCH_RESULTS_HOLE} {CSRF_HOLE}"' in shown
    assert shown.count("No published initiative matches these filters.") == 1


def test_a_signed_in_user_gets_the_page_rendered_with_their_menu(client, db):
    published_cycle(number=6)
    url = reverse("public:results_index")
    _get(client, url)
    client.force_login(factories.UserFactory(full_name="Amara Diallo"))

    rendered, page = _get(client, url)

    assert rendered
    assert "Amara Diallo" in page
    assert "Sign out" in page


def test_an_error_page_is_never_cached(client, db):
    url = reverse("public:results_cycle", args=[9])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 404
        assert CSRF_HOLE not in response.content.decode()


def test_a_redirect_keeps_its_address(client, db):
    cycle = published_cycle(number=6)
    winner = entry(cycle=cycle, status=Status.WINNER, title="Water for all", slug="water")
    response = client.get(reverse("public:initiative_by_id", args=[winner.pk]))
    assert response.status_code == 301
    assert response["Location"] == winner.get_public_url()


def test_each_visitor_of_the_cached_vote_page_gets_a_challenge_of_their_own(db):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)
    url = reverse("vote:index")
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    (rendered, first), (cached, second) = (_get(v, url) for v in visitors)

    assert (rendered, cached) == (True, False)
    assert _challenge(first)["salt"] != _challenge(second)["salt"]
    response = visitors[1].post(
        url,
        {
            "submission": green.pk,
            "email": "voter@example.org",
            "captcha": solved_captcha(_challenge(second)),
            "csrfmiddlewaretoken": _csrf_token(second),
        },
    )
    assert response.status_code == 302
    # The thanks are this voter's: their next page is rendered for them, not cached...
    rendered, thanks = _get(visitors[1], url)
    assert "Thank you!" in thanks
    assert rendered
    # ...and nobody else sees them.
    assert "Thank you!" not in _get(visitors[0], url)[1]


def test_the_vote_page_closes_with_the_vote_though_it_was_cached(client, db):
    now = timezone.now()
    cycle = voting_cycle(vote_closes_at=now + timedelta(hours=1))
    candidates(cycle)
    url = reverse("vote:index")
    assert "Green roofs" in _get(client, url)[1]
    assert "Green roofs" in _get(client, url)[1]

    with time_machine.travel(now + timedelta(hours=2)):
        _rendered, page = _get(client, url)

    assert "Green roofs" not in page
    assert "The public vote is not open at the moment." in page
