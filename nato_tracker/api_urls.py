"""REST API (``/api/v1/``), its OpenAPI schema (``/api/schema/``) and docs (``/api/docs/``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import APIRootView, DefaultRouter

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
from nato_tracker.api_base import FormatFirstNegotiation
from nato_tracker.api_token_views import TokenRotateView, TokenView
from spending.api.views import (
    AllyViewSet,
    ComplianceView,
    FigureViewSet,
    SourceViewSet,
    TargetViewSet,
)


class LocalRedocView(SpectacularRedocView):
    """Redoc from the sidecar's local files, without the web fonts its template loads."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.render()
        html = response.content.decode()
        response.content = "\n".join(
            line for line in html.splitlines() if "fonts.g" not in line
        ).encode()
        return response


class ApiRootView(APIRootView):
    """The list of endpoints; an unknown ``format`` is a 400 as on every endpoint."""

    content_negotiation_class = FormatFirstNegotiation


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

app_name = "api"
urlpatterns = [
    path("v1/compliance/", ComplianceView.as_view(), name="compliance"),
    path("v1/claims/", ClaimListView.as_view(), name="claims"),
    path(
        "v1/claims/<str:kind>/<int:pk>/verdict/",
        ClaimVerdictView.as_view(),
        name="claim-verdict",
    ),
    path("v1/history/<str:kind>/<int:pk>/", HistoryView.as_view(), name="history"),
    path("v1/history/<str:kind>/revert/<int:history_id>/", RevertView.as_view(), name="revert"),
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/auth/token/rotate/", TokenRotateView.as_view(), name="token-rotate"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", LocalRedocView.as_view(url_name="api:schema"), name="redoc"),
]
