"""The 2026 change of definition said where the numbers are (issue 12.2) and small truths
(12.6): US$ million as integers, money gaps rounded, the NATO total and Europe + Canada
charted, embed codes that keep the edition."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_count_of_each_edition_side_by_side(client):
    response = client.get("/?year=2024")
    counts = {
        c["edition"]["code"]: (c["meeting"], c["members"])
        for c in response.context["edition_counts"]
    }
    assert counts["NATO_DIE2026"] == (17, 32)
    assert counts["NATO_DE2024_GRAPHICNEWS"] == (23, 32)
    assert counts["NATO_2024REPORT_KNEWS"] == (22, 32)
    html = response.content.decode()
    box = re.search(r'<section class="edition-counts".*?</section>', html, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", box))
    assert "17 of 32 by the 2026 core definition" in text
    assert "22 by the edition of 24 April 2025" in text
    assert "23 by the edition of 17 June 2024" in text
    # the headline says which definition its count follows
    headline = re.search(r'<p class="headline" id="headline">(.*?)</p>', html, re.S).group(1)
    assert "core defence expenditure" in re.sub(r"<[^>]+>", "", headline)


def test_an_earlier_edition_says_its_definition(client):
    html = client.get("/?edition=NATO_DE2024_GRAPHICNEWS").content.decode()
    assert "defence expenditure as NATO defined it before July 2026" in html


def test_ally_page_says_the_definition_and_keeps_the_edition_in_embed_codes(client):
    html = client.get("/countries/poland/?as_of=2025-04-24").content.decode()
    assert "defence expenditure as NATO defined it before July 2026" in html
    embeds = re.findall(r'href="(/embed/country-[a-z]+/\?[^"]+)"', html)
    assert embeds and all("as_of=2025-04-24" in e for e in embeds)
    latest = client.get("/countries/poland/").content.decode()
    assert "core defence expenditure" in latest


def test_a_ranking_embed_of_an_earlier_edition_links_its_allies_in_that_edition(client):
    html = client.get("/embed/ranking/?as_of=2025-04-24").content.decode()
    links = re.findall(r'href="(/countries/[a-z-]+/[^"]*)"', html)
    assert links and all("as_of=2025-04-24" in link for link in links)
    latest = client.get("/embed/ranking/").content.decode()
    assert re.findall(r'href="(/countries/[a-z-]+/)"', latest)


def test_api_gives_us_dollar_millions_as_integers(client):
    data = client.get(
        "/api/v1/figures/", {"ally": "USA", "year": 2024, "metric": "spending_usd"}
    ).json()
    (row,) = data["results"]
    assert row["value"] == "967707"
    csv_text = client.get(
        "/api/v1/figures/",
        {"ally": "USA", "year": 2024, "metric": "spending_usd", "format": "csv"},
    ).content.decode()
    assert ",967707," in csv_text and "967707.00" not in csv_text
    pct = client.get("/api/v1/figures/", {"ally": "USA", "year": 2024, "metric": "pct_gdp"})
    assert pct.json()["results"][0]["value"] == "3.30"


def test_money_gaps_are_rounded_for_people(client):
    html = client.get("/countries/spain/").content.decode()
    gaps = re.search(r'<table class="data" id="gaps-table">.*?</table>', html, re.S).group(0)
    assert "(NATO estimate)" not in gaps or "spent" not in gaps
    body = re.search(r"<tbody>.*?</tbody>", gaps, re.S).group(0)
    assert re.search(r"US\$\d+(\.\d)? billion", body)  # "US$19.4 billion", not "19,412"
    assert not re.search(r"\d,\d{3}<", body)


def test_dashboard_charts_the_nato_total_and_europe_and_canada(client):
    response = client.get("/")
    figure = json.loads(response.context["figures"]["spending"])
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["NATO total", "NATO Europe and Canada"]
    by_year = {a["year"]: a for a in response.context["aggregates"]}
    assert by_year[2024]["europe_canada_spending_usd"] == 515198
    assert by_year[2024]["spending_usd"] == 1482905
    html = response.content.decode()
    assert "Europe and Canada, US$ million" in html and "515,198" in html


def test_one_member_not_held_is_said_in_the_singular(client):
    """The report of 24 April 2025, as we hold it, gives 30 of the 31 allies that report
    figures for 2024 (Croatia is not in our copy): "1 of the 32 members is"."""
    html = client.get("/", {"edition": "NATO_2024REPORT_KNEWS", "year": 2024}).content.decode()
    headline = re.search(r'<p class="headline" id="headline">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", headline))
    assert "22 of the 30 allies in this source at or above 2% of GDP in 2024" in text
    assert "1 of the 32 members is not in the copy we hold" in text
    assert "Croatia" in text and "1 of the 32 members are" not in text


def test_methodology_says_totals_are_compared_at_current_and_constant_prices(client):
    html = client.get("/methodology/").content.decode()
    assert "constant 2021 prices and exchange rates" in html
