"""Statements as the API shows them, read as plain values: the fast path of the statements list.

``StatementSerializer`` builds each row from model instances (the statement, its speaker and
article, and the prefetched allies, targets and links: a dozen objects and a few queryset clones
per row). For a list that may hold thousands of rows (the CSV of every statement) that is most of
the time spent. Here a chunk of rows is read with ``values()`` — one query for the statements
joined to their speaker and article, one each for the allies, targets and links of the whole
chunk — and shaped into the *same* dicts as the serializer gives (same keys, order, types and
null rules; ``tests/api/test_statement_rows.py`` compares them on every kind of row), so the
JSON and CSV answers, their columns and their cells do not change.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from articles.api.serializers import RoleOnDateSerializer
from articles.models import Statement, StatementLink
from articles.roles import check_role, roles_by_speaker
from articles.statement_reads import LINK_ROWS, allies_and_targets, names_and_roles
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
    """Rows of :func:`statement_values` as ``StatementSerializer`` gives them, in their order:
    three more queries for the whole chunk (allies, targets, links; each compiled once per
    process), none per row. ``version``: the data version the caller has read (the request's),
    for the official names and the speakers' roles (``articles.statement_reads.names_and_roles``)
    without reading it again."""
    values = list(values)
    shape = _Shaper.of_ids([row["id"] for row in values], version)
    return [shape(row) for row in values]


def statement_list_cells(statements: QuerySet[Statement], limit: int | None) -> Iterator[list]:
    """The first ``limit`` rows of ``statements`` (all of them: ``None``) in its order as *flat*
    CSV rows (one value per CSV column of ``StatementSerializer``, in order:
    ``nato_tracker.api.renderers.flat_cells``), read in one pass for a whole list (the CSV of
    every statement): one query for the statements, read :data:`READ_ROWS` at a time
    (``iterator()``), and one each for the allies, targets and links of the whole list (the list
    as a subquery: no query per chunk, no list of ids sent back to the database). No nested row
    is built: the cells are the ones the serializer's rows give
    (``tests/api/test_statement_rows.py`` compares them on every kind of row)."""
    if limit is None:  # the whole list: as a subquery, neither sorted nor cut
        shape = _Shaper.of_list(statement_id__in=statements.order_by().values("pk"))
    else:
        shape = _Shaper.of_list(statement_id__in=statements.values("pk")[:limit])
    check = shape.roles.check
    allies, targets, links = shape.allies, shape.targets, shape.links
    no_role: dict = {}
    for (
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
        article_url,
        published,
        review_status,
        start,
        end,
    ) in statements.values_list(*STATEMENT_VALUES)[:limit].iterator(chunk_size=READ_ROWS):
        held, mismatch, detail = check(speaker_id, role_as_written, published)
        held = held or no_role
        yield [
            pk,
            text,
            partial,
            slug,
            name,
            role,
            as_written,
            role_as_written,
            held.get("role"),
            held.get("start"),
            held.get("end"),
            held.get("source"),
            mismatch,
            detail,
            article_id,
            title,
            publisher,
            web_url(article_url) if article_url else article_url,
            published.isoformat() if published is not None else None,
            allies.get(pk, []),
            targets.get(pk, []),
            links.get(pk, []),
            review_status,
            start,
            end,
        ]


#: Rows fetched from the database at a time by :func:`statement_list_cells`.
READ_ROWS = 2000


class _Shaper:
    """Makes rows of :func:`statement_values` into the serializer's dicts: the allies, targets
    and links of the statements that ``statements`` (a filter on the statement id) selects, read
    once; the speakers' roles read once; each role check and article address worked out once."""

    def __init__(self, allies: dict, targets: dict, links: dict, roles: dict | None = None):
        self.allies, self.targets, self.links = allies, targets, links
        self.roles = _RoleChecks(roles)

    @classmethod
    def of_list(cls, **statements) -> _Shaper:
        """For the statements that ``statements`` (a filter on the statement id, a subquery of
        the whole list) selects: one query each for their allies, targets and links."""
        allies = _grouped(
            Statement.members.through.objects.filter(**statements).order_by(
                "statement_id", "memberstate__name", "memberstate_id"
            ),
            "memberstate__iso3",
        )
        targets = _grouped(
            Statement.targets.through.objects.filter(**statements).order_by(
                "statement_id", "target__display_order", "target__threshold", "target_id"
            ),
            "target__code",
        )
        links: dict[int, list[dict]] = defaultdict(list)
        for statement_id, pk, figure_id, target, note in (
            StatementLink.objects.filter(**statements)
            .order_by("statement_id", "created_at", "pk")
            .values_list("statement_id", "id", "figure_id", "target__code", "note")
        ):
            links[statement_id].append(
                {"id": pk, "figure": figure_id, "target": target, "note": note}
            )
        return cls(allies, targets, links)

    @classmethod
    def of_ids(cls, ids: list[int], version: str | None = None) -> _Shaper:
        """For a page of the list (its ids known): the reads of :mod:`articles.statement_reads`,
        compiled once per process, with the allies' and targets' codes and order from
        :mod:`spending.names` (the same rows as :meth:`of_list`, without compiling three
        queries for every page)."""
        names, roles = names_and_roles(version)
        ally_names, target_names = allies_and_targets(ids, names)
        links: dict[int, list[dict]] = defaultdict(list)
        for statement_id, pk, figure_id, target_id, note in LINK_ROWS.rows(ids):
            target = names.targets[target_id].code if target_id is not None else None
            links[statement_id].append(
                {"id": pk, "figure": figure_id, "target": target, "note": note}
            )
        return cls(
            {i: [ally.iso3 for ally in listed] for i, listed in ally_names.items()},
            {i: [target.code for target in listed] for i, listed in target_names.items()},
            links,
            roles,
        )

    def __call__(self, row: dict) -> dict:
        published = row["article__published"]
        role_on_date, role_mismatch, role_mismatch_detail = self.roles.check(
            row["speaker_id"], row["speaker_role"], published
        )
        statement_id = row["id"]
        speaker = None
        if row["speaker_id"] is not None:
            speaker = {
                "slug": row["speaker__slug"],
                "name": row["speaker__name"],
                "role": row["speaker__role"],
            }
        return {
            "id": statement_id,
            "text": row["text"],
            "partial": row["partial"],
            "speaker": speaker,
            "speaker_as_written": row["speaker_as_written"],
            "speaker_role": row["speaker_role"],
            "role_on_date": role_on_date,
            "role_mismatch": role_mismatch,
            "role_mismatch_detail": role_mismatch_detail,
            "article": article_brief(
                row["article_id"],
                row["article__title"],
                row["article__publisher"],
                row["article__url"],
                published,
            ),
            "allies": self.allies.get(statement_id, []),
            "targets": self.targets.get(statement_id, []),
            "links": self.links.get(statement_id, []),
            "review_status": row["review_status"],
            "start": row["start"],
            "end": row["end"],
        }


class _RoleChecks:
    """The role check of each row (``articles.roles.check_role``, as the serializer makes it):
    the speakers' roles read once per chunk, each check (speaker, role as written, day) made
    once, each role held shown once."""

    def __init__(self, roles: dict | None = None):
        self.roles = roles_by_speaker() if roles is None else roles
        self.shown: dict[int, dict] = {}
        self.checks: dict[tuple, tuple[dict | None, bool | None, str]] = {}
        self.serializer = RoleOnDateSerializer()

    def check(
        self, speaker_id: int | None, as_written: str, day: datetime.date | None
    ) -> tuple[dict | None, bool | None, str]:
        """``role_on_date``, ``role_mismatch``, ``role_mismatch_detail`` of a row: its speaker,
        the role as the article wrote it, the article's date."""
        if speaker_id is None or day is None:
            return None, None, ""
        key = (speaker_id, as_written, day)
        answer = self.checks.get(key)
        if answer is None:
            check = check_role(as_written, self.roles.get(speaker_id, []), day)
            held = None
            if check.held is not None:
                held = self.shown.get(id(check.held))
                if held is None:
                    held = self.shown[id(check.held)] = self.serializer.to_representation(
                        check.held
                    )
            answer = self.checks[key] = (held, check.mismatch, check.message)
        return answer


def article_brief(
    pk: int, title: str, publisher: str, url: str, published: datetime.date | None
) -> dict:
    """An article as ``ArticleBriefSerializer`` gives it (statements' and claims' rows)."""
    return {
        "id": pk,
        "title": title,
        "publisher": publisher,
        "url": web_url(url) if url else url,
        "published": published.isoformat() if published is not None else None,
    }


def _grouped(through: QuerySet, value: str) -> dict[int, list]:
    """``{statement id: [value, ...]}`` from a many-to-many table, in the queryset's order."""
    grouped: dict[int, list] = defaultdict(list)
    for statement_id, item in through.values_list("statement_id", value):
        grouped[statement_id].append(item)
    return grouped
