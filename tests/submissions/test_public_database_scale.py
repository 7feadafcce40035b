"""The public database read at scale: the stored outcome rank and search vector, the
page read cycle by cycle from the index, and the same order and matches as before."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.models import Cycle, Organisation, Submission
from submissions.public_cache import public_cache_bump
from submissions.selectors.public import (
    OUTCOME_ORDER,
    DatabaseFilters,
    submission_list_published,
    submission_results_published,
    submission_search_published,
)
from submissions.workflow import PUBLISHABLE, Status
from tests import factories
from tests.conftest import skip_or_fail
from tests.submissions.factories_console import entry, published_cycle

S = Status
pytestmark = pytest.mark.django_db


def _titles(response):
    return [sub.title for sub in response.context["page"].object_list]


def _paged(filters: DatabaseFilters, per_page: int) -> list[int]:
    paginator = Paginator(submission_results_published(filters), per_page)
    return [sub.pk for n in paginator.page_range for sub in paginator.page(n).object_list]


def _three_cycles():
    """Three published cycles (one without entries) and one unpublished, with entries in
    every status, titles that tie, and a city searched by name."""
    statuses = [S.NOT_SELECTED, S.WINNER, S.DESERVING, S.SHORTLISTED, S.MEDAL_OF_HONOR]
    c7 = published_cycle(number=7)
    published_cycle(number=5)
    c2 = published_cycle(number=2)
    hidden = factories.CycleFactory(number=8)
    for n in range(13):
        entry(cycle=c7, status=statuses[n % 5], title=f"Water plan {n % 4}", goals=[6])
    for n in range(9):
        entry(cycle=c2, status=statuses[n % 5], title=f"Housing {n % 3}", country="KE")
    entry(cycle=c7, status=S.SPECIAL_MENTION, title="Mentioned")
    for status in (S.INELIGIBLE, S.WITHDRAWN, S.DRAFT, S.ELIGIBLE):
        entry(cycle=c7, status=status, title="Not public")
    entry(cycle=hidden, status=S.WINNER, title="Water plan not yet published")


def test_outcome_order_of_the_stored_rank_is_the_public_one():
    assert list(Submission.OUTCOME_ORDER) == OUTCOME_ORDER
    assert set(OUTCOME_ORDER) == set(PUBLISHABLE)


def test_outcome_rank_follows_the_status_whatever_writes_it():
    cycle = published_cycle(number=6)
    sub = entry(cycle=cycle, status=S.NOT_SELECTED)
    sub.refresh_from_db()
    assert sub.outcome_rank == OUTCOME_ORDER.index(S.NOT_SELECTED)

    Submission.objects.filter(pk=sub.pk).update(status=S.WINNER)
    sub.refresh_from_db()

    assert sub.outcome_rank == 0
    Submission.objects.filter(pk=sub.pk).update(status=S.WITHDRAWN)
    sub.refresh_from_db()
    assert sub.outcome_rank == len(OUTCOME_ORDER)


@pytest.mark.parametrize("per_page", [1, 4, 5, 20, 100])
@pytest.mark.parametrize(
    "filters",
    [
        DatabaseFilters(),
        DatabaseFilters(q="water"),
        DatabaseFilters(cycle=2),
        DatabaseFilters(outcome=S.WINNER),
        DatabaseFilters(continent="Africa"),
        DatabaseFilters(sdg=6, q="plan"),
    ],
)
def test_pages_read_by_cycle_are_the_public_order_of_every_match(filters, per_page):
    _three_cycles()
    expected = list(submission_search_published(filters).values_list("pk", flat=True))

    assert expected  # each case matches something
    assert _paged(filters, per_page) == expected
    assert submission_results_published(filters).count() == len(expected)


def test_public_order_is_newest_cycle_then_outcome_title_and_id():
    _three_cycles()
    rows = list(submission_list_published())
    keys = [(-s.cycle.number, OUTCOME_ORDER.index(s.status), s.title, s.pk) for s in rows]

    assert keys == sorted(keys)
    assert len(rows) == 13 + 9 + 1
    assert _paged(DatabaseFilters(), 20) == [s.pk for s in rows]


def test_sort_order_follows_a_status_change_and_a_publication(client):
    cycle = published_cycle(number=6)
    a = entry(cycle=cycle, status=S.NOT_SELECTED, title="A")
    b = entry(cycle=cycle, status=S.DESERVING, title="B")
    later = factories.CycleFactory(number=7)
    c = entry(cycle=later, status=S.NOT_SELECTED, title="C")
    url = reverse("public:database")
    assert _titles(client.get(url)) == ["B", "A"]

    # Each change is written behind the services' back, then the public cache bumped
    # as the service making it would (the unsearched database is cached per generation).
    Submission.objects.filter(pk=a.pk).update(status=S.WINNER)
    public_cache_bump()
    assert _titles(client.get(url)) == ["A", "B"]

    Cycle.objects.filter(pk=later.pk).update(results_published_at=timezone.now())
    public_cache_bump()
    assert _titles(client.get(url)) == ["C", "A", "B"]

    Submission.objects.filter(pk=b.pk).update(status=S.WITHDRAWN)
    public_cache_bump()
    response = client.get(url)
    assert _titles(response) == ["C", "A"]
    assert [s.pk for s in response.context["page"]] == [c.pk, a.pk]


def test_a_page_past_the_end_shows_the_last_page(client):
    cycle = published_cycle(number=6)
    for n in range(23):
        entry(cycle=cycle, status=S.NOT_SELECTED, title=f"Entry {n:02d}")

    response = client.get(reverse("public:database"), {"page": "9"})

    assert response.context["page"].number == 2
    assert _titles(response) == ["Entry 20", "Entry 21", "Entry 22"]


def _search(client, q):
    return _titles(client.get(reverse("public:database"), {"q": q}))


def test_search_finds_by_title_city_and_abstract(client):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Rain gardens", abstract="Schools collect rain.")
    medellin = Organisation.objects.create(name="Medellín", country="CO")
    entry(cycle=cycle, status=S.DESERVING, title="Cable cars", org=medellin)
    entry(cycle=cycle, status=S.NOT_SELECTED, title="Night buses", abstract="Shift workers.")

    assert _search(client, "gardens") == ["Rain gardens"]
    assert _search(client, "Medellín") == ["Cable cars"]
    assert _search(client, "workers") == ["Night buses"]
    assert _search(client, "submarines") == []


def test_search_uses_the_stored_vector_on_postgres_and_a_plain_match_elsewhere(client):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Rain gardens")

    with CaptureQueriesContext(connection) as ctx:
        assert _search(client, "gardens") == ["Rain gardens"]

    searched = [q["sql"] for q in ctx.captured_queries if "submissions_submission" in q["sql"]]
    assert searched
    if connection.vendor == "postgresql":
        assert all('"search_vector" @@' in sql for sql in searched if "gardens" in sql)
        assert not any("to_tsvector" in sql for sql in searched)
    else:
        assert any("LIKE" in sql for sql in searched)


def test_stored_vector_follows_edits_and_a_renamed_city(client):
    if connection.vendor != "postgresql":
        skip_or_fail("the stored search vector is Postgres's (DATABASE_URL)")
    cycle = published_cycle(number=6)
    org = Organisation.objects.create(name="Curitiba", country="BR")
    sub = entry(cycle=cycle, status=S.WINNER, title="Bus lanes", org=org)
    assert _search(client, "Curitiba") == ["Bus lanes"]

    Submission.objects.filter(pk=sub.pk).update(title="Rapid transit", citation="Bold.")
    Organisation.objects.filter(pk=org.pk).update(name="Curitiba Metropolis")

    assert _search(client, "transit") == ["Rapid transit"]
    assert _search(client, "bold") == ["Rapid transit"]
    assert _search(client, "metropolis") == ["Rapid transit"]
    assert _search(client, "bus lanes") == []


def test_stored_vector_stems_and_weighs_like_the_search_did(client):
    if connection.vendor != "postgresql":
        skip_or_fail("full-text search needs Postgres (DATABASE_URL)")
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Rain gardens", umbrella_title="Green streets")
    entry(cycle=cycle, status=S.DESERVING, title="Night buses", subtitle="Safer journeys")

    assert _search(client, "gardening") == ["Rain gardens"]
    assert _search(client, "street") == ["Rain gardens"]
    assert _search(client, "journey -rain") == ["Night buses"]
    assert _search(client, '"night buses" OR gardens') == ["Rain gardens", "Night buses"]


def _queries(client, params):
    # The entries are written behind the services' back: bump as a publication does,
    # so that the unfiltered database's cached counts are counted again.
    public_cache_bump()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("public:database"), params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "water"}, {"q": "water", "continent": "Africa", "sdg": "6"}]
)
def test_database_query_count_stays_the_same_as_entries_grow(client, params):
    cycles = [published_cycle(number=n) for n in (3, 4)]

    def add(n):
        for i in range(n):
            entry(
                cycle=cycles[i % 2],
                status=S.NOT_SELECTED,
                title=f"Water {i}",
                country="KE",
                goals=[6],
            )

    add(4)
    small = _queries(client, params)
    add(40)
    large = _queries(client, params)

    assert small == large


def _submission_reads(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("public:database"), params).status_code == 200
    return sum('FROM "submissions_submission"' in q["sql"] for q in ctx.captured_queries)


def test_a_search_repeated_reads_its_page_from_the_cache_until_the_next_publication(client):
    cycle = published_cycle(number=6)
    for n in range(3):
        entry(cycle=cycle, status=S.NOT_SELECTED, title=f"Water {n}", country="KE", goals=[6])
    params = {"q": "water", "continent": "Africa", "sdg": "6"}

    assert _submission_reads(client, params) >= 2  # counted, then its page read
    assert _submission_reads(client, params) == 0  # both from the cache
    assert _titles(client.get(reverse("public:database"), params)) == [
        "Water 0",
        "Water 1",
        "Water 2",
    ]

    late = entry(cycle=cycle, status=S.WINNER, title="Water works", country="KE", goals=[6])
    public_cache_bump()  # as a publication does

    assert _submission_reads(client, params) >= 2
    response = client.get(reverse("public:database"), params)
    assert _titles(response)[0] == late.title
    assert response.context["page"].paginator.count == 4
