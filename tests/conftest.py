"""Shared fixtures: the shipped reference data is loaded once into the test database."""

from __future__ import annotations

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from spending.reference_data import load_reference_data

# Property tests give the same outcome on every run and machine: the same examples (derived from
# each test, not drawn at random; no example database carried between runs) and no clock (no
# 200 ms deadline per example, no "too slow" health check), which a loaded 2-core machine broke.
# `pytest --hypothesis-profile=explore` draws new random examples, to look for new failures.
hypothesis_settings.register_profile(
    "deterministic", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "explore", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("deterministic")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data (allies, targets, every NATO edition) once per session.

    Tests that flush the database (``transactional_db``, live servers) reload it with the
    ``reference_data`` fixture; pytest-django runs them after the ordinary database tests.
    """
    with django_db_blocker.unblock():
        load_reference_data(settings.REFERENCE_DATA_DIR)


@pytest.fixture
def reference_data(db):
    """The reference data, reloaded (idempotently) for tests that may have flushed it."""
    return load_reference_data(settings.REFERENCE_DATA_DIR)


@pytest.fixture(autouse=True)
def _login_rate_limit_off(settings):
    """Tests log in freely; tests of the login rate limit switch it back on."""
    settings.AXES_ENABLED = False
