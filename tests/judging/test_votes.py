import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from judging.models import Vote
from judging.votes import (
    VOTE_SALT,
    cycle_city_of_your_choice_set,
    cycle_vote_window_set,
    vote_cast,
    vote_confirm,
    vote_counts,
    vote_day,
    vote_email_key,
    vote_from_token,
    vote_token,
)
from submissions.public_cache import public_cache_bump
from submissions.workflow import Status
from tests import factories
from tests.judging.factories_vote import candidates, solved_captcha, voting_cycle
from tests.submissions.factories_console import entry


def _cast(cycle, sub, email="ana@example.org", ip="10.0.0.1", at=None):
    return vote_cast(cycle=cycle, submission_id=sub.pk, email=email, ip_address=ip, at=at)


def test_vote_cast_records_unconfirmed_vote_and_sends_link(db, django_capture_on_commit_callbacks):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)

    with django_capture_on_commit_callbacks(execute=True):
        vote = _cast(cycle, green, email="  Ana@Example.org ")

    assert (vote.email, vote.submission_id, vote.confirmed_at, vote.ip_address) == (
        "ana@example.org",
        green.pk,
        None,
        "10.0.0.1",
    )
    assert vote.day == vote_day(timezone.now())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    token = re.search(r"/vote/confirm/([^/\s]+)/", mail.outbox[0].body).group(1)
    # The link names this vote (its timestamp may differ from one made now by a second).
    assert vote_from_token(token=token) == vote


def test_vote_day_is_beijing_day(db):
    # 20:00 UTC on 1 March is 04:00 on 2 March in Beijing.
    at = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    assert vote_day(at).isoformat() == "2026-03-02"


def test_vote_cast_refused_outside_the_window(db):
    now = timezone.now()
    closed = voting_cycle(
        vote_opens_at=now - timedelta(days=5), vote_closes_at=now - timedelta(days=1)
    )
    sub = entry(cycle=closed, status=Status.SHORTLISTED)

    with pytest.raises(ValidationError) as error:
        _cast(closed, sub)

    assert error.value.messages == ["The public vote is not open."]
    assert Vote.objects.count() == 0


def test_vote_cast_refuses_entries_that_are_not_shortlisted(db):
    cycle = voting_cycle()
    deserving = entry(cycle=cycle, status=Status.DESERVING)
    other_cycle_sub = entry(cycle=factories.CycleFactory(), status=Status.SHORTLISTED)

    for sub in (deserving, other_cycle_sub):
        with pytest.raises(ValidationError) as error:
            _cast(cycle, sub)
        assert error.value.messages == ["Please choose one of the shortlisted initiatives."]
    assert Vote.objects.count() == 0


def test_vote_confirm_makes_the_vote_count(db):
    cycle = voting_cycle()
    green, river, _safe = candidates(cycle)
    vote = _cast(cycle, green)

    confirmed = vote_confirm(token=vote_token(vote))

    assert confirmed.confirmed_at is not None
    counts = {c.title: c.confirmed_votes for c in vote_counts(cycle=cycle)}
    assert counts == {"Green roofs": 1, "Clean river": 0, "Safe streets": 0}


def test_vote_confirm_twice_is_like_once(db):
    cycle = voting_cycle()
    vote = _cast(cycle, candidates(cycle)[0])
    first = vote_confirm(token=vote_token(vote)).confirmed_at

    again = vote_confirm(token=vote_token(vote))

    assert again.confirmed_at == first


def test_vote_one_confirmed_vote_per_address_per_day(db):
    cycle = voting_cycle()
    green, river, _safe = candidates(cycle)
    vote_confirm(token=vote_token(_cast(cycle, green)))

    with pytest.raises(ValidationError) as error:
        _cast(cycle, river)

    assert error.value.messages == [
        "This email address has already voted today. You may vote again tomorrow (Beijing time)."
    ]
    assert Vote.objects.count() == 1


def test_vote_second_pending_vote_of_the_day_cannot_be_confirmed(db):
    cycle = voting_cycle()
    green, river, _safe = candidates(cycle)
    first = _cast(cycle, green)
    second = _cast(cycle, river)
    vote_confirm(token=vote_token(first))

    with pytest.raises(ValidationError, match="This email address has already voted today"):
        vote_confirm(token=vote_token(second))

    second.refresh_from_db()
    assert second.confirmed_at is None


def test_vote_next_beijing_day_allows_a_new_vote(db):
    now = timezone.now()
    cycle = voting_cycle(vote_opens_at=now - timedelta(days=3))
    green, river, _safe = candidates(cycle)
    yesterday = now - timedelta(days=1)
    vote_confirm(token=vote_token(_cast(cycle, green, at=yesterday)), at=yesterday)

    vote = _cast(cycle, river)
    vote_confirm(token=vote_token(vote))

    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 2


