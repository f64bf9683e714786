"""PostgreSQL connections (``nato_tracker.postgresql``): the health check of a reused connection
sends nothing while the connection is quiet and still replaces one the server ended; the
compiled reads (``nato_tracker.compiled``) are prepared once they repeat, and no other query
is."""

from __future__ import annotations

import time
from decimal import Decimal

import psycopg
import pytest
from django.db import NotSupportedError, connection, connections, transaction

from articles.models import Statement
from nato_tracker.compiled import IdsQuery
from nato_tracker.settings import _database
from spending.models import MemberState
from tests.factories import StatementFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's connections (nato_tracker.postgresql)",
)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def sent_by(action, tmp_path) -> str:
    """What the client sent the server (libpq's trace of the protocol) while ``action`` ran."""
    trace = tmp_path / "trace.txt"
    pgconn = connection.connection.pgconn
    with trace.open("w") as handle:
        pgconn.trace(handle.fileno())
        try:
            action()
        finally:
            pgconn.untrace()
    return trace.read_text()


def a_new_request() -> None:
    """What Django does for a request on a reused connection: its health check is due."""
    connection.health_check_done = False


@pytest.mark.django_db(transaction=True)
def test_a_quiet_reused_connection_is_checked_without_a_round_trip(tmp_path):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    pid = backend_pid()
    a_new_request()
    connection.close_if_health_check_failed()  # the connection used now
    a_new_request()
    assert connection.quiet()
    assert sent_by(connection.close_if_health_check_failed, tmp_path) == ""
    assert connection.health_check_done
    assert backend_pid() == pid  # the same connection, kept
    # Something arrived while it was idle (here, an answer the server sent without being
    # asked: a notification): the connection is checked with a query, and kept when it answers.
    connection.connection.execute("LISTEN tracker_test")
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("NOTIFY tracker_test")
    wait_until(lambda: not connection.quiet())
    a_new_request()
    assert "SELECT 1" in sent_by(connection.close_if_health_check_failed, tmp_path)
    assert backend_pid() == pid
    connection.connection.execute("UNLISTEN *")


@pytest.mark.django_db(transaction=True)
def test_a_connection_idle_for_longer_than_keepalives_idle_is_checked_with_a_query(tmp_path):
    """A host that crashed or was cut off leaves the connection quiet until TCP keepalives
    notice: one idle that long is checked with ``SELECT 1``, as Django does."""
    idle = connection.settings_dict["OPTIONS"]["keepalives_idle"]
    backend_pid()
    a_new_request()
    connection.close_if_health_check_failed()
    connection.health_checked_at -= idle + 1  # as if the last request was that long ago
    a_new_request()
    assert connection.quiet()
    assert "SELECT 1" in sent_by(connection.close_if_health_check_failed, tmp_path)
    a_new_request()  # used just now: quiet is enough again
    assert sent_by(connection.close_if_health_check_failed, tmp_path) == ""


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    """A restart, ``pg_terminate_backend`` or an idle timeout: the server says so and closes
    the socket; the next request's first query runs on a new connection, without an error."""
    pid = backend_pid()
    a_new_request()
    connection.close_if_health_check_failed()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    wait_until(lambda: not connection.quiet())
    a_new_request()
    assert backend_pid() != pid


@pytest.mark.django_db
def test_inside_a_transaction_the_check_is_djangos(tmp_path):
    """Not idle (a transaction open): :meth:`quiet` says no, and Django's ``SELECT 1`` runs."""
    backend_pid()
    assert not connection.quiet()
    a_new_request()
    assert "SELECT 1" in sent_by(connection.close_if_health_check_failed, tmp_path)


def wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server did not answer in time"
        time.sleep(0.01)


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def members_of(ids):
    return Statement.members.through.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "memberstate_id"
    )


