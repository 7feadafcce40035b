"""The web process's own copy of the public cache ("public_local", beside Redis): what it
read once it serves again without a round trip, and a publication still shows at once
(every key carries the generation, which is always read from the shared cache)."""

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from submissions.public_cache import public_cache_bump, public_cache_key, public_cached
from submissions.workflow import Status
from tests.submissions.factories_console import entry, published_cycle

TWO_LEVELS = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "test-shared",
    },
    "public_local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "test-process",
    },
}


@pytest.fixture
def two_levels():
    with override_settings(CACHES=TWO_LEVELS):
        cache.clear()
        caches["public_local"].clear()
        yield
        cache.clear()
        caches["public_local"].clear()


def test_a_value_read_once_is_served_from_the_process_copy(two_levels):
    builds = []

    def build():
        builds.append(1)
        return f"value {len(builds)}"

    assert public_cached("thing", 7, build=build) == "value 1"
    cache.delete(public_cache_key("thing", 7))  # the shared cache lost it (an eviction)

    assert public_cached("thing", 7, build=build) == "value 1"
    assert len(builds) == 1


def test_a_value_another_process_cached_is_copied_on_first_read(two_levels):
    key = public_cache_key("thing", 8)
    cache.set(key, "from another process")

    assert public_cached("thing", 8, build=lambda: "built here") == "from another process"
    cache.delete(key)
    assert public_cached("thing", 8, build=lambda: "built here") == "from another process"
    assert caches["public_local"].get(key) == "from another process"


@pytest.mark.django_db
def test_a_publication_is_seen_at_once_despite_the_copy(two_levels):
    assert public_cached("thing", 9, build=lambda: "before") == "before"

    public_cache_bump()  # another generation: keys the copy does not have

    assert public_cached("thing", 9, build=lambda: "after") == "after"


@pytest.mark.django_db
def test_a_cached_page_is_served_from_the_copy_and_renewed_by_a_publication(two_levels, client):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=Status.WINNER, title="Water for all")
    url = reverse("public:results_cycle", args=[6])
    assert "Water for all" in client.get(url).content.decode()
    # Only the generation is left in the shared cache: the page comes from the copy.
    generation = cache.get("public:generation")
    cache.clear()
    cache.set("public:generation", generation, timeout=None)
    entry(cycle=cycle, status=Status.DESERVING, title="Bus lanes")  # behind the services

    assert "Bus lanes" not in client.get(url).content.decode()
    public_cache_bump()
    assert "Bus lanes" in client.get(url).content.decode()