def test_vote_ip_limit_per_day(db):
    cycle = voting_cycle(votes_per_ip_per_day=2)
    green, *_ = candidates(cycle)
    _cast(cycle, green, email="a@example.org")
    _cast(cycle, green, email="b@example.org")

    with pytest.raises(ValidationError) as error:
        _cast(cycle, green, email="c@example.org")

    assert error.value.messages == [
        "Too many votes came from your network today. Please try again tomorrow."
    ]
    _cast(cycle, green, email="c@example.org", ip="10.0.0.2")
    assert Vote.objects.count() == 3


def test_vote_forged_link_is_rejected(db):
    cycle = voting_cycle()
    vote = _cast(cycle, candidates(cycle)[0])
    forged = signing.dumps({"v": vote.pk, "e": vote.email}, salt="another-salt")

    with pytest.raises(ValidationError) as error:
        vote_confirm(token=forged)

    assert error.value.messages == [
        "This confirmation link is not valid. Please use the link exactly as we sent it."
    ]
    vote.refresh_from_db()
    assert vote.confirmed_at is None


class _OldSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 3 * 86400)


def test_vote_expired_link_is_rejected(db):
    cycle = voting_cycle()
    vote = _cast(cycle, candidates(cycle)[0])
    old = _OldSigner(salt=VOTE_SALT).sign_object({"v": vote.pk, "e": vote.email})

    with pytest.raises(ValidationError) as error:
        vote_confirm(token=old)

    assert error.value.messages == [
        "This confirmation link has expired. Please vote again to get a new link."
    ]


def test_vote_index_shows_candidates_of_the_open_cycle(client, db):
    cycle = voting_cycle()
    made = candidates(cycle)
    entry(cycle=cycle, status=Status.DESERVING, title="Not a candidate")

    response = client.get(reverse("vote:index"))

    assert response.status_code == 200
    expected = [c.title for c in sorted(made, key=lambda c: c.organisation.name)]
    assert [c.title for c in response.context["candidates"]] == expected
    assert "Not a candidate" not in response.content.decode()


def test_vote_index_when_closed_says_so(client, db):
    response = client.get(reverse("vote:index"))
    assert "The public vote is not open at the moment." in response.content.decode()


def test_vote_over_http_then_confirm_by_link(client, db, django_capture_on_commit_callbacks):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vote:index"),
            {"submission": green.pk, "email": "voter@example.org", "captcha": solved_captcha()},
        )

    assert response.status_code == 302
    link = re.search(r"http\S+/vote/confirm/\S+/", mail.outbox[0].body).group(0)
    path = urlsplit(link).path
    assert "Confirm my vote" in client.get(path).content.decode()
    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert "Your vote is confirmed" in confirmed.content.decode()
    assert Vote.objects.get().confirmed_at is not None


