"""The Redis cache backend (``ResilientRedisCache``), with one Redis client object per pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache
operation (each one sets up its table of about 200 response callbacks): measured here 0.42 ms
of CPU per ``cache.get`` against 0.13 ms with a client kept per pool. The pools, and so the
connections, are Django's own; a ``redis.Redis`` object is safe to share between threads (each
command takes a connection from the pool), and the pool reconnects after a fork.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCacheClient

from nato_tracker.cache_backend import ResilientRedisCache


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(ResilientRedisCache):
    """:class:`nato_tracker.cache_backend.ResilientRedisCache` with a client kept per pool."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
