"""The dashboard and the ally pages keep what they show of the official data (with its HTML,
pages/fragments.py) under the official data version: an editor's write does not rebuild it, a
change of official data does; what they show of the press is read again after any write."""

from __future__ import annotations

import datetime

import pytest

from pages import fragments, page_data
from pages.params import LATEST, member_by_slug
from spending.models import SpendingFigure
from spending.selectors import Vintage, available_years
from tests.factories import ArticleFactory, StatementFactory
from tests.pages.conftest import RUTTE_QUOTE

pytestmark = pytest.mark.django_db

PAGES = ["/", "/countries/poland/"]


def _no_official_build(monkeypatch):
    """Any build of the official part from here on fails the test."""

    def fail(*args, **kwargs):
        raise AssertionError("the official part was built again")

    monkeypatch.setattr(fragments, "dashboard", fail)
    monkeypatch.setattr(fragments, "country", fail)
    monkeypatch.setattr(page_data, "alliance_rows", fail)
    monkeypatch.setattr(page_data, "figures_frame", fail)


@pytest.mark.parametrize(("url", "queries"), [("/", 5), ("/countries/poland/", 7)])
def test_an_editors_write_keeps_the_official_part_and_shows_the_new_statement(
    client, seed, monkeypatch, django_assert_max_num_queries, url, queries
):
    assert RUTTE_QUOTE in client.get(url).content.decode()
    _no_official_build(monkeypatch)
    statement = StatementFactory(
        article=ArticleFactory(), text="A brand new quote about Poland", start=0, end=30
    )
    statement.members.add(member_by_slug("poland"))  # an editor's write: reports version bumped
    # the statements are read again (rows, allies, targets, links, speakers' roles; on an ally
    # page their count and the reported figures); the official figures are not
    with django_assert_max_num_queries(queries):
        html = client.get(url).content.decode()
    assert "A brand new quote about Poland" in html
    assert "Allies ranked by % of GDP" in html or "Every figure" in html


@pytest.mark.parametrize("url", PAGES)
def test_hiding_a_statement_shows_at_once(client, seed, url):
    assert RUTTE_QUOTE in client.get(url).content.decode()
    seed["rutte"].review_status = "rejected"
    seed["rutte"].save()
    assert RUTTE_QUOTE not in client.get(url).content.decode()


def test_a_change_of_official_data_rebuilds_the_tables(client):
    html = client.get("/?year=2024").content.decode()
    assert "9.99" not in html
    figure = SpendingFigure.objects.get(
        member__slug="belgium", year=2024, metric="pct_gdp", source__code="NATO_DIE2026"
    )
    figure.value = "9.99"
    figure.save()  # official version bumped
    assert ">9.99<" in client.get("/?year=2024").content.decode()  # the ranking table's cell
    assert '"9.99"' in client.get("/?year=2024").content.decode()  # the chart's bar label
    assert "9.99" in client.get("/countries/belgium/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_warm_pages_read_the_cache_without_a_query(client, seed, django_assert_num_queries, url):
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)


def test_the_official_part_holds_no_statement(client, seed):
    """What is kept under the official version (everything but the statements and reported
    figures, its HTML included) must not show the press: an editor's write leaves it."""
    dashboard = page_data.dashboard(LATEST, None, ["2", "3.5", "5"])
    poland = page_data.country(member_by_slug("poland"), LATEST)
    assert RUTTE_QUOTE in str(dashboard["statements"].html)
    assert RUTTE_QUOTE in str(poland["statements"].html)
    for data in (dashboard, poland):
        official = {k: v for k, v in data.items() if k not in ("statements", "reported_figures")}
        text = "".join(str(v) for v in _values(official))
        assert RUTTE_QUOTE not in text and "Rutte" not in text
        assert "/statements/" not in "".join(str(v) for v in _values(official["html"]))


def _values(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _values(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _values(v)
    else:
        yield value


@pytest.mark.parametrize(
    "vintage",
    [
        LATEST,
        Vintage(edition="NATO_DE2024_GRAPHICNEWS"),
        Vintage(edition="NATO_DE2025_PRESS"),
        Vintage(as_of=datetime.date(2025, 4, 30)),
        Vintage(as_of=datetime.date(2025, 9, 1)),
        Vintage(as_of=datetime.date(2019, 1, 1)),
    ],
)
def test_the_dashboard_years_are_the_available_years(vintage):
    """The alliance rows take their years from the figures in force (one query less): the
    same years as ``available_years``, the one rule."""
    assert page_data.alliance_rows(vintage)["years"] == available_years(vintage=vintage)
