"""REST API (``/api/v1/``), its OpenAPI schema (``/api/schema/``) and docs (``/api/docs/``)."""

from django.templatetags.static import static
from django.urls import NoReverseMatch, include, path, re_path
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.views import APIView

from articles.api.views import (
    ArticleViewSet,
    ClaimListView,
    ClaimVerdictView,
    HistoryView,
    RevertView,
    SpeakerViewSet,
    StatementLinkViewSet,
    StatementViewSet,
)
from nato_tracker.api.dataset_views import BulkDownloadView, MetadataView
from nato_tracker.api.redoc_bundle import STATIC_PATH as REDOC_BUNDLE
from nato_tracker.api.renderers import PANDAS_DTYPES, FormatFirstNegotiation, column_descriptions
from nato_tracker.api.token_views import TokenRotateView, TokenView
from nato_tracker.api.viewsets import StrictParametersMixin
from spending.api.views import (
    AggregateViewSet,
    AllyViewSet,
    ComplianceView,
    FigureViewSet,
    SourceViewSet,
    TargetViewSet,
)


class LocalRedocView(SpectacularRedocView):
    """Redoc from local static files, without the web fonts its template loads, and its
    script without the logo it fetched from cdn.redoc.ly (:mod:`nato_tracker.api.redoc_bundle`)."""

    @staticmethod
    def _redoc_standalone():
        return static(REDOC_BUNDLE)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.render()
        html = response.content.decode()
        response.content = "\n".join(
            line for line in html.splitlines() if "fonts.g" not in line
        ).encode()
        return response


# Endpoints the router does not list (not viewsets), by URL name; and those that take a path.
ROOT_EXTRA = [
    "compliance",
    "claims",
    "metadata",
    "bulk-download",
    "csv-columns",
    "token",
    "token-rotate",
]
ROOT_TEMPLATES = {
    "history": "v1/history/{kind}/{id}/",
    "claim-verdict": "v1/claims/{kind}/{id}/verdict/",
}
ROOT_DOCS = ["schema", "docs", "redoc"]


class ApiRootView(StrictParametersMixin, APIRootView):
    """Every resource of the API by name: the router's lists, compliance, claims, metadata, the
    bulk download, the CSV columns, the token endpoints, the URI templates of history and
    verdicts, the schema and its docs. An unknown ``format`` is a 400 as on every endpoint."""

    content_negotiation_class = FormatFirstNegotiation
    schema = AutoSchema()

    @extend_schema(
        summary="Every resource of the API, by name",
        responses={
            200: OpenApiResponse(
                {"type": "object", "additionalProperties": {"type": "string"}},
                description="Name → absolute URL (or URI template with `{kind}`, `{id}`).",
            ),
        },
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        listed = dict(super().get(request, *args, **kwargs).data)
        base = reverse("api:api-root", request=request).removesuffix("v1/")
        for name in (*ROOT_EXTRA, *ROOT_DOCS):
            try:
                listed[name] = reverse(f"api:{name}", request=request)
            except NoReverseMatch:  # pragma: no cover - every name is in urlpatterns below
                continue
        for name, template in ROOT_TEMPLATES.items():
            listed[name] = base + template
        return Response(listed)


class Router(DefaultRouter):
    APIRootView = ApiRootView


router = Router()
router.register("allies", AllyViewSet, basename="ally")
router.register("targets", TargetViewSet, basename="target")
router.register("sources", SourceViewSet, basename="source")
router.register("figures", FigureViewSet, basename="figure")
router.register("statements", StatementViewSet, basename="statement")
router.register("statement-links", StatementLinkViewSet, basename="statement-link")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("articles", ArticleViewSet, basename="article")
router.register("aggregates", AggregateViewSet, basename="aggregate")

SUFFIX = r"\.(?P<format>[a-z0-9]+)/?$"  # as DefaultRouter's format suffixes

# Every list that answers CSV, by its path under /api/v1/.
CSV_LISTS = {
    **{prefix: viewset for prefix, viewset, _ in router.registry},
    "compliance": ComplianceView,
    "claims": ClaimListView,
}


class CsvColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=sorted(PANDAS_DTYPES))
    pandas_dtype = serializers.CharField(help_text="Give it to pandas.read_csv(dtype=...).")


class CsvListSerializer(serializers.Serializer):
    list = serializers.CharField(help_text="`figures` for /api/v1/figures/.")
    url = serializers.CharField()
    columns = CsvColumnSerializer(many=True)


class CsvColumnsView(StrictParametersMixin, APIView):
    """The columns of every list's CSV with their types (fixed: never taken from the data)."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatFirstNegotiation

    @extend_schema(
        summary="The CSV columns of every list, with their types and pandas dtypes",
        description="`type` is string, list (items each followed by `;`), integer, number, "
        "boolean, date or datetime; read a list's CSV with "
        "`pandas.read_csv(url, dtype={c['name']: c['pandas_dtype'] for c in columns})`.",
        responses={200: CsvListSerializer(many=True)},
        auth=[],
    )
    def get(self, request):
        return Response(
            [
                {
                    "list": name,
                    "url": f"/api/v1/{name}/",
                    "columns": column_descriptions(view.csv_list_columns()),
                }
                for name, view in CSV_LISTS.items()
            ]
        )


app_name = "api"
urlpatterns = [
    # The router's lists first, the most requested (no other path here is one of theirs).
    path("v1/", include(router.urls)),
    path("v1/compliance/", ComplianceView.as_view(), name="compliance"),
    path("v1/claims/", ClaimListView.as_view(), name="claims"),
    # /compliance.csv and /claims.csv, like the router's lists (kept out of the schema).
    re_path(rf"^v1/compliance{SUFFIX}", ComplianceView.as_view(), name="compliance"),
    re_path(rf"^v1/claims{SUFFIX}", ClaimListView.as_view(), name="claims"),
    path("v1/csv-columns/", CsvColumnsView.as_view(), name="csv-columns"),
    path(
        "v1/claims/<str:kind>/<int:pk>/verdict/",
        ClaimVerdictView.as_view(),
        name="claim-verdict",
    ),
    path("v1/history/<str:kind>/<int:pk>/", HistoryView.as_view(), name="history"),
    path("v1/history/<str:kind>/revert/<int:history_id>/", RevertView.as_view(), name="revert"),
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/auth/token/rotate/", TokenRotateView.as_view(), name="token-rotate"),
    path("v1/metadata/", MetadataView.as_view(), name="metadata"),
    path("v1/download/", BulkDownloadView.as_view(), name="bulk-download"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", LocalRedocView.as_view(url_name="api:schema"), name="redoc"),
]
