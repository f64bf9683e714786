"""Security headers (CSP, HSTS, nosniff, Referrer-Policy), login rate limits, deploy checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.mark.parametrize("path", ["/", "/countries/poland/", "/statements/", "/api/v1/allies/"])
def test_pages_send_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_on_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_swagger_ui_inline_script_is_allowed_by_hash_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    scripts = csp(response)["script-src"]
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts
    inline = re.findall(r"<script>(.*?)</script>", response.content.decode(), re.S)
    assert inline and all(s.startswith("'sha256-") for s in scripts if s != "'self'")


def test_login_is_rate_limited(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_superuser("admin", "admin@example.org", "right-password-123")
    url = "/admin/login/?next=/admin/"
    for _ in range(2):
        response = client.post(url, {"username": "admin", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    # The third failure reaches the limit: locked out from then on.
    assert client.post(url, {"username": "admin", "password": "wrong"}).status_code == 429
    refused = client.post(url, {"username": "admin", "password": "wrong"})
    assert refused.status_code == 429
    # Even the right password is refused until the cool-off has passed.
    still = client.post(url, {"username": "admin", "password": "right-password-123"})
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked out.
    User.objects.create_superuser("other", "o@example.org", "other-password-456")
    ok = client.post(url, {"username": "other", "password": "other-password-456"})
    assert ok.status_code == 302


def test_api_token_login_is_rate_limited(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    User.objects.create_user("editor", password="editor-password-789")
    url = "/api/v1/auth/token/"
    for _ in range(2):
        client.post(url, {"username": "editor", "password": "wrong"})
    response = client.post(url, {"username": "editor", "password": "editor-password-789"})
    # Refused although the password is right, with a 429 as the login pages give.
    assert response.status_code == 429
    assert "token" not in response.json()