@pytest.mark.django_db
def test_a_compiled_read_is_prepared_once_it_repeats_and_gives_the_orms_rows():
    threshold = connection.connection.prepare_reads_after
    assert threshold == 5
    assert connection.connection.prepare_threshold is None  # the ORM's queries: never
    statements = StatementFactory.create_batch(threshold + 2)
    ally = MemberState.objects.order_by("pk").first()
    for statement in statements[::2]:
        statement.members.add(ally)
    query = IdsQuery(members_of)
    before = set(prepared_statements())
    for statement in statements:  # other ids every time: one query, its ids a parameter
        ids = [statement.pk]
        assert query.rows(ids) == list(members_of(ids))
    same = [statements[0].pk]
    for _ in range(threshold + 2):  # the ORM's own query, the same text every time
        list(members_of(same))
    new = set(prepared_statements()) - before
    assert len(new) == 1
    (statement,) = new
    assert "articles_statement_members" in statement and "$1" in statement
    assert connection.connection.prepare_threshold is None


@pytest.fixture
def prepared_table(transactional_db):
    """A table ``prepared_migration (id int, amount int)`` holding ``(1, 7), (2, 8)``, whose
    read ``SELECT amount … WHERE id > %s ORDER BY id`` has been prepared on the connection, and
    a second connection to migrate it from (another process, as in a deploy); the read's SQL
    and that connection."""
    connection.ensure_connection()
    read = "SELECT amount FROM prepared_migration WHERE id > %s ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE prepared_migration (id int PRIMARY KEY, amount int)")
        cursor.execute("INSERT INTO prepared_migration VALUES (1, 7), (2, 8)")
    other = type(connections["default"])(connection.settings_dict, alias="migrating")
    try:
        for _ in range(connection.connection.prepare_reads_after + 1):
            with connection.prepared_cursor() as cursor:
                cursor.execute(read, [0])
                assert cursor.fetchall() == [(7,), (8,)]
        assert any("prepared_migration" in text for text in prepared_statements())
        yield read, other
    finally:
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS prepared_migration")


def test_a_prepared_read_survives_a_migration_that_changes_a_type_it_returns(prepared_table):
    """A deploy migrates while the old workers still serve: PostgreSQL refuses a prepared
    statement whose result type changed ("cached plan must not change result type"); the read
    forgets its prepared statements, runs again, and is prepared again later."""
    read, other = prepared_table
    with other.cursor() as cursor:  # the migration, from another process
        cursor.execute("ALTER TABLE prepared_migration ALTER amount TYPE numeric(10, 2)")
    for _ in range(connection.connection.prepare_reads_after + 1):
        with connection.prepared_cursor() as cursor:
            cursor.execute(read, [1])
            assert cursor.fetchall() == [(Decimal("8.00"),)]
    assert any("prepared_migration" in text for text in prepared_statements())


def test_inside_a_transaction_the_refused_read_fails_and_the_rollback_forgets_it(prepared_table):
    read, other = prepared_table
    with other.cursor() as cursor:
        cursor.execute("ALTER TABLE prepared_migration ALTER amount TYPE bigint")
    with (
        pytest.raises(NotSupportedError),
        transaction.atomic(),
        connection.prepared_cursor() as cursor,
    ):
        cursor.execute(read, [0])
    with connection.prepared_cursor() as cursor:
        cursor.execute(read, [2])
        assert cursor.fetchall() == []


@pytest.mark.parametrize(("value", "after"), [(None, 5), ("true", 5), ("false", None), ("0", None)])
def test_prepared_statements_can_be_turned_off_for_poolers(monkeypatch, value, after):
    """PgBouncer before 1.22 in transaction mode cannot keep prepared statements:
    ``DATABASE_PREPARED_STATEMENTS=false`` (docs/scaling.md)."""
    if value is None:
        monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    else:
        monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", value)
    options = _database("postgres://postgres@127.0.0.1:5432/x")["OPTIONS"]
    assert options.get("prepare_reads_after") == after
    assert "prepare_threshold" not in options


@pytest.mark.django_db(transaction=True)
def test_with_prepared_statements_off_no_read_is_prepared():
    settings = connection.settings_dict
    options = {k: v for k, v in settings["OPTIONS"].items() if k != "prepare_reads_after"}
    off = type(connections["default"])({**settings, "OPTIONS": options}, alias="prepared_off")
    try:
        for _ in range(8):
            with off.prepared_cursor() as cursor:
                cursor.execute("SELECT count(*) FROM articles_statement WHERE id > %s", [0])
        assert off.connection.prepare_reads_after is None
        with off.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone() == (0,)
    finally:
        off.close()
