"""What every API view shares (:class:`ApiViewMixin`): renderers, CSV of whole lists, errors
always in JSON, strict query parameters; and the read-only viewset of the official and report
lists (:class:`ReadOnlyViewSet`, filtered by :data:`READ_FILTERS`).

Query parameters: a read naming a parameter the endpoint does not take is a 400 listing the
ones it takes (:meth:`ApiViewMixin.query_parameters`); a parameter given empty is a 400; see
:mod:`nato_tracker.api.params` for one and several values. Unknown ``format`` and ``ordering``
values and malformed ``page``/``page_size`` are 400s naming what is allowed.
"""

from __future__ import annotations

from django.http.response import HttpResponseBase
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .pagination import StandardPagination
from .params import StableOrderingFilter
from .renderers import (
    RENDERERS,
    Column,
    CSVRenderer,
    FormatFirstNegotiation,
    csv_links,
    csv_query_response,
    csv_response,
    csv_rows_response,
    serializer_class_columns,
)

#: The filters of every API list: its FilterSet, and ``?ordering=`` with a stable order.
READ_FILTERS = [DjangoFilterBackend, StableOrderingFilter]


class StrictParametersMixin:
    """Reads that name a query parameter the view does not take, or give one empty, are 400s
    (like the pages). The view takes :meth:`query_parameters`: ``format`` unless it says
    more."""

    def query_parameters(self) -> list[str]:
        return [api_settings.URL_FORMAT_OVERRIDE]

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


class ApiViewMixin(StrictParametersMixin):
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

    def is_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, CSVRenderer)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        if self.is_csv():
            context["csv_columns"] = list(serializer_class_columns(self.get_serializer_class()))
        return context

    def validate_paging(self) -> None:
        """CSV ignores ``page`` and ``page_size``, but a malformed one is still a 400."""
        if isinstance(self.paginator, StandardPagination):
            self.paginator.validate(self.request)

    def csv_answer(self, rows, serialize) -> HttpResponseBase:
        """The CSV answer of a list (:func:`nato_tracker.api.renderers.csv_response`, with this
        view's columns and file name). ``page``/``page_size`` are validated, not used."""
        self.validate_paging()
        columns = self.get_renderer_context()["csv_columns"]
        return csv_response(
            rows, serialize, columns, filename=self._csv_filename(), request=self.request
        )

    def csv_query_answer(self, queryset, read, *, flat: bool = False) -> HttpResponseBase:
        """The CSV answer of a list read in one pass (:func:`nato_tracker.api.renderers.
        csv_query_response`: ``read(queryset, limit)`` gives its rows in order)."""
        self.validate_paging()
        columns = self.get_renderer_context()["csv_columns"]
        return csv_query_response(
            queryset,
            read,
            columns,
            flat=flat,
            filename=self._csv_filename(),
            request=self.request,
        )

    def csv_rows_answer(self, rows, *, truncated: bool) -> HttpResponseBase:
        """The CSV answer of a list's flat rows read in one pass (:func:`nato_tracker.api.
        renderers.csv_rows_response`)."""
        self.validate_paging()
        columns = self.get_renderer_context()["csv_columns"]
        return csv_rows_response(
            rows,
            columns,
            truncated=truncated,
            filename=self._csv_filename(),
            request=self.request,
        )

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
        return list(serializer_class_columns(view.get_serializer_class()))

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


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail with the API's filters, renderers and parameter rules."""

    filter_backends = READ_FILTERS
