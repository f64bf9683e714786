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


def _anonymous(operation: dict) -> bool:
    """Whether the schema lets a client without credentials call ``operation``."""
    security = operation.get("security")
    return security is None or security == [] or {} in security


def test_what_anyone_may_call_is_declared_anonymous_and_nothing_else(schema, client_anon):
    paths = schema["paths"]
    for path in ("/api/v1/speakers/", "/api/v1/statement-links/", "/api/v1/figures/"):
        assert _anonymous(paths[path]["get"]), path
    assert _anonymous(paths["/api/v1/auth/token/"]["post"])  # how a client gets its token
    for path, method in [
        ("/api/v1/auth/token/", "delete"),
        ("/api/v1/auth/token/rotate/", "post"),
        ("/api/v1/speakers/", "post"),
        ("/api/v1/statements/{id}/about/", "put"),
    ]:
        assert not _anonymous(paths[path][method]), (method, path)
    # The server agrees: wrong credentials are a 400 about them, not a 401 asking for others.
    answer = client_anon.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert "non_field_errors" in answer.json()


def _parameters(schema: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_parameter_types_are_the_ones_the_server_reads(schema):
    ally = _parameters(schema, "/api/v1/claims/")["ally"]
    assert ally["schema"]["type"] == "array"  # several allies: repeated (form, exploded)
    assert ally.get("style", "form") == "form" and ally.get("explode", True)
    member_in = _parameters(schema, "/api/v1/allies/")["member_in"]["schema"]
    assert member_in["type"] == "integer"
    paged = 0
    for path, operations in schema["paths"].items():
        parameters = {p["name"]: p for p in operations.get("get", {}).get("parameters", [])}
        for name in ("page", "page_size"):
            if name in parameters:
                paged += 1
                assert parameters[name]["schema"]["type"] == "integer", (path, name)
                assert parameters[name]["schema"]["minimum"] == 1, (path, name)
    assert paged >= 20


def test_ordering_declares_the_terms_the_server_accepts(schema, client_anon):
    ordered = 0
    for path, operations in schema["paths"].items():
        parameters = {p["name"]: p for p in operations.get("get", {}).get("parameters", [])}
        if "ordering" not in parameters:
            continue
        ordered += 1
        pattern = parameters["ordering"]["schema"]["pattern"]
        fields = re.search(r"\(\?:([^)]*)\)", pattern).group(1).split("|")
        several = f"-{fields[-1]},{fields[0]}"
        assert re.fullmatch(pattern, several) and not re.fullmatch(pattern, "nonsense")
        if "{" not in path:
            assert client_anon.get(path, {"ordering": several}).status_code == 200, path
            assert client_anon.get(path, {"ordering": "nonsense"}).status_code == 400, path
    assert ordered >= 8


def test_free_text_parameters_declare_the_characters_the_server_refuses(schema, client_anon):
    from nato_tracker.api.schema import PRINTABLE

    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            inner = parameter["schema"]
            inner = inner.get("items", inner) if inner.get("type") == "array" else inner
            free_text = inner.get("type") == "string" and not {"enum", "format"} & set(inner)
            if parameter["in"] == "query" and free_text and parameter["name"] != "ordering":
                assert inner.get("pattern") == PRINTABLE, (path, parameter["name"])
    for text, refused in [("Rutte\tNATO", False), ("Rutte\x14", True), ("\ufffd", True)]:
        assert bool(re.fullmatch(PRINTABLE, text)) is not refused
        status = client_anon.get("/api/v1/statements/", {"q": text}).status_code
        assert status == (400 if refused else 200), text
