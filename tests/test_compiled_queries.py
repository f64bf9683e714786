"""Queries compiled once (``nato_tracker.compiled``) and values kept in a process under a data
version (``nato_tracker.data_version.kept``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Statement
from nato_tracker.compiled import FixedQuery, IdsQuery
from nato_tracker.data_version import bump_data_version, data_version, kept
from spending.models import MemberState
from tests.factories import StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_of(ids):
    return Statement.members.through.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "memberstate_id"
    )


def test_ids_query_gives_the_orms_rows_and_compiles_once_per_number_of_ids():
    statements = StatementFactory.create_batch(4)
    allies = list(MemberState.objects.order_by("pk")[:3])
    for index, statement in enumerate(statements):
        statement.members.add(*allies[: index % 3 + 1])
    built = []
    query = IdsQuery(lambda ids: built.append(len(ids)) or members_of(ids))
    for chosen in ([statements[0]], statements[1:3], statements, [statements[3], statements[2]]):
        ids = [s.pk for s in chosen]
        assert sorted(query.rows(ids)) == sorted(members_of(ids))
    assert built == [1, 2, 4]  # two ids twice: compiled once
    ids = [statements[1].pk, statements[1].pk, statements[2].pk]  # an id twice counts once
    assert sorted(query.rows(ids)) == sorted(members_of(ids))
    assert built == [1, 2, 4]


def test_ids_query_without_ids_runs_no_query():
    query = IdsQuery(members_of)
    with CaptureQueriesContext(connection) as queries:
        assert query.rows([]) == []
    assert len(queries) == 0


def test_ids_query_refuses_a_query_that_does_not_take_each_id_once():
    query = IdsQuery(lambda ids: members_of(ids).filter(memberstate_id=ids[0]))
    with pytest.raises(ValueError, match="ids once each"):
        query.rows([1, 2])


def test_ids_query_takes_each_id_once_in_each_part_of_a_union():
    statements = StatementFactory.create_batch(3)
    allies = list(MemberState.objects.order_by("pk")[:2])
    statements[0].members.add(*allies)
    statements[2].members.add(allies[1])

    def twice(ids):
        return members_of(ids).order_by().union(members_of(ids).order_by(), all=True)

    query = IdsQuery(twice)
    ids = [s.pk for s in statements]
    assert sorted(query.rows(ids)) == sorted(twice(ids))
    assert len(query.rows(ids)) == 6


def test_fixed_query_gives_the_orms_rows():
    query = FixedQuery(lambda: MemberState.objects.order_by("name").values_list("iso3", "name"))
    assert query.rows() == list(MemberState.objects.order_by("name").values_list("iso3", "name"))
    with CaptureQueriesContext(connection) as queries:
        query.rows()
    assert len(queries) == 1


def test_kept_is_built_again_when_its_data_changes():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert kept("probe", build, scope="official") == 1
    assert kept("probe", build, scope="official") == 1
    bump_data_version("reports")  # an editor's write leaves official data alone
    assert kept("probe", build, scope="official") == 1
    bump_data_version("official")
    assert kept("probe", build, scope="official") == 2


def test_long_lists_of_ids_are_not_kept(monkeypatch):
    import nato_tracker.compiled

    monkeypatch.setattr(nato_tracker.compiled, "MAX_KEPT_IDS", 1)
    built = []
    query = IdsQuery(lambda ids: built.append(len(ids)) or members_of(ids))
    for _ in range(2):
        query.rows([1])
        query.rows([1, 2])
    assert built == [1, 2, 2]


def test_names_and_roles_read_their_versions_in_one_round_trip(monkeypatch):
    """A page of the statements list needs the official names and the speakers' roles: one
    cache round trip for both versions, each built again only when its own data changes."""
    from django.core.cache import cache

    from articles import roles as roles_module
    from articles.statement_reads import names_and_roles
    from spending import names as names_module
    from tests.factories import SpeakerFactory

    speaker = SpeakerFactory()
    speaker.roles.create(role="Minister of Defence", start="2020-01-01")
    bump_data_version()
    reads, built = [], []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or get_many(keys))
    for module, key in ((names_module, "NAMES_KEPT"), (roles_module, "ROLES_KEPT")):
        name, build, scope = getattr(module, key)
        monkeypatch.setattr(
            module, key, (name, lambda b=build, n=name: built.append(n) or b(), scope)
        )
    monkeypatch.setattr("articles.statement_reads.NAMES_KEPT", names_module.NAMES_KEPT)
    monkeypatch.setattr("articles.statement_reads.ROLES_KEPT", roles_module.ROLES_KEPT)
    names, roles = names_and_roles()
    assert len(reads) == 1
    assert "USA" in {ally.iso3 for ally in names.allies.values()}
    assert [role.role for role in roles[speaker.pk]] == ["Minister of Defence"]
    assert sorted(built) == ["official-names", "speaker-roles"]
    names_and_roles()
    assert len(reads) == 2 and len(built) == 2  # kept
    bump_data_version("reports")  # an editor's write: the roles again, not the names
    names_and_roles()
    assert built[2:] == ["speaker-roles"]
    version_now, (_, current) = data_version(), names_and_roles()
    reads.clear()
    assert names_and_roles(version_now)[1] is current  # the request's version: no read at all
    assert reads == []


def test_ids_query_sends_the_ids_once_on_postgresql():
    """On PostgreSQL each list of many ids is one array parameter (``= ANY(%s)``): psycopg
    parses a query of more than 50 parameters again on every run; a short list stays an ``IN``
    list; the rows are the ORM's."""
    statements = StatementFactory.create_batch(30)
    allies = list(MemberState.objects.order_by("pk")[:2])
    for statement in statements:
        statement.members.add(*allies)

    def twice(ids):
        return members_of(ids).order_by().union(members_of(ids).order_by(), all=True)

    query = IdsQuery(twice)
    ids = [s.pk for s in statements]
    with CaptureQueriesContext(connection) as queries:
        assert sorted(query.rows(ids)) == sorted(twice(ids))
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert sql.count("= ANY(") == 2 and " IN (" not in sql
    else:
        assert sql.count(" IN (") == 2
    assert len(query.rows(ids)) == 120
    with CaptureQueriesContext(connection) as queries:
        assert sorted(query.rows(ids[:3])) == sorted(twice(ids[:3]))
    assert queries[0]["sql"].count(" IN (") == 2


