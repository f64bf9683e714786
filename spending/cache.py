"""Caching of what only changes when the data changes.

Every cached value is keyed by a *data version* stored in the cache itself; any write to the
data bumps the version, so all processes sharing the cache (Redis) see fresh values at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

DATA_VERSION_KEY = "data-version"
T = TypeVar("T")


def data_version() -> str:
    """The current data version (created on first use)."""
    return cache.get_or_set(DATA_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def bump_data_version() -> None:
    """Invalidate every value cached with :func:`cached`."""
    cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def cached(key: str, build: Callable[[], T], timeout: int = 60 * 60) -> T:
    """Return the cached value for ``key`` under the current data version, building it if absent."""
    return cache.get_or_set(f"{key}:{data_version()}", build, timeout=timeout)
