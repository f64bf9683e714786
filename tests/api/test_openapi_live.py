"""A strict OpenAPI validator (openapi-core) on real HTTP: the app served on a real port
(pytest-django's ``live_server``, the whole middleware stack: proxies, gzip, CORS, the response
cache, Django's error handlers), requests sent by ``requests``, and every request and answer
validated against the schema the server itself serves at ``/api/schema/``.

Every GET operation of the schema is called, in every content type its 200 declares (JSON, CSV,
the zip), and the test fails when the schema gains an operation this file does not call. Error
answers are validated too: 400 (an unknown or bad parameter on every list), 401 (a wrong
token), 403, 404 (an unknown key on every detail, a page past the end, an unknown path), 412,
413 (a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) and 429 (throttled), as are the editors'
writes. ``tests/api/test_openapi_validation.py`` runs the same validator in-process (faster,
finer cases); schemathesis (``test_schemathesis.py``) fuzzes the same live server.
"""

from __future__ import annotations

import re

import pytest
import requests
from django.contrib.auth.models import Permission
from django.core.cache import cache
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.deserializing.media_types.util import plain_loads
from rest_framework.authtoken.models import Token

from articles import editing
from articles.models import ReportedFigure
from spending.models import AggregateFigure, MemberState, SpendingFigure, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 120  # seconds per request: building the schema on a busy 2-core machine is slow
EDITOR_KEY = "e" * 40
READER_KEY = "r" * 40
MEDIA_FORMATS = {"application/json": "json", "text/csv": "csv", "application/zip": None}


class Served:
    """The live server, its schema, and a request that validates what it sends and gets."""

    def __init__(self, url: str, spec: dict):
        self.url = url
        self.spec = spec
        # A CSV body is text in the charset its Content-Type names (as text/plain is).
        config = Config(extra_media_type_deserializers={"text/csv": plain_loads})
        self.openapi = OpenAPI.from_dict(spec, config=config)
        self.called: set[tuple[str, str, str]] = set()  # (method, path template, media type)

    def call(self, method: str, path: str, *, status: int, token: str | None = None, **kwargs):
        """``method path`` over HTTP; the answer must have ``status`` and, with the request
        (when it is meant to be valid), match the schema."""
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Token {token}"
        response = requests.request(
            method, self.url + path, headers=headers, timeout=TIMEOUT, **kwargs
        )
        assert response.status_code == status, (method, path, response.text[:300])
        request = RequestsOpenAPIRequest(response.request)
        if status < 400:
            self.openapi.validate_request(request)
        self.openapi.validate_response(request, RequestsOpenAPIResponse(response))
        return response


@pytest.fixture
def served(reference_data, statements, claims, editor, live_server) -> Served:
    link = editing.link_statement(
        statement=statements["rutte_usa"],
        figure=SpendingFigure.objects.filter(member__iso3="USA", year=2024).first(),
        target=Target.objects.get(code="2"),
        note="a note",
        user=editor,
    )
    Token.objects.create(user=editor, key=EDITOR_KEY)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_speaker", "change_reportedfigure"])
    )
    Token.objects.create(user=UserFactory(username="live-reader"), key=READER_KEY)
    spec = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=TIMEOUT).json()
    served = Served(live_server.url, spec)
    served.link = link
    served.statements = statements
    served.claims = claims
    return served


def example_values(served: Served) -> dict[str, str]:
    """A value naming something that exists, for every path parameter of the schema."""
    figure = served.claims["figure"]
    assert isinstance(figure, ReportedFigure)
    return {
        "iso3": "POL",
        "code": "3.5",  # a target's code
        "sources": "NATO_DIE2026",  # a source's code
        "slug": "mark-rutte",
        "kind": "reported_figure",
        "format": ".json",
        "figures": str(SpendingFigure.objects.filter(member__iso3="POL").first().pk),
        "aggregates": str(AggregateFigure.objects.first().pk),
        "articles": str(served.statements["rutte_usa"].article_id),
        "statements": str(served.statements["rutte_usa"].pk),
        "statement-links": str(served.link.pk),
        "claims": str(figure.pk),
        "history": str(figure.pk),
    }


def path_of(template: str, values: dict[str, str]) -> str:
    """``/api/v1/allies/{iso3}/`` → ``/api/v1/allies/POL/`` (``{id}`` by the resource)."""
    resource = template.split("/")[3]

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "id":
            return values[resource]
        if name == "code" and resource == "sources":
            return values["sources"]
        return values[name]

    return re.sub(r"\{(\w+)\}", value, template)


