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

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from articles.api.serializers import RoleOnDateSerializer
from articles.models import Statement, StatementLink
from articles.roles import check_role, roles_by_speaker
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


def statement_rows_by_id(ids: list[int]) -> list[dict]:
    """:func:`statement_rows` of the statements ``ids``, in that order (a chunk of a list whose
    order was read once)."""
    chunk = Statement.objects.filter(pk__in=ids).order_by()
    by_id = {row["id"]: row for row in statement_values(chunk)}
    return statement_rows([by_id[pk] for pk in ids if pk in by_id])


def statement_rows(values: Iterable[dict]) -> list[dict]:
    """Rows of :func:`statement_values` as ``StatementSerializer`` gives them, in their order:
    three more queries for the whole chunk (allies, targets, links), none per row."""
    values = list(values)
    ids = [row["id"] for row in values]
    allies = _grouped(
        Statement.members.through.objects.filter(statement_id__in=ids).order_by(
            "memberstate__name", "memberstate_id"
        ),
        "memberstate__iso3",
    )
    targets = _grouped(
        Statement.targets.through.objects.filter(statement_id__in=ids).order_by(
            "target__display_order", "target__threshold", "target_id"
        ),
        "target__code",
    )
    links: dict[int, list[dict]] = defaultdict(list)
    for link in (
        StatementLink.objects.filter(statement_id__in=ids)
        .order_by("statement_id", "created_at", "pk")
        .values("statement_id", "id", "figure_id", "target__code", "note")
    ):
        links[link["statement_id"]].append(
            {
                "id": link["id"],
                "figure": link["figure_id"],
                "target": link["target__code"],
                "note": link["note"],
            }
        )
    roles = _RoleChecks()
    return [_row(row, allies, targets, links, roles) for row in values]


class _RoleChecks:
    """The role check of each row (``articles.roles.check_role``, as the serializer makes it):
    the speakers' roles read once per chunk, each role held shown once."""

    def __init__(self):
        self.roles = roles_by_speaker()
        self.shown: dict[int, dict] = {}
        self.serializer = RoleOnDateSerializer()

    def __call__(self, row: dict) -> tuple[dict | None, bool | None, str]:
        """``role_on_date``, ``role_mismatch``, ``role_mismatch_detail`` of a row."""
        speaker_id, day = row["speaker_id"], row["article__published"]
        if speaker_id is None or day is None:
            return None, None, ""
        check = check_role(row["speaker_role"], self.roles.get(speaker_id, []), day)
        held = None
        if check.held is not None:
            held = self.shown.get(id(check.held))
            if held is None:
                held = self.shown[id(check.held)] = self.serializer.to_representation(check.held)
        return held, check.mismatch, check.message


def _grouped(through: QuerySet, value: str) -> dict[int, list]:
    """``{statement id: [value, ...]}`` from a many-to-many table, in the queryset's order."""
    grouped: dict[int, list] = defaultdict(list)
    for statement_id, item in through.values_list("statement_id", value):
        grouped[statement_id].append(item)
    return grouped


def _row(row: dict, allies: dict, targets: dict, links: dict, roles: _RoleChecks) -> dict:
    published = row["article__published"]
    role_on_date, role_mismatch, role_mismatch_detail = roles(row)
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
        "article": {
            "id": row["article_id"],
            "title": row["article__title"],
            "publisher": row["article__publisher"],
            "url": web_url(row["article__url"]) if row["article__url"] else row["article__url"],
            "published": published.isoformat() if published is not None else None,
        },
        "allies": allies.get(statement_id, []),
        "targets": targets.get(statement_id, []),
        "links": links.get(statement_id, []),
        "review_status": row["review_status"],
        "start": row["start"],
        "end": row["end"],
    }
