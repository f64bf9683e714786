"""A strict OpenAPI validator (openapi-core) on real answers: every documented operation, its
successes and its errors (400, 401, 403, 404, 429), JSON and CSV, must match /api/schema/.

The schema is OpenAPI 3.1 so that nullable references (Iceland's ``source: null``) and empty
URLs are valid; public reads and the token endpoint are anonymous; every error has a JSON body.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import editing
from spending.models import SpendingFigure, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture
def openapi(client_anon) -> OpenAPI:
    response = client_anon.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    return OpenAPI.from_dict(spec)


@pytest.fixture
def data(claims, statements, editor):
    figure = SpendingFigure.objects.filter(member__iso3="USA", year=2024).first()
    link = editing.link_statement(
        statement=statements["rutte_usa"],
        figure=figure,
        target=Target.objects.get(code="2"),
        note="a note",
        user=editor,
    )
    return {"statements": statements, "claims": claims, "link": link, "figure": figure}


def check(openapi: OpenAPI, client, method: str, path: str, params=None, body=None):
    """Call the API and validate the request and the answer against the schema."""
    params = params or {}
    call = getattr(client, method)
    if body is None:
        response = call(path, params) if method == "get" else call(path)
    else:
        response = call(path, body, format="json")
    content_type = response.get("Content-Type", "").split(";")[0]
    request = MockRequest(
        HOST,
        method,
        path,
        args=params,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Authorization": "Token x"} if client._credentials else {},
    )
    body = response.getvalue() or b""
    answer = MockResponse(
        body.decode() if content_type == "text/csv" else body,
        status_code=response.status_code,
        content_type=content_type or "application/json",
        headers=dict(response.items()),
    )
    if response.status_code < 400:
        openapi.validate_request(request)
    openapi.validate_response(request, answer)
    return response


def test_public_reads_match_the_schema(openapi, client_anon, data):
    statement = data["statements"]["rutte_usa"]
    article = statement.article
    cases = [
        ("/api/v1/allies/", {}),
        ("/api/v1/allies/", {"member_in": 2000, "page": 1, "page_size": 5}),
        ("/api/v1/allies/POL/", {}),
        ("/api/v1/allies/ISL/", {}),
        ("/api/v1/targets/", {}),
        ("/api/v1/targets/3.5/", {}),
        ("/api/v1/sources/", {"is_nato_edition": "true"}),
        ("/api/v1/sources/NATO_DIE2026/", {}),
        ("/api/v1/figures/", {"ally": "ISL,POL", "year": 2024}),
        (f"/api/v1/figures/{data['figure'].pk}/", {}),
        ("/api/v1/compliance/", {"target": "2", "year": 2024}),
        ("/api/v1/compliance/", {"target": "equipment-20", "ally": "ISL"}),
        ("/api/v1/claims/", {"ally": "USA,ESP"}),
        ("/api/v1/claims/", {}),
        ("/api/v1/statements/", {"speaker": "mark-rutte"}),
        (f"/api/v1/statements/{statement.pk}/", {}),
        ("/api/v1/statement-links/", {}),
        (f"/api/v1/statement-links/{data['link'].pk}/", {}),
        ("/api/v1/speakers/", {"q": "rutte"}),
        ("/api/v1/speakers/mark-rutte/", {}),
        ("/api/v1/articles/", {}),
        (f"/api/v1/articles/{article.pk}/", {}),
        ("/api/v1/csv-columns/", {}),
        ("/api/v1/figures/", {"ally": "POL", "format": "csv"}),
        ("/api/v1/compliance/", {"format": "csv"}),
    ]
    for path, params in cases:
        response = check(openapi, client_anon, "get", path, params)
        assert response.status_code == 200, (path, response.content[:200])


def test_iceland_has_a_null_source_and_sources_may_have_empty_urls(openapi, client_anon):
    response = check(
        openapi, client_anon, "get", "/api/v1/compliance/", {"ally": "ISL", "year": 2024}
    )
    assert response.json()["results"][0]["source"] is None
    from spending.models import Source

    Source.objects.filter(code="NATO_DIE2026").update(url="")
    response = check(openapi, client_anon, "get", "/api/v1/sources/NATO_DIE2026/")
    assert response.json()["url"] == ""


def test_errors_match_the_schema(openapi, client_anon, client_user, data):
    cases = [
        (client_anon, "get", "/api/v1/allies/", {"member_in": "abc"}, None, 400),
        (client_anon, "get", "/api/v1/allies/", {"page": 99}, None, 404),
        (client_anon, "get", "/api/v1/figures/", {"year": ""}, None, 400),
        (client_anon, "get", "/api/v1/allies/ZZZ/", {}, None, 404),
        (client_anon, "get", "/api/v1/compliance/", {"year": 1950}, None, 400),
        (client_anon, "get", "/api/v1/claims/", {"format": "xml"}, None, 400),
        (client_anon, "post", "/api/v1/speakers/", {}, {"name": "Kaja Kallas"}, 401),
        (client_user, "post", "/api/v1/speakers/", {}, {"name": "Kaja Kallas"}, 403),
        (client_anon, "post", "/api/v1/auth/token/", {}, {"username": "x", "password": "y"}, 400),
        (client_anon, "delete", "/api/v1/auth/token/", {}, None, 401),
    ]
    for client, method, path, params, body, status in cases:
        if method == "get":
            response = check(openapi, client, method, path, params)
        else:
            response = check(openapi, client, method, path, body=body)
        assert response.status_code == status, (path, params, response.content[:200])


def test_an_expired_or_wrong_token_is_a_documented_401(openapi):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert check(openapi, client, "get", "/api/v1/targets/").status_code == 401


def test_throttled_answers_match_the_schema(openapi, client_anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "100/minute"},
    }
    check(openapi, client_anon, "get", "/api/v1/targets/")
    assert check(openapi, client_anon, "get", "/api/v1/targets/").status_code == 429


def test_editor_writes_match_the_schema(openapi, data):
    user = UserFactory(username="writer")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "add_speaker",
                "add_statementlink",
                "delete_statementlink",
                "change_statement",
                "change_reportedfigure",
            ]
        )
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    statement = data["statements"]["hegseth_deu"]
    figure = data["claims"]["figure"]
    cases = [
        ("post", "/api/v1/speakers/", {"name": "Kaja Kallas", "role": "EU"}, 201),
        ("post", "/api/v1/speakers/", {"name": ""}, 400),
        ("put", f"/api/v1/statements/{statement.pk}/speaker/", {"speaker": "mark-rutte"}, 200),
        ("put", f"/api/v1/statements/{statement.pk}/speaker/", {"speaker": None}, 200),
        ("put", f"/api/v1/statements/{statement.pk}/about/", {"allies": ["deu"]}, 400),
        ("put", f"/api/v1/statements/{statement.pk}/about/", {"allies": [], "targets": []}, 200),
        ("post", f"/api/v1/statements/{statement.pk}/review/", {"status": "reviewed"}, 200),
        ("post", "/api/v1/statements/999999/review/", {"status": "reviewed"}, 404),
        ("post", "/api/v1/statement-links/", {"statement": statement.pk, "target": "5"}, 201),
        ("post", f"/api/v1/claims/reported_figure/{figure.pk}/verdict/", {}, 200),
        ("delete", f"/api/v1/statement-links/{data['link'].pk}/", None, 204),
        ("post", "/api/v1/auth/token/rotate/", None, 200),
    ]
    for method, path, body, status in cases:
        response = check(openapi, client, method, path, body=body)
        assert response.status_code == status, (path, response.content[:300])
