"""A cycle whose public vote is open, with shortlisted candidates."""

from datetime import timedelta

from django.utils import timezone

from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry


def voting_cycle(**kwargs):
    now = timezone.now()
    kwargs.setdefault("vote_opens_at", now - timedelta(days=1))
    kwargs.setdefault("vote_closes_at", now + timedelta(days=10))
    return factories.CycleFactory(**kwargs)


def candidates(cycle):
    return [
        entry(cycle=cycle, status=Status.SHORTLISTED, title="Green roofs"),
        entry(cycle=cycle, status=Status.WINNER, title="Clean river"),
        entry(cycle=cycle, status=Status.MEDAL_OF_HONOR, title="Safe streets"),
    ]
