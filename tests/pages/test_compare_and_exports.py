"""The comparison page, the CSV behind every chart, and share/embed links that keep the state."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest

from pages import exports
from spending.models import Metric, SpendingFigure
from tests.pages.test_dashboard import figure

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[list[str], list[dict]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    head = [line for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return head, list(csv.DictReader(io.StringIO(body)))


# --------------------------------------------------------------------------- comparison


def test_compare_draws_the_allies_chosen_against_the_targets(client):
    response = client.get("/compare/?allies=POL,deu,france&metric=pct_gdp")
    assert response.status_code == 200
    fig = figure(response, "compare")
    assert [t["name"] for t in fig["data"]] == ["Poland", "Germany", "France"]
    labels = [a["text"] for a in fig["layout"]["annotations"] if a.get("name", "").startswith("t")]
    assert labels == ["2% target", "3.5% target", "5% target"]
    html = response.content.decode()
    assert 'id="compare-table"' in html and '<th scope="col" data-type="number">France</th>' in html
    # the picker: a checkbox per ally, the chosen ones ticked
    assert len(re.findall(r'<input type="checkbox" name="allies"', html)) == 32
    assert len(re.findall(r'name="allies" value="[A-Z]{3}" checked', html)) == 3


def test_compare_defaults_form_values_and_other_metrics(client):
    fig = figure(client.get("/compare/"), "compare")
    assert [t["name"] for t in fig["data"]] == ["Poland", "Germany", "France"]
    # the form's checkboxes send one value each
    fig = figure(client.get("/compare/?allies=EST&allies=LVA"), "compare")
    assert [t["name"] for t in fig["data"]] == ["Estonia", "Latvia"]
    fig = figure(client.get("/compare/?allies=USA,CAN&metric=spending_usd"), "compare")
    assert fig["layout"]["shapes"] == [] if "shapes" in fig["layout"] else True
    fig = figure(client.get("/compare/?allies=SWE&metric=equipment_share"), "compare")
    assert [a["text"] for a in fig["layout"]["annotations"] if "target" in a["text"]] == [
        "20% target"
    ]
    fig = figure(client.get("/compare/?allies=POL&lines=1&line=3"), "compare")
    assert [a["text"] for a in fig["layout"]["annotations"] if "target" in a["text"]] == [
        "3% target"
    ]


@pytest.mark.parametrize(
    "query, reason",
    [
        ("allies=POL,XXX", "Unknown ally"),
        ("metric=gdp", "Unknown metric"),
        (
            "allies="
            + ",".join(
                ["POL", "DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "DNK", "NOR", "SWE", "FIN"]
            ),
            "at most 10",
        ),
        ("ally=POL", "did you mean &#x27;allies&#x27;?"),
    ],
)
def test_compare_rejects_bad_input(client, query, reason):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_every_ally_page_links_to_the_comparison(client):
    html = client.get("/countries/estonia/").content.decode()
    assert 'href="/compare/?allies=EST%2CPOL%2CDEU"' in html
    html = client.get("/countries/poland/").content.decode()
    assert 'href="/compare/?allies=POL%2CDEU%2CFRA"' in html


# --------------------------------------------------------------------------- CSV of a chart


def test_ranking_csv_is_exactly_the_bars_drawn_with_editions_and_citation(client):
    fig = figure(client.get("/?year=2024"), "ranking")
    bars = sorted(n for t in fig["data"] for n in t["y"])
    head, rows = read_csv(client.get("/charts/ranking.csv?year=2024"))
    assert sorted(r["ally"] for r in rows) == bars
    assert [float(r["pct_gdp"]) for r in rows] == sorted(
        (float(r["pct_gdp"]) for r in rows), reverse=True
    )
    assert head[0] == "# Defence spending as % of GDP, ranked, 2024"
    assert head[1].startswith("# Citation: NATO defence-spending tracker, ")
    assert "http://testserver/?year=2024" in head[1] and "released 10 July 2026" in head[1]
    poland = next(r for r in rows if r["iso3"] == "POL")
    assert poland["edition"] == "NATO_DIE2026" and poland["edition_released"] == "2026-07-10"
    assert poland["definition"] == (
        "core defence expenditure (NATO's definition from the July 2026 edition)"
    )
    assert poland["estimate"] == "false"


def test_csv_of_an_earlier_edition_says_its_definition(client):
    _head, rows = read_csv(
        client.get("/charts/ranking.csv?year=2024&edition=NATO_DE2024_GRAPHICNEWS")
    )
    assert rows and {r["definition"] for r in rows} == {
        "defence expenditure as NATO defined it before July 2026"
    }
    assert {r["edition_released"] for r in rows} == {"2024-06-17"}


def test_map_csv_names_members_without_a_figure(client):
    _head, rows = read_csv(client.get("/charts/map.csv?year=2024"))
    iceland = next(r for r in rows if r["iso3"] == "ISL")
    assert iceland["pct_gdp"] == "" and iceland["status"] == "no_figure"
    assert len(rows) == 32


def test_country_csvs_follow_their_charts(client):
    _head, rows = read_csv(client.get("/charts/country-pct.csv?ally=poland"))
    expected = SpendingFigure.objects.filter(
        member__slug="poland", metric=Metric.PCT_GDP, source__code="NATO_DIE2026"
    ).count()
    assert len(rows) == expected and {r["ally"] for r in rows} == {"Poland"}
    _head, rows = read_csv(client.get("/charts/country-editions.csv?ally=poland"))
    assert len({r["edition"] for r in rows}) > 1
    head, rows = read_csv(client.get("/charts/compare.csv?allies=POL,DEU&metric=spending_usd"))
    assert {r["iso3"] for r in rows} == {"POL", "DEU"}
    # the value column named with its unit, as in the ally's US$ CSV (it was "spending_usd")
    _head, ally_rows = read_csv(client.get("/charts/country-usd.csv?ally=poland"))
    assert "spending_usd_million" in rows[0] and "spending_usd_million" in ally_rows[0]
    assert {r["spending_usd_million"] for r in rows if r["iso3"] == "POL"} == {
        r["spending_usd_million"] for r in ally_rows
    }
    for metric, column in (("pct_gdp", "pct_gdp"), ("equipment_share", "equipment_pct")):
        _head, rows = read_csv(client.get(f"/charts/compare.csv?allies=POL&metric={metric}"))
        assert column in rows[0], metric
    assert "/compare/?allies=POL%2CDEU&metric=spending_usd" in head[1]


def test_compare_csv_says_which_rows_are_from_before_the_ally_joined(client):
    """The comparison's table and chart mark Finland's 2014-2022 figures; its CSV gave them as
    plain rows. Now a ``member`` column, false for exactly the cells the table marks."""
    response = client.get("/compare/?allies=FIN,POL&metric=pct_gdp")
    marked = {
        (ally.iso3, row["year"])
        for row in response.context["compare_rows"]
        for ally, cell in zip(response.context["allies"], row["cells"], strict=True)
        if cell and not cell["member"]
    }
    head, rows = read_csv(client.get("/charts/compare.csv?allies=FIN,POL&metric=pct_gdp"))
    assert {r["member"] for r in rows} == {"true", "false"}
    assert {(r["iso3"], int(r["year"])) for r in rows if r["member"] == "false"} == marked
    assert marked == {("FIN", year) for year in range(2014, 2023)}
    assert "member: false for a year before the ally joined NATO" in head[2]
    # a chart without the flag keeps its columns
    head, rows = read_csv(client.get("/charts/ranking.csv?year=2024"))
    assert "member" not in rows[0] and "member:" not in head[2]


def test_csv_takes_the_charts_parameters_and_errors(client):
    assert client.get("/charts/ranking.csv?year=1900").status_code == 400
    assert client.get("/charts/nope.csv").status_code == 404
    assert client.get("/charts/country-pct.csv").status_code == 400
    response = client.get("/charts/country-pct.csv?ally=turkey")
    assert response.status_code == 301 and response["Location"].startswith(
        "/charts/country-pct.csv?ally=turkiye"
    )


def test_exports_cells_and_citation():
    text = exports.chart_csv(
        [{"ally": "A", "year": 2024, "pct_gdp": 2.0, "estimate": True, "edition": "E"},
         {"ally": "B", "year": 2024, "pct_gdp": None, "estimate": None, "edition": ""}],
        title="T",
        url="http://x/",
        edition_of=lambda code: {"code": "E", "short_title": "Ed", "published":
                                 datetime.date(2025, 8, 28), "released": datetime.date(2025, 8, 28),
                                 "released_label": "28 August 2025"}
        if code == "E" else None,
        definition_of=lambda e: "earlier",
        retrieved=datetime.date(2026, 11, 30),
    )  # fmt: skip
    lines = text.splitlines()
    assert lines[1] == (
        "# Citation: NATO defence-spending tracker, “T”, http://x/ (retrieved 30 November 2026)."
        " Figures: NATO, Ed, released 28 August 2025."
    )
    assert (
        lines[3] == "ally,year,pct_gdp,estimate,edition,edition_title,edition_released,definition"
    )
    assert lines[4] == "A,2024,2,true,E,Ed,2025-08-28,earlier"
    assert lines[5] == "B,2024,,,,,,"


def test_chart_csv_text_cells_are_neutralised_numbers_are_not():
    text = exports.chart_csv(
        [{"ally": "=cmd|' /C calc'!A0", "year": 2024, "gap_pp": -0.4, "edition": ""}],
        title="T",
        url="http://x/",
        edition_of=lambda code: None,
        definition_of=lambda e: "",
        retrieved=datetime.date(2026, 11, 30),
    )
    row = next(csv.DictReader(io.StringIO("\n".join(text.splitlines()[3:]))))
    assert row["ally"] == "'=cmd|' /C calc'!A0"
    assert row["gap_pp"] == "-0.4"


# --------------------------------------------------------------------------- share and embed


def test_share_and_embed_links_keep_the_state(client):
    html = client.get("/?year=2024&lines=1&line=3&as_of=2025-09-01").content.decode()
    query = "year=2024&amp;lines=1&amp;line=3&amp;as_of=2025-09-01"
    assert f'value="http://testserver/?{query}#figure-ranking"' in html
    assert f"http://testserver/embed/ranking/?{query}" in html
    assert f'href="/charts/ranking.csv?{query}"' in html
    assert f'data-share="/?{query}#figure-map"' in html
    html = client.get("/compare/?allies=POL,DEU&metric=equipment_share").content.decode()
    assert "/compare/?allies=POL%2CDEU&amp;metric=equipment_share#figure-compare" in html
    assert "/embed/compare/?allies=POL%2CDEU&amp;metric=equipment_share" in html
    html = client.get("/countries/poland/?year=2020&edition=NATO_DIE2026").content.decode()
    assert "/embed/country-pct/?ally=poland&amp;year=2020&amp;edition=NATO_DIE2026" in html


def test_the_embed_of_a_compare_chart(client):
    response = client.get("/embed/compare/?allies=POL,DEU")
    assert response.status_code == 200
    assert [t["name"] for t in figure(response, "embed")["data"]] == ["Poland", "Germany"]


def test_chart_csvs_write_millions_whole_never_in_exponent_form(client):
    """Issue 12.6 ("US$ million shown as integers in pages, API and CSV"): a chart's CSV writes
    NATO's 2019 total as 1052542, not 1.05254e+06 (which also drops its last digits)."""
    text = client.get("/charts/spending.csv", {"year": 2024}).content.decode()
    rows = list(csv.DictReader(io.StringIO("\n".join(text.splitlines()[3:]))))
    total_2019 = next(r for r in rows if r["year"] == "2019")
    assert total_2019["spending_usd_million"] == "1052542"
    # Both series the chart draws: the NATO total and NATO Europe and Canada.
    assert total_2019["europe_canada_spending_usd_million"] == "301656"
    assert not any("e+" in value for row in rows for value in row.values() if value)
    usa = client.get("/charts/country-usd.csv", {"ally": "united-states"}).content.decode()
    assert "\nUnited States,USA,2026,1032849,true," in usa
    cells = exports.chart_csv(
        [{"year": 2024, "a": 1482905.0, "b": 3.38, "c": 0.1, "edition": ""}],
        title="T",
        url="http://x/",
        edition_of=lambda code: None,
        definition_of=lambda e: "",
        retrieved=datetime.date(2026, 11, 30),
    ).splitlines()[4]
    assert cells == "2024,1482905,3.38,0.1,,,,"


