"""Voters' emails and IPs are hashed / deleted 30 days after the vote closes."""

import datetime as dt

import pytest
from django.utils import timezone

from judging.models import Vote
from judging.privacy import HASH_PREFIX, voter_email_hash, votes_purge_personal_data
from judging.privacy_tasks import purge_voter_data
from tests import factories

pytestmark = pytest.mark.django_db


def _vote(cycle, email, ip="203.0.113.7"):
    entry = factories.CompleteSubmissionFactory(cycle=cycle, status="shortlisted")
    return Vote.objects.create(
        cycle=cycle, submission=entry, email=email, ip_address=ip, day=dt.date(2026, 1, 1)
    )


def test_votes_are_hashed_30_days_after_the_vote_closes():
    now = timezone.now()
    old = factories.CycleFactory(
        vote_opens_at=now - dt.timedelta(days=60), vote_closes_at=now - dt.timedelta(days=31)
    )
    recent = factories.CycleFactory(
        vote_opens_at=now - dt.timedelta(days=20), vote_closes_at=now - dt.timedelta(days=29)
    )
    a, b = _vote(old, "x@example.org"), _vote(old, "x@example.org", ip=None)
    c = _vote(recent, "y@example.org")
    assert purge_voter_data.delay().get() == 2
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.email == b.email == voter_email_hash(email="x@example.org", cycle_id=old.pk)
    assert a.email.startswith(HASH_PREFIX) and "example" not in a.email
    assert (a.ip_address, b.ip_address) == (None, None)
    assert (c.email, c.ip_address) == ("y@example.org", "203.0.113.7")
    # Running again changes nothing.
    assert votes_purge_personal_data() == 0
    a.refresh_from_db()
    assert a.email == voter_email_hash(email="x@example.org", cycle_id=old.pk)


def test_the_hash_is_salted_per_cycle():
    assert voter_email_hash(email="x@example.org", cycle_id=1) != voter_email_hash(
        email="x@example.org", cycle_id=2
    )