def get_operations(spec: dict) -> list[tuple[str, list[str], bool]]:
    """``(path template, media types of its 200, whether it needs an editor)`` of every GET."""
    operations = []
    for template, methods in spec["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        media = list(operation["responses"]["200"].get("content", {}))
        anonymous = {} in operation.get("security", [{}])
        operations.append((template, media, not anonymous))
    return operations


def test_every_read_in_every_declared_format_matches_the_served_schema(served):
    values = example_values(served)
    operations = get_operations(served.spec)
    assert len(operations) >= 20
    for template, media_types, needs_editor in operations:
        path = path_of(template, values)
        token = EDITOR_KEY if needs_editor else None
        for media in media_types:
            fmt = MEDIA_FORMATS[media]
            params = {"format": fmt} if fmt and "{format}" not in template else {}
            response = served.call("get", path, status=200, token=token, params=params)
            assert response.headers["Content-Type"].split(";")[0] == media, (path, media)
            served.called.add(("get", template, media))
    declared = {(("get", t, m)) for t, media, _ in operations for m in media}
    assert served.called == declared


def test_lists_and_details_with_filters_gzip_and_conditional_requests(served):
    cases = [
        ("/api/v1/allies/", {"member_in": 2000, "page": 1, "page_size": 5}),
        ("/api/v1/allies/ISL/", {}),
        ("/api/v1/figures/", {"ally": ["ISL", "POL"], "year": 2024, "format": "csv"}),
        ("/api/v1/figures/", {"as_of": "2024-04-01", "metric": "pct_gdp"}),
        ("/api/v1/aggregates/", {"all_editions": "true", "format": "csv"}),
        ("/api/v1/compliance/", {"target": ["2", "3.5"], "year": [2023, 2024]}),
        ("/api/v1/compliance/", {"target": "equipment-20", "ally": "ISL", "format": "csv"}),
        ("/api/v1/claims/", {"ally": ["USA", "ESP"], "format": "csv"}),
        ("/api/v1/statements/", {"q": "share", "ordering": "-id"}),
        ("/api/v1/speakers/", {"q": "rutte", "format": "csv"}),
        ("/api/v1/sources/", {"is_nato_edition": "true"}),
    ]
    for path, params in cases:
        response = served.call(
            "get", path, status=200, params=params, headers={"Accept-Encoding": "gzip"}
        )
    etag = served.call("get", "/api/v1/targets/", status=200).headers["ETag"]
    served.call("get", "/api/v1/targets/", status=304, headers={"If-None-Match": etag})
    assert response.headers.get("Content-Encoding") in (None, "gzip")


def test_error_answers_match_the_served_schema(served, settings):
    values = example_values(served)
    operations = get_operations(served.spec)
    # 400: a parameter the endpoint does not take, on every read that takes parameters.
    for template, _, needs_editor in operations:
        token = EDITOR_KEY if needs_editor else None
        path = path_of(template, values)
        response = served.call("get", path, status=400, token=token, params={"nope": "1"})
        assert "nope" in response.json()
    # 400: bad values.
    for path, params in [
        ("/api/v1/figures/", {"year": "abc"}),
        ("/api/v1/figures/", {"year": ""}),
        ("/api/v1/allies/", {"member_in": "1", "format": "xml"}),
        ("/api/v1/compliance/", {"year": 1950}),
        ("/api/v1/claims/", {"ally": "ZZZ", "format": "csv"}),
        ("/api/v1/figures/", {"page_size": "0"}),
    ]:
        served.call("get", path, status=400, params=params)
    # 404: an unknown key on every detail, a page past the end, an unknown kind.
    for template, _, needs_editor in operations:
        if "{" not in template or "{format}" in template:
            continue
        unknown = dict.fromkeys(values, "999999")
        unknown.update(iso3="ZZZ", code="no-such-code", slug="no-such-speaker")
        path = path_of(template, unknown)
        token = EDITOR_KEY if needs_editor else None
        served.call("get", path, status=404, token=token)
    served.call("get", "/api/v1/statements/", status=404, params={"page": 99})
    # 401: a wrong token, on every read that authenticates.
    for template, _media, _ in operations:
        operation = served.spec["paths"][template]["get"]
        if "401" in operation["responses"]:
            path = path_of(template, values)
            served.call("get", path, status=401, token="not-a-token")
    # 403: a user without the permission.
    served.call(
        "post", "/api/v1/speakers/", status=403, token=READER_KEY, json={"name": "Kaja Kallas"}
    )
    # 412: a write with the ETag of an older version.
    statement = served.statements["hegseth_deu"]
    served.call(
        "post",
        f"/api/v1/statements/{statement.pk}/review/",
        status=412,
        token=EDITOR_KEY,
        json={"status": "reviewed"},
        headers={"If-Match": '"not-the-current-version"'},
    )
    # 413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = served.call(
        "post", "/api/v1/speakers/", status=413, token=EDITOR_KEY, json={"name": too_big}
    )
    assert "larger than" in response.json()["detail"]


def test_throttled_answers_match_the_served_schema(served, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "100/minute"},
    }
    cache.clear()  # the fixture's request for the schema counted too
    served.call("get", "/api/v1/targets/", status=200)
    served.call("get", "/api/v1/allies/", status=200)
    response = served.call("get", "/api/v1/sources/", status=429)
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["detail"]


def test_editor_writes_match_the_served_schema(served):
    statement = served.statements["hegseth_deu"]
    figure = served.claims["figure"]
    usa = MemberState.objects.get(iso3="USA")
    cases = [
        ("post", "/api/v1/speakers/", {"name": "Kaja Kallas", "role": "EU"}, 201),
        ("post", "/api/v1/speakers/", {"name": ""}, 400),
        ("put", f"/api/v1/statements/{statement.pk}/speaker/", {"speaker": "mark-rutte"}, 200),
        ("put", f"/api/v1/statements/{statement.pk}/about/", {"allies": [usa.iso3]}, 400),
        ("put", f"/api/v1/statements/{statement.pk}/about/", {"allies": [], "targets": []}, 200),
        ("post", f"/api/v1/statements/{statement.pk}/review/", {"status": "reviewed"}, 200),
        ("post", "/api/v1/statement-links/", {"statement": statement.pk, "target": "5"}, 201),
        ("post", f"/api/v1/claims/reported_figure/{figure.pk}/verdict/", {}, 200),
        ("delete", f"/api/v1/statement-links/{served.link.pk}/", None, 204),
        ("post", "/api/v1/auth/token/", {"username": "nobody", "password": "wrong"}, 400),
    ]
    for method, path, body, status in cases:
        kwargs = {"json": body} if body is not None else {}
        served.call(method, path, status=status, token=EDITOR_KEY, **kwargs)
    rotated = served.call("post", "/api/v1/auth/token/rotate/", status=200, token=EDITOR_KEY)
    served.call("delete", "/api/v1/auth/token/", status=204, token=rotated.json()["token"])
