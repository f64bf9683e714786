"""Errors under /api/ are JSON, always (unknown paths, malformed path parameters, 500, oversized
bodies, bad Host, the services' own errors); pages keep their HTML error pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client
from rest_framework import exceptions
from rest_framework.test import APIClient

from nato_tracker.api.errors import as_api_exception
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def http():
    """A client that gets the error answers (500 included) instead of the exceptions."""
    return Client(raise_request_exception=False)


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body, dict) and body
    return body


def assert_html_error(response, status: int) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/nothing-here/",
        "/api/v1/no-such-list/",
        "/api/v2/allies/",
        "/api/v1/allies/POL/extra/",
        # path parameters that match no route (the converters want whole numbers)
        "/api/v1/claims/reported_figure/abc/verdict/",
        "/api/v1/history/statement/1.5/",
        "/api/v1/history/statement/revert/x/",
        # and those that reach a view but name nothing
        "/api/v1/figures/not-a-number/",
        "/api/v1/statements/-1/",
        "/api/v1/allies/ZZZ/",
    ],
)
def test_unknown_paths_and_malformed_path_parameters_are_json_404s(http, path):
    body = assert_json_error(http.get(path), 404)
    assert "detail" in body


def test_pages_keep_their_html_404(http):
    assert_html_error(http.get("/no-such-page/"), 404)


def test_a_server_error_under_api_is_json(http, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("spending.api.views.compliance", broken)
    body = assert_json_error(http.get("/api/v1/compliance/"), 500)
    assert "a bug" not in body["detail"] and "Traceback" not in body["detail"]


def test_a_server_error_on_a_page_is_html(http, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("pages.views.page_data.dashboard", broken)
    assert_html_error(http.get("/"), 500)


def test_a_bad_host_is_a_json_400_under_api_and_html_elsewhere(http):
    body = assert_json_error(http.get("/api/v1/targets/", HTTP_HOST="evil.example"), 400)
    assert "Host" in body["detail"]
    assert_html_error(http.get("/methodology/", HTTP_HOST="evil.example"), 400)


@pytest.fixture
def editor_client(db):
    user = UserFactory(username="writer")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_statementlink", "add_speaker"])
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_oversized_body_is_a_json_413(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"name": "Kaja Kallas", "role": "x" * 2000}
    response = editor_client.post("/api/v1/speakers/", body, format="json")
    assert "1,000 bytes" in assert_json_error(response, 413)["detail"]


def test_the_services_errors_reach_clients_as_json_without_translation_in_views(editor_client):
    # editing.create_speaker raises Django's ValidationError (name taken) and PermissionDenied
    # (aliases need add_speakeralias): the exception handler maps both.
    assert editor_client.post("/api/v1/speakers/", {"name": "Kaja Kallas"}).status_code == 201
    again = editor_client.post("/api/v1/speakers/", {"name": "Kaja Kallas"}, format="json")
    assert "already exists" in assert_json_error(again, 400)["name"][0]
    aliases = {"name": "Mette Frederiksen", "aliases": ["Frederiksen"]}
    refused = editor_client.post("/api/v1/speakers/", aliases, format="json")
    assert assert_json_error(refused, 403) == {"detail": "articles.add_speakeralias is required"}


@pytest.mark.parametrize(
    ("raised", "expected", "detail"),
    [
        (DjangoValidationError({"note": "Give a note."}), 400, {"note": ["Give a note."]}),
        (DjangoValidationError("Not both."), 400, {"non_field_errors": ["Not both."]}),
        (DjangoPermissionDenied("x is required"), 403, "x is required"),
        (DjangoPermissionDenied(), 403, exceptions.PermissionDenied.default_detail),
    ],
)
def test_django_exceptions_map_to_api_exceptions(raised, expected, detail):
    mapped = as_api_exception(raised)
    assert isinstance(mapped, exceptions.APIException)
    assert mapped.status_code == expected
    assert mapped.detail == detail


def test_other_exceptions_are_left_alone():
    error = RuntimeError("bug")
    assert as_api_exception(error) is error
