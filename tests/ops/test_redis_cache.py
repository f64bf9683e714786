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


def test_replies_are_parsed_by_hiredis():
    """redis-py's compiled parser (``redis[hiredis]``): the rate limit's round trip on every
    API request costs about a third less CPU than with the pure-Python one."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS} is required in CI")
        pytest.skip(f"Redis at {REDIS} is not reachable")
    from redis._parsers import _HiredisParser

    cache = SharedClientRedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    pool = cache._cache._get_connection_pool(True)
    connection = pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        pool.release(connection)


def test_a_rate_limit_window_always_expires(settings):
    """Redis' INCR of a counter that expired a moment before recreates it without expiry; the
    request that opened a window gives it its period, so a client is never limited for good."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS} is required in CI")
        pytest.skip(f"Redis at {REDIS} is not reachable")
    from rest_framework.test import APIRequestFactory

    from nato_tracker.api.throttles import AnonThrottle

    cache = SharedClientRedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "10/minute"},
    }
    from django.contrib.auth.models import AnonymousUser

    request = APIRequestFactory().get("/api/v1/targets/")
    request.user = AnonymousUser()
    throttle = AnonThrottle()
    throttle.cache = cache
    key = throttle.get_cache_key(request, None)
    client = cache._cache.get_client(write=True)
    client.incr(cache.make_and_validate_key(key))  # as the race leaves it: 1, no expiry
    client.decr(cache.make_and_validate_key(key))  # 0: the next request is the window's first
    assert throttle.allow_request(request, None)
    assert 0 < client.ttl(cache.make_and_validate_key(key)) <= 60
    assert throttle.allow_request(request, None)
    assert not throttle.allow_request(request, None)
    assert 0 < throttle.wait() <= 60


def test_a_window_is_counted_in_one_round_trip_and_never_extended():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS} is required in CI")
        pytest.skip(f"Redis at {REDIS} is not reachable")
    cache = SharedClientRedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("window")
    sent = []
    execute = type(client.pipeline()).execute

    def counting_execute(pipeline, *args, **kwargs):
        sent.append(len(pipeline.command_stack))
        return execute(pipeline, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(client.pipeline()), "execute", counting_execute)
        assert cache.count_in_window("window", 60) == 1
        assert 0 < client.ttl(key) <= 60  # the first request opened the window
        client.expire(key, 30)
        assert cache.count_in_window("window", 60) == 2
    assert 0 < client.ttl(key) <= 30  # later requests do not extend it
    assert sent == [2, 2]  # INCR and EXPIRE NX, sent together
    assert cache.get("window") == 2  # the plain cache API reads the same counter


@pytest.mark.django_db
def test_an_anonymous_api_read_counts_its_rate_and_reads_the_versions_in_one_round_trip(
    settings,
):
    """The data versions an anonymous API read needs (its ETag, its rows' names) are read in
    the rate limit's pipeline: one Redis round trip per answer, where the version and the count
    were two."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS} is required in CI")
        pytest.skip(f"Redis at {REDIS} is not reachable")
    from django.core.cache import cache
    from django.test import Client
    from redis.client import Pipeline, Redis

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "nato_tracker.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "100/minute"},
    }
    client = Client()
    url = "/api/v1/statements/?q=spending"
    first = client.get(url)  # makes the versions and keeps the names and roles
    assert first.status_code == 200 and first["ETag"]
    trips = []
    command, execute = Redis.execute_command, Pipeline.execute
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            Redis, "execute_command", lambda *a, **k: trips.append(a[1]) or command(*a, **k)
        )
        patch.setattr(
            Pipeline, "execute", lambda p, *a, **k: trips.append("pipeline") or execute(p, *a, **k)
        )
        second = client.get(url)
    assert second.status_code == 200
    assert trips == ["pipeline"]
    assert second["ETag"] == first["ETag"]  # the same version, read with the count
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304
    assert cache.get("throttle_anon_127.0.0.1") == 3
    redis = cache._cache.get_client(write=True)
    redis.delete(*redis.scan_iter(f"{prefix}:*"))  # the versions too: they never expire
