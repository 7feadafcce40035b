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


def solved_captcha(challenge=None) -> str:
    """The ALTCHA payload a browser posts after solving ``challenge`` (a dict as the vote
    page embeds it; by default a fresh easy one signed with the portal's key)."""
    import base64
    import json

    import altcha
    from django_altcha import get_altcha_challenge

    if challenge is None:
        challenge = get_altcha_challenge(max_number=1000).__dict__
    solution = altcha.solve_challenge(
        challenge["challenge"],
        challenge["salt"],
        challenge["algorithm"],
        challenge.get("maxnumber") or challenge.get("max_number") or 1_000_000,
    )
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()
