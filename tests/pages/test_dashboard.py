"""The dashboard: ranking, headline, trend, map, statements, editions, bad input."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.pages.conftest import RUTTE_QUOTE

pytestmark = pytest.mark.django_db


def figure(response, name: str) -> dict:
    match = re.search(
        rf'<script id="fig-{name}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no figure {name}"
    return json.loads(match.group(1))


def test_dashboard_defaults_to_latest_year_with_data(client):
    response = client.get(reverse("spending:dashboard"))
    assert response.status_code == 200
    year = response.context["year"]
    assert year == max(response.context["years"])
    html = response.content.decode()
    assert f"NATO allies’ defence spending in {year}" in html
    # headline: members of that year, membership-aware
    assert re.search(rf"\d+ of 32 allies</strong> at or above 2% of GDP in {year}", html)
    assert "Iceland" in html  # listed as without a figure, never as 0%


def test_headline_is_membership_aware(client):
    html = client.get("/?year=2016").content.decode()
    assert "of 28 allies</strong> at or above 2% of GDP in 2016" in html
    html = client.get("/?year=2020").content.decode()
    assert "of 30 allies</strong>" in html
    html = client.get("/?year=2023").content.decode()
    assert "of 31 allies</strong>" in html


def test_ranking_chart_has_every_ally_with_figures_and_target_lines(client):
    response = client.get("/?year=2024")
    fig = figure(response, "ranking")
    names = [n for trace in fig["data"] for n in trace["y"]]
    assert "Poland" in names and "Iceland" not in names
    assert len(names) == 31
    lines = {
        a["text"] for a in fig["layout"]["annotations"] if a.get("name", "").startswith("target")
    }
    assert lines == {"2%", "3.5%", "5%"}
    assert fig["layout"]["title"]["text"].startswith("Defence spending as % of GDP, 2024")
    assert fig["layout"]["xaxis"]["title"]["text"] == "Defence expenditure, % of GDP"
    assert any(a["text"].startswith("Source: NATO") for a in fig["layout"]["annotations"])
    # bars link to the ally's page
    urls = [c[0] for trace in fig["data"] for c in trace["customdata"]]
    assert "/countries/poland/" in urls


def test_bars_coloured_by_highest_target_met(client):
    fig = figure(client.get("/?year=2024"), "ranking")
    by_name = {trace["name"]: trace for trace in fig["data"]}
    assert "Poland" in by_name["Meets 3.5%"]["y"]  # 3.75 in the latest edition
    assert "Belgium" in by_name["Below 2%"]["y"]
    assert by_name["Meets 2%"]["marker"]["color"] == "#E69F00"


def test_target_lines_can_be_switched(client):
    fig = figure(client.get("/?year=2024&lines=1&line=3"), "ranking")
    lines = {
        a["text"] for a in fig["layout"]["annotations"] if a.get("name", "").startswith("target")
    }
    assert lines == {"3%"}
    fig = figure(client.get("/?year=2024&lines=1"), "ranking")
    assert not [a for a in fig["layout"]["annotations"] if a.get("name", "").startswith("target")]
    html = client.get("/?year=2024&lines=1&line=3").content.decode()
    assert 'value="3" checked' in html


def test_tables_under_charts_name_their_sources(client):
    html = client.get("/?year=2024").content.decode()
    assert 'id="ranking-table"' in html
    assert "NATO_DIE2026" in html
    assert "Source: NATO, Defence Investment of NATO Countries (2014-2026)" in html
    assert 'id="fig-map"' in html and 'id="fig-trend"' in html and 'id="fig-spending"' in html


def test_trend_counts_members_each_year(client):
    response = client.get("/?year=2024")
    trend = {s["year"]: s for s in response.context["trend"]}
    assert trend[2014]["members"] == 28
    assert trend[2024]["members"] == 32
    fig = figure(response, "trend")
    assert fig["data"][0]["name"] == "Allies at or above 2%"


def test_latest_statements_shown_and_rejected_hidden(client, seed):
    html = client.get("/").content.decode()
    assert RUTTE_QUOTE in html
    assert "Mark Rutte" in html
    assert "This rejected quote must stay hidden" not in html


def test_edition_switch(client):
    response = client.get("/?edition=NATO_DE2024_GRAPHICNEWS")
    assert response.status_code == 200
    assert response.context["year"] == 2024
    assert response.context["years"] == [2014, 2024]
    html = response.content.decode()
    assert "NATO_DE2024_GRAPHICNEWS" in html
    poland = next(r for r in response.context["rows"] if r["slug"] == "poland")
    assert poland["value"] == pytest.approx(4.12)  # as published in June 2024
    assert "Back to the latest edition" in html


def test_as_of_shows_what_was_published_by_then(client):
    response = client.get("/?as_of=2025-04-30&year=2024")
    assert response.status_code == 200
    assert response.context["edition"]["code"] == "NATO_2024REPORT_KNEWS"
    assert "30 April 2025" in response.content.decode()
    latest = client.get("/?year=2024")
    poland_then = next(r for r in response.context["rows"] if r["slug"] == "poland")
    poland_now = next(r for r in latest.context["rows"] if r["slug"] == "poland")
    assert poland_then["value"] != poland_now["value"]


def test_share_links_keep_the_year_and_filters(client):
    html = client.get("/?year=2020&edition=NATO_DIE2026").content.decode()
    assert "/embed/ranking/?year=2020&amp;edition=NATO_DIE2026" in html


@pytest.mark.parametrize(
    "query, reason",
    [
        ("year=abc", "four-digit year"),
        ("year=1900", "no figures for 1900"),
        ("year=20240", "four-digit year"),
        ("as_of=2025-99-01", "as_of must be a date"),
        ("edition=NOPE", "unknown edition"),
        ("edition=NATO_DIE2026&as_of=2025-01-01", "either edition or as_of"),
        ("as_of=1990-01-01", "no edition had been published"),
        ("lines=1&line=7", "Unknown target"),
    ],
)
def test_bad_input_is_a_400_page_with_a_way_back(client, query, reason):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in html
    assert 'href="/countries/"' in html
    assert "Traceback" not in html


def test_escapes_user_input_in_error_pages(client):
    response = client.get("/?year=<script>alert(1)</script>")
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.content.decode()


def test_post_is_not_allowed(client):
    assert client.post("/").status_code == 405
