"""CSV answers: columns from the serializer, cells safe for spreadsheets, long lists streamed.

CSV (``?format=csv``) is rendered from the same serializers as JSON, flattened: nested objects
become ``parent_child`` columns, lists of codes are joined with ``;``. The columns come from the
serializer, never from the data, so every answer of one list has the same header (also when
it is empty). On paginated lists CSV returns *every row of the filtered query* (up to
:data:`CSV_MAX_ROWS`, the response then carries ``X-Truncated: true``), not only the current
page. CSV lists longer than :data:`CSV_CHUNK_ROWS` are *streamed* (:func:`csv_response`): read,
serialized and sent one chunk at a time, so a request never holds the whole list.
:class:`FormatFirstNegotiation` lets ``?format=`` choose the renderer.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from .params import one_value

CSV_MAX_ROWS = 20_000
#: Rows read from the database and written out at a time by a CSV answer (streamed when longer).
CSV_CHUNK_ROWS = 500
LIST_SEPARATOR = ";"

# A column's type comes from its serializer field, never from the data; pandas reads it with
# ``dtype=`` the dtype named here (``GET /api/v1/csv-columns/`` publishes both).
PANDAS_DTYPES = {
    "string": "str",
    "list": "str",
    "date": "str",
    "datetime": "str",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
}
# Text cells starting with one of these would be run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_TYPES = {"string", "list"}


class Column(NamedTuple):
    """One CSV column: its name, the path of keys to its value in the JSON row, its type
    (``string``, ``list``, ``integer``, ``number``, ``boolean``, ``date``, ``datetime``)."""

    name: str
    path: tuple[str, ...]
    type: str


def column_type(field: serializers.Field) -> str:
    """The CSV type of a serializer field (see :data:`PANDAS_DTYPES`)."""
    if isinstance(
        field, serializers.ListField | serializers.ListSerializer | serializers.ManyRelatedField
    ):
        return "list"
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return "integer"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return "number"
    if isinstance(field, serializers.DateTimeField):
        return "datetime"
    if isinstance(field, serializers.DateField):
        return "date"
    return "string"


def csv_columns(serializer: serializers.BaseSerializer) -> list[Column]:
    """The CSV columns of a serializer, in field order: nested serializers expanded to
    ``parent_child`` columns; lists (of codes or of objects) stay one column. Each column's type
    comes from its field (:func:`column_type`).

    A serializer renames a column with ``csv_column_names = {"field": "column"}`` (for a field
    whose name a nested object's column would otherwise take); two columns with one name are a
    programming error (:class:`ImproperlyConfigured`), never a silently lost column.
    """
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    renamed = getattr(serializer, "csv_column_names", {})
    columns: list[Column] = []
    for key, field in serializer.fields.items():
        name = renamed.get(key, key)
        if isinstance(field, serializers.Serializer):
            columns += [
                Column(f"{name}_{column.name}", (key, *column.path), column.type)
                for column in csv_columns(field)
            ]
        else:
            columns.append(Column(name, (key,), column_type(field)))
    names = [column.name for column in columns]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ImproperlyConfigured(
            f"{type(serializer).__name__}: several CSV columns named {', '.join(duplicates)}; "
            "rename one with csv_column_names."
        )
    return columns


@functools.cache
def serializer_class_columns(
    serializer_class: type[serializers.BaseSerializer],
) -> tuple[Column, ...]:
    """:func:`csv_columns` of a serializer class, built once per class and process: the columns
    come from the class's declared fields, never from an instance's rows or context, and
    building a serializer's fields costs more than many a short CSV answer."""
    return tuple(csv_columns(serializer_class()))


def serializer_columns(serializer: serializers.BaseSerializer) -> list[str]:
    """The CSV header of a serializer (see :func:`csv_columns`)."""
    return [column.name for column in csv_columns(serializer)]


def column_descriptions(columns: list[Column]) -> list[dict[str, str]]:
    """``[{"name", "type", "pandas_dtype"}]`` for each column, in order."""
    return [
        {"name": c.name, "type": c.type, "pandas_dtype": PANDAS_DTYPES[c.type]} for c in columns
    ]


def csv_row(data: Any, columns: list[Column]) -> dict[str, Any]:
    """One serialized (JSON) row as CSV cells; a nested object that is null gives empty cells.
    Text cells that a spreadsheet would run as a formula are neutralised (:func:`_cell`)."""
    row = {}
    for column in columns:
        value = data
        for key in column.path:
            value = value.get(key) if isinstance(value, Mapping) else None
        row[column.name] = _cell(value, text=column.type in TEXT_TYPES)
    return row


def row_cells(columns: Sequence[Column]) -> Callable[[Any], list]:
    """A function giving a serialized row's cells in column order: exactly
    ``[csv_row(row, columns)[c.name] for c in columns]`` (tested so), made for long lists;
    compiled once per column set and process (:func:`_row_cells`), not per answer.
    """
    return _row_cells(tuple(columns))


# Bounded: the column sets are the API's serializers' (a few dozen), but any caller may pass some.
@functools.lru_cache(maxsize=256)
def _row_cells(columns: tuple[Column, ...]) -> Callable[[Any], list]:
    """:func:`row_cells`, compiled.

    ``csv_row`` walks each column's path and calls :func:`_cell` per cell; the function made
    here looks each nested object up once per row and makes the common cells (text that no
    rule changes, numbers, null) in place. It is compiled from the columns (one expression per
    cell, as ``collections.namedtuple`` compiles its class): a loop over the columns and a call
    per cell cost as much again as the cells themselves on a list of 11,000 rows."""
    objects: dict[tuple[str, ...], str] = {(): "o0"}
    lines = ["def row(data):", "    o0 = data if data.__class__ is dict else _mapping(data)"]
    cells = []
    for column in columns:
        *parent, key = column.path
        for depth in range(1, len(parent) + 1):
            path = tuple(parent[:depth])
            if path not in objects:
                objects[path] = name = f"o{len(objects)}"
                lines += [
                    f"    {name} = {objects[path[:-1]]}.get({path[-1]!r})",
                    f"    {name} = {name} if {name}.__class__ is dict else _mapping({name})",
                ]
        cells.append(_cell_code(column, f"{objects[tuple(parent)]}.get({key!r})"))
    lines.append(f"    return [{', '.join(cells)}]")
    return _compiled(lines)


def flat_cells(columns: Sequence[Column]) -> Callable[[Sequence], list]:
    """A function giving the cells of a *flat* row: one value per column, in column order, each
    as the serializer gives it (``None``, a string, a number, a boolean, a list). The same
    cells as :func:`row_cells` gives for the nested row (a fast path that builds no nested
    row, ``articles.api.rows.statement_list_cells``, is tested so). Compiled once per column
    set and process, like :func:`row_cells`."""
    return _flat_cells(tuple(columns))


@functools.lru_cache(maxsize=256)
def _flat_cells(columns: tuple[Column, ...]) -> Callable[[Sequence], list]:
    """:func:`flat_cells`, compiled."""
    cells = [_cell_code(column, f"row[{index}]") for index, column in enumerate(columns)]
    return _compiled(["def row(row):", f"    return [{', '.join(cells)}]"])


def nested_row(
    columns: list[Column], nullable: Collection[tuple[str, ...]] = ()
) -> Callable[[Sequence], dict]:
    """The inverse of flattening: a function giving the JSON row of a flat row (one value per
    column, in column order, as :func:`flat_cells` takes it), each value put back at its
    column's path, keys in column order (the serializer's). A nested object at one of the
    paths ``nullable`` is null when its values are all null (a statement without a resolved
    speaker); any other is an object."""
    tree: dict = {}
    for index, column in enumerate(columns):
        node = tree
        for key in column.path[:-1]:
            node = node.setdefault(key, {})
        node[column.path[-1]] = index

    def build(node: dict, row: Sequence, path: tuple[str, ...] = ()) -> dict | None:
        out = {}
        for key, part in node.items():
            out[key] = row[part] if part.__class__ is int else build(part, row, (*path, key))
        if path in nullable and all(value is None for value in out.values()):
            return None
        return out

    return functools.partial(build, tree)


def serializer_nesting(serializer: serializers.BaseSerializer) -> Callable[[Sequence], dict]:
    """:func:`nested_row` of a serializer's CSV columns (:func:`csv_columns`), its nested
    objects null when the serializer allows them to be (``allow_null``) and their values are
    all null."""
    nullable = set()

    def walk(fields, path: tuple[str, ...]) -> None:
        for key, field in fields.items():
            if isinstance(field, serializers.Serializer):
                if field.allow_null:
                    nullable.add((*path, key))
                walk(field.fields, (*path, key))

    walk(serializer.fields, ())
    return nested_row(csv_columns(serializer), nullable)


def _cell_code(column: Column, value: str) -> str:
    """The expression of one cell (:func:`_cell`) of ``column`` whose value is ``value``."""
    if column.type in TEXT_TYPES:  # a string that no rule changes is its own cell
        return (
            f"v if (v := {value}).__class__ is str and v[:1] not in _FIRST"
            ' else "" if v is None else _text(v)'
        )
    if column.type == "boolean":
        return (
            f'"true" if (v := {value}) is True else "false" if v is False'
            ' else "" if v is None else _plain(v)'
        )
    # numbers, and strings (dates) in the other columns
    return f'v if (v := {value}).__class__ in _AS_IS else "" if v is None else _plain(v)'


def _compiled(lines: list[str]) -> Callable:
    namespace = {
        "_mapping": _mapping,
        "_FIRST": _FORMULA_FIRST,
        "_text": _text_cell,
        "_AS_IS": frozenset({int, float, str}),
        "_plain": _plain_cell,
    }
    exec("\n".join(lines), namespace)  # code made above from the columns' names and types
    return namespace["row"]


# The first characters of FORMULA_PREFIXES (each one character): ``v[:1] not in`` is
# ``not v.startswith(FORMULA_PREFIXES)``.
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)


