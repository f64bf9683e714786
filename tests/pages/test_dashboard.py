"""The dashboard: ranking, headline, trend, map, statements, editions, bad input."""

from __future__ import annotations

import csv
import io
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


# --------------------------------------------------------------------------- highest target met


def ranking_row(html: str, name: str) -> str:
    """The text of one row of the ranking table."""
    table = html[html.index('id="ranking-table"') :]
    start = table.index(f">{name}</a>")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table[start : table.index("</tr>", start)]))


def test_highest_target_met_is_over_every_target_not_the_lines_shown(client):
    """Estonia (3.31%) and the USA (3.30%) in 2024 meet 3%, although the 3% line is off."""
    response = client.get("/?year=2024")
    assert "3" not in response.context["lines"]
    rows = {r["slug"]: r for r in response.context["rows"]}
    for slug, name in [("estonia", "Estonia"), ("united-states", "United States")]:
        assert rows[slug]["highest"] == "3"
        assert "3% of GDP" in ranking_row(response.content.decode(), name)
        assert rows[slug]["bar_target"] == "2"  # the bar: highest line *shown* it meets
    assert rows["belgium"]["highest_label"] == "none (below 2% of GDP)"
    # the same answer whatever lines are drawn
    for query in ["lines=1", "lines=1&line=5", "lines=1&line=2&line=3&line=3.5&line=5"]:
        other = {r["slug"]: r for r in client.get(f"/?year=2024&{query}").context["rows"]}
        assert {s: r["highest"] for s, r in other.items()} == {
            s: r["highest"] for s, r in rows.items()
        }


def test_highest_target_met_is_the_same_rule_as_the_countries_page(client):
    """/countries/ shows each ally's latest year: the dashboard for that year agrees."""
    dashboard = client.get("/")
    by_slug = {r["slug"]: r for r in dashboard.context["rows"]}
    for ally in client.get("/countries/").context["allies"]:
        row = ally["row"]
        if row is None or row["year"] != dashboard.context["year"]:
            continue
        expected = ally["highest"].code if ally["highest"] else None
        assert by_slug[ally["member"].slug]["highest"] == expected, ally["member"].name


def test_ranking_chart_says_colours_follow_the_lines_shown(client):
    response = client.get("/?year=2024")
    fig = figure(response, "ranking")
    assert fig["layout"]["legend"]["title"]["text"] == (
        "Colour: highest target line shown that the ally meets"
    )
    estonia = next(
        c
        for trace in fig["data"]
        for y, c in zip(trace["y"], trace["customdata"], strict=True)
        if y == "Estonia"
    )
    assert estonia[2] == "3% of GDP"  # hover: the highest target met, over every target
    html = response.content.decode()
    note = re.sub(r"<[^>]+>", "", html[html.index('id="ranking-note"') :][:600])
    assert "target lines shown" in note and "lines not shown: 3% of GDP" in note
    assert "counts every target, whatever lines are drawn" in note


# --------------------------------------------------------------------------- partial sources


