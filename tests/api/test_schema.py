"""OpenAPI schema, docs served from local assets, throttling of anonymous clients."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db


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


def test_schema_is_valid_openapi(client_anon):
    from drf_spectacular.validation import validate_schema

    validate_schema(yaml.safe_load(client_anon.get("/api/schema/").content))


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_use_local_assets_only(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "https://" not in html and "http://cdn" not in html


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
