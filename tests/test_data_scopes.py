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


def test_an_unknown_scope_is_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("spending"), "data_scope", "everything")
    with pytest.raises(ValueError, match="unknown data scope"):
        scope_of("spending")
