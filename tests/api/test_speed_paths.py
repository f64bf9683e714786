"""The fast paths of the API give the same answers as the slow ones: the figures selected by a
cheap SQL filter are those of ``figures_frame``, official answers are kept until official data
changes (an editor's write leaves them; a change of a figure does not), and lists run a bounded
number of queries."""

from __future__ import annotations

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spending.api.views import select_figures
from spending.models import Source, SpendingFigure
from spending.selectors import LATEST, Vintage, figures_frame
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def vintages() -> list[Vintage]:
    editions = list(Source.objects.editions().order_by("published"))
    days = [e.edition_published for e in editions if e.edition_published]
    days += [e.published for e in editions if e.published] + [datetime.date(2025, 1, 1)]
    return [
        LATEST,
        *(Vintage(edition=e.code) for e in editions),
        *(Vintage(as_of=day) for day in days),
    ]


@pytest.mark.parametrize("all_editions", [False, True])
def test_the_selection_filter_is_the_figures_frame_rule(all_editions):
    for vintage in vintages():
        frame = figures_frame(vintage=vintage, all_editions=all_editions)
        expected = set() if frame.empty else {int(i) for i in frame["id"]}
        selected = set(
            select_figures(
                SpendingFigure.objects.all(), vintage, all_editions=all_editions
            ).values_list("pk", flat=True)
        )
        assert selected == expected, vintage


@pytest.fixture
def answer_cache(settings):
    settings.API_ANSWER_CACHE_SECONDS = 60
    cache.clear()


def test_official_answers_are_kept_until_official_data_changes(client_anon, answer_cache):
    cache.clear()
    url = "/api/v1/figures/?ally=POL&year=2024&metric=pct_gdp"
    first = client_anon.get(url, HTTP_ACCEPT="application/json").json()["results"]
    with CaptureQueriesContext(connection) as queries:
        again = client_anon.get(url, HTTP_ACCEPT="application/json")
    assert len(queries) == 0  # answered from the kept answer
    assert again.json()["results"] == first
    StatementFactory()  # an editor's write (reports): the answer stays
    with CaptureQueriesContext(connection) as queries:
        client_anon.get(url)
    assert len(queries) == 0
    figure = SpendingFigure.objects.get(pk=int(first[0]["id"]))
    figure.value = 9.99
    figure.save()  # official data changed: built afresh
    fresh = client_anon.get(url, HTTP_ACCEPT="application/json").json()["results"]
    assert fresh[0]["value"] == "9.99"


def streamed_body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_streamed_official_csv_is_kept_once_sent_whole(client_anon, answer_cache):
    url = "/api/v1/figures/?format=csv&all_editions=true"  # over CSV_CHUNK_ROWS rows: streamed
    first = client_anon.get(url)
    assert first.streaming
    first_body = streamed_body(first)
    with CaptureQueriesContext(connection) as queries:
        again = client_anon.get(url)
    assert len(queries) == 0  # the kept bytes
    assert again.content == first_body
    assert again["X-Truncated"] == first["X-Truncated"] == "false"
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"].startswith("text/csv")


def test_a_kept_answer_is_given_gzipped_or_plain_as_the_client_takes_it(client_anon, answer_cache):
    url = "/api/v1/figures/?format=csv&all_editions=true"
    built = streamed_body(client_anon.get(url))  # no Accept-Encoding: plain, then kept
    zipped = client_anon.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert not zipped.streaming  # the kept answer
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Length"] == str(len(zipped.content))
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == built
    plain = client_anon.get(url)
    assert not plain.streaming and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    assert plain.content == built
    assert plain["Content-Type"] == zipped["Content-Type"]


def test_only_the_gzip_bytes_of_a_long_answer_are_kept():
    from nato_tracker.api.cache import kept_body

    long = b"ally,year,value\n" + b"POL,2024,4.12\n" * 1000
    body, encoding = kept_body(long)
    assert encoding == "gzip" and len(body) < len(long) / 10
    assert gzip.decompress(body) == long
    assert kept_body(b"a,b\n1,2\n") == (b"a,b\n1,2\n", "")  # too short to compress