@pytest.mark.parametrize("path", ["/compare/", "/embed/compare/"])
def test_the_comparison_table_holds_a_row_per_year_with_each_allys_value(client, path):
    """Was 27 empty rows (one per character of the table's template name, which chart.html's
    ``table`` parameter put where the rows were): the table tab showed nothing."""
    html = client.get(f"{path}?allies=FIN,ISL&metric=pct_gdp").content.decode()
    body = html[html.index('id="compare-table"') :]
    body = body[: body.index("</table>")]
    assert '<th scope="row"></th>' not in body
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', body)
    assert [int(year) for year, _ in rows] == list(range(2014, 2027))
    cells = dict(rows)
    # Finland's 2024 share of GDP, July 2026 edition; Iceland has no NATO figure: "–"
    assert re.findall(r'data-type="number">([A-Za-z]+)</th>', body) == [
        "Year",
        "Finland",
        "Iceland",
    ]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", cells["2024"]) == ["2.11", "–"]


def test_the_comparison_says_why_an_ally_chosen_is_not_drawn(client):
    """Iceland alone read "No figures for these allies in this edition", blaming the edition;
    beside Finland it was left off the chart without a word."""
    for query in ("allies=ISL", "allies=FIN,ISL"):
        html = client.get(f"/compare/?{query}").content.decode()
        assert "No figures for these allies in this edition" not in html
        note = re.search(r'<p class="hint" id="not-drawn">(.*?)</p>', html).group(1)
        assert note == (
            "Not on the chart: NATO publishes no defence-expenditure figures for Iceland."
        )
    html = client.get(
        "/compare/?allies=POL,FRA,GBR&edition=NATO_DE2025_PRESS"
    ).content.decode()  # a partial source: 15 allies
    note = re.search(r'<p class="hint" id="not-drawn">(.*?)</p>', html).group(1)
    assert "Poland" not in note and "France is not in the copy we hold of" in note
    assert "The United Kingdom is not in the copy we hold of" in note
    html = client.get(
        "/compare/?allies=POL&metric=equipment_share&edition=NATO_DE2024_GRAPHICNEWS"
    ).content.decode()  # Poland is in that edition, with its % of GDP only
    note = re.search(r'<p class="hint" id="not-drawn">(.*?)</p>', html).group(1)
    assert note.startswith("Not on the chart: Poland has no figures for this measure (")
    assert 'id="not-drawn"' not in client.get("/compare/?allies=POL,FIN").content.decode()


