"""PostgreSQL backend whose connections never wait for the server longer than a bound.

A database that hangs — its processes paused, its packets dropped — accepts the bytes of a query
(the kernel acknowledges them) and never answers; psycopg would wait forever, the request until
gunicorn kills the worker, and ``/healthz`` with it. Here every wait of a connection for the
server (a query, the health check's ``SELECT 1``, commit, rollback) is bounded by
``OPTIONS["read_timeout"]`` seconds (the health check of a reused connection by 2 s); past it the
connection is closed and the error is a
connection error, which ``nato_tracker.middleware.DatabaseUnavailableMiddleware`` turns into a
503. Connecting is bounded by libpq's ``connect_timeout``, slow statements on a live server by
``statement_timeout`` (server side), and dead peers by TCP keepalives and ``tcp_user_timeout``:
settings.py sets them all (``DATABASE_*`` variables, docs/scaling.md).

Creating and dropping a database (the test database, :class:`DatabaseCreation`) is not bounded:
those are not requests, and under load they take longer than a request may.

``ENGINE = "nato_tracker.postgresql"``; the ``pool`` and ``isolation_level`` options of Django's
backend are not supported (a ``ImproperlyConfigured`` says so).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base, creation, operations
from psycopg import errors


class BoundedWaitConnection(psycopg.Connection):
    """A psycopg connection whose waits for the server end after ``read_timeout`` seconds."""

    read_timeout: float | None = None

    def wait(self, gen, interval=0.1, timeout=None):
        bound = timeout if timeout is not None else self.read_timeout
        try:
            return super().wait(gen, interval=interval, timeout=bound)
        except errors._WaitTimeout:
            if timeout is not None:  # psycopg's own bounded wait (e.g. notifies): its business
                raise
            # The connection is in an unknown state (the server may answer later): drop it.
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database server did not answer within {bound:g} s"
            ) from None


STATEMENT_TIMEOUT = re.compile(r"-c\s*statement_timeout=\S*")


class DatabaseCreation(creation.DatabaseCreation):
    """Test databases are created, cloned and dropped with neither the statement timeout nor the
    read timeout: ``DROP DATABASE`` waits for a checkpoint (0.2-2.7 s for an empty database at a
    load average of 6; more after a test run has written), so on a loaded machine the suite's
    teardown could hit the 5 s a request's statement may take. Only the connection Django makes
    for that (to the ``postgres`` database, :meth:`_nodb_cursor`) is unbounded; the tests' own
    connections keep the bounds the app runs with."""

    @contextmanager
    def _nodb_cursor(self):
        # The bounds apply from the first statement Django sends on connecting: lift them in the
        # settings that connection is made from (a wrapper of its own; the shared settings stay).
        settings = self.connection.settings_dict
        options = dict(settings["OPTIONS"])
        options.pop("read_timeout", None)
        server_options = STATEMENT_TIMEOUT.sub("", options.get("options", "")).strip()
        options["options"] = f"{server_options} -c statement_timeout=0".strip()
        unbounded = type(self.connection)({**settings, "OPTIONS": options}, self.connection.alias)
        with unbounded._nodb_cursor() as cursor:
            yield cursor


class DatabaseOperations(operations.DatabaseOperations):
    """Django's, with the compilers of :mod:`nato_tracker.postgresql.compiler` (small bulk
    inserts as ``VALUES`` rows)."""

    compiler_module = "nato_tracker.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    ops_class = DatabaseOperations

    #: The reused connection's health check (``SELECT 1``) waits at most this (or less).
    health_check_timeout = 2.0

    def is_usable(self):
        connection = self.connection
        if not isinstance(connection, BoundedWaitConnection):
            return super().is_usable()
        bound = connection.read_timeout
        connection.read_timeout = min(bound or self.health_check_timeout, self.health_check_timeout)
        try:
            return super().is_usable()
        finally:
            connection.read_timeout = bound

    def get_connection_params(self):
        options = self.settings_dict["OPTIONS"]
        for unsupported in ("pool", "isolation_level"):
            if unsupported in options:
                raise ImproperlyConfigured(f"nato_tracker.postgresql: no {unsupported} option")
        params = super().get_connection_params()
        params.pop("read_timeout", None)
        return params

    def get_new_connection(self, conn_params):
        connection = BoundedWaitConnection.connect(**conn_params)
        timeout = self.settings_dict["OPTIONS"].get("read_timeout")
        connection.read_timeout = float(timeout) if timeout else None
        self.isolation_level = base.IsolationLevel.READ_COMMITTED  # Django's default
        return connection
