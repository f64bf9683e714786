"""Queries of a fixed shape, compiled by the ORM once per process and run again with other ids.

Django compiles a queryset to SQL every time it runs it: for the short reads of a list's page
(the allies, targets or links of 25 statements) that costs more CPU (0.3-0.6 ms each) than the
database takes to answer. :class:`IdsQuery` compiles the query the first time for a number of
ids (with stand-in ids), remembers where the ids sit among the parameters, and afterwards runs
the same SQL with the new ids. The rows are the database's own values, without the ORM's
converters: only for columns read as they are stored (integers and text).

On PostgreSQL their parameters are bound on the server, and psycopg prepares a query once it has
run a few times on a connection (:func:`_cursor`): the server no longer parses and plans the
reads every request repeats (about half of its CPU for the statement search).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import QuerySet

#: Up to this many ids, a compiled query is kept (one per number of ids); longer lists are
#: compiled each time (a page of an API list holds at most 500).
MAX_KEPT_IDS = 500
#: psycopg keeps its parse of a query with client-side parameters only up to this many
#: parameters (``psycopg._queries.MAX_CACHED_STATEMENT_PARAMS``); a query of more is parsed
#: again on every run. An :class:`IdsQuery` of more sends its ids as arrays on PostgreSQL.
PSYCOPG_KEPT_PARAMS = 50
#: Stand-in ids no row has (and no constant of a query is): ``-_STAND_IN - i``.
_STAND_IN = 7_000_000_000_000


class IdsQuery:
    """``build(ids)`` (a ``values_list`` queryset) run with any ids, compiled once for each
    number of ids and database. The query takes each id once, or once in each of its lists of
    ids (the parts of a ``UNION``: each id the same number of times)."""

    def __init__(self, build: Callable[[Sequence[int]], QuerySet]):
        self.build = build
        self._compiled: dict[tuple[str, int], tuple[str, list]] = {}

    def rows(self, ids: Sequence[int], using: str = "default") -> list[tuple]:
        ids = list(dict.fromkeys(ids))  # an IN list holds each id once
        if not ids:
            return []
        sql, slots = self._compiled.get((using, len(ids))) or self._compile(using, len(ids))
        params = [
            ids if slot is _ALL_IDS else ids[slot] if isinstance(slot, _Slot) else slot
            for slot in slots
        ]
        with _cursor(connections[using]) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, using: str, count: int) -> tuple[str, list]:
        stand_ins = [-_STAND_IN - i for i in range(count)]
        queryset = self.build(stand_ins)
        sql, params = queryset.query.get_compiler(using).as_sql()
        position = {value: index for index, value in enumerate(stand_ins)}
        slots = [_Slot(position[p]) if _is_stand_in(p, position) else p for p in params]
        taken = sorted(s for s in slots if isinstance(s, _Slot))
        times = len(taken) // count
        if not times or taken != sorted(list(range(count)) * times):
            raise ValueError(f"the query does not take its {count} ids once each: {sql}")
        if connections[using].vendor == "postgresql" and len(slots) > PSYCOPG_KEPT_PARAMS:
            sql, slots = _ids_as_one_array(sql, slots, count)
        if count <= MAX_KEPT_IDS:
            self._compiled[(using, count)] = (sql, slots)
        return sql, slots


class _Slot(int):
    """The index of an id among the ids, where a parameter was a stand-in."""


#: Where a parameter is the list of all the ids (PostgreSQL: :func:`_ids_as_one_array`).
_ALL_IDS = object()


def _ids_as_one_array(sql: str, slots: list, count: int) -> tuple[str, list]:
    """On PostgreSQL, each ``IN (%s, ..., %s)`` of the ids in order written ``= ANY(%s)`` with
    the ids as one array parameter: the same rows, and a query with few parameters, which
    psycopg parses once and keeps (:data:`PSYCOPG_KEPT_PARAMS`; a short list stays an ``IN``
    list: its integers cost psycopg less than an array). Any other placement of the ids leaves
    the query as it is."""
    in_list = "IN (" + ", ".join(["%s"] * count) + ")"
    if "%%" in sql:  # an escaped percent sign: placeholders not counted here
        return sql, slots
    parts, new_slots, rest, index = [], [], sql, 0
    while (at := rest.find(in_list)) >= 0:
        before = rest[:at]
        taken = before.count("%s")
        parts.append(before)
        new_slots.extend(slots[index : index + taken])
        index += taken
        listed = slots[index : index + count]
        if not all(isinstance(s, _Slot) and s == i for i, s in enumerate(listed)):
            return sql, slots
        parts.append("= ANY(%s)")
        new_slots.append(_ALL_IDS)
        index += count
        rest = rest[at + len(in_list) :]
    parts.append(rest)
    new_slots.extend(slots[index:])
    if any(isinstance(s, _Slot) for s in new_slots):
        return sql, slots
    return "".join(parts), new_slots


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
        with _cursor(connections[using]) as cursor:
            cursor.execute(*compiled)
            return cursor.fetchall()


#: At most this many shapes of a :class:`ShapedQuery` are kept per database (the rest are
#: compiled each time).
MAX_KEPT_SHAPES = 256


class ShapedQuery:
    """A list read for any parameters of one *shape* (which filters are used, how many values
    each takes): ``build(shape, params)`` (a ``values()`` queryset, ordered) compiled once per
    shape and database with the stand-in parameters ``stand_ins(shape)``, then run again with
    the request's: a slice of its rows (dicts, through the ORM's converters) and its count
    (building and compiling a filtered, ordered list costs ~1 ms of CPU a query).

    Each stand-in must be a value no real parameter equals; wherever the compiled query's
    parameters hold one (as it is, or as ``str()`` of it: SQLite's dates), the request's
    parameter at the same index takes its place (``str()`` of it likewise). The rows: the
    ORM's SQL with ``LIMIT``/``OFFSET`` as the ORM writes them
    (``connection.ops.limit_offset_sql``)."""

    def __init__(
        self,
        build: Callable[[tuple, list], QuerySet],
        stand_ins: Callable[[tuple], list],
    ):
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[tuple, _Shaped] = {}

    def rows(
        self, shape: tuple, params: list, low: int, high: int | None, using: str = "default"
    ) -> list[dict]:
        """The rows ``low`` to ``high`` (``None``: to the end) of the list."""
        compiled = self._shaped(shape, using)
        connection = connections[using]
        sql = f"{compiled.rows_sql} {connection.ops.limit_offset_sql(low, high)}"
        with _cursor(connection) as cursor:
            cursor.execute(sql, compiled.params(compiled.rows_slots, params))
            fetched = cursor.fetchall()
        names, converters = compiled.names, compiled.converters
        out = []
        for row in fetched:
            if converters:
                row = list(row)
                for index, (functions, expression) in converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
            out.append(dict(zip(names, row, strict=True)))
        return out

    def count(self, shape: tuple, params: list, using: str = "default") -> int:
        compiled = self._shaped(shape, using)
        with _cursor(connections[using]) as cursor:
            cursor.execute(compiled.count_sql, compiled.params(compiled.count_slots, params))
            return cursor.fetchone()[0]

    def _shaped(self, shape: tuple, using: str) -> _Shaped:
        compiled = self._compiled.get((using, shape))
        if compiled is None:
            compiled = self._compile(shape, using)
            if len(self._compiled) < MAX_KEPT_SHAPES:
                self._compiled[(using, shape)] = compiled
        return compiled

    def _compile(self, shape: tuple, using: str) -> _Shaped:
        stand_ins = self.stand_ins(shape)
        queryset = self.build(shape, stand_ins).using(using)
        compiler = queryset.query.get_compiler(using)
        rows_sql, rows_params = compiler.as_sql()
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        # Counted as the ORM counts a list it cannot count directly: the rows, unordered, in a
        # subquery (the database drops the columns and joins the count does not need).
        inner_sql, count_params = queryset.order_by().query.get_compiler(using).as_sql()
        count_sql = f"SELECT COUNT(*) FROM ({inner_sql}) subquery"
        return _Shaped(
            rows_sql=rows_sql,
            rows_slots=param_slots(rows_params, stand_ins),
            count_sql=count_sql,
            count_slots=param_slots(count_params, stand_ins),
            names=names,
            converters=list(compiler.get_converters(fields).items()),
        )


class _Shaped:
    __slots__ = ("converters", "count_slots", "count_sql", "names", "rows_slots", "rows_sql")

    def __init__(self, **parts):
        for name, value in parts.items():
            setattr(self, name, value)

    @staticmethod
    def params(slots: list, params: list) -> list:
        return fill(slots, params)


class Param:
    """Where a compiled parameter is the ``index``-th parameter, or ``form`` of it (``str``:
    SQLite's dates; a search word's pattern)."""

    __slots__ = ("form", "index")

    def __init__(self, index: int, form: Callable | None = None):
        self.index, self.form = index, form


def param_slots(params, stand_ins: list, forms: Sequence[Callable] = (str,)) -> list:
    """A compiled query's ``params`` with each stand-in, or a ``form`` of it, replaced by a
    :class:`Param` naming where it comes from; any other parameter is a constant of the query.
    Each stand-in must be a value no constant equals."""
    found: dict = {}
    for index, value in enumerate(stand_ins):
        for form in forms:
            formed = form(value)
            found[(type(formed), formed)] = Param(index, form)
        found[(type(value), value)] = Param(index)
    slots = []
    for param in params:
        try:
            slots.append(found.get((type(param), param), param))
        except TypeError:  # unhashable: a constant of the query
            slots.append(param)
    return slots


def fill(slots: list, params: Sequence) -> list:
    """The parameters of a compiled query: its :func:`param_slots` with ``params`` put in."""
    return [
        slot
        if not isinstance(slot, Param)
        else params[slot.index]
        if slot.form is None
        else slot.form(params[slot.index])
        for slot in slots
    ]


def _cursor(connection):
    """A cursor for a compiled query: on PostgreSQL one whose queries the server prepares once
    they repeat (``nato_tracker.postgresql``: ``prepared_cursor``); elsewhere Django's (Python's
    ``sqlite3`` keeps its own prepared statements, 128 per connection)."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