def headline(response) -> str:
    html = response.content.decode()
    match = re.search(r'<p class="headline" id="headline">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_partial_source_is_not_presented_as_no_nato_figure(client):
    response = client.get("/?edition=NATO_DE2025_PRESS")
    assert response.status_code == 200
    text = headline(response)
    assert text.startswith("15 of the 15 allies in this source at or above 2% of GDP in 2025")
    assert (
        "16 of the 32 members are not in the copy we hold of Defence Expenditure of NATO Countries"
        in text
    )
    assert "Bulgaria" in text and "Iceland has no NATO figure" in text
    assert "without a NATO figure" not in text
    statuses = {r["slug"]: r["status"] for r in response.context["rows"]}
    assert statuses["bulgaria"] == "not_covered"
    assert statuses["iceland"] == "no_figure"
    assert ranking_row(response.content.decode(), "Bulgaria").count("not in the copy we hold") == 1
    assert "no NATO figure" in ranking_row(response.content.decode(), "Iceland")
    iceland = next(r for r in response.context["rows"] if r["slug"] == "iceland")
    assert iceland["value"] is None  # never 0%


def test_as_of_a_date_names_the_editions_published_by_then(client):
    text = headline(client.get("/?as_of=2025-09-01"))
    assert "15 of the 15 allies with a figure published by 1 September 2025" in text
    assert "not in the copy we hold of the editions published by 1 September 2025" in text
    assert "Iceland has no NATO figure" in text


def test_full_coverage_keeps_the_plain_headline(client):
    text = headline(client.get("/?year=2024"))
    assert re.match(
        r"\d+ of 32 allies at or above 2% of GDP in 2024 \(1 without a NATO figure", text
    )
    assert "not in the copy we hold" not in text


def test_trend_table_splits_not_covered_from_no_figure(client):
    response = client.get("/?as_of=2025-09-01")
    trend = {s["year"]: s for s in response.context["trend"]}
    assert trend[2025]["not_covered"] == 16 and trend[2025]["no_figure"] == 1
    html = response.content.decode()
    assert "Not in the copy we hold" in html and "No NATO figure" in html
    latest = client.get("/").content.decode()
    assert "Not in the copy we hold" not in latest


def test_map_shows_members_without_a_figure_in_grey(client):
    fig = figure(client.get("/?year=2024"), "map")
    grey = [t for t in fig["data"] if t.get("name") == "Member without a NATO figure"]
    assert len(grey) == 1
    assert grey[0]["locations"] == ["ISL"]
    assert grey[0]["showlegend"] is True and grey[0]["showscale"] is False
    assert grey[0]["customdata"][0] == ["/countries/iceland/", "no NATO figure"]
    binned = [t for t in fig["data"] if t.get("name") != "Member without a NATO figure"]
    assert all("ISL" not in t["locations"] for t in binned)
    partial = figure(client.get("/?edition=NATO_DE2025_PRESS"), "map")
    names = {t.get("name"): t for t in partial["data"]}
    assert "BGR" in names["Member not in our copy of this source"]["locations"]
    not_held = names["Member not in our copy of this source"]
    assert "not in the copy we hold of" in not_held["customdata"][0][1]
    assert names["Member without a NATO figure"]["locations"] == ["ISL"]


def test_map_is_binned_at_the_targets_and_framed_on_the_alliance(client):
    fig = figure(client.get("/?year=2024"), "map")
    bins = [t["name"] for t in fig["data"] if t["name"] != "Member without a NATO figure"]
    # every bin named in the legend, lowest first; a bin may be empty but is still named
    assert bins == ["Below 2%", "2% to 3%", "3% to 3.5%", "3.5% to 5%", "5% or more"]
    by_bin = {t["name"]: t["locations"] for t in fig["data"]}
    assert "POL" in by_bin["3.5% to 5%"]  # 4.12% in 2024
    assert "EST" in by_bin["3% to 3.5%"]  # 3.31%: meets 3% (not a line by default)
    assert fig["layout"]["geo"]["lonaxis"]["range"] == [-130, 46]  # Europe and North America
    assert fig["layout"]["legend"]["title"]["text"] == "% of GDP"


# --------------------------------------------------------------------------- editions offered


def test_dashboard_offers_only_editions_it_can_show(client):
    html = client.get("/").content.decode()
    picker = html[
        html.index('id="edition-select"') : html.index(
            "</select>", html.index('id="edition-select"')
        )
    ]
    offered = re.findall(r'<option value="([^"]+)"', picker)
    assert "NATO_DE2025_EDPRADAR" not in offered
    assert "NATO_DIE2026" in offered and "NATO_DE2025_PRESS" in offered
    for code in offered:  # no choice the dropdown offers may error
        assert client.get(f"/?edition={code}").status_code == 200, code
        assert client.get(f"/countries/?edition={code}").status_code == 200, code


def test_edition_without_pct_of_gdp_explains_where_to_look(client):
    response = client.get("/?edition=NATO_DE2025_EDPRADAR")
    assert response.status_code == 400
    html = response.content.decode()
    assert "publishes no % of GDP figures" in html
    assert "/countries/sweden/?edition=NATO_DE2025_EDPRADAR" in html


def test_as_of_names_an_edition_with_pct_of_gdp_figures(client):
    # the equipment-only edition (August 2025) is not what the dashboard's numbers come from
    response = client.get("/?as_of=2025-08-15")
    assert response.context["edition"]["code"] == "NATO_2024REPORT_KNEWS"


# --------------------------------------------------------------------------- estimates


def test_headline_says_when_the_years_figures_are_estimates(client):
    response = client.get("/")
    year = response.context["year"]
    rows = [r for r in response.context["rows"] if r["value"] is not None]
    assert all(r["estimate"] for r in rows)  # the latest year: NATO estimates only
    assert f"in {year} (NATO estimates;" in headline(response)
    assert "estimates" not in headline(client.get("/?year=2024"))


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "query, reason",
    [
        ("foo=bar", "does not take the parameter &#x27;foo&#x27;"),
        ("target=3", "did you mean &#x27;line&#x27;?"),
        ("q=spend", "It accepts: year, line, lines, edition, as_of."),
    ],
)
def test_unknown_parameters_are_a_400_listing_the_accepted_ones(client, query, reason):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_campaign_tags_are_ignored(client):
    assert client.get("/?utm_source=newsletter&year=2024").status_code == 200


