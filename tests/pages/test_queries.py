"""Query budgets: at most 15 queries per page, cold (empty cache) and warm."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?year=2019",
    "/?edition=NATO_DE2024_GRAPHICNEWS",
    "/?as_of=2025-04-30",
    "/?edition=NATO_DE2025_PRESS",
    "/?as_of=2025-09-01",
    "/countries/?edition=NATO_DE2025_PRESS",
    "/countries/",
    "/countries/poland/",
    "/countries/united-states/?as_of=2025-04-30",
    "/countries/iceland/",
    "/statements/",
    "/statements/?q=spend&ally=poland",
    "/speakers/",
    "/speakers/mark-rutte/",
    "/articles/",
    "/methodology/",
    "/embed/ranking/",
    "/embed/country-editions/?ally=poland",
    "/countries/poland/?year=2019",
    "/compare/",
    "/compare/?allies=POL,DEU,FRA,USA&metric=spending_usd",
    "/charts/ranking.csv?year=2024",
    "/charts/country-pct.csv?ally=poland",
    "/charts/compare.csv?allies=POL,DEU",
]


@pytest.fixture
def some_statements(seed):
    for i in range(12):
        article = ArticleFactory()
        StatementFactory(article=article, text=f"We spend more {i}", start=0, end=15)


@pytest.mark.parametrize("url", PAGES)
def test_page_query_budget_cold_and_warm(
    client, some_statements, django_assert_max_num_queries, url
):
    cache.clear()
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/countries/poland/"])
def test_warm_dashboard_and_ally_page_need_no_query(client, django_assert_num_queries, url):
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)


def test_cache_is_cleared_when_data_changes(client, seed):
    from spending.models import SpendingFigure

    client.get("/?year=2024")
    figure = SpendingFigure.objects.get(
        member__slug="belgium", year=2024, metric="pct_gdp", source__code="NATO_DIE2026"
    )
    figure.value = "9.99"
    figure.save()
    response = client.get("/?year=2024")
    belgium = next(r for r in response.context["rows"] if r["slug"] == "belgium")
    assert belgium["value"] == 9.99
    seed["rutte"].text = "A changed quote"
    seed["rutte"].save()
    assert "A changed quote" in client.get("/").content.decode()
