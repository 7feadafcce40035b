"""The statistics' domains are counted by the database: the same numbers as counting
the entries' JSON lists one by one."""

import random
from collections import Counter

from submissions.classifications import Domain, Topic
from submissions.models import Submission
from submissions.selectors.statistics import statistics_get
from submissions.workflow import VALID, Status
from tests import factories
from tests.submissions.factories_console import entry

DOMAINS = [d.value for d in Domain]


def _counted_in_python(cycles=None) -> dict[str, int]:
    """The former way: every valid entry's list, each domain once per entry."""
    entries = Submission.objects.filter(status__in=VALID)
    if cycles is not None:
        entries = entries.filter(cycle__in=cycles)
    counts: Counter = Counter()
    for domains in entries.values_list("domains", flat=True):
        counts.update(set(domains or []))
    return {d: counts.get(d, 0) for d in DOMAINS}


def _mixed_data_set():
    rng = random.Random(13)
    six, seven = factories.CycleFactory(number=6), factories.CycleFactory(number=7)
    statuses = list(Status)
    for n in range(60):
        lists = [
            [],
            rng.sample(DOMAINS, rng.randint(1, len(DOMAINS))),
            [DOMAINS[n % 5], DOMAINS[n % 5]],  # a domain twice counts once
            [DOMAINS[n % 5], "not_a_domain"],  # an unknown word is no domain
        ]
        entry(
            cycle=(six, seven)[n % 2],
            status=statuses[n % len(statuses)],
            country=["BR", "KE", "CN", "FR", "US"][n % 5],
            topic=rng.choice([*Topic.values, ""]),
            domains=lists[n % 4],
        )
    return six, seven


def test_statistics_by_domain_matches_the_entries_lists_on_a_mixed_data_set(db):
    six, seven = _mixed_data_set()

    assert statistics_get()["by_domain"] == _counted_in_python()
    assert statistics_get(cycle=seven)["by_domain"] == _counted_in_python([seven])
    assert statistics_get(cycles=[six, seven])["by_domain"] == _counted_in_python([six, seven])
    assert sum(statistics_get()["by_domain"].values()) > 0


def test_statistics_by_domain_is_zero_for_every_domain_without_entries(db):
    entry(cycle=factories.CycleFactory(number=5), status=Status.DRAFT, domains=["economic"])

    assert statistics_get()["by_domain"] == dict.fromkeys(DOMAINS, 0)
