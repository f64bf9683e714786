"""Read-only API for the official data: allies, targets, sources, figures and compliance.

Which figure is current and who meets a target are decided by :mod:`spending.selectors` only;
the views select, filter, paginate and serialize.
"""

from __future__ import annotations

from django.db.models import F
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from nato_tracker.api.cache import OfficialAnswerCacheMixin
from nato_tracker.api.params import one_value
from nato_tracker.api.schema import ERROR_RESPONSES, FORMAT_PARAMETER, list_and_detail
from nato_tracker.api.viewsets import ApiViewMixin, ReadOnlyViewSet
from nato_tracker.data_version import cached
from spending.formatting import year_runs
from spending.models import (
    NEWEST_FIRST,
    AggregateFigure,
    MemberState,
    Source,
    SpendingFigure,
    Target,
)
from spending.selectors import (
    STATUSES,
    SelectionError,
    Vintage,
    available_years,
    compliance,
    parse_vintage,
    summarise,
)

from .filters import (
    AggregateFilterSet,
    AllyFilterSet,
    FigureFilterSet,
    SourceFilterSet,
    TargetFilterSet,
)
from .serializers import (
    AggregateSerializer,
    AllySerializer,
    ComplianceQuerySerializer,
    ComplianceResponseSerializer,
    ComplianceRowSerializer,
    ComplianceSummarySerializer,
    FigureSerializer,
    SourceSerializer,
    TargetSerializer,
    VintageSerializer,
)


def vintage_from_request(request: Request) -> Vintage:
    """``edition`` / ``as_of`` parameters → :class:`Vintage`; bad values → 400."""
    edition = one_value(request, "edition")
    as_of = one_value(request, "as_of")
    try:
        return parse_vintage(edition, as_of)
    except SelectionError as exc:
        key = "as_of" if (as_of or "").strip() and not (edition or "").strip() else "edition"
        raise ValidationError({key: [str(exc)]}) from None


def vintage_data(vintage: Vintage) -> dict:
    return VintageSerializer(
        {"edition": vintage.edition, "as_of": vintage.as_of, "description": vintage.describe()}
    ).data


def select_figures(queryset, vintage: Vintage, *, all_editions: bool):
    """The figures or alliance totals a list answers with: those ``vintage`` reads, with
    ``all_editions`` every edition's, else only those in force (``in_vintage(vintage).current()``,
    the rule of the pages and the checks)."""
    queryset = queryset.in_vintage(vintage)
    return queryset if all_editions else queryset.current()


VINTAGE_PARAMETERS = [
    OpenApiParameter(
        "edition",
        str,
        description="Edition code (e.g. `NATO_DE2024_GRAPHICNEWS`, see /api/v1/sources/"
        "?is_nato_edition=true). Default: the latest edition.",
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description="YYYY-MM-DD: use what NATO had published by that date.",
    ),
]


@list_and_detail(
    AllySerializer,
    summary="Allies with their membership dates",
    detail="One ally by ISO3 code",
    lookup=OpenApiParameter("iso3", str, OpenApiParameter.PATH, description="ISO3 code, any case."),
)
class AllyViewSet(OfficialAnswerCacheMixin, ReadOnlyViewSet):
    """The 32 allies and their accession dates (a member in every year from accession on)."""

    queryset = MemberState.objects.all()
    serializer_class = AllySerializer
    filterset_class = AllyFilterSet
    lookup_field = "iso3"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["name", "iso3", "accession_date"]
    ordering = ["name", "pk"]
    csv_filename = "allies"

    def get_object(self):
        return get_object_or_404(
            self.get_queryset(), iso3=str(self.kwargs["iso3"]).strip().upper()[:3]
        )


