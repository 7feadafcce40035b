"""Django's Redis cache, with one client object per connection pool.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every cache
call, and redis-py fills about 170 reply callbacks into each new client: some 0.2 ms of
CPU per ``cache.get``, more than the round trip itself, and the public pages make two or
three of them per request. A ``redis.Redis`` over a pool is safe to share between
threads, so each pool gets one, made on first use (after the server forked its workers).
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
