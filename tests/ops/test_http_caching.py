"""HTTP caching for reuse at scale: ETag/Last-Modified and 304s from the data version,
Cache-Control (public for anonymous reads, private for anyone with credentials), gzip of public
JSON and CSV only (BREACH), and CORS for anonymous API reads only."""

from __future__ import annotations

import gzip

import pytest
from django.core.cache import cache
from django.utils.http import http_date, parse_http_date
from rest_framework.authtoken.models import Token

from nato_tracker.data_version import bump_data_version, data_changed_at, data_version
from spending.models import MemberState
from tests.factories import StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

ALLIES = "/api/v1/allies/"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_data_version_says_when_it_was_made():
    before = data_version()
    assert data_version() == before
    bump_data_version()
    after = data_version()
    assert after != before
    assert data_changed_at(after) >= data_changed_at(before)
    assert data_changed_at("not-a-version-") is None
    cache.set("data-version:official", "0123456789abcdef0123456789abcdef")  # an older format
    assert data_changed_at(data_version()) is not None


def test_an_editors_write_leaves_the_official_data_version_alone():
    statement = StatementFactory()
    official, reports = data_version("official"), data_version("reports")
    statement.text = "Edited"
    statement.save()
    assert data_version("official") == official
    assert data_version("reports") != reports
    assert data_version() == f"{official}.{data_version('reports')}"
    MemberState.objects.get(iso3="POL").save()
    assert data_version("official") != official


def test_etag_and_last_modified_give_304_until_the_data_changes(client):
    first = client.get(ALLIES, **JSON)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    assert first["Cache-Control"] == "public, max-age=60"
    assert parse_http_date(last_modified) >= int(data_changed_at(data_version()).timestamp())
    assert client.get(ALLIES, **JSON)["Last-Modified"] == last_modified  # kept per version

    again = client.get(ALLIES, HTTP_IF_NONE_MATCH=etag, **JSON)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=60"
    assert client.get(ALLIES, HTTP_IF_MODIFIED_SINCE=last_modified, **JSON).status_code == 304
    older = http_date(parse_http_date(last_modified) - 3600)
    assert client.get(ALLIES, HTTP_IF_MODIFIED_SINCE=older, **JSON).status_code == 200
    # Another representation (CSV) has another ETag.
    assert client.get(ALLIES + "?format=csv")["ETag"] != etag

    poland = MemberState.objects.get(iso3="POL")
    poland.name = "Poland (renamed)"
    poland.save()  # a write bumps the data version: old validators no longer match
    changed = client.get(ALLIES, HTTP_IF_NONE_MATCH=etag, **JSON)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Poland (renamed)" in changed.content.decode()


def test_pages_get_validators_too_and_a_304_of_the_api_still_counts_against_the_rate(
    client, settings
):
    page = client.get("/countries/poland/")
    assert client.get("/countries/poland/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "100/minute"},
    }
    etag = client.get(ALLIES, **JSON)["ETag"]
    statuses = [client.get(ALLIES, HTTP_IF_NONE_MATCH=etag, **JSON).status_code for _ in range(2)]
    assert statuses == [304, 429]


def test_credentials_get_private_no_store_and_no_validators(client, admin_user):
    user = UserFactory(username="reader")
    token = Token.objects.create(user=user)
    answer = client.get(ALLIES, HTTP_AUTHORIZATION=f"Token {token.key}", **JSON)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    assert "ETag" not in answer
    client.force_login(admin_user)
    page = client.get("/countries/poland/")
    assert "no-store" in page["Cache-Control"] and "public" not in page["Cache-Control"]
    assert "ETag" not in page


def test_a_page_with_a_csrf_token_is_private(client):
    login = client.get("/accounts/login/")  # never shared, never public
    assert "public" not in login.get("Cache-Control", "")


def test_gzip_for_public_json_and_csv_only(client, admin_user, settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    for url in (ALLIES, ALLIES + "?format=csv", "/api/v1/figures/?format=csv"):
        answer = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate", **JSON)
        assert answer["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in answer["Vary"]
        body = gzip.decompress(content(answer))
        plain = client.get(url, **JSON)  # no Accept-Encoding: not compressed (nor from the cache)
        assert "Content-Encoding" not in plain
        assert body == content(plain)
    hit = client.get(ALLIES, HTTP_ACCEPT_ENCODING="gzip", **JSON)
    assert hit["X-Cache"] == "hit" and hit["Content-Encoding"] == "gzip"
    # HTML pages (forms, CSRF tokens) are not compressed by the app; neither is anything
    # answered to a request with credentials.
    assert "Content-Encoding" not in client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(admin_user)
    assert "Content-Encoding" not in client.get(ALLIES, HTTP_ACCEPT_ENCODING="gzip", **JSON)


def content(answer) -> bytes:
    """The body of an answer, streamed (large CSV) or not."""
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def test_the_token_answer_is_never_compressed(client):
    user = UserFactory(username="scripter")
    user.set_password("a long enough password 1")
    user.save()
    answer = client.post(
        "/api/v1/auth/token/",
        {"username": "scripter", "password": "a long enough password 1"},
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert answer.status_code == 200
    assert "Content-Encoding" not in answer
    assert answer.json()["token"]


ORIGIN = {"HTTP_ORIGIN": "https://reuser.example"}


def test_cors_for_anonymous_api_reads(client):
    answer = client.get(ALLIES, **ORIGIN, **JSON)
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    preflight = client.options(
        ALLIES,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        **ORIGIN,
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "authorization" not in preflight["Access-Control-Allow-Headers"].lower()


def test_no_cors_for_writes_credentials_or_pages(client, admin_user):
    def cors(answer) -> bool:
        return "Access-Control-Allow-Origin" in answer

    for method in ("POST", "PUT", "DELETE"):
        preflight = client.options(
            "/api/v1/statement-links/", HTTP_ACCESS_CONTROL_REQUEST_METHOD=method, **ORIGIN
        )
        assert not cors(preflight), method
    with_token = client.options(
        ALLIES,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
        **ORIGIN,
    )
    assert not cors(with_token)
    assert not cors(client.post("/api/v1/statement-links/", {}, **ORIGIN))
    assert not cors(client.get(ALLIES, HTTP_AUTHORIZATION="Token nope", **ORIGIN))
    assert not cors(client.get("/countries/poland/", **ORIGIN))
    client.force_login(admin_user)
    assert not cors(client.get(ALLIES, **ORIGIN, **JSON))
