"""What every API view shares: pagination, JSON + CSV rendering, throttles, error shape.

CSV (``?format=csv``) is rendered from the same serializers as JSON, flattened: nested objects
become ``parent_child`` columns, lists of codes are joined with ``;``. On paginated lists CSV
returns *every row of the filtered query* (up to :data:`CSV_MAX_ROWS`, the response then carries
``X-Truncated: true``), not only the current page. Errors are always JSON, even when CSV was asked.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

CSV_MAX_ROWS = 20_000
LIST_SEPARATOR = ";"


class StandardPagination(PageNumberPagination):
    """``?page=N`` (1-based) and ``?page_size=`` (default 50, at most 500); bad page → 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten one serialized row into CSV columns (``source.code`` → ``source_code``)."""
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


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(
            str(v.get("code") or v.get("iso3") or v.get("id")) if isinstance(v, Mapping) else str(v)
            for v in value
        )
    return value


def serializer_columns(serializer: serializers.BaseSerializer | None) -> list[str]:
    """CSV header derived from a serializer's fields (used when there are no rows)."""
    if serializer is None:
        return []
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    columns: list[str] = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            columns.extend(f"{name}_{c}" for c in serializer_columns(field))
        else:
            columns.append(name)
    return columns


class CSVRenderer(BaseRenderer):
    """Flat CSV with one header line; nested objects flattened, lists joined with ``;``."""

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
        flat = [flatten(row) for row in rows]
        columns: list[str] = [] if flat else list(renderer_context.get("csv_columns") or [])
        for row in flat:
            for key in row:
                if key not in columns:
                    columns.append(key)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", restval="")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode(self.charset)


RENDERERS = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]


class SettingsRateMixin:
    """Read the rate from ``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']`` at request time."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


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
    """``?format=csv`` wins over the Accept header (a browser asking for HTML still gets CSV)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if fmt:
            matching = self.filter_renderers(renderers, fmt)  # unknown format → 404
            return matching[0], matching[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class ApiViewMixin:
    """Renderers (JSON, CSV, browsable), CSV of whole lists, errors always in JSON."""

    renderer_classes = RENDERERS
    content_negotiation_class = FormatFirstNegotiation

    def is_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, CSVRenderer)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        if self.is_csv():
            try:
                context["csv_columns"] = serializer_columns(self.get_serializer())
            except Exception:
                context["csv_columns"] = []
        return context

    def list(self, request, *args, **kwargs):
        if not self.is_csv():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        rows = list(queryset[: CSV_MAX_ROWS + 1])
        truncated = len(rows) > CSV_MAX_ROWS
        serializer = self.get_serializer(rows[:CSV_MAX_ROWS], many=True)
        response = Response(serializer.data)
        response["X-Truncated"] = "true" if truncated else "false"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            response.status_code >= 400
            and isinstance(getattr(request, "accepted_renderer", None), CSVRenderer)
            and isinstance(response, Response)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response.accepted_renderer, CSVRenderer) and response.status_code < 400:
            name = getattr(self, "csv_filename", None) or getattr(self, "basename", None) or "data"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
