"""Statements (search and filters), speakers and articles."""

from __future__ import annotations

import datetime
import re

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
    html = client.get("/statements/?ally=POL").content.decode()
    assert RUTTE_QUOTE in html and "Every shoulder" not in html
    html = client.get(
        "/statements/?published_after=2025-06-01&published_before=2025-06-30"
    ).content.decode()
    assert RUTTE_QUOTE in html
    html = client.get("/statements/?published_after=2025-07-01").content.decode()
    assert RUTTE_QUOTE not in html


@pytest.mark.parametrize(
    "query",
    [
        "speaker=nobody",
        "ally=atlantis",
        "target=7",
        "published_after=2025-99-01",
        "published_before=yesterday",
        "published_after=2025-07-01&published_before=2025-01-01",
        "speaker=mark-rutte&speaker=pete-hegseth",
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

    out = highlight_quotes("abc <def> ghi", [(1, 4, 9), (2, 5, 7), (3, 50, 60)])
    assert (
        out == 'abc <mark id="q1" class="quote"><a href="/statements/1/">&lt;def&gt;</a></mark> ghi'
    )


# --------------------------------------------------------------------------- links


@pytest.fixture
def figure_and_target_link(seed):
    """An editor's link with both a figure (Poland 2024) and a target (3.5%)."""
    from spending.models import Target

    editor = get_user_model().objects.create_user("linker", password="a-long-password-1")
    return StatementLink.objects.create(
        statement=seed["rutte"],
        figure=SpendingFigure.objects.get(
            member__slug="poland", year=2024, metric="pct_gdp", source__code="NATO_DIE2026"
        ),
        target=Target.objects.get(code="3.5"),
        note="both",
        created_by=editor,
    )


def link_text(html: str) -> str:
    parts = re.findall(r'class="statement-link">(.*?)</(?:tr|span>(?:; |</p>))', html, re.S)
    return " | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p)) for p in parts)


def test_link_with_figure_and_target_shows_both_on_the_statement_page(
    client, seed, figure_and_target_link
):
    html = client.get(seed["rutte"].get_absolute_url()).content.decode()
    text = link_text(html)
    assert "Poland" in text and "2024" in text and "3.75% of GDP" in text
    assert "Defence Investment of NATO Countries (2014-2026), July 2026 edition" in text
    assert "NATO_DIE2026" in text  # the edition
    assert "3.5% of GDP" in text  # the target, too
    assert "both" in text


@pytest.mark.parametrize(
    "url", ["/speakers/mark-rutte/", "/countries/poland/", "/statements/", "ARTICLE", "/"]
)
def test_link_with_figure_and_target_shows_both_in_every_statement_list(
    client, seed, figure_and_target_link, url
):
    if url == "ARTICLE":
        url = seed["article"].get_absolute_url()
    text = link_text(client.get(url).content.decode())
    assert "Poland 2024: 3.75% of GDP" in text, url
    assert "July 2026 edition" in text, url  # the figure's edition
    assert "3.5% of GDP" in text, url  # and the target


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("q", ["spend more", "more spend", "MUCH fulfill", "rutte targets"])
def test_search_matches_every_word_anywhere(client, seed, q):
    """The page's own example ("e.g. spend more") finds the quote: words, not a phrase."""
    html = client.get("/statements/", {"q": q}).content.decode()
    assert RUTTE_QUOTE in html
    assert "1 statement found" in html


def test_search_does_not_match_article_titles(client, seed):
    # "urges" is only in the article's title ("Rutte urges allies to spend more")
    html = client.get("/statements/", {"q": "urges"}).content.decode()
    assert "0 statements found" in html
    # "Rutte" is the speaker of one quote only, though it is in the title of the article
    html = client.get("/statements/", {"q": "rutte"}).content.decode()
    assert "1 statement found" in html and "Every shoulder" not in html


def test_search_needs_every_word(client, seed):
    html = client.get("/statements/", {"q": "spend plow"}).content.decode()
    assert "0 statements found" in html


def test_page_and_api_share_one_search_rule(seed):
    """The page calls ``filter_statements_by_words``; so can the API (the same queryset in,
    the same statements out)."""
    from articles.filters import StatementFilterSet
    from articles.selectors import filter_statements_by_words, public_statements, search_statements

    for q in ["spend more", "rutte", "Hegseth plow", "rejected quote", "5%"]:
        search = StatementFilterSet({"q": q}, queryset=public_statements())
        assert search.is_valid()
        page = set(search_statements(search).values_list("pk", flat=True))
        rule = set(filter_statements_by_words(public_statements(), q).values_list("pk", flat=True))
        assert page == rule, q


def test_search_matches_words_as_words(client, db):
    """ "What did Rutte say about 5%?": ``q=Rutte 5`` must not find a quote about 2025."""
    make_article_with_quotes(
        "Summit",
        [
            ("Mark Rutte", "By 2025 we will be at 2 percent everywhere"),
            ("Mark Rutte", "Allies agreed on 5% of GDP by 2035"),
            ("Mark Rutte", "Spain asked for 3.5 and a flexible path; 50 jets more"),
        ],
    )
    html = client.get("/statements/", {"q": "Rutte 5"}).content.decode()
    assert "1 statement found" in html and "5% of GDP" in html
    # the API answers with the same rule
    found = client.get("/api/v1/statements/", {"q": "Rutte 5"}).json()
    found = found.get("results", found)
    assert [r["text"] for r in found] == ["Allies agreed on 5% of GDP by 2035"]
    assert "1 statement found" in client.get("/statements/", {"q": "3.5"}).content.decode()
    assert "1 statement found" in client.get("/statements/", {"q": "2025"}).content.decode()
    # a word still finds the words it starts ("agree" → "agreed"), not their middles
    assert "1 statement found" in client.get("/statements/", {"q": "agree"}).content.decode()
    assert "0 statements found" in client.get("/statements/", {"q": "greed"}).content.decode()


def test_search_words_ignore_punctuation():
    from articles.selectors import search_words

    assert search_words("spend much, much more!") == ["spend", "much", "much", "more"]
    assert search_words("  ") == []
    assert search_words("5% U.S.") == ["5%", "U.S"]
    assert len(search_words("a " * 50)) == 10


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "url, reason",
    [
        ("/statements/?from=2025-03-01", "did you mean &#x27;published_after&#x27;?"),
        ("/statements/?to=2025-03-01", "did you mean &#x27;published_before&#x27;?"),
        ("/statements/?edition=BOGUS", "does not take the parameter &#x27;edition&#x27;"),
        ("/statements/?spaeker=mark-rutte", "did you mean &#x27;speaker&#x27;?"),
        ("/speakers/?q=rutte", "It accepts: page."),
        ("/speakers/mark-rutte/?edition=NATO_DIE2026", "It accepts: page."),
        ("/articles/?q=rutte", "It accepts: page."),
        ("ARTICLE?x=1", "It accepts: page, quote."),
        ("STATEMENT?as_of=2025-01-01", "It takes no parameters."),
        ("/methodology/?edition=NATO_DIE2026", "It takes no parameters."),
    ],
)
def test_unknown_parameters_are_a_400(client, seed, url, reason):
    url = url.replace("ARTICLE", seed["article"].get_absolute_url()).replace(
        "STATEMENT", seed["rutte"].get_absolute_url()
    )
    response = client.get(url)
    assert response.status_code == 400, url
    html = response.content.decode()
    assert reason in html, url


@pytest.mark.parametrize("url", ["/speakers/mark-rutte/", "/articles/"])
def test_pagination_is_consistent(client, seed, url):
    assert client.get(f"{url}?page=1").status_code == 200
    for bad in ["99", "abc", "0"]:
        response = client.get(f"{url}?page={bad}")
        assert response.status_code == 400, (url, bad)
        assert "page" in response.content.decode()


def test_speaker_page_is_paginated(client):
    make_article_with_quotes(
        "Many quotes", [("Talkative Person", f"Quote number {i} about spending") for i in range(30)]
    )
    html = client.get("/speakers/talkative-person/").content.decode()
    assert "Page 1 of 2" in html
    assert "Page 2 of 2" in client.get("/speakers/talkative-person/?page=2").content.decode()


# --------------------------------------------------------------------------- claims, formatted


def test_claim_numbers_are_formatted_on_the_article_page(client, seed):
    from articles.models import AggregateClaim, ReportedFigure
    from spending.models import MemberState

    AggregateClaim.objects.create(
        article=seed["article"],
        kind="total_spending",
        year=2024,
        value=1.3e12,
        currency="USD",
        start=1,
        end=2,
        check_latest={
            "verdict": "differs",
            "official_value": 1482905000000.0,
            "difference": -182905000000.0,
            "unit": "USD",
            "source_code": "NATO_DIE2026",
            "source_title": "Defence Investment",
        },
        verdict="differs",
    )
    ReportedFigure.objects.create(
        article=seed["article"],
        member=MemberState.objects.get(iso3="USA"),
        year=2024,
        metric="pct_gdp",
        value=3.19,
        start=3,
        end=4,
        check_latest={
            "verdict": "differs",
            "official_value": 3.3,
            "difference": -0.11,
            "unit": "pp",
            "source_code": "NATO_DIE2026",
        },
        verdict="differs",
    )
    html = client.get(seed["article"].get_absolute_url()).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "NATO total defence spending in 2024: US$1.30 trillion" in text
    assert "official US$1.48 trillion (difference −US$183 billion)" in text
    assert "3.19% of GDP" in text
    assert "official 3.30% of GDP (difference −0.11 pp)" in text
    for raw in ["1.3e+12", "1482905000000", "-182905000000", "-0.11 pp"]:
        assert raw not in text, raw


def test_stop_words_are_found_on_every_database(client, seed):
    # "more" is an English stop word for PostgreSQL's full-text search: still found
    html = client.get("/statements/", {"q": "more"}).content.decode()
    assert RUTTE_QUOTE in html


def test_postgresql_also_finds_other_forms_of_a_word(client, seed):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("full-text search (word forms) is PostgreSQL only")
    html = client.get("/statements/", {"q": "spends targeted"}).content.decode()
    assert RUTTE_QUOTE in html  # "spend", "targets"


# --------------------------------------------------------------------------- one FilterSet


def test_the_page_and_the_api_filter_statements_with_one_filterset(client, seed):
    """The statements page takes the API's statements filters (names, values, errors)."""
    from articles.api.views import StatementViewSet
    from articles.filters import StatementFilterSet
    from articles.views import STATEMENT_PARAMS

    assert StatementViewSet.filterset_class is StatementFilterSet
    assert set(STATEMENT_PARAMS) == {*StatementFilterSet.base_filters, "page"}
    for query in [
        "ally=POL",
        "ally=poland",
        "speaker=mark-rutte",
        "target=3.5",
        "published_after=2025-06-01&published_before=2025-06-30",
        "q=spend more",
    ]:
        api = client.get(f"/api/v1/statements/?{query}").json()
        html = client.get(f"/statements/?{query}").content.decode()
        count = api["count"]
        assert f"{count} statement{'s' if count != 1 else ''} found" in html, query
        for row in api["results"]:
            assert f"/statements/{row['id']}/" in html, query
    api = client.get("/api/v1/statements/?ally=ZZZ").json()
    page = client.get("/statements/?ally=ZZZ")
    assert page.status_code == 400
    assert api["ally"][0].replace("'", "&#x27;") in page.content.decode()


def test_undated_articles_come_last_on_the_page_and_in_the_api_on_either_database(client):
    """One order (``selectors.STATEMENTS_NEWEST_FIRST``): PostgreSQL would put NULL dates
    first in a plain descending order, SQLite last."""
    from articles.models import Statement

    Statement.objects.all().delete()
    undated = ArticleFactory(title="Undated", published=None)
    older = ArticleFactory(title="Older", published=datetime.date(2024, 6, 1))
    newer = ArticleFactory(title="Newer", published=datetime.date(2025, 6, 1))
    for article in (undated, older, newer):
        StatementFactory(article=article, text=f"Quote in {article.title}")
    page = client.get("/statements/").content.decode()
    order = [page.index(f"Quote in {title}") for title in ("Newer", "Older", "Undated")]
    assert order == sorted(order)
    api = client.get("/api/v1/statements/").json()["results"]
    assert [row["text"] for row in api] == [
        "Quote in Newer",
        "Quote in Older",
        "Quote in Undated",
    ]
