"""The ally page: figures with sources, targets, gaps, growth, editions, statements, claims."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from articles.models import ReportedFigure
from spending.models import MemberState
from tests.pages.conftest import RUTTE_QUOTE
from tests.pages.test_dashboard import figure

pytestmark = pytest.mark.django_db


def test_url_is_made_from_the_name(client):
    assert reverse("spending:country", kwargs={"slug": "united-states"}) == (
        "/countries/united-states/"
    )
    response = client.get("/countries/united-states/")
    assert response.status_code == 200
    assert "<h1>United States</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "in_text"),
    [
        ("United States", "the United States"),
        ("United Kingdom", "the United Kingdom"),
        ("Netherlands", "the Netherlands"),
        ("Poland", "Poland"),
    ],
)
def test_a_name_inside_a_sentence_takes_the_where_english_does(name, in_text):
    assert MemberState.objects.get(name=name).name_in_text == in_text


def test_ally_page_sentences_read_the_united_states(client):
    html = client.get("/countries/united-states/").content.decode()
    assert "NATO estimates that the United States spends" in html
    assert "Compare the United States with other allies" in html
    assert "Statements about the United States" in html
    assert "that United States" not in html and "about United States" not in html


def test_country_page_shows_figures_targets_and_sources(client):
    response = client.get("/countries/poland/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figures-table"' in html
    assert "NATO_DIE2026" in html  # source column
    assert "Defence Investment of NATO Countries (2014-2026)" in html  # source list
    assert '<abbr title="NATO estimate">e</abbr>' in html  # estimates marked
    pct = figure(response, "pct")
    assert {t["name"] for t in pct["data"]} == {"Reported", "NATO estimate"}
    lines = {
        a["text"] for a in pct["layout"]["annotations"] if a.get("name", "").startswith("target")
    }
    assert lines == {"2% target", "3.5% target", "5% target"}
    assert figure(response, "usd")["layout"]["yaxis"]["title"]["text"].startswith("US$ million")
    equipment = figure(response, "equipment")
    assert any(a["text"] == "20% target" for a in equipment["layout"]["annotations"])


def test_gaps_and_growth(client):
    response = client.get("/countries/belgium/")
    gaps = {g["target"].code: g for g in response.context["gaps"]}
    # every % of GDP target, as in the year table: 2, 3, 3.5 and 5
    assert set(gaps) == {"2", "3", "3.5", "5"}
    assert gaps["5"]["gap_pp"] < gaps["3.5"]["gap_pp"] < gaps["2"]["gap_pp"]
    assert gaps["3.5"]["gap_pp"] < 0
    assert gaps["3.5"]["usd_million"] > 0
    growth = response.context["growth"]
    assert growth.goal_year == 2035 and not growth.already_met
    html = response.content.decode()
    assert "percentage points a year" in html
    assert "Extra spending needed a year" in html


def test_edition_history_shows_restatements(client):
    response = client.get("/countries/poland/")
    rows = {r["year"]: r for r in response.context["history_rows"]}
    assert rows[2024]["restated"]  # 4.12 (June 2024) → 3.75 (July 2026)
    codes = [e["code"] for e in response.context["history_editions"]]
    assert codes[-1] == "NATO_DIE2026" and "NATO_DE2024_GRAPHICNEWS" in codes
    html = response.content.decode()
    assert 'id="editions-table"' in html and "4.12" in html


def test_as_of_and_edition(client):
    response = client.get("/countries/poland/?as_of=2024-07-01")
    assert response.status_code == 200
    years = [r["year"] for r in response.context["table"]]
    # the Annual Report 2023 (released 14 March 2024) and the June 2024 edition
    assert years == [2014, 2023, 2024]
    assert all(
        e["released"].isoformat() <= "2024-07-01" for e in response.context["history_editions"]
    )
    response = client.get("/countries/poland/?edition=NATO_SGAR2023_EXPRESSSTAR")
    assert [r["year"] for r in response.context["table"]] == [2023]


def test_years_before_accession_are_marked(client):
    html = client.get("/countries/sweden/").content.decode()
    assert "not yet a member" in html


def test_the_distance_table_of_a_year_before_accession_says_the_targets_did_not_apply(client):
    """Finland in 2020: the caption said the targets did not yet apply, but "Met?" said "No"
    under every target; it says "Did not yet apply" as the year table does, the distances
    stay."""
    html = client.get("/countries/finland/?year=2020").content.decode()
    table = html[html.index('id="gaps-table"') :]
    table = table[: table.index("</table>")]
    assert "the targets did not yet apply to it" in table
    met = re.findall(r"</th>\s*<td>([^<]*)</td>", table)
    assert met == ["Did not yet apply"] * 4
    assert "short by 0.46 pp" in table
    html = client.get("/countries/finland/?year=2024").content.decode()
    table = html[html.index('id="gaps-table"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r"</th>\s*<td>([^<]*)</td>", table) == ["Yes", "No", "No", "No"]


@pytest.mark.parametrize("chart", ["pct", "usd", "equipment", "editions"])
def test_the_charts_shade_the_years_before_the_ally_joined(client, chart):
    """Finland joined in 2023: its charts drew 2014-2022 like any other year while its year
    table says "not yet a member". Now a band behind 2014-2022 labelled so; none on Poland's."""
    drawn = figure(client.get("/countries/finland/"), chart)
    bands = [s for s in drawn["layout"].get("shapes", []) if s.get("name") == "before joining"]
    assert [(b["x0"], b["x1"]) for b in bands] == [(2013.5, 2022.5)]
    labels = [
        a["text"] for a in drawn["layout"]["annotations"] if a.get("name") == bands[0]["name"]
    ]
    assert labels == ["Not yet a member"]
    drawn = figure(client.get("/countries/poland/"), chart)
    assert not [s for s in drawn["layout"].get("shapes", []) if s.get("name") == "before joining"]


