"""The Redis cache backend keeps one client per pool and otherwise behaves as Django's."""

from __future__ import annotations

import os
import uuid

import pytest

from nato_tracker.redis_cache import SharedClientRedisCache
from tests.ops.test_processes import REDIS, redis_available


def test_one_client_per_pool_and_the_cache_api_works():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS} is required in CI")
        pytest.skip(f"Redis at {REDIS} is not reachable")
    cache = SharedClientRedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    assert cache.add("n", 0, 30)
    assert cache.incr("n") == 1 and cache.incr("n") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert cache.get_many(["a", "n", "missing"]) == {"a": {"x": 1}, "n": 2}
    cache.delete_many(["a", "n"])
    assert cache.get("a") is None