def test_a_streamed_answer_is_kept_only_when_sent_whole(answer_cache):
    from django.http import StreamingHttpResponse

    from nato_tracker.api.cache import OfficialAnswerCacheMixin

    def answer():
        return StreamingHttpResponse(iter([b"a,b\n", b"1,2\n"]), content_type="text/csv")

    keeper = OfficialAnswerCacheMixin()
    left = keeper._kept_stream(("k-left", "v1"), (response := answer()), response.streaming_content)
    assert next(left) == b"a,b\n"
    left.close()  # the client went away after one chunk
    assert cache.get("k-left") is None  # nothing kept, not a truncated copy
    whole = keeper._kept_stream(
        ("k-whole", "v1"), (response := answer()), response.streaming_content
    )
    assert b"".join(whole) == b"a,b\n1,2\n"
    assert cache.get("k-whole")[3] == b"a,b\n1,2\n"
    assert cache.get("k-whole")[0] == "v1"  # kept with the official data version


def test_a_kept_answer_still_validates_and_throttles(client_anon, settings, answer_cache):
    cache.clear()
    url = "/api/v1/compliance/?target=2&year=2024"
    assert client_anon.get(url).status_code == 200
    assert client_anon.get(url + "&bogus=1").status_code == 400
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "100/minute"},
    }
    cache.clear()
    assert client_anon.get(url).status_code == 200
    assert client_anon.get(url).status_code == 429


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/figures/",
        "/api/v1/figures/?as_of=2025-01-01",
        "/api/v1/figures/?edition=NATO_DE2024_GRAPHICNEWS&format=csv",
        "/api/v1/aggregates/",
        "/api/v1/compliance/?target=2,3.5&year=2024,2025",
    ],
)
def test_official_lists_run_few_queries_when_built(client_anon, url, settings):
    settings.API_ANSWER_CACHE_SECONDS = 0  # build every answer
    cache.clear()
    client_anon.get(url)  # fills the small data caches (years, selections)
    with CaptureQueriesContext(connection) as queries:
        first = client_anon.get(url, HTTP_ACCEPT="application/json")
        second = client_anon.get(url, HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(queries) <= 2 * 6, [q["sql"][:120] for q in queries]  # no query per row


def test_the_rate_limit_counts_in_one_number_per_client(client_anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    cache.clear()
    codes = [client_anon.get("/api/v1/targets/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    refused = client_anon.get("/api/v1/targets/")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert cache.get("throttle_anon_127.0.0.1") == 6  # a counter, not a list of every request


def test_each_request_counts_in_one_window_anonymous_or_user(
    client_anon, client_user, plain_user, settings
):
    """An anonymous client is counted at the ``anon`` rate by address, a user at the ``user``
    rate by account: one counter (one cache round trip) per request, never both."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    cache.clear()
    assert [client_anon.get("/api/v1/targets/").status_code for _ in range(4)] == [
        *[200] * 3,
        429,
    ]
    assert cache.get("throttle_anon_127.0.0.1") == 4
    assert cache.get("throttle_user_127.0.0.1") is None  # DRF's user throttle counted here too
    assert [client_user.get("/api/v1/targets/").status_code for _ in range(6)] == [
        *[200] * 5,
        429,
    ]
    assert cache.get(f"throttle_user_{plain_user.pk}") == 6
    assert cache.get("throttle_anon_127.0.0.1") == 4
    refused = client_user.get("/api/v1/targets/")
    assert 0 < int(refused["Retry-After"]) <= 60


def test_kept_answers_are_given_gzipped_only_as_the_compression_rule_allows(
    client_anon, answer_cache, client_editor
):
    import gzip

    url = "/api/v1/figures/?year=2024"
    plain = client_anon.get(url).content
    kept = client_anon.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert kept["Content-Encoding"] == "gzip" and "Accept-Encoding" in kept["Vary"]
    assert gzip.decompress(kept.content) == plain
    assert client_anon.get(url).content == plain  # no gzip asked: none given
    with_token = client_editor.get(url, HTTP_ACCEPT_ENCODING="gzip")  # kept, but credentials:
    assert "Content-Encoding" not in with_token  # never compressed (BREACH)
    assert with_token.content == plain
