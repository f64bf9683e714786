"""Each app says which data scope its models belong to; the project's signal handler bumps it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from nato_tracker.data_version import SCOPES, data_version
from nato_tracker.signals import scope_of


def test_every_app_of_ours_names_a_known_scope():
    ours = [c for c in apps.get_app_configs() if c.name in {"spending", "articles"}]
    assert {c.label: c.data_scope for c in ours} == {"spending": "official", "articles": "reports"}
    assert all(c.data_scope in SCOPES for c in ours)
    assert scope_of("auth") is None
    assert scope_of(None) is None
    assert scope_of("no_such_app") is None


@pytest.mark.django_db
def test_a_write_outside_our_apps_bumps_no_version():
    before = data_version()
    Group.objects.create(name="a group no cached value depends on")
    assert data_version() == before


@pytest.mark.django_db
def test_a_write_in_a_transaction_bumps_its_scope_again_at_commit(
    django_capture_on_commit_callbacks,
):
    """A value built between the write and its commit (from the old rows, under the new
    version) must not outlive the commit."""
    from django.db import transaction

    from tests.factories import SpeakerFactory

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            SpeakerFactory()
            during = data_version("reports")
        assert data_version("reports") == during  # not committed yet
    assert data_version("reports") != during


def test_an_unknown_scope_is_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("spending"), "data_scope", "everything")
    with pytest.raises(ValueError, match="unknown data scope"):
        scope_of("spending")


class _Reads:
    """Counts the cache's read calls (each one round trip to Redis)."""

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls = []
        self.depth = 0
        backend = caches["default"]
        for name in ("get", "get_many", "get_or_set"):
            original = getattr(backend, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                if not self.depth:  # the local-memory get_many calls get: one call
                    self.calls.append(_name)
                self.depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(backend, name, counted)


def test_a_cached_value_is_read_with_its_version_in_one_round_trip(monkeypatch):
    from django.core.cache import cache

    from nato_tracker.data_version import bump_data_version, cached

    cache.clear()
    builds = []

    def build():
        builds.append(1)
        return f"value {len(builds)}"

    assert cached("probe", build, scope="official") == "value 1"
    reads = _Reads(monkeypatch)
    assert cached("probe", build, scope="official") == "value 1"
    assert reads.calls == ["get_many"] and len(builds) == 1
    bump_data_version("reports")  # an editor's write: official values stay
    assert cached("probe", build, scope="official") == "value 1"
    assert cached("probe", build) == "value 2"  # the same key over all data is its own value
    bump_data_version("official")
    assert cached("probe", build, scope="official") == "value 3"
    assert cached("probe", build) == "value 4"
    bump_data_version("reports")
    assert cached("probe", build) == "value 5"
    assert cached("probe", build, scope="official") == "value 3"


def test_a_value_kept_under_another_version_is_never_returned():
    from django.core.cache import cache

    from nato_tracker.data_version import cached, data_version

    cache.clear()
    assert cached("probe", lambda: "fresh", scope="official") == "fresh"
    cache.set("probe@official", ("an-older-version", "stale"))
    assert cached("probe", lambda: "rebuilt", scope="official") == "rebuilt"
    assert cache.get("probe@official") == (data_version("official"), "rebuilt")


def test_a_value_built_once_is_kept_under_the_other_keys_it_names():
    from django.core.cache import cache

    from nato_tracker.data_version import bump_data_version, cached_many

    cache.clear()
    builds = []

    def part(key: str) -> dict:
        def build():
            builds.append(key)
            return {"year": 2025}

        return {key: (build, "official", lambda value: [f"page:{value['year']}", "page:"])}

    assert cached_many(part("page:")) == {"page:": {"year": 2025}}
    assert cached_many(part("page:2025")) == {"page:2025": {"year": 2025}}
    assert builds == ["page:"]  # the latest year's page read the default page's build
    bump_data_version("official")  # kept with the version it was built under, like any value
    cached_many(part("page:2025"))
    cached_many(part("page:"))
    assert builds == ["page:", "page:2025"]
