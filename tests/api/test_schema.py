"""OpenAPI schema, docs served from local assets, throttling of anonymous clients."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders

from nato_tracker.api.schema import ERROR_RESPONSES, error_responses
from nato_tracker.api.serializers import ErrorSerializer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def schema(client_anon):
    response = client_anon.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_documents_every_endpoint(schema):
    paths = set(schema["paths"])
    for path in [
        "/api/v1/allies/",
        "/api/v1/allies/{iso3}/",
        "/api/v1/targets/{code}/",
        "/api/v1/sources/",
        "/api/v1/figures/",
        "/api/v1/compliance/",
        "/api/v1/claims/",
        "/api/v1/statements/",
        "/api/v1/statements/{id}/speaker/",
        "/api/v1/statement-links/",
        "/api/v1/statement-links/{id}/",
        "/api/v1/speakers/",
        "/api/v1/articles/",
    ]:
        assert path in paths


def test_schema_documents_parameters_and_units(schema):
    figure_params = {p["name"] for p in schema["paths"]["/api/v1/figures/"]["get"]["parameters"]}
    assert {
        "ally",
        "year_min",
        "year_max",
        "metric",
        "source",
        "estimate",
        "edition",
        "as_of",
        "format",
        "page",
        "page_size",
    } <= figure_params
    compliance = {p["name"] for p in schema["paths"]["/api/v1/compliance/"]["get"]["parameters"]}
    assert {"target", "year", "ally", "status", "edition", "as_of", "format"} <= compliance
    value = schema["components"]["schemas"]["Figure"]["properties"]["value"]
    assert "US$ million" in value["description"]


def test_error_responses_name_the_error_body():
    assert error_responses(401, 403, 404) == dict.fromkeys((401, 403, 404), ErrorSerializer)
    assert {400: ErrorSerializer, 404: ErrorSerializer} == ERROR_RESPONSES
    with pytest.raises(ValueError, match="200"):
        error_responses(200, 404)


def test_views_declare_error_answers_through_error_responses():
    """A view's ``extend_schema`` declares its errors with ``error_responses(401, 403, ...)``;
    only nato_tracker/api/schema.py pairs a status with the error body itself."""
    spelled = re.compile(r"\b[45]\d\d\s*:\s*ErrorSerializer\b")
    found = [
        path.relative_to(ROOT).as_posix()
        for package in ("articles", "spending", "pages", "nato_tracker")
        for path in (ROOT / package).rglob("*.py")
        if path.relative_to(ROOT).as_posix() != "nato_tracker/api/schema.py"
        and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_editor_operations_declare_403(schema):
    """What the views declare with ``error_responses`` reaches the schema (403 is added by no
    hook)."""
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/statements/{id}/review/", "post"),
        ("/api/v1/speakers/", "post"),
        ("/api/v1/statement-links/{id}/", "delete"),
        ("/api/v1/history/{kind}/{id}/", "get"),
    ]:
        forbidden = paths[path][method]["responses"]["403"]
        assert forbidden["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_schema_is_valid_openapi(client_anon):
    from drf_spectacular.validation import validate_schema

    validate_schema(yaml.safe_load(client_anon.get("/api/schema/").content))


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_use_local_assets_only(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert "https://" not in html and "http://cdn" not in html


def test_redoc_loads_nothing_from_another_origin(client):
    """Redoc's script fetched its "API docs by Redocly" logo from cdn.redoc.ly: blocked by the
    policy (a console error on every visit) and not there with no internet. The page loads the
    patched bundle as a static file (served by whitenoise: tests/ops/test_static_files.py)."""
    html = client.get("/api/redoc/").content.decode()
    (src,) = re.findall(r'<script src="([^"]+)"', html)
    assert src == "/static/vendor/redoc/redoc.standalone.js"
    script = Path(finders.find(src.removeprefix("/static/"))).read_text(encoding="utf-8")
    assert "cdn.redoc.ly" not in script
    assert 'src:"data:image/svg+xml;base64,' in script
    assert script.rstrip().endswith(
        "//# sourceMappingURL=../../drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js.map"
    )
    # the source map it names (relative to /static/vendor/redoc/) is served by the site itself
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js.map")


def test_the_shipped_redoc_bundle_is_the_one_the_build_script_makes():
    """static/vendor/redoc/redoc.standalone.js is scripts/build_redoc.py's output from the
    installed sidecar and the current favicon: rebuild it after upgrading either."""
    from nato_tracker.api.redoc_bundle import SHIPPED, patched_bundle

    assert SHIPPED.read_text(encoding="utf-8") == patched_bundle()


def test_anonymous_clients_are_throttled(client_anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    codes = [client_anon.get("/api/v1/targets/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "detail" in client_anon.get("/api/v1/targets/").json()


def test_authenticated_users_have_their_own_rate(client_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "100/minute"},
    }
    assert {client_user.get("/api/v1/targets/").status_code for _ in range(5)} == {200}
