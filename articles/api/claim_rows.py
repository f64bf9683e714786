"""Claims as the API shows them, read as plain values: the claims list's JSON pages and CSV.

A claim's row is written once, *flat* (:class:`_ClaimRow`: one value per CSV column of
``ClaimSerializer``, in order, each as the serializer gives it, the two checks and the decimal
target through the serializer's own fields); a JSON row is that row nested again
(``nato_tracker.api.renderers.nested_row``). ``tests/api/test_claim_rows.py`` compares both with
what ``ClaimSerializer`` gives for the claims' model instances, on every kind of claim and check.

- A JSON page: the claims its keys name (:func:`articles.claims.claim_keys`), one query per kind.
- The CSV (:func:`claim_list_cells`): one query per kind for the whole list, each sorted by the
  database in the list's order and read a chunk at a time, merged as they are read: no keys
  read first, no list of ids sent back, nothing per claim kept while the list streams.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from itertools import islice, repeat

from django.db.models import QuerySet
from rest_framework.serializers import Serializer

from articles.api.serializers import ClaimSerializer
from articles.claims import NEWEST_FIRST, newest_first
from articles.models import TargetList
from nato_tracker.api import renderers
from nato_tracker.api.renderers import (
    list_cells,
    serializer_nesting,
)
from nato_tracker.links import web_url

#: What every claim's row reads, joined to its article (never the article's text).
CLAIM_VALUES = (
    "id",
    "article_id",
    "article__title",
    "article__publisher",
    "article__url",
    "article__published",
    "sentence",
    "year",
    "verdict",
    "editor_verdict",
    "check_as_published",
    "check_latest",
    "start",
)
#: And what each kind adds.
KIND_VALUES = {
    "reported_figure": ("member__iso3", "metric", "value", "currency"),
    "aggregate_claim": ("kind", "target_pct", "count", "of_total", "value", "currency"),
    "target_list": ("target_pct", "meets"),
}
#: Rows fetched from the database at a time by :func:`claim_list_cells`, per kind.
READ_ROWS = 2000


def claim_list_rows(keys: list[tuple], querysets: dict[str, QuerySet]) -> list[dict]:
    """The rows of the claims ``keys`` (``(kind, id)``, :func:`articles.claims.claim_keys`)
    names, in that order, as ``ClaimSerializer`` gives them (a page of the JSON list): one
    query per kind, and one for the allies of the lists, whatever the number of rows."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for kind, pk in keys:
        wanted[kind].append(pk)
    allies: dict[int, list[str]] = defaultdict(list)
    for list_id, iso3 in listed_allies(wanted.get("target_list") or []):
        allies[list_id].append(iso3)
    flat = _ClaimRow(allies, no_allies=[])
    loaded: dict[tuple[str, int], tuple] = {}
    for kind, pks in wanted.items():
        for row in _values(querysets[kind].filter(pk__in=pks), kind):
            loaded[kind, row["id"]] = flat(kind, row)
    nested = claim_nesting()
    return [nested(loaded[key]) for key in keys if key in loaded]


def claim_list_cells(querysets: dict[str, QuerySet]) -> tuple[Iterator[tuple], bool]:
    """The flat rows (:class:`_ClaimRow`, lists as their CSV cells: ``ALB;DEU;``) of every
    claim ``querysets`` selects, in the list's order, up to ``CSV_MAX_ROWS``, and whether
    there were more: one query per kind, sorted by the database
    (``articles.claims.NEWEST_FIRST``) and read :data:`READ_ROWS` at a time, merged as they
    are read; one for the allies of the lists (their cells), one bounded count per kind."""
    limit = renderers.CSV_MAX_ROWS
    truncated = sum(q.order_by()[: limit + 1].count() for q in querysets.values()) > limit
    lists = querysets.get("target_list")
    allies = list_cells(listed_allies(lists.values("pk")) if lists is not None else ())
    flat = _ClaimRow(allies, no_allies="")
    streams = [
        zip(
            _values(queryset, kind).order_by(*NEWEST_FIRST)[:limit].iterator(chunk_size=READ_ROWS),
            repeat(kind),
        )
        for kind, queryset in querysets.items()
    ]
    merged = heapq.merge(*streams, key=_order)
    return (flat(kind, row) for row, kind in islice(merged, limit)), truncated


