"""What every API view shares: pagination, JSON + CSV rendering, throttles, error shape,
and the rules for query parameters.

CSV (``?format=csv``) is rendered from the same serializers as JSON, flattened: nested objects
become ``parent_child`` columns, lists of codes are joined with ``;``. The columns come from the
serializer, never from the data, so every answer of one list has the same header (also when
it is empty). On paginated lists CSV returns *every row of the filtered query* (up to
:data:`CSV_MAX_ROWS`, the response then carries ``X-Truncated: true``), not only the current
page. Errors are always JSON, even when CSV was asked. CSV lists longer than
:data:`CSV_CHUNK_ROWS` are *streamed* (:meth:`ApiViewMixin.csv_answer`): read, serialized and
sent one chunk at a time, so a request never holds the whole list.

Query parameters: a read naming a parameter the endpoint does not take is a 400 listing the
ones it takes (:meth:`ApiViewMixin.query_parameters`); a parameter that takes one value given
twice is a 400 (never "the last one wins"); parameters that take several values
(:class:`SeveralValuesWidget`, :class:`MultiValueField`) accept them repeated or comma
separated. Unknown ``format`` and ``ordering`` values and malformed ``page``/``page_size`` are
400s naming what is allowed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import filters, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from nato_tracker.links import web_url

CSV_MAX_ROWS = 20_000
#: Rows read from the database and written out at a time by a CSV answer (streamed when longer).
CSV_CHUNK_ROWS = 500
LIST_SEPARATOR = ";"


# --- query parameters ------------------------------------------------------------------------


def values_of(data: Any, name: str) -> list[str]:
    """Every value given for ``name`` (a parameter may be repeated in a query string)."""
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name) if isinstance(data, Mapping) else None
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def split_values(raw: Iterable[Any]) -> list[str]:
    """``["POL,USA", "DEU"]`` → ``["POL", "USA", "DEU"]`` (repeated and comma separated)."""
    return [part.strip() for item in raw for part in str(item).split(",") if part.strip()]


def repeated_message(name: str) -> str:
    return f"{name} takes one value: give it once."


def one_value_errors(data: Any, names: Iterable[str]) -> dict[str, list[str]]:
    """``{name: [message]}`` for each single-valued parameter given more than once."""
    return {name: [repeated_message(name)] for name in names if len(values_of(data, name)) > 1}


def one_value(request, name: str) -> str | None:
    """The value of a single-valued parameter; 400 when it is given more than once."""
    errors = one_value_errors(request.query_params, [name])
    if errors:
        raise ValidationError(errors)
    return request.query_params.get(name)


class SeveralValuesWidget(forms.TextInput):
    """A filter parameter that takes several values, repeated or comma separated."""

    def value_from_datadict(self, data, files, name):
        return split_values(values_of(data, name))

    def value_omitted_from_data(self, data, files, name):
        return not values_of(data, name)


class OneValueEachForm(forms.Form):
    """FilterSet forms: a single-valued parameter given twice is an error, not "last one wins"."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field.widget, SeveralValuesWidget):
                for message in one_value_errors(self.data, [name]).get(name, []):
                    self.add_error(name, message)
        return cleaned


@extend_schema_field(OpenApiTypes.STR)
class MultiValueField(serializers.ListField):
    """A query parameter given repeatedly (``year=2023&year=2024``) or comma separated."""

    def get_value(self, dictionary):
        values = split_values(values_of(dictionary, self.field_name))
        return values or serializers.empty

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict):  # {index: [messages]} → flat messages naming the value
                messages = [
                    f"{data[int(index)]!r}: {message}"
                    for index, errors in detail.items()
                    for message in errors
                ]
                raise serializers.ValidationError(messages) from None
            raise


