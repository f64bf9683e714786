"""PostgreSQL: test databases are created and dropped without the bounds of a request (the
statement timeout, the client's read timeout), which the tests' own connections keep
(``nato_tracker.postgresql.base.DatabaseCreation``)."""

from __future__ import annotations

import os
import re

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bounds are PostgreSQL's (nato_tracker.postgresql)",
)


@pytest.mark.django_db
def test_the_tests_connections_keep_the_statement_timeout():
    configured = re.search(
        r"statement_timeout=(\d+)", connection.settings_dict["OPTIONS"]["options"]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        (in_force,) = cursor.fetchone()
    assert int(in_force) == int(configured.group(1)) > 0


def test_a_test_database_is_created_and_dropped_past_the_bounds(django_db_blocker):
    """With a 1 ms statement timeout and a 1 µs read timeout, CREATE and DROP DATABASE (as
    Django runs them for the test database) still succeed: that connection is unbounded."""
    settings = connection.settings_dict
    name = f"test_unbounded_{os.getpid()}"
    bounded = type(connections["default"])(
        {
            **settings,
            "OPTIONS": {**settings["OPTIONS"], "options": "-c statement_timeout=1"},
            "TEST": {**settings["TEST"], "NAME": name},
        },
        alias="bounded",
    )
    bounded.settings_dict["OPTIONS"]["read_timeout"] = 0.000001
    creation = bounded.creation
    with django_db_blocker.unblock():
        try:
            assert creation._create_test_db(verbosity=0, autoclobber=True) == name
            with creation._nodb_cursor() as cursor:
                assert creation._database_exists(cursor, name)
                cursor.execute("SHOW statement_timeout")
                assert cursor.fetchone() == ("0",)
            creation._destroy_test_db(name, verbosity=0)
            with creation._nodb_cursor() as cursor:
                assert not creation._database_exists(cursor, name)
        finally:
            bounded.close()
