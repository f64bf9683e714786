"""gunicorn.conf.py freezes the preloaded app before forking (docs/performance.md, "Garbage
collection"): read by gunicorn's own config loader, its hooks are run as the master and a worker
would run them."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.app.base import Application

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


class ConfigFile(Application):
    """gunicorn's settings from gunicorn.conf.py alone (no command line, no app)."""

    def load_config(self):
        self.load_config_from_file(str(CONFIG))

    def load(self):
        raise AssertionError("the app is not loaded here")


@pytest.fixture
def gc_state():
    """gunicorn.conf.py switches the collector off as the master reads it: restore it after."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_master_freezes_what_it_holds_before_each_fork_and_workers_collect(gc_state):
    gc.unfreeze()
    settings = ConfigFile().cfg
    assert settings.preload_app
    assert not gc.isenabled(), "the master collects nothing from the moment it reads the config"

    settings.when_ready(SimpleNamespace(cfg=settings))  # in the master, the app loaded
    cycle = _Node()  # garbage the master holds when it forks: a cycle only a collection frees
    cycle.self = cycle
    cycle_alive = weakref.ref(cycle)
    del cycle
    settings.pre_fork(None, None)  # in the master, right before forking a worker
    # everything the process holds (here: the test run's modules, Django, DRF) is frozen
    assert gc.get_freeze_count() > 10_000
    # The garbage the master held is frozen: in none of the generations a collection scans.
    # (Not "the young generation is empty": another thread of the test run may allocate.)
    held = cycle_alive()
    assert all(scanned is not held for scanned in gc.get_objects())
    del held

    settings.post_fork(None, None)  # in the worker
    assert gc.isenabled()
    # A worker's full collection leaves the frozen objects alone: even frozen garbage stays.
    # (The freeze count itself is no measure: an object frozen and later freed by its
    # reference count, e.g. by another thread of the test run, lowers it.)
    gc.collect()
    assert cycle_alive() is not None
    gc.unfreeze()
    gc.collect()
    assert cycle_alive() is None, "the cycle was garbage: unfrozen, a collection frees it"


class _Node:
    """A weakly referenceable object to build a reference cycle with."""


def test_the_master_imports_the_urlconf_so_the_views_are_frozen_too():
    """Django imports the URLconf (every view module, DRF, pandas) at a worker's first request,
    after the fork, unless the master has: in a fresh process, as in the master after preload.
    Importing it opens no database connection (the workers would share it)."""
    code = f"""
import sys, django
from django.conf import settings
django.setup()
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_gunicorn_gc import ConfigFile
from types import SimpleNamespace
config = ConfigFile().cfg
assert settings.ROOT_URLCONF not in sys.modules
config.when_ready(SimpleNamespace(cfg=config))
assert settings.ROOT_URLCONF in sys.modules and "pandas" in sys.modules
from django.db import connections
assert all(c.connection is None for c in connections.all()), "no connection to fork with"
"""
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=CONFIG.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "nato_tracker.settings"},
    )
