"""An unreachable database gives a clean 503 (HTML, or JSON under /api/); bugs stay 500."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from nato_tracker.middleware import is_database_unavailable

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls_faults")]


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("path", ["/down/", "/closed/", "/locked/"])
def test_connectivity_errors_give_a_clean_503_page(client, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body and "psycopg" not in body and "connection refused" not in body


def test_api_gets_json_503(client):
    response = client.get("/api/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The database is temporarily unavailable. Please retry shortly."
    }


@pytest.mark.parametrize("path", ["/no-table/", "/bad-sql/"])
def test_real_database_bugs_are_not_swallowed(client, path):
    response = client.get(path)
    assert response.status_code == 500
    assert "Temporarily unavailable" not in response.content.decode()


def test_only_connectivity_errors_are_recognised():
    import psycopg

    def wrapped(cause):
        try:
            raise OperationalError(str(cause)) from cause
        except OperationalError as exc:
            return exc

    assert is_database_unavailable(wrapped(psycopg.OperationalError("server closed")))
    assert is_database_unavailable(wrapped(psycopg.errors.AdminShutdown("terminating")))
    assert is_database_unavailable(wrapped(psycopg.errors.CannotConnectNow("starting up")))
    assert not is_database_unavailable(wrapped(psycopg.errors.DeadlockDetected("deadlock")))
    assert not is_database_unavailable(ValueError("nope"))


def test_healthz_checks_the_database_and_livez_does_not(client):
    assert client.get("/healthz").content == b"ok\ndatabase: ok\ncache: local\n"
    assert client.get("/livez").content == b"ok\n"
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        down = client.get("/healthz")
        alive = client.get("/livez")
    assert down.status_code == 503 and down["Retry-After"] == "5"
    assert alive.status_code == 200
    assert "no-cache" in down["Cache-Control"]
