"""What the dashboard and the ally page keep under the official data version, and under
which key: one build per year however ``?year=`` is spelt, only the charts' JSON (not the
figures beside it), and no statements read for a chart's embed or CSV."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.utils.html import json_script

from pages import fragments, page_data
from pages.params import DEFAULT_LINES
from spending.selectors import LATEST

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times each page's official part was built (rendered) in a test."""
    counted = {"dashboard": 0, "country": 0}

    def counting(name):
        render = getattr(fragments, name)

        def build(*args, **kwargs):
            counted[name] += 1
            return render(*args, **kwargs)

        return build

    for name in counted:
        monkeypatch.setattr(fragments, name, counting(name))
    return counted


def test_one_year_is_one_build_however_it_is_spelt(client, builds):
    for url in ("/?year=2019", "/?year=%202019", "/?year=2019%20", "/?year=2019&year=2019"):
        assert client.get(url).status_code == 200, url
    assert builds["dashboard"] == 1
    for url in ("/", "/?year=", "/?year=%20"):
        assert client.get(url).status_code == 200, url
    assert builds["dashboard"] == 2  # the default year: one build more
    for url in ("/countries/poland/?year=2023", "/countries/poland/?year=%092023"):
        assert client.get(url).status_code == 200, url
    assert builds["country"] == 1


def _latest_years():
    from spending.models import MemberState

    poland = MemberState.objects.get(iso3="POL")
    return (
        page_data.alliance_rows(LATEST)["years"][-1],
        page_data.country_official(poland, LATEST)["years"][-1],
    )


def test_the_page_without_a_year_is_its_latest_years_build(client, builds):
    dashboard_year, poland_year = _latest_years()
    cache.clear()
    builds.update(dashboard=0, country=0)
    pages = [client.get(url) for url in ("/", f"/?year={dashboard_year}")]
    assert builds["dashboard"] == 1
    # the same page: the part is a function of the year shown, not of how it was asked
    assert pages[0].content == pages[1].content
    # the other way round: the year first, then the page without one
    pages = [
        client.get(url) for url in (f"/countries/poland/?year={poland_year}", "/countries/poland/")
    ]
    assert builds["country"] == 1
    assert pages[0].content == pages[1].content
    # an earlier year is a build of its own, and is not the page without a year
    assert client.get(f"/?year={dashboard_year - 1}").status_code == 200
    assert client.get("/").content == client.get(f"/?year={dashboard_year}").content
    assert builds["dashboard"] == 2


@pytest.mark.parametrize("url", ["/?year=1900", "/countries/poland/?year=1900"])
def test_a_well_formed_year_without_figures_is_a_400_each_time(client, url):
    """Read past the cache (the year is checked against the data built for it): a 400,
    and no page kept for it, however often it is asked."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 400
        assert "1900" in response.content.decode()


@pytest.mark.parametrize("url", ["/?year=x", "/?year=02024", "/countries/poland/?year=20x4"])
def test_a_year_that_names_none_is_refused_before_any_cache_read(client, monkeypatch, url):
    def refuse(*args, **kwargs):
        raise AssertionError("?year= is read, and refused, before the page's parts are")

    monkeypatch.setattr(page_data, "cached_many", refuse)
    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/embed/ranking/?year=2024",
        "/charts/map.csv",
        "/embed/country-pct/?ally=poland",
        "/charts/country-editions.csv?ally=poland",
    ],
)
def test_a_charts_embed_and_csv_read_no_statement(client, monkeypatch, url):
    def refuse(*args, **kwargs):
        raise AssertionError("a chart shows no statement and no reported figure")

    monkeypatch.setattr(page_data, "_read_statements", refuse)
    monkeypatch.setattr(page_data, "reported_figures_for", refuse)
    assert client.get(url).status_code == 200


def test_the_pages_keep_their_charts_as_json_only(client):
    from spending.models import MemberState

    dashboard = page_data.dashboard_official(LATEST, None, list(DEFAULT_LINES))
    ally = page_data.country_official(MemberState.objects.get(iso3="POL"), LATEST)
    for data, drawn in ((dashboard, {"ranking", "map", "trend", "spending"}), (ally, {"pct"})):
        assert "charts" not in data
        assert drawn <= set(data["figures"])
        for key, text in data["figures"].items():
            assert json.loads(text)["data"], key
    html = client.get("/").content.decode()
    ranking = dashboard["figures"]["ranking"]
    assert f'<script id="fig-ranking" type="application/json">{ranking}</script>' in html


def test_figure_json_is_what_json_script_writes():
    figure = {"layout": {"title": {"text": "</script><b>&amp; 5%"}}, "data": [{"y": [1.5]}]}
    assert json_script(figure, "fig-x") == (
        f'<script id="fig-x" type="application/json">{fragments.figure_json(figure)}</script>'
    )


def test_the_comparison_keeps_its_chart_as_json_only(client, monkeypatch):
    from pages.params import member_by_slug

    allies = [member_by_slug(s) for s in ("poland", "germany")]
    data = page_data.compare(LATEST, allies, "pct_gdp", list(DEFAULT_LINES))
    assert "figure" not in data
    assert json.loads(data["figure_json"])["data"]
    written = []
    monkeypatch.setattr(fragments, "figure_json", lambda *a: written.append(a) or "{}")
    query = "allies=POL,DEU&metric=pct_gdp"
    page = client.get(f"/compare/?{query}").content.decode()
    embed = client.get(f"/embed/compare/?{query}").content.decode()
    assert written == []  # warm: the page and the embed write the JSON kept, never build it
    kept = f'type="application/json">{data["figure_json"]}</script>'
    assert kept in page and kept in embed