class QuerySerializer(serializers.Serializer):
    """Validates a view's query parameters; single-valued ones given twice are 400s."""

    def to_internal_value(self, data):
        if isinstance(data, QueryDict):
            single = [n for n, f in self.fields.items() if not isinstance(f, MultiValueField)]
            errors = one_value_errors(data, single)
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` on the listed fields (comma separated, ``-`` for descending), always ending
    with the primary key so that pages are stable; an unknown field is a 400 naming the allowed
    ones."""

    def allowed(self, queryset, view) -> list[str]:
        fields = [item[0] for item in self.get_valid_fields(queryset, view, {})]
        return [term for name in fields for term in (name, f"-{name}")]

    def filter_queryset(self, request, queryset, view):
        raw = one_value(request, self.ordering_param)
        if raw is not None:
            terms = [term.strip() for term in raw.split(",")]
            allowed = self.allowed(queryset, view)
            unknown = [term for term in terms if term not in allowed]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering {', '.join(repr(t) for t in unknown)}; "
                            f"allowed: {', '.join(allowed)} (comma separated)."
                        ]
                    }
                )
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            ordering = [*ordering, "pk"] if "pk" not in ordering else ordering
            return queryset.order_by(*ordering)
        return queryset

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [f if isinstance(f, str) else f[0] for f in getattr(view, "ordering_fields", [])]
        for parameter in parameters:
            parameter["description"] = (
                f"Sort by {', '.join(fields)} (prefix `-` for descending; comma separated for "
                "several). Anything else is a 400."
            )
        return parameters


# --- pagination ---------------------------------------------------------------------------------


class StandardPagination(PageNumberPagination):
    """``?page=N`` (1-based) and ``?page_size=`` (default 50, at most 500).

    ``page`` that is not a whole number from 1 (or ``last``), or ``page_size`` that is not a
    whole number from 1, is a 400; a page past the end is a 404 ``Invalid page.``.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def validate(self, request) -> None:
        errors: dict[str, list[str]] = one_value_errors(
            request.query_params, [self.page_query_param, self.page_size_query_param]
        )
        page = request.query_params.get(self.page_query_param)
        if page not in (None, "") and page not in self.last_page_strings and not _whole(page):
            errors.setdefault(self.page_query_param, []).append(
                f"page must be a whole number from 1 (or 'last'), not {page[:20]!r}."
            )
        size = request.query_params.get(self.page_size_query_param)
        if size not in (None, "") and not _whole(size):
            errors.setdefault(self.page_size_query_param, []).append(
                f"page_size must be a whole number from 1 (at most {self.max_page_size} are "
                f"used), not {size[:20]!r}."
            )
        if errors:
            raise ValidationError(errors)

    def paginate_queryset(self, queryset, request, view=None):
        self.validate(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Page number from 1 (or `last`)."
            else:
                parameter["description"] = (
                    f"Rows per page from 1 (default {self.page_size}; more than "
                    f"{self.max_page_size} gives {self.max_page_size})."
                )
        return parameters


def _whole(text: str) -> bool:
    """A whole number from 1, written with ASCII digits only."""
    return text.isascii() and text.isdigit() and int(text) >= 1


# --- CSV ----------------------------------------------------------------------------------------

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
    """One CSV cell. Lists: each item followed by ``;`` (``USA;DEU;``, ``2;``), so that a list
    never reads as a number. In text cells (``text``), a value starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'`` (OWASP's advice against formula
    injection); numbers, dates and booleans are never changed (``-0.37`` stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "".join(
            f"{v.get('code') or v.get('iso3') or v.get('id')}{LIST_SEPARATOR}"
            if isinstance(v, Mapping)
            else f"{v}{LIST_SEPARATOR}"
            for v in value
        )
    if text and isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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


# --- request bodies -----------------------------------------------------------------------------


def _texts(data: Any) -> Iterable[str]:
    """Every string in parsed request data: keys and values, nested lists and objects."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, QueryDict):
        for key, values in data.lists():
            yield key
            for value in values:
                yield from _texts(value)
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _texts(key)
            yield from _texts(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _texts(value)


class RejectNulMixin:
    """A parser whose data may hold no NUL character anywhere: a 400 at the door, instead of
    a 500 from PostgreSQL (which refuses NUL in text) in whichever field forgot to check."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        data = getattr(parsed, "data", parsed)  # MultiPartParser returns DataAndFiles
        if any("\x00" in text for text in _texts(data)):
            raise ParseError("The request body contains a NUL character (\\u0000).")
        return parsed


class StrictJSONParser(RejectNulMixin, JSONParser):
    """JSON bodies, NUL refused."""


class StrictFormParser(RejectNulMixin, FormParser):
    """Form bodies, NUL refused."""


class StrictMultiPartParser(RejectNulMixin, MultiPartParser):
    """Multipart bodies, NUL refused."""


class WebUrlMixin:
    """A serializer whose ``url`` is given only when it is an http(s) address, else ``""``
    (``nato_tracker.links``): clients may show it as a link."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("url"):
            data["url"] = web_url(data["url"])
        return data


class SettingsRateMixin:
    """Read the rate from ``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']`` at request time, and
    count requests with one cache increment each.

    DRF's throttles keep a list of the time of every request in the period and read and write
    it whole on each request: the cost grows with the rate allowed (a client allowed thousands a
    minute costs a long list per request). Here a *window* opens with a client's first request
    and lasts the rate's period; each request increments the window's counter; over the rate's
    number of requests the answer is 429 with ``Retry-After`` the time left in the window. (A
    client can thus make up to twice the number across the end of one window and the start of
    the next, never more.)
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # no open window: open one
            self.cache.add(self.key, 0, self.duration)
            try:
                count = self.cache.incr(self.key)
            except ValueError:  # pragma: no cover - expired in between (sub-second period)
                return True
        if count == 1:
            # This request opened the window (also when the counter expired between the
            # backend's existence check and its increment, which recreates it without expiry):
            # the window lasts the rate's period from now.
            self.cache.touch(self.key, self.duration)
            self.cache.set(f"{self.key}:start", self.now, self.duration)
        return count <= self.num_requests

    def wait(self):
        start = self.cache.get(f"{self.key}:start")
        if start is None:
            return self.duration
        return max(0.0, start + self.duration - self.now)


class AnonThrottle(SettingsRateMixin, AnonRateThrottle):
    """Anonymous clients, by IP address (rate ``anon``)."""


class UserThrottle(SettingsRateMixin, UserRateThrottle):
    """Authenticated clients, by user (rate ``user``)."""


class ErrorSerializer(serializers.Serializer):
    """What every error answer looks like: a ``detail`` message, or messages per parameter."""

    detail = serializers.CharField(
        required=False, help_text="What was wrong, when it is not about one parameter."
    )


ERROR_RESPONSES = {400: ErrorSerializer, 404: ErrorSerializer}

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=(
        "`csv` returns flat CSV with one header line. On paginated lists CSV holds every row "
        f"of the filtered list (up to {CSV_MAX_ROWS:,}), not only one page."
    ),
)


class FormatFirstNegotiation(DefaultContentNegotiation):
    """``?format=csv`` wins over the Accept header (a browser asking for HTML still gets CSV).

    An unknown format is a 400 ``{"format": ["… allowed: json, api, csv"]}`` (answered in JSON),
    not DRF's bare 404.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        name = self.settings.URL_FORMAT_OVERRIDE
        fmt = format_suffix or one_value(request, name)
        if fmt:
            matching = [renderer for renderer in renderers if renderer.format == fmt]
            if not matching:
                allowed = ", ".join(renderer.format for renderer in renderers)
                raise ValidationError({name: [f"Unknown format {fmt[:20]!r}; allowed: {allowed}."]})
            return matching[0], matching[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class ApiViewMixin:
    """Renderers (JSON, CSV, browsable), CSV of whole lists, errors always in JSON, and reads
    that name a query parameter the endpoint does not take are 400s (like the pages).

    The parameters an endpoint takes come from what it declares: its FilterSet, ``ordering``
    when it has ``ordering_fields``, ``page``/``page_size`` when paginated, the fields of its
    ``query_serializer_class``, and ``format`` everywhere.
    """

    renderer_classes = RENDERERS
    content_negotiation_class = FormatFirstNegotiation
    query_serializer_class: type[serializers.Serializer] | None = None

    def query_parameters(self) -> list[str]:
        names = []
        if self.query_serializer_class is not None:
            names += list(self.query_serializer_class().fields)
        if getattr(self, "action", "list") == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                names += list(filterset_class.base_filters)
            if getattr(self, "ordering_fields", None):
                names.append(filters.OrderingFilter.ordering_param)
            if isinstance(self.paginator, PageNumberPagination):
                names += [self.paginator.page_query_param, self.paginator.page_size_query_param]
        names.append(api_settings.URL_FORMAT_OVERRIDE)
        return list(dict.fromkeys(names))

    def check_query_parameters(self, request) -> None:
        """400 for a parameter the endpoint does not take, and for an empty value (``?year=``):
        a parameter is given with a value or left out, never both ways."""
        allowed = self.query_parameters()
        unknown = [name for name in request.query_params if name not in allowed]
        if unknown:
            message = f"Unknown parameter; this endpoint takes: {', '.join(allowed)}."
            raise ValidationError({name[:40]: [message] for name in unknown})
        empty = [
            name
            for name, values in request.query_params.lists()
            if any(not value.strip() for value in values)
        ]
        if empty:
            raise ValidationError(
                {name: [f"{name} is empty: give a value or leave it out."] for name in empty}
            )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            self.check_query_parameters(request)

    def is_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, CSVRenderer)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        if self.is_csv():
            context["csv_columns"] = csv_columns(self.get_serializer())
        return context

    def validate_paging(self) -> None:
        """CSV ignores ``page`` and ``page_size``, but a malformed one is still a 400."""
        if isinstance(self.paginator, StandardPagination):
            self.paginator.validate(self.request)

    def csv_answer(self, rows, serialize) -> HttpResponseBase:
        """The CSV answer of a list: every row up to :data:`CSV_MAX_ROWS` (``rows`` may be a
        queryset or a list), ``serialize(rows)`` giving the JSON rows of some of them, and
        ``X-Truncated`` saying whether rows were left out. ``page``/``page_size`` are validated,
        not used.

        Rows are read and serialized :data:`CSV_CHUNK_ROWS` at a time: a list of one chunk is
        answered at once (and can be cached); a longer one is *streamed*, each chunk written
        and let go before the next is read, so memory does not grow with the list. The columns
        and cells are the renderer's (:func:`csv_columns`, :func:`csv_row`)."""
        self.validate_paging()
        # One row past the maximum, read as the rows are (same columns, same grouping).
        truncated = bool(rows[CSV_MAX_ROWS : CSV_MAX_ROWS + 1])
        columns = self.get_renderer_context()["csv_columns"]

        def chunk(start: int) -> list:
            return list(rows[start : min(start + CSV_CHUNK_ROWS, CSV_MAX_ROWS)])

        first = chunk(0)

        def lines():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([column.name for column in columns])
            part, start = first, 0
            while part:
                for data in serialize(part):
                    cells = csv_row(data, columns)
                    writer.writerow([cells[column.name] for column in columns])
                yield buffer.getvalue().encode(CSVRenderer.charset)
                buffer.seek(0)
                buffer.truncate()
                start += CSV_CHUNK_ROWS
                part = chunk(start) if len(part) == CSV_CHUNK_ROWS else []
            yield buffer.getvalue().encode(CSVRenderer.charset)

        content_type = f"{CSVRenderer.media_type}; charset={CSVRenderer.charset}"
        if len(first) < CSV_CHUNK_ROWS:
            response = HttpResponse(b"".join(lines()), content_type=content_type)
        else:
            response = StreamingHttpResponse(lines(), content_type=content_type)
        response["X-Truncated"] = "true" if truncated else "false"
        response["Content-Disposition"] = f'attachment; filename="{self._csv_filename()}.csv"'
        response["Link"] = csv_links(self.request)
        return response

    def _csv_filename(self) -> str:
        return getattr(self, "csv_filename", None) or getattr(self, "basename", None) or "data"

    def list(self, request, *args, **kwargs):
        if not self.is_csv():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        return self.csv_answer(queryset, lambda rows: self.get_serializer(rows, many=True).data)

    @classmethod
    def csv_list_columns(cls) -> list[Column]:
        """The CSV columns of this endpoint's list (from the serializer of its ``list``)."""
        view = cls()
        view.action, view.request, view.format_kwarg, view.kwargs = "list", None, None, {}
        return csv_columns(view.get_serializer_class()())

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            response.status_code >= 400
            and isinstance(getattr(request, "accepted_renderer", None), CSVRenderer)
            and isinstance(response, Response)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if isinstance(renderer, CSVRenderer) and response.status_code < 400:
            response["Content-Disposition"] = f'attachment; filename="{self._csv_filename()}.csv"'
            response["Link"] = csv_links(request)
        return response


def csv_links(request) -> str:
    """The ``Link`` header of a CSV answer: the column types (``describedby``) and the licence
    and how to cite (``license``, the methodology page)."""
    columns = request.build_absolute_uri("/api/v1/csv-columns/")
    licence = request.build_absolute_uri("/methodology/#licence")
    return f'<{columns}>; rel="describedby", <{licence}>; rel="license"'
