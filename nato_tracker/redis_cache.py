"""The Redis cache backend (``ResilientRedisCache``), with one Redis client object per pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache
operation (each one sets up its table of about 200 response callbacks): measured here 0.42 ms
of CPU per ``cache.get`` against 0.13 ms with a client kept per pool. The pools, and so the
connections, are Django's own; a ``redis.Redis`` object is safe to share between threads (each
command takes a connection from the pool), and the pool reconnects after a fork.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCacheClient

from nato_tracker.cache_backend import ResilientRedisCache, _guarded


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


def _uncounted(*args, **kwargs):
    return None


class SharedClientRedisCache(ResilientRedisCache):
    """:class:`nato_tracker.cache_backend.ResilientRedisCache` with a client kept per pool, and
    :meth:`count_in_window` for the rate limits."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def _count_in_window(self, key: str, seconds: int) -> int:
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, int(seconds), nx=True)  # Redis >= 7.0: only when it has none
        count, _ = pipeline.execute()
        return int(count)

    def _count_in_window_and_get(self, key: str, seconds: int, keys: list[str]):
        key = self.make_and_validate_key(key)
        made = {self.make_and_validate_key(k): k for k in keys}
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, int(seconds), nx=True)
        pipeline.mget(list(made))
        count, _, values = pipeline.execute()
        loads = self._cache._serializer.loads
        found = {made[k]: loads(v) for k, v in zip(made, values, strict=True) if v is not None}
        return int(count), found

    #: The counter of ``key`` raised by one, the window of ``seconds`` opened when it had none
    #: (a new counter, or one recreated by INCR just after it expired): one round trip, where
    #: ``cache.incr`` takes two (Django checks that the key exists first) and opening a window
    #: two more. None while Redis is out of reach.
    count_in_window = _guarded(_uncounted)(_count_in_window)
    #: :meth:`count_in_window` and ``get_many(keys)`` in the same round trip: ``(count,
    #: {key: value} of those found)``; None while Redis is out of reach.
    count_in_window_and_get = _guarded(_uncounted)(_count_in_window_and_get)