def _values(queryset: QuerySet, kind: str) -> QuerySet:
    return queryset.order_by().prefetch_related(None).values(*CLAIM_VALUES, *KIND_VALUES[kind])


def _order(item: tuple) -> tuple:
    """The list's order of a ``(row, kind)`` (``articles.claims.newest_first``)."""
    row, kind = item
    return newest_first(row["article__published"], row["article_id"], row["start"], kind, row["id"])


def listed_allies(lists) -> QuerySet:
    """``(list id, ISO3)`` of the allies of the target lists ``lists`` (ids or a subquery),
    in ISO3 order: THE read of target lists' allies (the claims list's JSON and CSV, the bulk
    download's ``target_lists.csv``)."""
    return (
        TargetList.members.through.objects.filter(targetlist_id__in=lists)
        .order_by("targetlist_id", "memberstate__iso3")
        .values_list("targetlist_id", "memberstate__iso3")
    )


class _ClaimRow:
    """THE shape of a claim's row: a row of :func:`_values` (of one ``kind``) as its *flat*
    row, one value per CSV column of ``ClaimSerializer`` in order (``csv_columns``), as the
    serializer gives it; the JSON row is that row nested again (:func:`claim_nesting`).
    ``allies``: the allies of the target lists by id (a mapping that gives the empty value
    for a list without any: lists for JSON, or their CSV cells), ``no_allies`` the other
    kinds'."""

    def __init__(self, allies: Mapping[int, list | str], no_allies: list | str):
        self.allies, self.no_allies = allies, no_allies

    def __call__(self, kind: str, row: dict) -> tuple:
        url, published = row["article__url"], row["article__published"]
        value, target_pct = row.get("value"), row.get("target_pct")
        return (
            kind,
            row["id"],
            row["article_id"],
            row["article__title"],
            row["article__publisher"],
            web_url(url) if url else url,
            published.isoformat() if published is not None else None,
            row["sentence"],
            row.get("member__iso3"),
            self.allies[row["id"]] if kind == "target_list" else self.no_allies,
            row["year"],
            row.get("metric"),
            float(value) if value is not None else None,
            row.get("currency") or None,
            row.get("kind"),
            _TARGET_PCT(target_pct) if target_pct is not None else None,
            row.get("count"),
            row.get("of_total"),
            row.get("meets"),
            row["verdict"],
            row["editor_verdict"],
            row["editor_verdict"] or row["verdict"],
            *_check_cells(row["check_as_published"]),
            *_check_cells(row["check_latest"]),
        )


@functools.cache
def claim_nesting() -> Callable[[tuple], dict]:
    """Flat claim rows (:class:`_ClaimRow`) → ``ClaimSerializer``'s rows."""
    return serializer_nesting(ClaimSerializer())


_TARGET_PCT = ClaimSerializer().fields["target_pct"].to_representation


def _check_slots() -> dict[str, tuple[int, Callable, tuple[str, ...] | None]]:
    """``{field: (first cell, its representation, the fields of a nested object or None)}``
    of ``CheckSerializer``, its cells in its CSV columns' order."""
    slots, index = {}, 0
    for name, field in ClaimSerializer().fields["check_latest"].fields.items():
        inner = tuple(field.fields) if isinstance(field, Serializer) else None
        slots[name] = (index, field.to_representation, inner)
        index += len(inner) if inner else 1
    return slots


_CHECK_SLOTS = _check_slots()
_CHECK_CELLS = sum(len(inner) if inner else 1 for _, _, inner in _CHECK_SLOTS.values())


def _check_cells(check) -> list:
    """A stored check's cells as ``CheckSerializer`` gives them, flat: every field null when
    missing (the serializer's rule for fields that allow null; a check that is not an object:
    all null), each through the serializer's own field; only the fields it holds are looked
    at."""
    cells: list = [None] * _CHECK_CELLS
    if isinstance(check, dict):
        for name, value in check.items():
            slot = _CHECK_SLOTS.get(name)
            if slot is None or value is None:
                continue
            index, represent, inner = slot
            if inner is None:
                cells[index] = represent(value)
            else:
                shown = represent(value)
                cells[index : index + len(inner)] = [shown.get(key) for key in inner]
    return cells
