"""The shared answer cache (invalidated by any data change) and 400s for malformed queries."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spending.models import MemberState

pytestmark = pytest.mark.django_db


@pytest.fixture
def response_cache(settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_anonymous_pages_are_cached_until_the_data_changes(client, response_cache):
    first = client.get("/countries/poland/")
    assert first["X-Cache"] == "miss"
    second = client.get("/countries/poland/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    poland = MemberState.objects.get(slug="poland")
    poland.name = "Poland (renamed for the test)"
    poland.save()  # any save bumps the data version
    third = client.get("/countries/poland/")
    assert third["X-Cache"] == "miss"
    assert "Poland (renamed for the test)" in third.content.decode()


def test_signed_in_users_and_api_formats_are_not_mixed_up(client, response_cache, admin_user):
    json_answer = client.get("/api/v1/allies/", HTTP_ACCEPT="application/json")
    csv_answer = client.get("/api/v1/allies/?format=csv")
    assert json_answer["Content-Type"].startswith("application/json")
    assert csv_answer["Content-Type"].startswith("text/csv")
    assert client.get("/api/v1/allies/", HTTP_ACCEPT="application/json")["X-Cache"] == "hit"
    client.force_login(admin_user)
    assert "X-Cache" not in client.get("/countries/poland/")


def test_a_kept_answer_is_read_with_the_data_version_in_one_round_trip(
    client, response_cache, monkeypatch
):
    client.get("/countries/poland/")  # kept
    reads, inside = [], []  # (the local-memory cache's get_many calls its get: not counted)
    get, get_many = cache.get, cache.get_many

    def counted_get(*args, **kwargs):
        if not inside:
            reads.append("get")
        return get(*args, **kwargs)

    def counted_get_many(*args, **kwargs):
        reads.append("get_many")
        inside.append(True)
        try:
            return get_many(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    assert client.get("/countries/poland/")["X-Cache"] == "hit"
    assert reads == ["get_many"]  # the data version and the kept answer, together


def test_an_answer_kept_under_an_older_version_is_not_served_and_is_replaced(
    client, response_cache
):
    from nato_tracker.data_version import bump_data_version

    assert client.get("/countries/poland/")["X-Cache"] == "miss"
    bump_data_version("reports")  # e.g. an editor's write
    assert client.get("/countries/poland/")["X-Cache"] == "miss"
    assert client.get("/countries/poland/")["X-Cache"] == "hit"


BAD_QUERIES = [
    "/statements/?q=%00",
    "/statements/?speaker=%00",
    "/statements/?q=a%01b",
    "/api/v1/statements/?q=%00",
    "/api/v1/figures/?ordering=%00",
    "/statements/?q=%ff%fe",
    "/statements/?q=" + "a" * 5000,
    "/?as_of=garbage",
    "/?edition=zzz",
    "/?year=999999999999999999999",
    "/countries/poland/?as_of=2024-13-45",
    "/statements/?page=abc",
    "/statements/?page=99999999999999999999",
    "/api/v1/compliance/?target=abc&year=2024",
    "/api/v1/compliance/?target=2&year=99999999999999999999",
    "/api/v1/figures/?year=%00",
    "/api/v1/figures/?as_of=x",
]


@pytest.mark.parametrize("url", BAD_QUERIES)
def test_malformed_and_oversized_parameters_get_4xx_not_5xx(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


PAGES = ["/", "/countries/poland/", "/statements/", "/api/v1/figures/", "/api/v1/statements/"]
PARAMS = ["q", "as_of", "edition", "year", "page", "page_size", "target", "speaker", "ordering"]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    path=st.sampled_from(PAGES),
    params=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=60), max_size=4),
)
def test_fuzzed_query_parameters_never_give_5xx(client, path, params):
    response = client.get(path, params)
    assert response.status_code < 500, (path, params, response.status_code)


def test_cached_api_answers_still_count_against_the_anonymous_rate(
    client, response_cache, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    answers = [client.get("/api/v1/allies/", HTTP_ACCEPT="application/json") for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert [a.get("X-Cache") for a in answers[:3]] == ["miss", "hit", "hit"]
    assert int(answers[3]["Retry-After"]) > 0
    assert client.get("/countries/poland/").status_code == 200  # pages are not rate-limited


@pytest.mark.parametrize("api_view", [False, True])
def test_the_data_version_is_read_before_the_view_and_names_its_answer(api_view):
    """Without the response cache or conditional headers, an anonymous read's data version is
    read just before the view (an API view's rate limit reads it with its count: not before), so
    an answer's ETag never names a version newer than the data the view read; an answer no view
    read a version for gets no validators."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from rest_framework.views import APIView

    from nato_tracker.data_version import bump_data_version, data_version
    from nato_tracker.middleware import HttpCachingMiddleware

    seen = []

    def view(request):
        seen.append(getattr(request, "_data_version", None))
        bump_data_version("reports")  # a write while the view reads
        return HttpResponse("rows")

    if api_view:
        view.cls = APIView  # its throttle (ApiThrottle) reads the version: not the middleware

    def handler(request):  # Django's handler: process_view, then the view
        assert middleware.process_view(request, view, (), {}) is None
        return view(request)

    middleware = HttpCachingMiddleware(handler)
    before = data_version()
    request = RequestFactory().get("/statements/")
    response = middleware(request)
    if api_view:
        assert seen == [None] and not response.has_header("ETag")
    else:
        assert seen == [before]
        assert response["ETag"] == HttpCachingMiddleware.etag(request, before)
        assert response["Cache-Control"] == "public, max-age=60"
