"""The public vote in a real browser: the proof-of-work check runs under the strict CSP."""

import pytest
from playwright.sync_api import expect

from judging.models import Vote
from tests.judging.factories_vote import candidates, voting_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vote_form_solves_its_challenge_under_the_strict_csp_and_votes(page, live_server, settings):
    settings.VOTE_CHALLENGE_MAX_NUMBER = 20_000  # a quick check in tests
    cycle = voting_cycle()
    green, *_ = candidates(cycle)

    response = page.goto(live_server.url + "/vote/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.check(f"input[name=submission][value='{green.pk}']")
    page.fill("#id_email", "ana@example.org")
    page.click("altcha-widget input[type=checkbox]")
    expect(page.get_by_text("Verified", exact=True)).to_be_visible(timeout=60_000)
    page.click("main form button[type=submit]")

    expect(page.locator(".alert-success")).to_contain_text(
        "We have sent a confirmation link to ana@example.org"
    )
    assert list(Vote.objects.values_list("submission_id", "email")) == [
        (green.pk, "ana@example.org")
    ]
    assert page.errors == []


def test_vote_form_without_the_check_says_what_to_do(page, live_server):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)

    page.goto(live_server.url + "/vote/")
    page.check(f"input[name=submission][value='{green.pk}']")
    page.fill("#id_email", "ana@example.org")
    page.click("main form button[type=submit]")

    expect(page.locator("main")).to_contain_text("Please wait until the check below says")
    assert Vote.objects.count() == 0