def _mapping(value: Any) -> Mapping:
    """``value`` when it is a mapping (a nested object), else an empty one (null cells)."""
    return value if isinstance(value, Mapping) else _EMPTY


_EMPTY: Mapping = {}


def _text_cell(value: Any) -> Any:
    """:func:`_cell` of a text column, with strings, nulls and empty lists made in place."""
    cls = value.__class__
    if cls is str:
        return neutralise_formula(value)
    if value is None or (cls is list and not value):
        return ""
    if cls is list and all(item.__class__ is str for item in value):
        return neutralise_formula(list_text(value))
    return _cell(value, text=True)


def _plain_cell(value: Any) -> Any:
    """:func:`_cell` of a column that is not text (numbers, dates, booleans)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    cls = value.__class__
    if cls is int or cls is float or cls is str:
        return value
    return _cell(value, text=False)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten a row without a serializer (``source.code`` → ``source_code``)."""
    out: dict[str, Any] = {}
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{prefix}_{key}" if prefix else str(key)
            if isinstance(value, Mapping):
                out.update(flatten(value, name))
            else:
                out[name] = _cell(value)
    else:
        out[prefix or "value"] = _cell(data)
    return out


def _cell(value: Any, *, text: bool = True) -> Any:
    """One CSV cell. Lists: as :func:`list_text` writes them (an object by its code, ISO3 or
    id). In text cells (``text``), a value starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return gets a leading ``'`` (OWASP's advice against formula injection); numbers,
    dates and booleans are never changed (``-0.37`` stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = list_text(
            v.get("code") or v.get("iso3") or v.get("id") if isinstance(v, Mapping) else v
            for v in value
        )
    if text and isinstance(value, str):
        return neutralise_formula(value)
    return value


def list_text(items: Iterable[Any]) -> str:
    """A list as one CSV cell: each item followed by ``;`` (``USA;DEU;``, ``2;``, ``""`` for
    none), so that it never reads as a number."""
    texts = [f"{item}" for item in items]
    return LIST_SEPARATOR.join(texts) + LIST_SEPARATOR if texts else ""


def list_cells(rows: Iterable[tuple[Any, Any]]) -> ListCells:
    """``{key: "A;B;"}``: the cells of lists (:func:`list_text`, neutralised) from
    ``(key, item)`` rows, in their order. Made as strings while reading (one item at a time,
    in :func:`list_text`'s format): a long list keeps no list per row (most rows hold one item)."""
    cells: dict[Any, str] = {}
    for key, item in rows:
        cells[key] = cells.get(key, "") + f"{item}{LIST_SEPARATOR}"
    return ListCells((key, neutralise_formula(cell)) for key, cell in cells.items())


def ordered_list_cells(rows: Iterable[tuple[Any, Any]], items: Mapping[Any, str]) -> ListCells:
    """:func:`list_cells` of ``(key, item id)`` rows read in *any* order, each key's items in
    the order of ``items`` (``{item id: item}``, in the order items are listed: e.g. allies by
    name from ``spending.names``), so the database need not sort them (nor join the table that
    holds their names). The same cells as :func:`list_cells` of the rows sorted by key and by
    that order. While reading, a key's items are a string of their ranks (one character each:
    strings, which the garbage collector does not track); each distinct set of items is made
    into its cell once."""
    rank = {item_id: chr(n) for n, item_id in enumerate(items)}
    texts = list(items.values())
    held: dict[Any, str] = {}
    for key, item_id in rows:
        held[key] = held.get(key, "") + rank[item_id]
    made: dict[str, str] = {}
    cells = ListCells()
    for key, ranks in held.items():
        cell = made.get(ranks)
        if cell is None:
            listed = list_text(texts[ord(r)] for r in sorted(ranks))
            cell = made[ranks] = neutralise_formula(listed)
        cells[key] = cell
    return cells


class ListCells(dict):
    """:func:`list_cells`: any other key gives ``""`` (an empty list's cell), not stored."""

    def __missing__(self, key: Any) -> str:
        return ""


def neutralise_formula(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs as a formula: a leading ``'`` when it
    starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return (OWASP's advice), else
    unchanged. THE rule for every CSV the project writes (API lists, the bulk download)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class CSVRenderer(BaseRenderer):
    """Flat CSV with one header line; nested objects flattened, list items each followed by
    ``;``, text cells neutralised against formula injection.

    The columns are ``renderer_context["csv_columns"]`` (from the view's serializer, see
    :func:`csv_columns`): the same columns in the same order whatever the rows hold, also for an
    empty list.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        renderer_context = renderer_context or {}
        if data is None:
            return b""
        rows: Iterable[Any]
        if isinstance(data, Mapping) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        columns: list[Column] | None = renderer_context.get("csv_columns")
        if columns:
            names = [column.name for column in columns]
            flat = [csv_row(row, columns) for row in rows]
        else:  # not rendered by an API view: the columns of the rows, in order
            flat = [flatten(row) for row in rows]
            names = list(dict.fromkeys(key for row in flat for key in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore", restval="")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode(self.charset)


RENDERERS = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]


def csv_response(
    rows,
    serialize: Callable[[list], Iterable[Any]],
    columns: list[Column],
    *,
    filename: str,
    request,
) -> HttpResponseBase:
    """The CSV answer of a list: every row up to :data:`CSV_MAX_ROWS` (``rows`` may be a
    queryset or a list), ``serialize(rows)`` giving the JSON rows of some of them, and
    ``X-Truncated`` saying whether rows were left out.

    Rows are read (a slice of ``rows``) and serialized :data:`CSV_CHUNK_ROWS` at a time: see
    :func:`csv_stream_response`."""
    # One row past the maximum, read as the rows are (same columns, same grouping).
    truncated = bool(rows[CSV_MAX_ROWS : CSV_MAX_ROWS + 1])

    def parts():
        start = 0
        while True:
            part = list(rows[start : min(start + CSV_CHUNK_ROWS, CSV_MAX_ROWS)])
            if part:
                yield serialize(part)
            if len(part) < CSV_CHUNK_ROWS:
                return
            start += CSV_CHUNK_ROWS

    return csv_stream_response(
        parts(), columns, truncated=truncated, filename=filename, request=request
    )


def csv_query_response(
    queryset,
    read: Callable[[Any, int], Iterable[Any]],
    columns: list[Column],
    *,
    flat: bool = False,
    filename: str,
    request,
) -> HttpResponseBase:
    """The CSV answer of a list read *in one pass*: ``read(queryset, limit)`` gives the JSON
    rows of the first ``limit`` (:data:`CSV_MAX_ROWS`; ``None`` when the list is not longer)
    rows of ``queryset`` in its order (e.g. from one query read with ``iterator()``), or with
    ``flat`` their flat rows (one value per column, :func:`flat_cells`); they are written
    :data:`CSV_CHUNK_ROWS` at a time (:func:`csv_stream_response`). ``X-Truncated`` comes from
    one query for a row past the maximum, without sorting the list."""
    truncated = queryset.order_by()[CSV_MAX_ROWS : CSV_MAX_ROWS + 1].exists()
    return csv_rows_response(
        read(queryset, CSV_MAX_ROWS if truncated else None),
        columns,
        flat=flat,
        truncated=truncated,
        filename=filename,
        request=request,
    )


def csv_rows_response(
    rows: Iterable[Any],
    columns: list[Column],
    *,
    flat: bool = True,
    truncated: bool,
    filename: str,
    request,
) -> HttpResponseBase:
    """The CSV answer of a list's rows read in one pass (at most :data:`CSV_MAX_ROWS`; flat
    rows unless ``flat`` is false: :func:`flat_cells`), written :data:`CSV_CHUNK_ROWS` at a
    time (:func:`csv_stream_response`); ``X-Truncated`` says ``truncated``."""
    rows = iter(rows)

    def parts():
        while part := list(islice(rows, CSV_CHUNK_ROWS)):
            yield part
            if len(part) < CSV_CHUNK_ROWS:
                return

    return csv_stream_response(
        parts(), columns, flat=flat, truncated=truncated, filename=filename, request=request
    )


def csv_stream_response(
    parts: Iterator[Iterable[Any]],
    columns: list[Column],
    *,
    flat: bool = False,
    truncated: bool,
    filename: str,
    request,
) -> HttpResponseBase:
    """The CSV answer of the JSON rows of ``parts`` (chunks of :data:`CSV_CHUNK_ROWS` rows, the
    last one shorter; with ``flat``, flat rows: :func:`flat_cells`): a list of one chunk is
    answered at once (and can be cached); a longer one is *streamed*, each chunk written and
    let go before the next is read, so memory does not grow with the list. The cells are the
    renderer's (:func:`csv_row`, made by :func:`row_cells`); ``X-Truncated`` says
    ``truncated``."""
    cells = flat_cells(columns) if flat else row_cells(columns)
    first = list(next(parts, []))

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([column.name for column in columns])
        part = first
        while True:
            writer.writerows(map(cells, part))
            yield buffer.getvalue().encode(CSVRenderer.charset)
            buffer.seek(0)
            buffer.truncate()
            part = next(parts, None)
            if part is None:
                return

    content_type = f"{CSVRenderer.media_type}; charset={CSVRenderer.charset}"
    if len(first) < CSV_CHUNK_ROWS:
        response = HttpResponse(b"".join(lines()), content_type=content_type)
    else:
        response = StreamingHttpResponse(lines(), content_type=content_type)
    response["X-Truncated"] = "true" if truncated else "false"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Link"] = csv_links(request)
    return response


def csv_links(request) -> str:
    """The ``Link`` header of a CSV answer: the column types (``describedby``) and the licence
    and how to cite (``license``, the methodology page)."""
    columns = request.build_absolute_uri("/api/v1/csv-columns/")
    licence = request.build_absolute_uri("/methodology/#licence")
    return f'<{columns}>; rel="describedby", <{licence}>; rel="license"'


class FormatFirstNegotiation(DefaultContentNegotiation):
    """``?format=csv`` wins over the Accept header (a browser asking for HTML still gets CSV).

    An unknown format is a 400 ``{"format": ["… allowed: json, api, csv"]}`` (answered in JSON),
    not DRF's bare 404; so is an empty one (``?format=``), for writes too.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        name = self.settings.URL_FORMAT_OVERRIDE
        fmt = format_suffix or one_value(request, name)
        if fmt is not None and not fmt.strip():
            raise ValidationError({name: [f"{name} is empty: give a value or leave it out."]})
        if fmt:
            matching = [renderer for renderer in renderers if renderer.format == fmt]
            if not matching:
                allowed = ", ".join(renderer.format for renderer in renderers)
                raise ValidationError({name: [f"Unknown format {fmt[:20]!r}; allowed: {allowed}."]})
            return matching[0], matching[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
