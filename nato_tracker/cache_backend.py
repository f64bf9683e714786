"""A Redis cache that degrades instead of failing: the cache is an optimisation.

``ResilientRedisCache`` is Django's ``RedisCache`` with every operation guarded. When Redis
cannot be reached (refused, reset, timed out), the operation answers as a cache miss would
(``get`` gives the default, ``set``/``add``/``delete`` do nothing), the failure is logged once,
and for ``RETRY_SECONDS`` (default 5) this process does not even try Redis, so a hung Redis
costs one socket timeout per process per interval, not one per cache call. Pages and the API
are then served uncached (and the API's anonymous throttle, which counts in the cache, lets
requests through). The first operation that succeeds again logs the recovery and sends
:data:`cache_recovered`; ``spending`` bumps the data version on it, since a change made while
Redis was out of reach could not bump it then.

``cache_state()`` tells ``/healthz`` whether the cache answers (``ok``), does not
(``unavailable``), or is not Redis (``local``).

Settings: ``"BACKEND": "nato_tracker.cache_backend.ResilientRedisCache"``, and in ``OPTIONS``
besides redis-py's own options, ``RETRY_SECONDS``.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger("nato_tracker.cache")

cache_recovered = Signal()

# Per process and per Redis location: until when Redis is not tried (monotonic seconds), and
# whether it was found out of reach since it last answered.
_down_until: dict[str, float] = {}
_was_down: dict[str, bool] = {}


def _guarded(fallback):
    """Run the RedisCache operation, or ``fallback(*args, **kwargs)`` when Redis fails."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if _down_until.get(self._location, 0.0) > time.monotonic():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as exc:
                self._failed(method.__name__, exc)
                return fallback(*args, **kwargs)
            if _was_down.get(self._location):
                self._recovered()
            return result

        return wrapper

    return decorate


def _miss(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _no_keys(*args, **kwargs):
    return {}


def _not_stored(data, *args, **kwargs):
    return list(data)  # set_many: the keys that could not be stored


def _absent(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable)")


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that serves misses while Redis is out of reach (module docstring)."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    def _failed(self, operation: str, exc: Exception) -> None:
        first = not _was_down.get(self._location)
        _was_down[self._location] = True
        _down_until[self._location] = time.monotonic() + self.retry_seconds
        if first:
            logger.warning(
                "cache unavailable (%s: %s): serving uncached, retrying every %g s",
                operation,
                exc,
                self.retry_seconds,
            )
        else:
            logger.debug("cache still unavailable (%s: %s)", operation, exc)

    def _recovered(self) -> None:
        _was_down[self._location] = False
        logger.warning("cache available again")
        cache_recovered.send(sender=type(self), location=self._location)

    def is_available(self) -> bool:
        """False while this process treats Redis as out of reach; else one PING."""
        if _down_until.get(self._location, 0.0) > time.monotonic():
            return False
        try:
            self._cache.get_client(write=False).ping()
        except RedisError as exc:
            self._failed("ping", exc)
            return False
        if _was_down.get(self._location):
            self._recovered()
        return True

    add = _guarded(_false)(RedisCache.add)
    get = _guarded(_miss)(RedisCache.get)
    set = _guarded(_nothing)(RedisCache.set)
    touch = _guarded(_false)(RedisCache.touch)
    delete = _guarded(_false)(RedisCache.delete)
    get_many = _guarded(_no_keys)(RedisCache.get_many)
    has_key = _guarded(_false)(RedisCache.has_key)
    incr = _guarded(_absent)(RedisCache.incr)
    set_many = _guarded(_not_stored)(RedisCache.set_many)
    delete_many = _guarded(_nothing)(RedisCache.delete_many)
    clear = _guarded(_false)(RedisCache.clear)


def cache_state() -> str:
    """``ok``, ``unavailable`` (serving uncached) or ``local`` (not Redis: nothing to lose)."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return "ok" if backend.is_available() else "unavailable"
    return "local"
