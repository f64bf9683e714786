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
import select
import time
from contextlib import contextmanager

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base, creation, operations
from psycopg import errors
from psycopg.pq import TransactionStatus


class BoundedWaitConnection(psycopg.Connection):
    """A psycopg connection whose waits for the server end after ``read_timeout`` seconds."""

    read_timeout: float | None = None
    #: psycopg's ``prepare_threshold`` for the queries of a :class:`PreparingCursor` (the
    #: ``prepare_reads_after`` option; None: none is prepared).
    prepare_reads_after: int | None = None

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


class PreparingCursor(base.ServerBindingCursor):
    """Django's server-binding cursor (psycopg's ``Cursor``), whose queries psycopg prepares
    once one has run ``prepare_reads_after`` times on the connection, and prepares again after a
    migration changed a type one returns. The connection's own
    ``prepare_threshold`` stays None (Django's default) outside them: the ORM's queries, whose
    SQL carries their values, are neither prepared nor counted (psycopg would keep the text of
    each, an article's ``INSERT`` included, in its count of the last hundred)."""

    def execute(self, query, params=None, **kwargs):
        connection = self._conn
        threshold = connection.prepare_threshold
        connection.prepare_threshold = getattr(connection, "prepare_reads_after", None)
        try:
            try:
                return super().execute(query, params, **kwargs)
            except errors.FeatureNotSupported:
                # "cached plan must not change result type": a migration changed the type of a
                # column this prepared read returns. Outside a transaction, forget every
                # prepared statement (psycopg clears its own cache on seeing DEALLOCATE ALL)
                # and read once more, re-preparing later; inside one, the rollback that
                # follows does the same (psycopg deallocates after every rollback).
                if connection.info.transaction_status != TransactionStatus.IDLE:
                    raise
                connection.execute("DEALLOCATE ALL")
                return super().execute(query, params, **kwargs)
        finally:
            connection.prepare_threshold = threshold


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

    #: When a request last began to use the connection (``time.monotonic()``).
    health_checked_at = 0.0

    def close_if_health_check_failed(self):
        """Django's health check of a reused connection, without its round trip when the
        connection was used in the last ``keepalives_idle`` seconds (10) and is quiet
        (:meth:`quiet`): a server that ended it has said so on its socket. A connection idle
        for longer is checked with ``SELECT 1`` as Django does, so that a server that vanished
        without a word (a crashed host, a failover) is found in 2 s by a connection that has
        waited since, before the request uses it."""
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        now = time.monotonic()
        recent = now - self.health_checked_at < self.settings_dict["OPTIONS"].get(
            "keepalives_idle", 10
        )
        self.health_checked_at = now
        if recent and self.quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def quiet(self) -> bool:
        """Whether the connection is open, idle, and has received nothing since its last answer.

        A server that ends a connection (a restart, ``pg_terminate_backend``, an idle timeout)
        sends its reason and closes the socket, which makes the socket readable: then the
        connection is not quiet and gets the ``SELECT 1`` check (it may also be a harmless
        notice). A server that hangs, or a host gone without closing the connection, leaves it
        quiet: a request within seconds of the last one then meets the read timeout on its
        first query (a 503; ``SELECT 1`` would have met its own 2 s and then reconnected)."""
        connection = self.connection
        if connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            descriptor = connection.fileno()
        except psycopg.OperationalError:
            return False
        poller = select.poll()
        poller.register(descriptor, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)

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

    #: Set while :meth:`prepared_cursor` makes its cursor.
    _server_binding = False

    def prepared_cursor(self):
        """Django's cursor over a :class:`PreparingCursor` (parameters bound on the server)
        instead of the ``ClientCursor`` Django uses (parameters written into the SQL): psycopg
        prepares its query once it has run ``prepare_reads_after`` times on the connection
        (the option of that name, ``DATABASE_PREPARED_STATEMENTS``), and PostgreSQL stops
        parsing and planning it on every run. For the queries of :mod:`nato_tracker.compiled`
        only: their SQL is the same whatever the parameters, and they are the reads that
        repeat on every request. Any other query keeps Django's client-side binding
        (server-side binding changes how some ORM queries group and type their parameters:
        Django ticket #34255)."""
        self._server_binding = True
        try:
            return self.cursor()
        finally:
            self._server_binding = False

    def create_cursor(self, name=None):
        if name or not self._server_binding:
            return super().create_cursor(name)
        connection = self.connection
        factory = connection.cursor_factory
        connection.cursor_factory = PreparingCursor
        try:
            return super().create_cursor()
        finally:
            connection.cursor_factory = factory

    def get_connection_params(self):
        options = self.settings_dict["OPTIONS"]
        for unsupported in ("pool", "isolation_level"):
            if unsupported in options:
                raise ImproperlyConfigured(f"nato_tracker.postgresql: no {unsupported} option")
        params = super().get_connection_params()
        params.pop("read_timeout", None)
        params.pop("prepare_reads_after", None)
        return params

    def get_new_connection(self, conn_params):
        connection = BoundedWaitConnection.connect(**conn_params)
        options = self.settings_dict["OPTIONS"]
        timeout = options.get("read_timeout")
        connection.read_timeout = float(timeout) if timeout else None
        after = options.get("prepare_reads_after")
        connection.prepare_reads_after = int(after) if after else None
        self.health_checked_at = time.monotonic()
        self.isolation_level = base.IsolationLevel.READ_COMMITTED  # Django's default
        return connection