def test_the_compiled_lists_allies_targets_and_links_come_in_its_own_query_on_postgresql():
    """On PostgreSQL the rows of the compiled statements list (``articles.statement_list``: the
    API's and the statements page's, prepared once it repeats) carry their allies, targets and
    links (``articles.statement_reads.with_reads``): the same reads as the separate query gives
    for the ORM's rows, links in the order they were made (``created_at``, then id: here not
    the ids' order), with no second query; elsewhere the rows carry none and the reads are one
    more query."""
    import datetime

    from django.utils import timezone

    from articles.api.rows import statement_values
    from articles.models import StatementLink
    from articles.statement_list import FilteredStatements
    from articles.statement_reads import READ_COLUMNS, reads_in_rows, statement_reads
    from spending.models import SpendingFigure, Target
    from spending.names import official_names

    first, second, bare = StatementFactory.create_batch(3)
    first.members.add(*MemberState.objects.filter(iso3__in=["USA", "ALB", "DEU"]))
    first.targets.add(*Target.objects.filter(code__in=["3.5", "2"]))
    second.members.add(MemberState.objects.get(iso3="POL"))
    figure = SpendingFigure.objects.filter(member__iso3="POL").first()
    now, editor = timezone.now(), UserFactory()
    later = StatementLink.objects.create(
        statement=first, figure=figure, note="a <note>", created_by=editor
    )
    earlier = StatementLink.objects.create(
        statement=first, target=Target.objects.get(code="2"), created_by=editor
    )
    StatementLink.objects.filter(pk=later.pk).update(created_at=now)
    StatementLink.objects.filter(pk=earlier.pk).update(created_at=now - datetime.timedelta(1))
    names = official_names()
    merged = reads_in_rows()
    assert merged is (connection.vendor == "postgresql")
    orm = {row["id"]: row for row in statement_values(Statement.objects.public())}
    assert not any(column in row for row in orm.values() for column in READ_COLUMNS)
    separate = statement_reads(list(orm.values()), names)
    for _ in range(7):  # past psycopg's prepare threshold
        rows = FilteredStatements({})[0:50]
        assert all((column in row) is merged for row in rows for column in READ_COLUMNS)
        assert {row["id"]: {k: row[k] for k in orm[row["id"]]} for row in rows} == orm
        with CaptureQueriesContext(connection) as queries:
            read = statement_reads(rows, names)
        assert len(queries) == (0 if merged else 1)
        assert read == separate
    assert [ally.iso3 for ally in read.allies[first.pk]] == ["ALB", "DEU", "USA"]
    assert [ally.iso3 for ally in read.allies[second.pk]] == ["POL"]
    assert [target.code for target in read.targets[first.pk]] == ["2", "3.5"]
    assert read.links[first.pk] == [
        (earlier.pk, None, Target.objects.get(code="2").pk, ""),
        (later.pk, figure.pk, None, "a <note>"),
    ]
    assert bare.pk not in read.allies and bare.pk not in read.targets
    assert bare.pk not in read.links and second.pk not in read.links