def test_vote_over_http_bad_input_shows_messages(client, db):
    cycle = voting_cycle()
    candidates(cycle)

    response = client.post(reverse("vote:index"), {"email": "not-an-email"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Please choose one of the shortlisted initiatives." in body
    assert "Enter a valid email address." in body
    assert Vote.objects.count() == 0


def test_vote_confirm_page_with_forged_token_says_so(client, db):
    response = client.get(reverse("vote:confirm", args=["forged:token"]))

    assert response.status_code == 400
    assert "This confirmation link is not valid." in response.content.decode()


def test_cycle_vote_window_set_validates(db, secretariat):
    cycle = factories.CycleFactory()
    now = timezone.now()

    with pytest.raises(ValidationError) as error:
        cycle_vote_window_set(
            cycle=cycle,
            opens_at=now,
            closes_at=now - timedelta(days=1),
            votes_per_email_per_day=1,
            votes_per_ip_per_day=20,
            by=secretariat,
        )
    assert error.value.messages == ["The vote must close after it opens."]

    cycle_vote_window_set(
        cycle=cycle,
        opens_at=now,
        closes_at=now + timedelta(days=30),
        votes_per_email_per_day=2,
        votes_per_ip_per_day=50,
        by=secretariat,
    )
    cycle.refresh_from_db()
    assert (
        cycle.vote_opens_at,
        cycle.vote_closes_at,
        cycle.votes_per_email_per_day,
        cycle.votes_per_ip_per_day,
    ) == (now, now + timedelta(days=30), 2, 50)


def test_cycle_city_of_your_choice_set_takes_most_confirmed_votes(db, secretariat):
    now = timezone.now()
    cycle = voting_cycle(
        vote_opens_at=now - timedelta(days=5), vote_closes_at=now + timedelta(days=1)
    )
    green, river, safe = candidates(cycle)
    for n, sub in enumerate([green, river, river]):
        vote_confirm(token=vote_token(_cast(cycle, sub, email=f"v{n}@example.org")))
    _cast(cycle, green, email="pending1@example.org")
    _cast(cycle, green, email="pending2@example.org")

    with pytest.raises(ValidationError, match="The public vote has not closed yet"):
        cycle_city_of_your_choice_set(cycle=cycle, by=secretariat)
    cycle.refresh_from_db()
    assert cycle.city_of_your_choice is None

    chosen = cycle_city_of_your_choice_set(cycle=cycle, by=secretariat, at=now + timedelta(days=2))

    cycle.refresh_from_db()
    assert chosen == river
    assert cycle.city_of_your_choice == river


def test_vote_index_query_count_is_the_same_at_two_sizes(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cycle = voting_cycle()
    entry(cycle=cycle, status=Status.SHORTLISTED)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("vote:index")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _n in range(10):
        entry(cycle=cycle, status=Status.SHORTLISTED)
    public_cache_bump()  # the entries were added behind the services' back
    large = count()

    assert small == large


def test_vote_ip_limit_ignores_forged_forwarded_header_without_proxy(client, db):
    cycle = voting_cycle(votes_per_ip_per_day=1)
    green, *_ = candidates(cycle)
    url = reverse("vote:index")

    client.post(
        url,
        {"submission": green.pk, "email": "a@example.org", "captcha": solved_captcha()},
        HTTP_X_FORWARDED_FOR="1.1.1.1",
    )
    response = client.post(
        url,
        {"submission": green.pk, "email": "b@example.org", "captcha": solved_captcha()},
        HTTP_X_FORWARDED_FOR="2.2.2.2",
    )

    assert response.status_code == 400
    assert "Too many votes came from your network today." in response.content.decode()
    assert list(Vote.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("email", "mailbox"),
    [
        ("Ana@Example.org", "ana@example.org"),
        ("ana+vote1@example.org", "ana@example.org"),
        ("a.n.a+x@gmail.com", "ana@gmail.com"),
        ("A.na@googlemail.com", "ana@gmail.com"),
        ("a.na@example.org", "a.na@example.org"),  # dots matter outside Gmail
        ("+x@example.org", "+x@example.org"),
    ],
)
def test_vote_email_key_is_the_mailbox(email, mailbox):
    assert vote_email_key(email) == mailbox


def test_vote_one_mailbox_under_several_spellings_counts_once(db):
    cycle = voting_cycle(votes_per_ip_per_day=100)
    green, river, safe = candidates(cycle)
    vote_confirm(token=vote_token(_cast(cycle, green, email="jo.li@gmail.com")))

    for sub, email in ((river, "joli+1@gmail.com"), (safe, "J.o.L.i@googlemail.com")):
        with pytest.raises(ValidationError) as error:
            _cast(cycle, sub, email=email)
        assert error.value.messages == [
            "This email address has already voted today. You may vote again tomorrow (Beijing time)."
        ]
    assert Vote.objects.count() == 1


def test_vote_second_spelling_pending_cannot_be_confirmed(db):
    cycle = voting_cycle()
    green, river, _safe = candidates(cycle)
    first = _cast(cycle, green, email="ana@example.org")
    second = _cast(cycle, river, email="ana+again@example.org")
    vote_confirm(token=vote_token(first))

    with pytest.raises(ValidationError, match="This email address has already voted today"):
        vote_confirm(token=vote_token(second))
    second.refresh_from_db()
    assert second.confirmed_at is None
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1


def _challenge_of(page: str) -> dict:
    import html
    import json

    found = re.search(r'challengejson="([^"]+)"', page)
    return json.loads(html.unescape(found.group(1)))


def test_vote_form_accepts_the_challenge_the_page_served_once_solved(
    client, db, django_capture_on_commit_callbacks
):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)
    page = client.get(reverse("vote:index")).content.decode()
    assert "vendor/altcha/altcha.js" in page and "<altcha-widget" in page
    payload = solved_captcha(_challenge_of(page))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vote:index"),
            {"submission": green.pk, "email": "ana@example.org", "captcha": payload},
        )

    assert response.status_code == 302
    assert Vote.objects.count() == 1
    replay = client.post(
        reverse("vote:index"),
        {"submission": green.pk, "email": "other@example.org", "captcha": payload},
    )
    assert replay.status_code == 400
    assert "This check was already used." in replay.content.decode()
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    ("captcha", "message"),
    [
        (None, "Please wait until the check below says “Verified”, then vote."),
        ("", "Please wait until the check below says “Verified”, then vote."),
        ("bm90LWEtcGF5bG9hZA==", "The check did not succeed. Please tick it again, then vote."),
        ("%%%", "The check did not succeed. Please tick it again, then vote."),
    ],
)
def test_vote_form_refuses_a_missing_or_invalid_challenge(client, db, captcha, message):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)
    data = {"submission": green.pk, "email": "ana@example.org"}
    if captcha is not None:
        data["captcha"] = captcha

    response = client.post(reverse("vote:index"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Vote.objects.count() == 0


def test_vote_form_refuses_a_challenge_signed_with_another_key(client, db, settings):
    cycle = voting_cycle()
    green, *_ = candidates(cycle)
    settings.ALTCHA_HMAC_KEY = "someone-else"
    forged = solved_captcha()
    settings.ALTCHA_HMAC_KEY = "the-portal"

    response = client.post(
        reverse("vote:index"),
        {"submission": green.pk, "email": "ana@example.org", "captcha": forged},
    )

    assert response.status_code == 400
    assert Vote.objects.count() == 0
