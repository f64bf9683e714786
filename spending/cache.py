"""Caching of what only changes when the data changes.

Every cached value is keyed by a *data version* stored in the cache itself; any write to the
data bumps the version, so all processes sharing the cache (Redis) see fresh values at once.
A version names the moment it was made (``<milliseconds since the epoch, hex>-<random>``):
:func:`data_changed_at` gives HTTP answers their ``Last-Modified`` and the metadata endpoint its
``data_version_since``. When the cache has lost the version (evicted, restarted), a new one is
made: the time is then later than the last real change, never earlier, so a client that
revalidates fetches again rather than keeping stale data.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

DATA_VERSION_KEY = "data-version"
T = TypeVar("T")


def new_data_version() -> str:
    return f"{time.time_ns() // 1_000_000:x}-{uuid.uuid4().hex[:16]}"


def data_version() -> str:
    """The current data version (created on first use)."""
    version = cache.get(DATA_VERSION_KEY)
    if version is not None and data_changed_at(version) is not None:
        return version
    if version is None:  # the first process to get here makes it; the others use that one
        cache.add(DATA_VERSION_KEY, new_data_version(), timeout=None)
    else:  # a version from an older release, without its time
        cache.set(DATA_VERSION_KEY, new_data_version(), timeout=None)
    return cache.get(DATA_VERSION_KEY) or new_data_version()


def data_changed_at(version: str) -> datetime.datetime | None:
    """When ``version`` was made (UTC, millisecond precision); None for a malformed version."""
    stamp, _, rest = str(version).partition("-")
    try:
        millis = int(stamp, 16)
    except ValueError:
        return None
    if not rest:
        return None
    return datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.UTC)


def bump_data_version() -> None:
    """Invalidate every value cached with :func:`cached`."""
    cache.set(DATA_VERSION_KEY, new_data_version(), timeout=None)


def cached(key: str, build: Callable[[], T], timeout: int = 60 * 60) -> T:
    """Return the cached value for ``key`` under the current data version, building it if absent."""
    return cache.get_or_set(f"{key}:{data_version()}", build, timeout=timeout)