@list_and_detail(
    TargetSerializer,
    summary="The alliance's spending targets",
    detail="One target by code",
    lookup=OpenApiParameter("code", str, OpenApiParameter.PATH, description="`3.5`"),
)
class TargetViewSet(OfficialAnswerCacheMixin, ReadOnlyViewSet):
    """Targets by code: `2`, `3`, `3.5`, `5`, `equipment-20`."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["display_order", "threshold", "code"]
    ordering = ["display_order", "threshold", "pk"]
    csv_filename = "targets"


@list_and_detail(
    SourceSerializer,
    summary="Sources, including every NATO edition",
    detail="One source by code",
    lookup=OpenApiParameter("code", str, OpenApiParameter.PATH),
)
class SourceViewSet(OfficialAnswerCacheMixin, ReadOnlyViewSet):
    """Where numbers come from; each NATO edition is its own source (`is_nato_edition`)."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["edition_published", "published", "code"]
    ordering = [F("edition_published").desc(nulls_last=True), "-published", "code", "pk"]
    csv_filename = "sources"


def every_edition_requested(params) -> bool:
    """Whether a figures or aggregates list asks for every edition's value: `all_editions=true`,
    or a `source=` (one source's figures, whichever is in force)."""
    everything = (params.get("all_editions") or "").strip().lower() in {"true", "1", "yes"}
    return everything or bool((params.get("source") or "").strip())


@list_and_detail(
    FigureSerializer,
    summary="Official figures, by default the current one per ally, year and metric",
    detail="One figure by id",
)
class FigureViewSet(OfficialAnswerCacheMixin, ReadOnlyViewSet):
    """NATO's defence-expenditure figures, each with the edition (source) it comes from.

    By default the figure in force in the latest edition for each ally, year and metric;
    `edition=` or `as_of=` select an earlier edition, `all_editions=true` lists every edition's
    value. `spending_usd` values are in US$ million, current prices.
    """

    serializer_class = FigureSerializer
    filterset_class = FigureFilterSet
    ordering_fields = ["year", "value", "member__iso3", "member__name", "metric"]
    ordering = ["member__name", "year", "metric", *NEWEST_FIRST, "pk"]
    csv_filename = "figures"

    def get_queryset(self):
        queryset = SpendingFigure.objects.select_related("member", "source")
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return queryset
        everything = every_edition_requested(self.request.query_params)
        return select_figures(queryset, vintage_from_request(self.request), all_editions=everything)


@list_and_detail(
    AggregateSerializer,
    summary="Alliance totals: the NATO total and NATO Europe and Canada, by year",
    detail="One alliance-level figure by id",
)
class AggregateViewSet(OfficialAnswerCacheMixin, ReadOnlyViewSet):
    """NATO's own alliance-level figures (% of GDP, US$ million at current prices, and US$
    million at constant 2021 prices and exchange rates: `spending_usd_2021`) for the NATO total
    and for NATO Europe and Canada, each with the edition it comes from.

    By default the figure in force in the latest edition for each area, year and metric (the
    rule of the ally figures); `edition=` or `as_of=` select an earlier edition,
    `all_editions=true` lists every edition's value.
    """

    serializer_class = AggregateSerializer
    filterset_class = AggregateFilterSet
    ordering_fields = ["area", "year", "metric", "value"]
    # Every edition's figure of an area, year and metric: the one NATO released last first.
    ordering = ["area", "year", "metric", *NEWEST_FIRST, "pk"]
    csv_filename = "aggregates"

    def get_queryset(self):
        queryset = AggregateFigure.objects.select_related("source")
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return queryset
        everything = every_edition_requested(self.request.query_params)
        return select_figures(queryset, vintage_from_request(self.request), all_editions=everything)


