"""The console's statistics over a range of cycles: the reports' tables, downloads."""

import csv
import datetime as dt
import io

import time_machine
from django.urls import reverse
from django.utils import timezone

from submissions.classifications import Topic
from submissions.public_cache import public_cache_bump
from submissions.selectors.statistics import RECOUNT_SECONDS
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry

S = Status


def _two_cycles():
    three, four = factories.CycleFactory(number=3), factories.CycleFactory(number=4)
    entry(cycle=three, status=S.WINNER, country="FR", topic=Topic.SMART)
    entry(cycle=three, status=S.DESERVING, country="KE", topic=Topic.SMART)
    entry(cycle=four, status=S.SHORTLISTED, country="FR", topic=Topic.RESILIENT)
    entry(cycle=four, status=S.INELIGIBLE, country="JP")
    factories.CycleFactory(number=5)  # not in the range
    return three, four


def test_statistics_range_shows_continents_per_cycle_with_totals(secretariat_client):
    _two_cycles()
    page = secretariat_client.get(reverse("console:statistics"), {"cycles": ["3", "4"]})
    assert page.status_code == 200
    assert page.context["stats"]["cycles"] == [3, 4]
    table = page.context["continent_table"]
    assert [(n, total) for n, _values, total in table["rows"]] == [("3", 2), ("4", 1)]
    europe = table["columns"].index("Europe")
    africa = table["columns"].index("Africa")
    assert (table["totals"][europe], table["totals"][africa], table["grand_total"]) == (2, 1, 3)
    topics = {name: rest for name, *rest in page.context["topic_table"]}
    assert topics["Smart city"] == [2, 1, 1]  # valid, shortlisted or better, winners
    assert topics["Resilient city"] == [1, 1, 0]
    assert "Statistics of cycles 3, 4" in page.content.decode()


def test_statistics_range_downloads_carry_the_range(secretariat_client):
    _two_cycles()
    response = secretariat_client.get(
        reverse("console:statistics_download", args=["csv"]), {"cycles": ["3", "4"]}
    )
    assert response["Content-Disposition"] == 'attachment; filename="statistics-cycles3-4.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["continent, cycle 3", "Europe", "1"] in rows
    assert ["continent, cycle 4", "Europe", "1"] in rows
    assert ["topic, winners", "Smart city", "1"] in rows
    assert ["funnel (cities)", "valid", "3"] in rows


def test_statistics_range_refuses_unknown_and_malformed_cycles(secretariat_client):
    _two_cycles()
    url = reverse("console:statistics")
    assert secretariat_client.get(url, {"cycles": ["3", "9"]}).status_code == 404
    assert secretariat_client.get(url, {"cycles": ["x"]}).status_code == 404
    assert secretariat_client.get(url, {"cycles": ["9" * 30]}).status_code == 404
    assert secretariat_client.get(url, {"cycle": "9" * 30}).status_code == 404


def test_statistics_are_recounted_each_minute_and_at_once_after_a_decision(secretariat_client):
    three, _four = _two_cycles()
    url = reverse("console:statistics")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = secretariat_client.get(url, {"cycle": "3"})
        assert first.context["stats"]["received"] == 2
        assert first.context["counted_at"] == start
        assert "Counted at" in first.content.decode()
        # Written outside the services (nothing bumps): the counts stand for the minute.
        entry(cycle=three, status=S.ELIGIBLE, country="BR")
        assert secretariat_client.get(url, {"cycle": "3"}).context["stats"]["received"] == 2
        # Another scope is counted on its own (all cycles: 4 before, 1 since).
        assert secretariat_client.get(url).context["stats"]["received"] == 5
    later = start + dt.timedelta(seconds=RECOUNT_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        page = secretariat_client.get(url, {"cycle": "3"})
        assert page.context["stats"]["received"] == 3
        assert page.context["counted_at"] == later
        entry(cycle=three, status=S.ELIGIBLE, country="CL")
        public_cache_bump()  # what each decision and publication does
        assert secretariat_client.get(url, {"cycle": "3"}).context["stats"]["received"] == 4
