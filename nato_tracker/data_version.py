"""Caching of what only changes when the data changes.

Every cached value is keyed by a *data version* stored in the cache itself; any write to the
data bumps the version, so all processes sharing the cache (Redis) see fresh values at once.

The data has two scopes, each with its own version: ``official`` (allies, targets, sources,
NATO's figures: the ``spending`` app, changed by a reference-data load or the admin) and
``reports`` (articles, statements, claims, links: the ``articles`` app, changed by ingestion
and by every editor's write). A value that depends on official data only is cached under
``scope="official"`` and survives editors' writes; anything else (and the response cache, the
HTTP validators) uses the version of both. Each app says which scope its models belong to
(``AppConfig.data_scope``); :mod:`nato_tracker.signals` bumps that scope on every write.

A version names the moment it was made (``<milliseconds since the epoch, hex>-<random>``):
:func:`data_changed_at` gives HTTP answers their ``Last-Modified`` and the metadata endpoint its
``data_version_since``. When the cache has lost a version (evicted, restarted), a new one is
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

SCOPES = ("official", "reports")
DATA_VERSION_KEY = "data-version"  # + ":<scope>"
T = TypeVar("T")


def new_data_version() -> str:
    return f"{time.time_ns() // 1_000_000:x}-{uuid.uuid4().hex[:16]}"


def _key(scope: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"unknown data scope {scope!r}; scopes: {', '.join(SCOPES)}")
    return f"{DATA_VERSION_KEY}:{scope}"


def data_version(scope: str | None = None) -> str:
    """The current version of one scope's data, or (``scope=None``) of all of it; versions
    are created on first use (one cache round trip when they exist)."""
    return data_version_with([], scope)[0]


def data_version_with(keys: list[str], scope: str | None = None) -> tuple[str, dict]:
    """:func:`data_version` and the cached values of ``keys`` (``{key: value}`` for those
    found), read in the same cache round trip."""
    scopes = SCOPES if scope is None else (scope,)
    versions, found = _versions_with(keys, scopes)
    return ".".join(versions[s] for s in scopes), found


def _versions_with(keys: list[str], scopes) -> tuple[dict[str, str], dict]:
    """``{scope: version}`` of ``scopes`` and the cached values of ``keys``, in one read."""
    version_keys = {s: _key(s) for s in scopes}
    found = cache.get_many([*version_keys.values(), *keys])
    return _versions_found(version_keys, found), found


def data_version_counting(counter: str, seconds: int) -> tuple[str, int] | None:
    """:func:`data_version` of all the data and a rate limit's count (the cache's
    ``count_in_window(counter, seconds)``: ``nato_tracker.redis_cache``) in one cache round
    trip; None when the cache cannot (not Redis, or out of reach: then read them apart)."""
    count_and_get = getattr(cache, "count_in_window_and_get", None)
    if count_and_get is None:
        return None
    version_keys = {s: _key(s) for s in SCOPES}
    answer = count_and_get(counter, seconds, list(version_keys.values()))
    if answer is None:
        return None
    count, found = answer
    versions = _versions_found(version_keys, found)
    return ".".join(versions[s] for s in SCOPES), count


def defer_request_version(request) -> None:
    """Leave the data version of ``request`` (an anonymous read the response cache does not
    answer) to be read together with the API's rate limit (:func:`read_deferred_version`),
    or else before its view (``nato_tracker.middleware.HttpCachingMiddleware``)."""
    request._data_version_deferred = True


def read_deferred_version(request, counter: str | None = None, seconds: int = 0) -> int | None:
    """When ``request``'s data version was deferred and is not read yet, read it (the request's,
    as ``nato_tracker.middleware.request_data_version`` gives it), and with ``counter`` the rate
    limit's count, in one round trip where the cache can; the count (None when not counted
    here)."""
    request = getattr(request, "_request", request)  # DRF's Request: the Django request's
    if not getattr(request, "_data_version_deferred", False) or hasattr(request, "_data_version"):
        return None
    both = data_version_counting(counter, seconds) if counter is not None else None
    if both is None:
        request._data_version = data_version()
        return None
    request._data_version, count = both
    return count


def _versions_found(version_keys: dict[str, str], found: dict) -> dict[str, str]:
    """``{scope: version}`` of the versions read (``found``: their keys are popped from it),
    each made when missing or malformed."""
    versions = {}
    for scope, key in version_keys.items():
        version = found.pop(key, None)
        if version is None or _changed_at(version) is None:
            if version is None:  # the first process to get here makes it; others use that one
                cache.add(key, new_data_version(), timeout=None)
            else:  # from an older release, without its time
                cache.set(key, new_data_version(), timeout=None)
            version = cache.get(key) or new_data_version()
        versions[scope] = version
    return versions


def _changed_at(version: str) -> datetime.datetime | None:
    stamp, _, rest = str(version).partition("-")
    try:
        millis = int(stamp, 16)
    except ValueError:
        return None
    if not rest:
        return None
    return datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.UTC)


def data_changed_at(version: str) -> datetime.datetime | None:
    """When ``version`` (of one scope or of all) was made, the latest of its scopes' (UTC,
    millisecond precision); None for a malformed version."""
    moments = [_changed_at(part) for part in str(version).split(".")]
    if not moments or None in moments:
        return None
    return max(moments)


def bump_data_version(scope: str | None = None) -> None:
    """Invalidate every value cached with :func:`cached` under ``scope`` (every scope: None)."""
    cache.set_many({_key(s): new_data_version() for s in (SCOPES if scope is None else (scope,))})


def cached(key: str, build: Callable[[], T], timeout: int = 60 * 60, scope: str | None = None) -> T:
    """The cached value for ``key`` under the current data version of ``scope`` (all data:
    None), built if absent or kept under another version.

    The value is kept with the version it was built under, and read with the version in one
    cache round trip; a value of another version is never returned. The key names the scope
    (``<key>@<scope>``), so one key asked under two scopes keeps two values."""
    return cached_many({key: (build, scope)}, timeout)[key]


def cached_many(parts: dict[str, tuple], timeout: int = 60 * 60) -> dict[str, object]:
    """Several :func:`cached` values, ``{key: (build, scope)}`` → ``{key: value}``, each under
    its own scope's version, all read with the versions in one cache round trip (a page that
    shows official figures and statements reads both at once).

    A part may be ``(build, scope, also)``: ``also(value)`` names other keys under which the
    value it built is kept too, with the same version (the same content asked another way: a
    page without ``?year=`` and the same page for its default year), so that one build serves
    them all without a second read."""
    slots = {key: _slot(key, part[1]) for key, part in parts.items()}
    scopes = [s for s in SCOPES if any(part[1] in (None, s) for part in parts.values())]
    versions, found = _versions_with(list(slots.values()), scopes)
    out = {}
    for key, (build, scope, *also) in parts.items():
        version = ".".join(versions[s] for s in (SCOPES if scope is None else (scope,)))
        value = found.get(slots[key])
        if isinstance(value, tuple) and len(value) == 2 and value[0] == version:
            out[key] = value[1]
            continue
        out[key] = build()
        keys = {key, *(also[0](out[key]) if also else ())}
        cache.set_many({_slot(k, scope): (version, out[key]) for k in keys}, timeout=timeout)
    return out


def _slot(key: str, scope: str | None) -> str:
    """Where :func:`cached_many` keeps ``key`` of ``scope`` (one key asked under two scopes
    keeps two values)."""
    return f"{key}@{scope or 'all'}"


#: Values of :func:`kept`: ``{key: (data version, value)}``, this process only.
_kept: dict[str, tuple[str, object]] = {}


def kept(key: str, build: Callable[[], T], scope: str | None = None) -> T:
    """Like :func:`cached`, but held in this process's memory: for small values read on every
    request (no unpickling; one cache round trip, the version's). Any process's write makes a
    new version, and the value is built again on the next read here."""
    return kept_many({key: (build, scope)})[key]


def kept_many(
    parts: dict[str, tuple[Callable[[], object], str | None]], version: str | None = None
) -> dict[str, object]:
    """Several :func:`kept` values, ``{key: (build, scope)}`` → ``{key: value}``, each under its
    own scope's version, the versions read in one cache round trip (a page of statements needs
    the official names and the speakers' roles), or none: ``version``, the version of all the
    data (:func:`data_version`) the caller has read already (the request's: its ETag's)."""
    if version is not None:
        versions = dict(zip(SCOPES, version.split("."), strict=True))
    else:
        scopes = [s for s in SCOPES if any(scope in (None, s) for _, scope in parts.values())]
        versions, _ = _versions_with([], scopes)
    out = {}
    for key, (build, scope) in parts.items():
        version = ".".join(versions[s] for s in (SCOPES if scope is None else (scope,)))
        found = _kept.get(key)
        if found is not None and found[0] == version:
            out[key] = found[1]
            continue
        out[key] = build()
        _kept[key] = (version, out[key])
    return out
