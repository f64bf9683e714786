"""Bounded memory per request: no list loads an article's text, every list a page shows is
paginated or a preview with "see all", big CSV answers are streamed, and what one article may
produce at ingestion is capped (issue 16, item 1; figures in docs/performance.md)."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import ingestion, selectors
from articles.ingestion import Ingestor
from articles.inputs import Document, Metadata
from articles.models import AggregateClaim, Article, ReportedFigure, Speaker, Statement
from spending.models import MemberState
from tests.editor.conftest import editors_group
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

ARTICLE_TEXT_COLUMN = re.compile(r'"articles_article"\."text"')
BIG = "x" * 200_000  # one article's text: lists must never carry it once per row


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def big_article(db):
    """One 200 KB article with 15 quotes about Poland by one speaker, and 25 reported figures
    for Poland."""
    poland = MemberState.objects.get(iso3="POL")
    speaker = SpeakerFactory(name="Busy Speaker", slug="busy-speaker")
    article = ArticleFactory(title="The long one", text=BIG, published=datetime.date(2025, 7, 1))
    for i in range(15):
        statement = StatementFactory(
            article=article, speaker=speaker, text=f"We spend more {i}", start=i * 100
        )
        statement.members.add(poland)
    for i in range(25):
        ReportedFigure.objects.create(
            article=article,
            member=poland,
            year=2024,
            metric="pct_gdp",
            value=4.1,
            sentence="Poland spent 4.1%.",
            start=i * 100,
            end=i * 100 + 5,
            check_latest={"verdict": "matches"},
            verdict="matches",
        )
    AggregateClaim.objects.create(
        article=article, kind="count_meeting", target_pct=2, year=2024, count=23, of_total=32
    )
    return article


def text_loads(context) -> int:
    """How many of the captured queries select the article text column."""
    return sum(bool(ARTICLE_TEXT_COLUMN.search(q["sql"])) for q in context.captured_queries)


def editor_client() -> Client:
    user = UserFactory(username="bounded-editor")
    user.groups.add(editors_group())
    client = Client()
    client.force_login(user)
    return client


LISTS = [
    "/",
    "/countries/poland/",
    "/statements/",
    "/statements/?ally=poland",
    "/speakers/",
    "/speakers/busy-speaker/",
    "/articles/",
    "/feeds/statements/",
    "/feeds/allies/POL/",
    "/feeds/speakers/busy-speaker/",
    "/api/v1/statements/",
    "/api/v1/statements/?ally=POL",
    "/api/v1/statements/?format=csv",
    "/api/v1/claims/",
    "/api/v1/claims/?format=csv",
    "/api/v1/articles/",
    "/api/v1/articles/?format=csv",
]


@pytest.mark.parametrize("url", LISTS)
def test_lists_never_select_the_article_text(client, big_article, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        body = response.getvalue()
    assert response.status_code == 200, url
    assert text_loads(context) == 0, url
    assert len(body) < len(BIG), url  # and the text is not in the answer either


@pytest.mark.parametrize("url", ["/editor/", "/editor/claims/", "/editor/claims/?show=all"])
def test_editor_lists_load_at_most_the_texts_they_quote_from(big_article, url):
    client = editor_client()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    # The queue shows each quote in its context: one text per article of the page, once.
    assert text_loads(context) <= (1 if url == "/editor/" else 0)


def test_article_page_loads_its_text_once_and_previews_its_lists(client, big_article):
    with CaptureQueriesContext(connection) as context:
        response = client.get(big_article.get_absolute_url())
    assert response.status_code == 200
    assert text_loads(context) == 1
    html = response.content.decode()
    assert html.count('class="quote"') == 15  # every quote highlighted in the text
    assert html.count('<li class="statement">') == selectors.PREVIEW_STATEMENTS
    assert f'/statements/?article={big_article.pk}">See all 15 quotations' in html
    assert html.count("Poland</a>, 2024") == selectors.PREVIEW_CLAIMS
    assert f"first {selectors.PREVIEW_CLAIMS} of 25 figures" in html
    assert f"/api/v1/claims/?article={big_article.pk}" in html


def test_statement_page_loads_its_article_text_once(client, big_article):
    statement = big_article.statements.first()
    with CaptureQueriesContext(connection) as context:
        assert client.get(statement.get_absolute_url()).status_code == 200
    assert text_loads(context) == 1


def test_ally_page_previews_statements_and_figures_with_see_all(client, big_article):
    html = client.get("/countries/poland/").content.decode()
    assert html.count('<li class="statement">') == selectors.PREVIEW_STATEMENTS
    assert 'href="/statements/?ally=poland">See all 15 statements about Poland' in html
    assert "/api/v1/claims/?kind=reported_figure&amp;ally=POL" in html
    assert "See all 25 figures reported for Poland" in html
    listed = client.get("/statements/?ally=poland")
    assert listed.context["page"].paginator.count == 15


@pytest.mark.parametrize(
    "url", ["/countries/poland/", "/api/v1/statements/?page_size=20", "/api/v1/claims/"]
)
def test_query_count_does_not_grow_with_the_rows(client, url):
    """More rows than a preview or a page shows, or many more: the same number of queries
    (previews, pages, prefetching). (A list shorter than its page is one query fewer: its count
    is the rows read, ``nato_tracker.paginator``; 21 rows fill a page of 20.)"""
    poland = MemberState.objects.get(iso3="POL")

    def add(n: int) -> None:
        article = ArticleFactory()
        for i in range(n):
            StatementFactory(article=article, start=i * 100).members.add(poland)
            ReportedFigure.objects.create(
                article=article, member=poland, year=2024, metric="pct_gdp", value=2,
                start=i * 100, end=i * 100 + 5,
            )  # fmt: skip

    add(selectors.PREVIEW_CLAIMS + 1)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(30)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), url


def test_statements_page_filters_by_article_and_paginates(client, big_article):
    other = ArticleFactory()
    StatementFactory(article=other, text="Elsewhere")
    page = client.get(f"/statements/?article={big_article.pk}")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 15
    assert "The long one" in page.content.decode()
    assert client.get("/statements/?article=999999").status_code == 400
    assert client.get("/statements/?article=abc").status_code == 400


def test_speakers_page_is_paginated(client):
    from articles.views import SPEAKERS_PAGE_SIZE

    Speaker.objects.bulk_create(
        Speaker(name=f"Person {i:03d}", slug=f"person-{i:03d}") for i in range(105)
    )
    first = client.get("/speakers/")
    assert len(first.context["speakers"]) == SPEAKERS_PAGE_SIZE
    assert 'href="?page=2"' in first.content.decode()
    assert len(client.get("/speakers/?page=2").context["speakers"]) == 105 - SPEAKERS_PAGE_SIZE
    assert client.get("/speakers/?page=9").status_code == 400


def test_editor_queue_caps_the_statements_of_one_article(monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_STATEMENTS_PER_ARTICLE", 4)
    article = ArticleFactory()
    for i in range(9):
        StatementFactory(article=article, start=i * 100)
    html = editor_client().get("/editor/").content.decode()
    assert html.count('class="queue-statement"') == 4
    assert "The first 4 of 9 statements to review" in html


# --------------------------------------------------------------------------- streamed CSV


@pytest.fixture
def small_chunks(monkeypatch):
    import nato_tracker.api.renderers as renderers

    monkeypatch.setattr(renderers, "CSV_CHUNK_ROWS", 4)


def read_csv(response) -> tuple[list[str], list[dict]]:
    text = response.getvalue().decode()
    return next(csv.reader(io.StringIO(text))), list(csv.DictReader(io.StringIO(text)))


def test_big_csv_lists_are_streamed_with_the_fixed_columns(client, big_article, small_chunks):
    streamed = client.get("/api/v1/statements/?format=csv")
    assert streamed.streaming and streamed["X-Truncated"] == "false"
    assert streamed["Content-Disposition"] == 'attachment; filename="statements.csv"'
    header, rows = read_csv(streamed)
    json_rows = client.get("/api/v1/statements/?page_size=100").json()["results"]
    assert [int(r["id"]) for r in rows] == [r["id"] for r in json_rows]
    small = client.get("/api/v1/statements/?format=csv&q=nomatchatall")
    assert small.status_code == 200 and not small.streaming  # one chunk: answered at once
    claims = client.get("/api/v1/claims/?format=csv")
    assert claims.streaming
    _, claim_rows = read_csv(claims)
    assert len(claim_rows) == 26
    assert [r["id"] for r in claim_rows] == [
        str(r["id"]) for r in client.get("/api/v1/claims/?page_size=100").json()["results"]
    ]
    assert header == read_csv(client.get("/api/v1/statements/?format=csv&q=nomatchatall"))[0]


def test_streamed_csv_is_cut_at_the_maximum(client, big_article, small_chunks, monkeypatch):
    import nato_tracker.api.renderers as renderers

    monkeypatch.setattr(renderers, "CSV_MAX_ROWS", 6)
    statements = client.get("/api/v1/statements/?format=csv")
    assert statements["X-Truncated"] == "true" and len(read_csv(statements)[1]) == 6
    claims = client.get("/api/v1/claims/?format=csv")
    assert claims["X-Truncated"] == "true" and len(read_csv(claims)[1]) == 6


# --------------------------------------------------------------------------- ingestion limits


def test_ingestion_keeps_the_first_quotes_and_figures_and_says_so(monkeypatch, client):
    monkeypatch.setitem(ingestion.LIMITS, "statements", 2)
    monkeypatch.setitem(ingestion.LIMITS, "figures", 1)
    text = (
        "Allies pledge more\n\nJune 5, 2025\n\n"
        + " ".join(
            f"“We will spend much more on defence this year, number {i},” Mark Rutte said."
            for i in range(5)
        )
        + " Poland spent 4.1% of GDP on defence in 2024. Germany spent 2.1% of GDP in 2024."
    )
    metadata = Metadata(title="Many", published=datetime.date(2025, 6, 5))
    document = Document("many.txt", text, metadata)
    dry = Ingestor().dry_run(document)
    result = Ingestor().ingest(document)
    assert result.limits_reached == dry.limits_reached
    assert result.limits_reached["statements"] == {"found": 5, "kept": 2}
    assert result.limits_reached["figures"]["kept"] == 1
    article = Article.objects.get(pk=result.article_id)
    assert article.limits_reached == result.limits_reached
    kept = list(Statement.objects.filter(article=article).order_by("start"))
    assert len(kept) == 2 and "number 0" in kept[0].text and "number 1" in kept[1].text
    assert ReportedFigure.objects.filter(article=article).count() == 1
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="limits-reached"' in html and "5 statements found, the first 2 kept" in html
    from articles.management.commands.ingest_articles import _line

    assert "limit per article reached: 5 statements found, 2 kept" in _line(result)


def test_limits_are_named_constants():
    assert ingestion.LIMITS["statements"] == ingestion.MAX_STATEMENTS_PER_ARTICLE
    assert ingestion.LIMITS["figures"] == ingestion.MAX_FIGURES_PER_ARTICLE
    assert ingestion.MAX_STATEMENTS_PER_ARTICLE <= 1000


def long_article(quotes: int) -> Article:
    """A 250,000-character article in lines of 1,000, with a quote starting every 10,000
    characters (``quotes`` of them) and as many reported figures."""
    poland = MemberState.objects.get(iso3="POL")
    line = "y" * 999 + "\n"
    article = ArticleFactory(title="Very long", text=line * 250 + f"{quotes} quotes.")
    for i in range(quotes):
        start = i * 10_000 + 500
        StatementFactory(article=article, text="z" * 20, start=start, end=start + 20)
        ReportedFigure.objects.create(
            article=article, member=poland, year=2024, metric="pct_gdp", value=2,
            start=start, end=start + 5,
        )  # fmt: skip
    return article


def test_long_article_text_is_shown_a_part_at_a_time(client):
    article = long_article(25)
    url = article.get_absolute_url()
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    # Three parts of at most 100,000 characters, cut after a line break.
    assert response.context["page"].paginator.num_pages == 3
    assert "shown in 3 parts: part 1." in html
    assert html.count("y" * 999) == 90  # 100 lines, 10 of them split by a highlighted quote
    assert html.count('class="quote"') == 10  # the quotes of this part only
    assert 'href="?page=2" rel="next"' in html
    assert len(html) < 130_000
    # The lists stay previews with their totals and "see all" links, whatever the part.
    assert html.count('<li class="statement">') == selectors.PREVIEW_STATEMENTS
    assert f'/statements/?article={article.pk}">See all 25 quotations' in html
    assert f"first {selectors.PREVIEW_CLAIMS} of 25 figures" in html
    with CaptureQueriesContext(connection) as middle:
        assert client.get(url + "?page=2").status_code == 200
    with CaptureQueriesContext(connection) as last:
        html = client.get(url + "?page=3").content.decode()
    assert html.count("y" * 999) == 45
    assert html.count('class="quote"') == 5
    assert 'href="?page=2" rel="prev"' in html
    assert len(last.captured_queries) == len(middle.captured_queries)
    assert client.get(url + "?page=4").status_code == 400
    assert client.get(url + "?page=x").status_code == 400


def test_a_link_to_a_quote_opens_the_part_of_the_text_that_holds_it(client):
    article = long_article(25)
    later = article.statements.order_by("start")[14]  # at character 140,500: part 2
    statement_page = client.get(f"/statements/{later.pk}/").content.decode()
    link = f"{article.get_absolute_url()}?quote={later.pk}#q{later.pk}"
    assert f'href="{link}"' in statement_page
    response = client.get(link.split("#")[0])
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert f'id="q{later.pk}"' in response.content.decode()
    # An explicit part wins; a quote of another article, or no number, is a clear 400.
    assert (
        client.get(f"{article.get_absolute_url()}?quote={later.pk}&page=1").context["page"].number
        == 1
    )
    other = StatementFactory()
    for bad in (str(other.pk), "x"):
        answer = client.get(f"{article.get_absolute_url()}?quote={bad}")
        assert answer.status_code == 400
        assert "is not a quotation of this article" in answer.content.decode()


def test_article_page_query_count_does_not_grow_with_its_quotes(client):
    small, big = long_article(selectors.PREVIEW_CLAIMS + 1), long_article(25)
    client.get(small.get_absolute_url())  # once-per-process look-ups out of the count
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        client.get(big.get_absolute_url())
    assert len(many.captured_queries) == len(few.captured_queries)


def test_quotes_of_published_claims_beyond_the_preview_are_read_in_one_query(client):
    """Each published (editor-confirmed) claim names the quote it lies in; quotes past the
    preview are read together, so the count does not grow with such claims."""
    from django.utils import timezone

    from articles.models import Verdict

    def confirmed(article):
        article.reported_figures.update(editor_verdict=Verdict.MATCHES, confirmed_at=timezone.now())
        return article

    plain, published = long_article(24), confirmed(long_article(25))
    client.get(plain.get_absolute_url())  # once-per-process look-ups out of the count
    with CaptureQueriesContext(connection) as unpublished_queries:
        assert client.get(plain.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as published_queries:
        html = client.get(published.get_absolute_url()).content.decode()
    # Every previewed claim is published, 10 of them inside quotes past the quote preview.
    assert html.count("ClaimReview") == selectors.PREVIEW_CLAIMS
    assert len(published_queries.captured_queries) <= len(unpublished_queries.captured_queries) + 1


def test_the_see_all_links_read_the_netherlands(client, big_article):
    netherlands = MemberState.objects.get(iso3="NLD")
    for statement in big_article.statements.all():
        statement.members.add(netherlands)
    big_article.reported_figures.update(member=netherlands)
    html = client.get("/countries/netherlands/").content.decode()
    assert "See all 15 statements about the Netherlands</a>" in html
    assert "See all 25 figures reported for the Netherlands</a>" in html