def test_the_ally_csvs_flag_the_years_before_the_ally_joined(client):
    for chart in ("country-pct", "country-usd", "country-equipment", "country-editions"):
        text = client.get(f"/charts/{chart}.csv?ally=finland").content.decode()
        rows = list(csv.DictReader(io.StringIO(
            "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        )))  # fmt: skip
        before = {int(r["year"]) for r in rows if r["member"] == "false"}
        assert before == set(range(2014, 2023)), chart
        assert {r["member"] for r in rows if int(r["year"]) >= 2023} == {"true"}
        assert "member: false for a year before the ally joined NATO" in text


def test_a_year_on_icelands_page_says_nato_publishes_no_figures_for_it(client):
    """The 400 read "Iceland has no % of GDP figure in this edition", blaming the edition."""
    response = client.get("/countries/iceland/?year=2024")
    assert response.status_code == 400
    html = response.content.decode()
    assert "NATO publishes no defence-expenditure figures for Iceland." in html
    assert "in this edition" not in html


def test_iceland_is_listed_never_as_zero(client):
    response = client.get("/countries/iceland/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "no armed forces" in html
    assert "0.00" not in html


def test_statements_and_reported_figures(client, seed):
    poland = MemberState.objects.get(slug="poland")
    ReportedFigure.objects.create(
        article=seed["article"],
        member=poland,
        year=2024,
        metric="pct_gdp",
        value=4.12,
        sentence="Poland spent <script>alert('x')</script> 4.12%",
        check_as_published={
            "verdict": "matches",
            "official_value": 4.12,
            "difference": 0.0,
            "unit": "pp",
            "source_code": "NATO_DE2024_GRAPHICNEWS",
            "source_title": "Defence Expenditure of NATO Countries (2014-2024)",
            "figure_id": 1,
            "as_of": "2025-06-05",
            "detail": "Matches NATO's 4.12% <b>then</b>.",
        },
        check_latest={
            "verdict": "differs",
            "official_value": 3.75,
            "difference": 0.37,
            "unit": "pp",
            "source_code": "NATO_DIE2026",
            "source_title": "Defence Investment",
            "figure_id": 2,
            "as_of": None,
            "detail": "Differs.",
        },
        verdict="differs",
    )
    html = client.get("/countries/poland/").content.decode()
    assert RUTTE_QUOTE in html
    assert "This rejected quote must stay hidden" not in html
    assert "Matches" in html and "Differs" in html and "official 3.75%" in html
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;then&lt;/b&gt;" in html


@pytest.mark.parametrize("path", ["/countries/atlantis/", "/countries/POLAND/", "/countries/x-/"])
def test_unknown_ally_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert 'href="/countries/"' in response.content.decode()


@pytest.mark.parametrize("query", ["as_of=2025-99-01", "edition=NOPE", "as_of=abc"])
def test_bad_vintage_is_a_400(client, query):
    response = client.get(f"/countries/poland/?{query}")
    assert response.status_code == 400


def test_countries_list(client):
    response = client.get(reverse("spending:countries"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/countries/') >= 32
    assert "no NATO figure" in html  # Iceland
    assert client.get("/countries/?edition=NOPE").status_code == 400


def test_countries_list_says_not_in_this_source_for_a_partial_edition(client):
    response = client.get("/countries/?edition=NATO_DE2025_PRESS")
    by_slug = {a["member"].slug: a for a in response.context["allies"]}
    assert by_slug["bulgaria"]["status"] == "not_covered"
    assert by_slug["iceland"]["status"] == "no_figure"
    html = response.content.decode()
    assert "not in the copy we hold" in html and "no NATO figure" in html


def test_distance_table_lists_every_target_of_the_year_table(client):
    html = client.get("/countries/belgium/").content.decode()
    section = html[
        html.index('id="gap-heading"') : html.index("</table>", html.index('id="gap-heading"'))
    ]
    for label in ["2% of GDP", "3% of GDP", "3.5% of GDP", "5% of GDP"]:
        assert f'<th scope="row">{label}</th>' in section


def test_ally_page_offers_the_editions_with_its_figures(client):
    def offered(html):
        start = html.index('id="edition-select"')
        return re.findall(r'<option value="([^"]+)"', html[start : html.index("</select>", start)])

    sweden = offered(client.get("/countries/sweden/").content.decode())
    assert "NATO_DE2025_EDPRADAR" in sweden  # Sweden's equipment share, August 2025
    assert "NATO_SGAR2023_EXPRESSSTAR" not in sweden  # Sweden not yet listed there
    assert "NATO_DE2025_EDPRADAR" not in offered(client.get("/countries/poland/").content.decode())
    response = client.get("/countries/sweden/?edition=NATO_DE2025_EDPRADAR")
    assert response.status_code == 200
    assert "35.83" in response.content.decode()


def test_every_edition_offered_has_its_own_name(client):
    """Two editions released the same day (August 2025: the press release and the equipment
    table) are told apart: the titles were cut at 60 characters, which made them one. Iceland's
    page offers every edition (it has figures in none)."""
    html = client.get("/countries/iceland/").content.decode()
    start = html.index('id="edition-select"')
    names = re.findall(
        r'<option value="[^"]+"[^>]*>([^<]+)</option>', html[start : html.index("</select>", start)]
    )
    assert len([n for n in names if n.startswith("28 August 2025")]) == 2
    assert len(set(names)) == len(names), names


@pytest.mark.parametrize(
    "path, target",
    [
        ("/countries/turkey/", "/countries/turkiye/"),
        ("/countries/turkey/?edition=NATO_DIE2026", "/countries/turkiye/?edition=NATO_DIE2026"),
        ("/countries/uk/", "/countries/united-kingdom/"),
        ("/countries/czech-republic/", "/countries/czechia/"),
        ("/embed/country-pct/?ally=turkey", "/embed/country-pct/?ally=turkiye"),
    ],
)
def test_old_slugs_and_aliases_redirect_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_demonyms_and_capitals_do_not_redirect(client):
    assert client.get("/countries/dutch/").status_code == 404
    assert client.get("/countries/ankara/").status_code == 404


@pytest.mark.parametrize("query", ["foo=1", "ally=poland"])
def test_ally_page_rejects_parameters_it_does_not_take(client, query):
    response = client.get(f"/countries/poland/?{query}")
    assert response.status_code == 400
    assert "It accepts: year, edition, as_of." in response.content.decode()


def test_ally_page_takes_a_year_for_the_distance_to_the_targets(client):
    html = client.get("/countries/poland/?year=2019").content.decode()
    assert "Against the targets in 2019" in html
    assert 'class="selected-year"><th scope="row">2019</th>' in html
    # the share link and CSV keep the year; words instead of a signed gap
    assert "/countries/poland/?year=2019#figure-pct" in html
    assert "/charts/country-pct.csv?ally=poland&amp;year=2019" in html
    assert "short by" in html or "above target by" in html
    for bad in ("1990", "abc"):
        response = client.get(f"/countries/poland/?year={bad}")
        assert response.status_code == 400 and "year" in response.content.decode()


def test_ally_page_of_an_ally_missing_from_a_partial_edition_blames_our_copy_not_nato(client):
    """Issue 12.3 on the ally page: the August 2025 edition is held only for the 15 allies a
    press report quoted; France's page under it says so instead of "No NATO figures", and the
    edition menu keeps NATO's release order with the chosen edition in its place."""
    html = client.get("/countries/france/?edition=NATO_DE2025_PRESS").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "No NATO figures" not in text
    assert (
        "France is not in the copy we hold of Defence Expenditure of NATO Countries "
        "(2014-2025), August 2025 edition (released 28 August 2025), which has figures for 15 "
        "allies only." in text
    )
    start = html.index('id="edition-select"')
    menu = re.findall(r'<option value="([^"]+)"', html[start : html.index("</select>", start)])
    assert menu == [
        "NATO_DIE2026",
        "NATO_DE2025_PRESS",
        "NATO_2024REPORT_KNEWS",
        "NATO_DE2024_GRAPHICNEWS",
        "NATO_SGAR2023_EXPRESSSTAR",
    ]
    iceland = client.get("/countries/iceland/").content.decode()
    assert "NATO publishes no defence-expenditure figures for Iceland." in iceland


def test_sentences_about_a_missing_figure_read_the_united_kingdom(client):
    """An edition held in part (the press report of August 2025 quoted 15 allies)."""
    html = client.get("/countries/united-kingdom/?edition=NATO_DE2025_PRESS").content.decode()
    assert "The United Kingdom is not in the copy we hold of" in html
    response = client.get("/countries/netherlands/?edition=NATO_DE2025_PRESS&year=2025")
    assert response.status_code == 400
    assert "The Netherlands has no % of GDP figure in this edition." in response.content.decode()


def test_distance_in_a_year_before_joining_says_the_targets_did_not_apply(client):
    """NATO tabulates Finland from 2014; it joined on 4 April 2023."""
    html = client.get("/countries/finland/?year=2016").content.decode()
    assert (
        "Finland spent 1.43% of GDP (Finland joined NATO on 4 April 2023: the targets did not yet "
        "apply to it)</caption>" in html
    )
    assert (
        "the targets did not yet apply"
        not in client.get("/countries/finland/?year=2023").content.decode()
    )


def test_the_year_table_does_not_judge_the_years_before_the_ally_joined(client):
    """Finland's table said "Not met" for 2014-2022, years before it joined (4 April 2023)."""
    html = client.get("/countries/finland/").content.decode()
    body = html[html.index('id="figures-table"') :]
    body = body[: body.index("</table>")]
    rows = dict(
        re.findall(
            r'<th scope="row">(\d{4})[^<]*(?:<small>[^<]*</small>)?</th>(.*?)</tr>', body, re.S
        )
    )
    cells = {year: re.findall(r"<td[^>]*>([^<]*)</td>", row) for year, row in rows.items()}
    # % of GDP, then one cell per % of GDP target
    assert cells["2016"][1:3] == ["Did not yet apply", "Did not yet apply"]
    assert "Not met" not in "".join(rows[str(y)] for y in range(2014, 2023))
    assert "Did not yet apply" not in rows["2023"] + rows["2024"]
    assert {cells["2024"][1], cells["2024"][2]} <= {"Met", "Not met"}
