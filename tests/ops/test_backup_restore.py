"""Backups restore (issue 16 item 10): pg_dump/pg_restore of the test database into a new
database gives the same rows, table by table (PostgreSQL); ``dumpdata``/``loaddata`` with the
options docs/backups.md gives round-trip (dump, load into a fresh database, dump again: the same
data), on either database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from articles.models import StatementLink
from spending.models import MemberState, Target
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def restored_name() -> str:
    """The scratch database the dump is restored into, named after this run's test database
    (a fixed name was shared by every run on the server: one run's DROP ... WITH (FORCE) could end
    another's restore)."""
    return f"{connection.settings_dict['NAME']}_restore"[:63]


# What docs/backups.md tells people to run (kept in one place: the test uses the same list).
DUMPDATA_OPTIONS = [
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=admin.logentry",
    "--exclude=axes",
]


def some_data() -> None:
    """Articles, a speaker, statements with allies, targets and an editor's link, an editor with
    a token: rows in most tables, history rows included."""
    from rest_framework.authtoken.models import Token

    editor = UserFactory(username="backup-editor")
    Token.objects.create(user=editor)
    speaker = SpeakerFactory(name="Mark Rutte", slug="mark-rutte")
    speaker.aliases.create(alias="Rutte")
    for n in range(3):
        article = ArticleFactory(title=f"Backup {n}", url=f"https://example.org/{n}")
        statement = StatementFactory(article=article, speaker=speaker, text=f"We spend {n}%")
        statement.members.add(MemberState.objects.get(iso3="POL"))
        statement.targets.add(Target.objects.get(code="2"))
        StatementLink.objects.create(
            statement=statement, target=Target.objects.get(code="2"), created_by=editor
        )


def conninfo(name: str | None = None) -> str:
    params = connection.get_connection_params()
    keep = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    return psycopg.conninfo.make_conninfo(dbname=name or params["dbname"], **keep)


def table_fingerprints(info: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: (row count, md5 of its rows in a fixed order)."""
    with psycopg.connect(info, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        found = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()
            found[table] = (count, digest)
    return found


@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_give_back_every_row(reference_data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore: PostgreSQL only (SQLite: sqlite3 .backup, tested below)")
    for program in ("pg_dump", "pg_restore"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is required to test backups on PostgreSQL")
    some_data()
    restored_db = restored_name()
    dump = tmp_path / "tracker.dump"
    server = conninfo("postgres")
    drop_restored = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(restored_db)
    )
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(restored_db))
        )
    try:
        # The commands of docs/backups.md.
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                f"--dbname={conninfo()}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored_db)))
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={conninfo(restored_db)}",
                str(dump),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        original = table_fingerprints(conninfo())
        restored = table_fingerprints(conninfo(restored_db))
        assert original["articles_statement"][0] == 3
        assert original["spending_spendingfigure"][0] > 1000
        assert restored == original
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(drop_restored)


def test_sqlite_backup_command_copies_a_live_database(tmp_path):
    """``sqlite3 db.sqlite3 ".backup backup.sqlite3"`` (docs/backups.md) on a scratch database."""
    import sqlite3

    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command-line shell is not installed")
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE t (n INTEGER)")
        db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1000)])
    backup = tmp_path / "backup.sqlite3"
    subprocess.run(["sqlite3", str(source), f".backup '{backup}'"], check=True, timeout=60)
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT count(*), sum(n) FROM t").fetchone() == (1000, 499500)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# Django's JSON serializer writes times to the millisecond ("…:58.993Z") and leaves the
# fraction out when it is zero ("…:58Z"): a time of 03:11:58.000456 is dumped as "…:58.000Z",
# loaded as 03:11:58 and dumped again as "…:58Z". Compare both dumps at that precision.
_WHOLE_SECOND = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(Z|[+-]\d\d:\d\d)$")


def _to_milliseconds(value):
    """The dumped value with every whole-second time written with ".000" milliseconds."""
    if isinstance(value, dict):
        return {key: _to_milliseconds(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_milliseconds(item) for item in value]
    if isinstance(value, str) and (match := _WHOLE_SECOND.match(value)):
        return f"{match[1]}.000{match[2]}"
    return value


def test_whole_second_and_zero_millisecond_times_compare_equal():
    dumped_first = {"fields": {"history_date": "2026-11-30T03:11:58.000Z", "n": 1}}
    dumped_again = {"fields": {"history_date": "2026-11-30T03:11:58Z", "n": 1}}
    assert _to_milliseconds(dumped_first) == _to_milliseconds(dumped_again)
    assert _to_milliseconds({"t": "2026-11-30T03:11:58.993Z"}) != _to_milliseconds(
        {"t": "2026-11-30T03:11:58Z"}
    )


def _manage(*args: str, database_url: str, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, **env_vars}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.django_db
def test_dumpdata_and_loaddata_round_trip(tmp_path):
    some_data()
    first = tmp_path / "first.json"
    call_command("dumpdata", *DUMPDATA_OPTIONS, output=str(first), verbosity=0)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    _manage("migrate", "--noinput", "-v0", database_url=fresh)
    _manage("loaddata", str(first), database_url=fresh, SIMPLE_HISTORY_ENABLED="false")
    second = tmp_path / "second.json"
    _manage("dumpdata", *DUMPDATA_OPTIONS, f"--output={second}", database_url=fresh)

    def rows(path: Path) -> list[str]:
        return sorted(
            json.dumps(_to_milliseconds(row), sort_keys=True)
            for row in json.loads(path.read_text())
        )

    original, again = rows(first), rows(second)
    assert len(original) > 1500  # the reference data and the articles above are in it
    assert again == original
