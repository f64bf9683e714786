"""Queries of a fixed shape, compiled by the ORM once per process and run again with other ids.

Django compiles a queryset to SQL every time it runs it: for the short reads of a list's page
(the allies, targets or links of 25 statements) that costs more CPU (0.3-0.6 ms each) than the
database takes to answer. :class:`IdsQuery` compiles the query the first time for a number of
ids (with stand-in ids), remembers where the ids sit among the parameters, and afterwards runs
the same SQL with the new ids. The rows are the database's own values, without the ORM's
converters: only for columns read as they are stored (integers and text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import QuerySet

#: Up to this many ids, a compiled query is kept (one per number of ids); longer lists are
#: compiled each time (a page of an API list holds at most 500).
MAX_KEPT_IDS = 500
#: Stand-in ids no row has (and no constant of a query is): ``-_STAND_IN - i``.
_STAND_IN = 7_000_000_000_000


class IdsQuery:
    """``build(ids)`` (a ``values_list`` queryset) run with any ids, compiled once for each
    number of ids and database."""

    def __init__(self, build: Callable[[Sequence[int]], QuerySet]):
        self.build = build
        self._compiled: dict[tuple[str, int], tuple[str, list]] = {}

    def rows(self, ids: Sequence[int], using: str = "default") -> list[tuple]:
        ids = list(dict.fromkeys(ids))  # an IN list holds each id once
        if not ids:
            return []
        sql, slots = self._compiled.get((using, len(ids))) or self._compile(using, len(ids))
        params = [ids[slot] if isinstance(slot, _Slot) else slot for slot in slots]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, using: str, count: int) -> tuple[str, list]:
        stand_ins = [-_STAND_IN - i for i in range(count)]
        queryset = self.build(stand_ins)
        sql, params = queryset.query.get_compiler(using).as_sql()
        position = {value: index for index, value in enumerate(stand_ins)}
        slots = [_Slot(position[p]) if _is_stand_in(p, position) else p for p in params]
        if sorted(s for s in slots if isinstance(s, _Slot)) != list(range(count)):
            raise ValueError(f"the query does not take its {count} ids once each: {sql}")
        if count <= MAX_KEPT_IDS:
            self._compiled[(using, count)] = (sql, slots)
        return sql, slots


class _Slot(int):
    """The index of an id among the ids, where a parameter was a stand-in."""


def _is_stand_in(param, position: dict[int, int]) -> bool:
    return type(param) is int and param in position


class FixedQuery:
    """``build()`` (a ``values_list`` queryset without parameters that vary), compiled once per
    database and run again."""

    def __init__(self, build: Callable[[], QuerySet]):
        self.build = build
        self._compiled: dict[str, tuple[str, tuple]] = {}

    def rows(self, using: str = "default") -> list[tuple]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self.build().query.get_compiler(using).as_sql()
        with connections[using].cursor() as cursor:
            cursor.execute(*compiled)
            return cursor.fetchall()
