"""The short reads of a page of statements: the ids of their allies, targets and links. On
PostgreSQL the compiled list's pages (the statement search, the statements page) carry them in
their own query (:func:`with_reads`: three correlated ``ARRAY`` subqueries, no second round
trip); other lists, and every list elsewhere, read them in one more query compiled once per
process (:mod:`nato_tracker.compiled`). The allies' and targets' names, codes and order come from
:mod:`spending.names` (official data, kept per process)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import DateTimeField, F, IntegerField, OuterRef, QuerySet, TextField, Value
from django.db.models.functions import JSONArray

from articles.models import SpeakerRole, Statement, StatementLink
from articles.roles import ROLES_KEPT
from articles.selectors import LINK_ORDER
from nato_tracker.compiled import IdsQuery
from nato_tracker.data_version import kept_many
from spending.names import NAMES_KEPT, AllyName, OfficialNames, TargetName

_NO_ID = Value(None, output_field=IntegerField())
_NO_TEXT = Value(None, output_field=TextField())
_NO_TIME = Value(None, output_field=DateTimeField())


def _reads_of(ids: Sequence[int]) -> QuerySet:
    """The allies, targets and links of the statements ``ids`` in one query, a ``UNION ALL``
    of three parts with the same columns: ``(kind, statement id, item, figure, target, note,
    created)``, where ``kind`` is :data:`LINK`, :data:`ALLY` or :data:`TARGET` and ``item``
    the link's, the ally's or the target's id; the links of a statement in the order they were
    made (``created_at``, then id)."""

    def part(objects, kind, item, figure=_NO_ID, target=_NO_ID, note=_NO_TEXT, created=_NO_TIME):
        return (
            objects.filter(statement_id__in=ids)
            .order_by()
            .annotate(
                kind=Value(kind),
                of_statement=F("statement_id"),
                item=F(item),
                of_figure=figure,
                of_target=target,
                of_note=note,
                created=created,
            )
            .values_list(*_READ_COLUMNS)
        )

    links = part(
        StatementLink.objects,
        LINK,
        "id",
        F("figure_id"),
        F("target_id"),
        F("note"),
        F("created_at"),
    )
    allies = part(Statement.members.through.objects, ALLY, "memberstate_id")
    targets = part(Statement.targets.through.objects, TARGET, "target_id")
    return links.union(allies, targets, all=True).order_by(
        "kind", "of_statement", "created", "item"
    )


#: What a row of :func:`_reads_of` is (its ``kind``).
LINK, ALLY, TARGET = 0, 1, 2
_READ_COLUMNS = ("kind", "of_statement", "item", "of_figure", "of_target", "of_note", "created")

#: The short reads of a list of statements, compiled once (``nato_tracker.compiled``): the ids
#: of their allies and targets (names, codes and order from ``spending.names``) and their links,
#: one query for them all (:func:`_reads_of`).
STATEMENT_READS = IdsQuery(_reads_of)


#: The columns :func:`with_reads` adds to a list's rows (PostgreSQL): the ids of each
#: statement's allies and targets, and its links as ``[id, figure id, target id, note]``.
READ_COLUMNS = ("read_allies", "read_targets", "read_links")


def with_reads(values: QuerySet[Statement]) -> QuerySet[Statement]:
    """``values`` (a ``values()`` queryset of statements) with, on PostgreSQL, each statement's
    allies, targets and links as three more columns (:data:`READ_COLUMNS`, correlated
    ``ARRAY`` subqueries read in the same query: no second round trip for a page); as it is
    elsewhere (:func:`statement_reads` then reads them in one more query). For a query compiled
    once (``articles.statement_list``): built and compiled per request, the subqueries cost
    more CPU than the round trip they save."""
    if not reads_in_rows(values.db):
        return values

    def of_statement(objects):
        return objects.filter(statement_id=OuterRef("pk")).order_by()

    members, targets = Statement.members.through.objects, Statement.targets.through.objects
    reads = {
        "read_allies": ArraySubquery(of_statement(members).values("memberstate_id")),
        "read_targets": ArraySubquery(of_statement(targets).values("target_id")),
        "read_links": ArraySubquery(
            of_statement(StatementLink.objects)
            .order_by(*LINK_ORDER)
            .values(row=JSONArray("id", "figure_id", "target_id", "note"))
        ),
    }
    return values.annotate(**reads)


def reads_in_rows(using: str = "default") -> bool:
    """Whether the compiled list's rows (``articles.statement_list``) on the database ``using``
    carry their allies, targets and links (:func:`with_reads`: PostgreSQL's ``ARRAY``
    subqueries), so that no second query reads them."""
    return connections[using].vendor == "postgresql"


class StatementReads(NamedTuple):
    """What :func:`statement_reads` gives, by statement id (a statement without any is not a
    key): its allies (in name order), targets (in display order) and editors' links as ``(id,
    figure id, target id, note)`` in the order they were made."""

    allies: dict[int, list[AllyName]]
    targets: dict[int, list[TargetName]]
    links: dict[int, list[tuple]]


def statement_reads(rows: list[dict], names: OfficialNames) -> StatementReads:
    """The allies, targets and links of the statements of ``rows``: from the rows when they
    carry them (:func:`with_reads`), else one query for them all."""
    ally_ids: dict[int, list[int]] = defaultdict(list)
    target_ids: dict[int, list[int]] = defaultdict(list)
    links: dict[int, list[tuple]] = defaultdict(list)
    if rows and READ_COLUMNS[0] in rows[0]:
        for row in rows:
            statement_id = row["id"]
            if row["read_allies"]:
                ally_ids[statement_id] = row["read_allies"]
            if row["read_targets"]:
                target_ids[statement_id] = row["read_targets"]
            if row["read_links"]:
                links[statement_id] = [tuple(link) for link in row["read_links"]]
        return _named(ally_ids, target_ids, links, names)
    ids = [row["id"] for row in rows]
    for kind, statement_id, item, figure_id, target_id, note, _ in STATEMENT_READS.rows(ids):
        if kind == LINK:
            links[statement_id].append((item, figure_id, target_id, note))
        elif kind == ALLY:
            ally_ids[statement_id].append(item)
        else:
            target_ids[statement_id].append(item)
    return _named(ally_ids, target_ids, links, names)


def _named(ally_ids, target_ids, links, names: OfficialNames) -> StatementReads:
    return StatementReads(
        {i: names.allies_in_order(members) for i, members in ally_ids.items()},
        {i: names.targets_in_order(targets) for i, targets in target_ids.items()},
        dict(links),
    )


def names_and_roles(
    version: str | None = None,
) -> tuple[OfficialNames, dict[int, list[SpeakerRole]]]:
    """The official names (:func:`spending.names.official_names`) and the speakers' roles
    (:func:`articles.roles.roles_by_speaker`), their data versions read in one cache round
    trip, or none when the caller gives the ``version`` of all the data it has read."""
    parts = {key: (build, scope) for key, build, scope in (NAMES_KEPT, ROLES_KEPT)}
    found = kept_many(parts, version)
    return found[NAMES_KEPT[0]], found[ROLES_KEPT[0]]
