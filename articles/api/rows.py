"""Statements as the API shows them, read as plain values: the fast path of the statements list.

``StatementSerializer`` builds each row from model instances (the statement, its speaker and
article, and the prefetched allies, targets and links: a dozen objects and a few queryset clones per
row). For a list that may hold thousands of rows (the CSV of every statement) that is most of the
time spent. Here a chunk of rows is read with ``values()`` — one query for the statements joined to
their speaker and article, and their allies, targets and links in it (the compiled list's page, on
PostgreSQL) or in one more for the whole chunk — and shaped into the *same* dicts as the serializer
gives (same keys, order, types and null rules; ``tests/api/test_statement_rows.py`` compares them on
every kind of row), so the JSON and CSV answers, their columns and their cells do not change.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter

from django.db.models import QuerySet

from articles.api.serializers import StatementSerializer
from articles.models import Statement, StatementLink
from articles.roles import RoleColumns
from articles.selectors import LINK_ORDER
from articles.statement_reads import names_and_roles, statement_reads
from nato_tracker.api.renderers import (
    ListCells,
    list_cells,
    ordered_list_cells,
    serializer_class_columns,
    serializer_nesting,
)
from nato_tracker.links import web_url

#: What one statement row reads, joined to its speaker and article (never the article's text).
STATEMENT_VALUES = (
    "id",
    "text",
    "partial",
    "speaker_id",
    "speaker__slug",
    "speaker__name",
    "speaker__role",
    "speaker_as_written",
    "speaker_role",
    "article_id",
    "article__title",
    "article__publisher",
    "article__url",
    "article__published",
    "review_status",
    "start",
    "end",
)


def statement_values(queryset: QuerySet[Statement]) -> QuerySet:
    """The statements of ``queryset`` (filtered and ordered as it is) as plain values, for
    :func:`statement_rows`."""
    return queryset.values(*STATEMENT_VALUES)


def statement_rows(values: Iterable[dict], version: str | None = None) -> list[dict]:
    """Rows of :func:`statement_values` as ``StatementSerializer`` gives them, in their order: their
    allies, targets and links from the rows (the compiled list's, PostgreSQL) or one more query for
    the whole chunk (``articles.statement_reads``), none per row. ``version``: the data version the
    caller has read (the request's), for the official names and the speakers' roles
    (``articles.statement_reads.names_and_roles``) without reading it again."""
    values = list(values)
    names, roles = names_and_roles(version)
    read = statement_reads(values, names)
    allies: dict[int, list] = defaultdict(list)
    targets: dict[int, list] = defaultdict(list)
    links: dict[int, list] = defaultdict(list)
    for i, listed in read.allies.items():
        allies[i] = [ally.iso3 for ally in listed]
    for i, listed in read.targets.items():
        targets[i] = [target.code for target in listed]
    for statement_id, listed in read.links.items():
        links[statement_id] = [
            {
                "id": pk,
                "figure": figure_id,
                "target": names.targets[target_id].code if target_id is not None else None,
                "note": note,
            }
            for pk, figure_id, target_id, note in listed
        ]
    flat = _StatementRow(allies, targets, links, RoleColumns(roles))
    nested = statement_nesting()
    in_order = itemgetter(*STATEMENT_VALUES)
    return [nested(flat(in_order(row))) for row in values]


def statement_list_cells(statements: QuerySet[Statement], limit: int | None) -> Iterator[tuple]:
    """The first ``limit`` rows of ``statements`` (all of them: ``None``) in its order as *flat*
    CSV rows (:class:`_StatementRow`, lists as their CSV cells: ``ALB;DEU;``), read in one pass
    for a whole list (the CSV of every statement): one query for the statements, read
    :data:`READ_ROWS` at a time (``iterator()``), and one each for the allies, targets and
    links of the whole list (the list as a subquery: no query per chunk, no list of ids sent
    back to the database), grouped into their cells as they are read (no list per statement
    is kept). The allies and targets are read as ids (:func:`listed_ids`) and put in their
    listed order from the official names
    (:func:`nato_tracker.api.renderers.ordered_list_cells`). The cells are the ones the
    serializer's rows give (``tests/api/test_statement_rows.py`` compares them on every kind of
    row)."""
    return flat_statement_rows(statements, limit, ordered_list_cells, links=True)


def flat_statement_rows(
    statements: QuerySet[Statement],
    limit: int | None,
    list_cells_of: Callable[[Iterable[tuple], dict[int, str]], Mapping[int, str]],
    *,
    links: bool,
) -> Iterator[tuple]:
    """The flat rows (:class:`_StatementRow`) of the first ``limit`` statements of
    ``statements`` (all: ``None``) in its order, for a whole list: the API's CSV
    (:func:`statement_list_cells`) and the bulk download's ``statements.csv``
    (``nato_tracker.dataset``). ``list_cells_of(rows, codes)`` makes the allies' and the
    targets' cells from ``(statement id, item id)`` rows in any order and the items' codes
    (``{id: code}``, in their listed order); ``links``: whether to read the links' cells (else
    every statement's is empty)."""
    if limit is None:  # the whole list: as a subquery, neither sorted nor cut
        listed = statements.order_by().values("pk")
    else:
        listed = statements.values("pk")[:limit]
    names, roles = names_and_roles()
    allies, targets = listed_ids(listed)
    flat = _StatementRow(
        list_cells_of(allies, {pk: ally.iso3 for pk, ally in names.allies.items()}),
        list_cells_of(targets, {pk: target.code for pk, target in names.targets.items()}),
        list_cells(
            StatementLink.objects.filter(statement_id__in=listed)
            .order_by("statement_id", *LINK_ORDER)
            .values_list("statement_id", "id")
        )
        if links
        else ListCells(),
        RoleColumns(roles),
    )
    rows = statements.values_list(*STATEMENT_VALUES)[:limit]
    return map(flat, rows.iterator(chunk_size=READ_ROWS))


def listed_ids(listed: QuerySet) -> tuple[QuerySet, QuerySet]:
    """``(statement id, ally id)`` and ``(statement id, target id)`` rows of the statements
    ``listed`` (a subquery of their ids), unsorted: the read of a whole list's allies and
    targets (a page's fifty are read by ``articles.statement_reads``, with the links, in the
    compiled list's own query or one more, the same ids and the same rule); their codes, names and
    order come from the official names kept per process (``spending.names``), not from a join
    nor the database's sort (sorting the 17,000 allies of 11,000 statements by name under its
    collation was most of the query's time)."""
    return (
        Statement.members.through.objects.filter(statement_id__in=listed)
        .order_by()
        .values_list("statement_id", "memberstate_id"),
        Statement.targets.through.objects.filter(statement_id__in=listed)
        .order_by()
        .values_list("statement_id", "target_id"),
    )


def flat_statement_columns() -> list[str]:
    """The names of the flat rows' cells (:class:`_StatementRow`), in order:
    ``StatementSerializer``'s CSV columns."""
    return [column.name for column in serializer_class_columns(StatementSerializer)]


#: Rows fetched from the database at a time by :func:`statement_list_cells`.
READ_ROWS = 2000


class _StatementRow:
    """THE shape of a statement row: a row of :data:`STATEMENT_VALUES` as its *flat* row, one
    value per CSV column of ``StatementSerializer`` in order (``csv_columns``), as the
    serializer gives it; the JSON row is that row nested again (:func:`statement_nesting`).
    ``allies``, ``targets``, ``links``: by statement id (a mapping that gives the empty value
    for a statement without any: ``defaultdict``, ``renderers.ListCells``), lists for JSON or
    their CSV cells;
    ``role_columns``: :class:`articles.roles.RoleColumns`."""

    def __init__(self, allies: dict, targets: dict, links: dict, role_columns: RoleColumns):
        self.allies, self.targets, self.links = allies, targets, links
        self.role_columns = role_columns

    def __call__(self, values: tuple) -> tuple:
        (
            pk,
            text,
            partial,
            speaker_id,
            slug,
            name,
            role,
            as_written,
            role_as_written,
            article_id,
            title,
            publisher,
            url,
            published,
            review_status,
            start,
            end,
        ) = values
        return (
            pk,
            text,
            partial,
            slug,
            name,
            role,
            as_written,
            role_as_written,
            # role_on_date (role, start, end, source), role_mismatch, role_mismatch_detail
            *self.role_columns(speaker_id, role_as_written, published),
            article_id,
            title,
            publisher,
            web_url(url) if url else url,
            published.isoformat() if published is not None else None,
            self.allies[pk],
            self.targets[pk],
            self.links[pk],
            review_status,
            start,
            end,
        )


@functools.cache
def statement_nesting() -> Callable[[Sequence], dict]:
    """Flat statement rows (:class:`_StatementRow`) → ``StatementSerializer``'s rows."""
    return serializer_nesting(StatementSerializer())
