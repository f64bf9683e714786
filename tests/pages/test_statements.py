"""Statements (search and filters), speakers and articles."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from articles.models import ReviewStatus, StatementLink
from spending.models import SpendingFigure
from tests.factories import ArticleFactory, StatementFactory
from tests.pages.conftest import RUTTE_QUOTE, make_article_with_quotes

pytestmark = pytest.mark.django_db


def test_statements_list(client, seed):
    response = client.get("/statements/")
    assert response.status_code == 200
    html = response.content.decode()
    assert RUTTE_QUOTE in html
    assert "Every shoulder has to be to the plow" in html
    assert "This rejected quote must stay hidden" not in html
    assert "2 statements" in html


@pytest.mark.parametrize("q", ["spend much, much more", "fulfill", "Mark Rutte"])
def test_search_finds_the_seed_quote(client, seed, q):
    html = client.get("/statements/", {"q": q}).content.decode()
    assert RUTTE_QUOTE in html
    assert "Every shoulder" not in html


def test_search_never_finds_rejected(client, seed):
    html = client.get("/statements/", {"q": "rejected quote"}).content.decode()
    assert "This rejected quote" not in html
    assert "0 statements found" in html


def test_filters(client, seed):
    html = client.get("/statements/?speaker=mark-rutte").content.decode()
    assert RUTTE_QUOTE in html and "Every shoulder" not in html
    html = client.get("/statements/?ally=poland").content.decode()
    assert RUTTE_QUOTE in html and "Every shoulder" not in html
    html = client.get("/statements/?target=3.5").content.decode()
    assert RUTTE_QUOTE in html and "Every shoulder" not in html
    html = client.get("/statements/?from=2025-06-01&to=2025-06-30").content.decode()
    assert RUTTE_QUOTE in html
    html = client.get("/statements/?from=2025-07-01").content.decode()
    assert RUTTE_QUOTE not in html


@pytest.mark.parametrize(
    "query",
    [
        "speaker=nobody",
        "ally=atlantis",
        "target=7",
        "from=2025-99-01",
        "to=yesterday",
        "from=2025-07-01&to=2025-01-01",
        "page=abc",
        "page=99",
    ],
)
def test_bad_filters_are_400(client, seed, query):
    response = client.get(f"/statements/?{query}")
    assert response.status_code == 400
    assert 'href="/statements/"' in response.content.decode()


def test_statement_page_shows_context_and_links(client, seed, django_user_model):
    figure = SpendingFigure.objects.get(
        member__slug="poland", year=2024, metric="pct_gdp", source__code="NATO_DIE2026"
    )
    editor = get_user_model().objects.create_user("editor", password="a-long-password-1")
    StatementLink.objects.create(
        statement=seed["rutte"], figure=figure, note="<i>Poland</i> leads", created_by=editor
    )
    response = client.get(seed["rutte"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<mark class="quote">{RUTTE_QUOTE}</mark>' in html
    assert "Mark Rutte said" in html  # context around the quote
    assert "Defence Investment of NATO Countries" in html
    assert "&lt;i&gt;Poland&lt;/i&gt; leads" in html


def test_rejected_or_unknown_statement_is_404(client, seed):
    assert client.get(seed["rejected"].get_absolute_url()).status_code == 404
    assert client.get("/statements/999999/").status_code == 404


def test_speakers(client, seed):
    html = client.get("/speakers/").content.decode()
    assert "Mark Rutte" in html
    response = client.get("/speakers/mark-rutte/")
    assert response.status_code == 200
    assert RUTTE_QUOTE in response.content.decode()
    assert client.get("/speakers/nobody/").status_code == 404


def test_articles_and_quote_highlighting(client, seed):
    html = client.get("/articles/").content.decode()
    assert "Rutte urges allies to spend more" in html
    response = client.get(seed["article"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<mark id="q{seed["rutte"].pk}" class="quote">' in html
    assert RUTTE_QUOTE in html
    # the rejected statement's text is part of the article, but it is not highlighted
    assert f'id="q{seed["rejected"].pk}"' not in html
    assert client.get("/articles/999999/").status_code == 404
    assert client.get("/articles/?page=abc").status_code == 400


def test_article_text_and_quotes_are_escaped(client):
    article, (st,) = make_article_with_quotes(
        "<script>alert('title')</script>",
        [("Mallory <b>", "<script>alert('quote')</script> we spend")],
        published=datetime.date(2025, 1, 2),
    )
    for url in [article.get_absolute_url(), st.get_absolute_url(), "/statements/", "/"]:
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_rejected_article_hidden(client):
    article = ArticleFactory(review_status=ReviewStatus.REJECTED, title="Hidden article")
    StatementFactory(article=article, text="hidden words", start=0, end=5)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Hidden article" not in client.get("/articles/").content.decode()
    assert "hidden words" not in client.get("/statements/").content.decode()


def test_highlight_skips_bad_offsets():
    from articles.views import highlight_quotes

    class S:
        def __init__(self, pk, start, end):
            self.pk, self.start, self.end = pk, start, end

        def get_absolute_url(self):
            return f"/statements/{self.pk}/"

    out = highlight_quotes("abc <def> ghi", [S(1, 4, 9), S(2, 5, 7), S(3, 50, 60)])
    assert (
        out == 'abc <mark id="q1" class="quote"><a href="/statements/1/">&lt;def&gt;</a></mark> ghi'
    )
