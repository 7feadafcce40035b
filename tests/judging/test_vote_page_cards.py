"""The vote page's candidate cards: rendered once per publication generation and
language while nobody has chosen, rendered again with the visitor's choice when the
form comes back with an error."""

from django.urls import reverse
from django.utils import translation

from submissions.models import Submission
from submissions.public_cache import public_cache_bump
from tests.judging.factories_vote import candidates, voting_cycle


def _page(client, **headers) -> str:
    response = client.get(reverse("vote:index"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def _cards_rendered(response) -> bool:
    return "vote/_candidates.html" in [t.name for t in response.templates]


def test_the_cards_are_rendered_once_per_publication(client, db):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)
    url = reverse("vote:index")
    first = client.get(url)
    assert _cards_rendered(first)
    assert "Green roofs" in first.content.decode()
    again = client.get(url)
    assert not _cards_rendered(again)
    assert "Green roofs" in again.content.decode()
    # A change becomes visible with the next publication or decision (which make the
    # public pages stale); here it was written behind the services' back.
    Submission.objects.filter(pk=green.pk).update(title="Blue roofs")
    public_cache_bump()
    fresh = client.get(url)
    assert _cards_rendered(fresh)
    assert "Blue roofs" in fresh.content.decode()
    assert "Green roofs" not in fresh.content.decode()


def test_each_language_has_its_own_cards(client, db):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)
    country = green.organisation.country
    with translation.override("fr"):
        french = str(country.name)
    with translation.override("en"):
        english = str(country.name)
    assert french != english
    assert english in _page(client, HTTP_ACCEPT_LANGUAGE="en")
    assert french in _page(client, HTTP_ACCEPT_LANGUAGE="fr")


def test_a_refused_vote_shows_the_cards_with_the_visitors_choice(client, db):
    cycle = voting_cycle()
    _green, river, _streets = candidates(cycle)
    _page(client)  # the unchosen cards are cached
    response = client.post(reverse("vote:index"), {"submission": river.pk, "email": "nope"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{river.pk}" checked' in page
    assert page.count(" checked>") == 1