@extend_schema(
    summary="Who meets a target: every member in each year, with value, status and gap",
    description=(
        "Every ally that was a member in each requested year, with its current value under the "
        "chosen edition, whether it meets the target (value at or above the threshold), and the "
        "gap in percentage points. `summary` counts meeting, missing and no-data members per "
        "year and target over all members (the `status` and `ally` filters only narrow "
        "`results`). A year without figures in the chosen edition is a 400 naming the years "
        "that have them. Computed by the same function as the pages. CSV: the `results` rows."
    ),
    parameters=[
        OpenApiParameter(
            "target",
            str,
            many=True,
            explode=True,
            description="Target code(s), repeated or comma separated: `2`, `3`, `3.5`, `5`, "
            "`equipment-20`. Default `2`.",
        ),
        OpenApiParameter(
            "year",
            int,
            many=True,
            explode=True,
            description="Year(s) 1949-2100, repeated or comma separated (at most 50), each with "
            "figures in the chosen edition (else 400). Default: the latest year with figures for "
            "the targets' metric.",
        ),
        OpenApiParameter(
            "ally",
            str,
            many=True,
            explode=True,
            description="Only these allies' rows: ISO3 code(s), any case, repeated or comma "
            "separated. `summary` still counts every member.",
        ),
        OpenApiParameter(
            "status",
            str,
            many=True,
            explode=True,
            enum=STATUSES,
            description="Only rows with this status (repeated or comma separated).",
        ),
        *VINTAGE_PARAMETERS,
        FORMAT_PARAMETER,
    ],
    responses={200: ComplianceResponseSerializer, **ERROR_RESPONSES},
)
class ComplianceView(OfficialAnswerCacheMixin, ApiViewMixin, GenericAPIView):
    """Compliance of every member with one or several targets in one or several years."""

    serializer_class = ComplianceRowSerializer
    pagination_class = None
    query_serializer_class = ComplianceQuerySerializer
    filter_backends: list = []
    csv_filename = "compliance"

    def get(self, request: Request, *args, **kwargs) -> Response:
        return self.answer(self.compute, request)

    def compute(self, request: Request) -> Response:
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        vintage = vintage_from_request(request)
        targets: list[Target] = params.get("target") or [get_object_or_404(Target, code="2")]
        years = compliance_years(params.get("year") or [], targets, vintage)
        rows = []
        for target in targets:
            rows.extend(compliance(target, years, vintage=vintage))
        summary = summarise(rows)
        statuses = set(params.get("status") or [])
        if statuses:
            rows = [row for row in rows if row.status in statuses]
        allies = set(params.get("ally") or [])
        if allies:
            rows = [row for row in rows if row.iso3 in allies]
        sources = {s.code: s for s in Source.objects.filter(code__in={r.source_code for r in rows})}
        context = {**self.get_serializer_context(), "sources": sources}
        if self.is_csv():
            return self.csv_answer(
                rows, lambda page: ComplianceRowSerializer(page, many=True, context=context).data
            )
        data = {
            "vintage": vintage_data(vintage),
            "targets": TargetSerializer(targets, many=True).data,
            "years": years,
            "summary": ComplianceSummarySerializer(summary, many=True).data,
            "count": len(rows),
            "results": ComplianceRowSerializer(rows, many=True, context=context).data,
        }
        return Response(data)


def years_with_figures(vintage: Vintage, metric: str) -> list[int]:
    """:func:`spending.selectors.available_years`, cached until the data changes."""
    key = f"api:years:{vintage.edition}:{vintage.as_of}:{metric}"
    return cached(key, lambda: available_years(vintage=vintage, metric=metric), scope="official")


def compliance_years(requested: list[int], targets: list[Target], vintage: Vintage) -> list[int]:
    """The years to answer for: the requested ones, each of which must have figures for every
    target's metric in the vintage (else a 400 naming the years that have them, as the pages
    do); by default the latest year with figures for all the targets."""
    by_metric: dict[str, list[Target]] = {}
    for target in targets:
        by_metric.setdefault(target.metric, []).append(target)
    available = {metric: years_with_figures(vintage, metric) for metric in by_metric}
    if not requested:
        common = set.intersection(*(set(years) for years in available.values()))
        if not common:
            raise ValidationError(
                {"year": [f"There are no figures for these targets ({vintage.describe()})."]}
            )
        return [max(common)]
    problems = []
    for metric, years in available.items():
        missing = sorted(set(requested) - set(years))
        if missing:
            codes = ", ".join(t.code for t in by_metric[metric])
            problems.append(
                f"There are no figures for {', '.join(map(str, missing))} "
                f"({vintage.describe()}, target {codes}); years with figures: "
                f"{year_runs(years, last=', ') or 'none'}."
            )
    if problems:
        raise ValidationError({"year": problems})
    return sorted(set(requested))