def test_the_comparison_marks_the_years_before_an_ally_joined(client):
    """Finland joined on 4 April 2023: its 2014-2022 figures are marked, Poland's are not."""
    html = client.get("/compare/?allies=FIN,POL&metric=pct_gdp").content.decode()
    body = html[html.index('id="compare-table"') :]
    rows = dict(
        re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', body[: body.index("</table>")])
    )
    finland, poland = re.findall(r"<td[^>]*>(.*?)</td>", rows["2022"])
    assert "(not yet a member)" in finland and "(not yet a member)" not in poland
    assert "not yet a member" not in rows["2023"]


@pytest.mark.parametrize("path", ["/compare/", "/embed/compare/"])
def test_the_comparison_chart_marks_the_years_before_an_ally_joined_as_its_table(client, path):
    """The chart drew Finland's 2014-2022 like any other year: now pale markers, said in the
    point's hover and the title, for exactly the cells the table marks."""
    response = client.get(f"{path}?allies=FIN,POL&metric=pct_gdp")
    drawn = figure(response, "embed" if "embed" in path else "compare")
    finland, poland = drawn["data"][:2]
    assert (finland["name"], poland["name"]) == ("Finland", "Poland")
    before = {
        year: "not yet a member" in data[0]
        for year, data in zip(finland["x"], finland["customdata"], strict=True)
    }
    assert [y for y, marked in before.items() if marked] == list(range(2014, 2023))
    pale = zip(finland["x"], finland["marker"]["opacity"], strict=True)
    assert [y for y, opacity in pale if opacity < 1] == list(range(2014, 2023))
    assert "opacity" not in poland["marker"]
    assert not any("not yet a member" in data[0] for data in poland["customdata"])
    assert "pale markers: before the ally joined NATO" in drawn["layout"]["title"]["text"]
    # the table marks the same cells (one rule: MemberState.is_member_in)
    marked = {
        row["year"]
        for row in response.context["compare_rows"]
        if row["cells"][0] and not row["cells"][0]["member"]
    }
    assert marked == {y for y, m in before.items() if m}
