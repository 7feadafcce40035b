"""The Redis cache backend (awardportal/cache.py): Django's, with one client object per
connection pool instead of a new one for every cache call."""

import os

import pytest
from django.conf import settings

from awardportal.cache import RedisCache
from tests.conftest import skip_or_fail


@pytest.fixture
def redis_cache():
    url = os.environ.get("REDIS_URL")
    if not url:
        skip_or_fail("REDIS_URL is not set: no Redis server for the cache")
    cache = RedisCache(url, {"KEY_PREFIX": "test-cache-backend"})
    yield cache
    cache.delete_many(["greeting", "counter"])
    cache.close()


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client("greeting")

    assert redis_cache._cache.get_client("other", write=True) is client


def test_values_round_trip_through_the_shared_client(redis_cache):
    redis_cache.set("greeting", {"fr": "Bonjour"}, timeout=30)
    assert redis_cache.get("greeting") == {"fr": "Bonjour"}
    assert redis_cache.add("greeting", "again") is False
    redis_cache.set("counter", 1)
    assert redis_cache.incr("counter", 2) == 3
    assert redis_cache.get_many(["greeting", "counter", "missing"]) == {
        "greeting": {"fr": "Bonjour"},
        "counter": 3,
    }


def test_the_settings_use_it_for_redis():
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL") or "redis" in os.environ.get("CACHE_URL", ""):
        assert backend == "awardportal.cache.RedisCache"
        # with each process's copy of the public cache in front of it
        assert settings.CACHES["public_local"]["BACKEND"].endswith("LocMemCache")
    else:
        assert backend != "django.core.cache.backends.redis.RedisCache"
        assert "public_local" not in settings.CACHES  # a copy of local memory: pointless