def test_count_swatches_only_for_the_lines_drawn(client):
    """The 3% line is off by default: its count has no swatch (no bar is drawn in its colour)."""

    def swatches(url):
        html = client.get(url).content.decode()
        start = html.index('<ul class="counts">')
        return re.findall(
            r'class="swatch swatch-([0-9a-z]+)"', html[start : html.index("</ul>", start)]
        )

    assert swatches("/?year=2024") == ["2", "35", "5"]
    assert swatches("/?year=2024&lines=1&line=3") == ["3"]


@pytest.mark.parametrize("path", ["/", "/embed/trend/"])
def test_the_trend_widget_names_its_source_once(client, path):
    """The table under the trend chart repeated the widget's source line."""
    html = client.get(path).content.decode()
    start = html.index('id="chart-trend"')
    widget = html[start : html.index("</figure>", start)]
    assert widget.count('class="source"') == 1


def test_trend_bars_resting_on_nato_estimates_are_hatched(client):
    """2025 and 2026 are NATO's estimates in the July 2026 edition: their counts are hatched,
    as the methodology says of estimates in bar charts; the CSV says which."""
    fig = figure(client.get("/"), "trend")
    bars = next(t for t in fig["data"] if t["type"] == "bar")
    years = bars["x"] if isinstance(bars["x"], list) else list(range(2014, 2027))
    shapes = dict(zip(years, bars["marker"]["pattern"]["shape"], strict=True))
    assert shapes[2024] == "" and shapes[2025] == shapes[2026] == "/"
    assert "hatched: NATO estimates" in fig["layout"]["title"]["text"]
    body = client.get("/charts/trend.csv").content.decode()
    rows = csv.DictReader(io.StringIO("".join(body.splitlines(keepends=True)[3:])))
    estimates = {r["year"]: r["estimate"] for r in rows}
    assert (estimates["2024"], estimates["2025"]) == ("false", "true")


@pytest.mark.parametrize(
    "query, years",
    [
        # the report on 2024 holds 2024 only: it read "years with figures: 2024–2024"
        ("year=2014&edition=NATO_2024REPORT_KNEWS", "years with figures: 2024."),
        # the June 2024 edition holds 2014 and 2024: "2014–2024" read as every year between
        ("year=2020&edition=NATO_DE2024_GRAPHICNEWS", "years with figures: 2014 and 2024."),
        ("year=2013", "years with figures: 2014–2026."),
    ],
)
def test_a_year_outside_the_edition_names_the_years_it_holds(client, query, years):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert years in response.content.decode()


def test_the_edition_picker_keeps_the_target_lines_and_leaves_the_year_to_the_edition(client):
    """It kept the year but not the lines: picking an edition drew the default lines again, and
    from the default year (2026) every older edition was a 400 (the June 2024 edition has 2014
    and 2024 only). The link back to the latest edition keeps the year."""
    html = client.get("/?year=2024&lines=1&line=2&line=3").content.decode()
    form = html[html.index('<form method="get" class="edition-form">') :]
    form = form[: form.index("</form>")]
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    assert hidden == [("lines", "1"), ("line", "2"), ("line", "3")]
    html = client.get("/?year=2024&lines=1&line=2&edition=NATO_DE2024_GRAPHICNEWS").content
    assert b'href="?year=2024&amp;lines=1&amp;line=2">Back to the latest edition' in html
    html = client.get("/?year=2024&edition=NATO_DE2024_GRAPHICNEWS").content
    assert b'href="?year=2024">Back to the latest edition' in html
