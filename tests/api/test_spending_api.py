"""Allies, targets, sources and figures: filters, pagination, CSV, bad input, query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from spending.models import MemberState, Metric, SpendingFigure
from spending.selectors import Vintage, current_figure
from tests.api.conftest import csv_rows, results

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def test_api_root_lists_the_endpoints(client_anon):
    data = client_anon.get(f"{V1}/").json()
    for name in ["allies", "targets", "sources", "figures", "statements", "speakers", "articles"]:
        assert name in data


# --- allies ---------------------------------------------------------------------------------


def test_allies_list_with_membership_dates(client_anon, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client_anon.get(f"{V1}/allies/", {"page_size": 100})
    rows = results(response)
    assert response.json()["count"] == 32
    mne = next(r for r in rows if r["iso3"] == "MNE")
    assert mne["accession_date"] == "2017-06-05"
    assert mne["accession_year"] == 2017
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)


@pytest.mark.parametrize(("year", "count"), [(2016, 28), (2017, 29), (2020, 30), (2024, 32)])
def test_allies_member_in_year(client_anon, year, count):
    assert client_anon.get(f"{V1}/allies/", {"member_in": year}).json()["count"] == count


def test_ally_detail_is_case_insensitive_and_unknown_is_404(client_anon):
    assert client_anon.get(f"{V1}/allies/usa/").json()["name"] == "United States"
    response = client_anon.get(f"{V1}/allies/XYZ/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_iceland_reports_no_figures(client_anon):
    rows = results(client_anon.get(f"{V1}/allies/", {"reports_figures": "false"}))
    assert [r["iso3"] for r in rows] == ["ISL"]


def test_allies_csv(client_anon):
    rows = csv_rows(client_anon.get(f"{V1}/allies/", {"format": "csv", "page_size": 5}))
    assert len(rows) == 32  # CSV holds every row, not one page
    assert set(rows[0]) == {
        "iso3",
        "name",
        "slug",
        "accession_date",
        "accession_year",
        "reports_figures",
    }


# --- targets and sources --------------------------------------------------------------------


def test_targets_by_code(client_anon, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = results(client_anon.get(f"{V1}/targets/"))
    assert [r["code"] for r in rows] == ["2", "3", "3.5", "5", "equipment-20"]
    target = client_anon.get(f"{V1}/targets/3.5/").json()
    assert target["threshold"] == "3.50"
    assert target["unit"] == "% of GDP"
    assert client_anon.get(f"{V1}/targets/4/").status_code == 404
    equipment = client_anon.get(f"{V1}/targets/", {"metric": "equipment_share"}).json()
    assert [r["code"] for r in equipment["results"]] == ["equipment-20"]


def test_sources_filter_editions_and_csv(client_anon, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = results(client_anon.get(f"{V1}/sources/", {"is_nato_edition": "true"}))
    codes = [r["code"] for r in rows]
    assert "NATO_DE2024_GRAPHICNEWS" in codes
    assert all(r["is_nato_edition"] for r in rows)
    assert codes[0] == "NATO_DIE2026"  # newest first
    assert client_anon.get(f"{V1}/sources/NATO_DIE2026/").json()["publisher"]
    assert client_anon.get(f"{V1}/sources/NOPE/").status_code == 404
    csv = csv_rows(client_anon.get(f"{V1}/sources/", {"format": "csv"}))
    assert {"code", "title", "publisher", "published"} <= set(csv[0])


# --- figures --------------------------------------------------------------------------------


def test_figures_default_to_the_current_figure_per_ally_year_metric(client_anon):
    rows = results(
        client_anon.get(f"{V1}/figures/", {"ally": "pol", "year": 2024, "metric": "pct_gdp"})
    )
    assert len(rows) == 1
    expected = current_figure(MemberState.objects.get(iso3="POL"), 2024, Metric.PCT_GDP)
    assert rows[0]["id"] == expected.pk
    assert rows[0]["value"] == f"{expected.value:.2f}"
    assert rows[0]["source"]["code"] == expected.source.code
    assert rows[0]["unit"] == "% of GDP"


def test_figures_edition_and_as_of_select_earlier_editions(client_anon):
    params = {"ally": "POL", "year": 2024, "metric": "pct_gdp"}
    june_2024 = results(client_anon.get(f"{V1}/figures/", {**params, "as_of": "2024-06-30"}))
    assert june_2024[0]["source"]["code"] == "NATO_DE2024_GRAPHICNEWS"
    assert june_2024[0]["value"] == "4.12"
    edition = results(
        client_anon.get(f"{V1}/figures/", {**params, "edition": "NATO_DE2024_GRAPHICNEWS"})
    )
    assert edition == june_2024
    vintage = Vintage(as_of=datetime.date(2024, 6, 30))
    expected = current_figure(MemberState.objects.get(iso3="POL"), 2024, "pct_gdp", vintage=vintage)
    assert june_2024[0]["id"] == expected.pk


def test_figures_all_editions_and_source(client_anon):
    params = {"ally": "POL", "year": 2024, "metric": "pct_gdp"}
    every = results(client_anon.get(f"{V1}/figures/", {**params, "all_editions": "true"}))
    expected = SpendingFigure.objects.filter(member__iso3="POL", year=2024, metric="pct_gdp")
    assert len(every) == expected.count() > 1
    one = results(
        client_anon.get(f"{V1}/figures/", {**params, "source": "NATO_DE2024_GRAPHICNEWS"})
    )
    assert [r["source"]["code"] for r in one] == ["NATO_DE2024_GRAPHICNEWS"]


def test_figures_year_range_estimate_and_spending_unit(client_anon):
    rows = results(
        client_anon.get(
            f"{V1}/figures/",
            {"ally": "USA", "metric": "spending_usd", "year_min": 2020, "year_max": 2022},
        )
    )
    assert [r["year"] for r in rows] == [2020, 2021, 2022]
    assert {r["unit"] for r in rows} == {"US$ million"}
    estimates = results(client_anon.get(f"{V1}/figures/", {"estimate": "true", "page_size": 500}))
    assert estimates and all(r["estimate"] for r in estimates)


def test_figures_pagination_is_stable_and_page_past_the_end_is_404(client_anon):
    first = client_anon.get(f"{V1}/figures/", {"ally": "DEU", "page_size": 10}).json()
    second = client_anon.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 20
    again = client_anon.get(f"{V1}/figures/", {"ally": "DEU", "page_size": 10}).json()
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    response = client_anon.get(f"{V1}/figures/", {"page": 9999})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_figures_ordering(client_anon):
    rows = results(
        client_anon.get(
            f"{V1}/figures/",
            {"year": 2024, "metric": "pct_gdp", "ordering": "-value", "page_size": 100},
        )
    )
    values = [Decimal(r["value"]) for r in rows]
    assert values == sorted(values, reverse=True)


def test_figures_csv_carries_the_source_of_each_figure(client_anon):
    rows = csv_rows(
        client_anon.get(f"{V1}/figures/", {"format": "csv", "ally": "DEU", "page_size": 5})
    )
    total = client_anon.get(f"{V1}/figures/", {"ally": "DEU"}).json()["count"]
    assert len(rows) == total
    assert {"ally_iso3", "year", "metric", "value", "unit", "estimate"} <= set(rows[0])
    assert {"source_code", "source_title", "source_publisher", "source_published"} <= set(rows[0])
    assert all(row["source_code"] for row in rows)


def test_figures_list_query_count(client_anon, django_assert_max_num_queries):
    client_anon.get(f"{V1}/figures/")  # warm the cache of current figure ids
    with django_assert_max_num_queries(4):
        response = client_anon.get(f"{V1}/figures/", {"page_size": 200})
    assert len(results(response)) == 200
    with django_assert_max_num_queries(6):
        response = client_anon.get(f"{V1}/figures/", {"page_size": 200, "as_of": "2025-01-01"})
    assert len(results(response)) > 50


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ally": "XXX"}, "ally"),
        ({"ally": "United States"}, "ally"),
        ({"year": "abc"}, "year"),
        ({"year": "1800"}, "year"),
        ({"year_min": "20x4"}, "year_min"),
        ({"year_max": "99999"}, "year_max"),
        ({"metric": "gdp"}, "metric"),
        ({"source": "NOPE"}, "source"),
        ({"estimate": "maybe"}, "estimate"),
        ({"edition": "NOPE"}, "edition"),
        ({"as_of": "2024-13-01"}, "as_of"),
        ({"as_of": "1990-01-01"}, "as_of"),
        ({"page_size": "abc", "year": "x"}, "year"),
    ],
)
def test_figures_bad_input_is_400_json_naming_the_parameter(client_anon, params, field):
    for fmt in ("json", "csv"):
        response = client_anon.get(f"{V1}/figures/", {**params, "format": fmt})
        assert response.status_code == 400, response.content
        assert response["Content-Type"].startswith("application/json")
        assert field in response.json()


def test_edition_and_as_of_together_is_400(client_anon):
    response = client_anon.get(f"{V1}/figures/", {"edition": "NATO_DIE2026", "as_of": "2025-01-01"})
    assert response.status_code == 400
    assert "either edition or as_of" in str(response.json())


def test_figure_detail(client_anon):
    figure = SpendingFigure.objects.select_related("source").first()
    data = client_anon.get(f"{V1}/figures/{figure.pk}/").json()
    assert data["source"]["code"] == figure.source.code
    assert client_anon.get(f"{V1}/figures/999999/").status_code == 404
    assert client_anon.get(f"{V1}/figures/abc/").status_code == 404


def test_constant_2021_prices_are_refused_for_ally_figures_with_the_alternative(client_anon):
    """``spending_usd_2021`` is held for the alliance totals only: asking the per-ally list for
    it is a 400 that says where it is, not an empty list that looks like missing data."""
    for fmt in ("json", "csv"):
        response = client_anon.get(
            f"{V1}/figures/", {"metric": "pct_gdp,spending_usd_2021", "format": fmt}
        )
        assert response.status_code == 400, response.content
        (message,) = response.json()["metric"]
        assert "spending_usd_2021" in message and "/api/v1/aggregates/" in message
    schema = client_anon.get("/api/schema/", {"format": "json"}).json()
    (metric,) = [
        p for p in schema["paths"]["/api/v1/figures/"]["get"]["parameters"] if p["name"] == "metric"
    ]
    assert "spending_usd_2021" not in metric["schema"]["items"]["enum"]
    totals = client_anon.get("/api/v1/aggregates/", {"metric": "spending_usd_2021"})
    assert totals.status_code == 200 and totals.json()["count"] > 0


def test_figures_say_which_years_are_before_the_ally_joined(client_anon):
    """Finland's 2014-2022 figures came as any other year's: the pages mark them "not yet a
    member", the API said nothing (a client had to join /allies/ to know)."""
    params = {"ally": "FIN,POL", "metric": "pct_gdp", "year_min": 2021, "year_max": 2024}
    rows = results(client_anon.get("/api/v1/figures/", params))
    flags = {(r["ally"]["iso3"], r["year"]): r["member_that_year"] for r in rows}
    assert flags == {
        ("FIN", 2021): False,
        ("FIN", 2022): False,
        ("FIN", 2023): True,
        ("FIN", 2024): True,
        **{("POL", year): True for year in range(2021, 2025)},
    }
    rows = csv_rows(client_anon.get("/api/v1/figures/", {**params, "format": "csv"}))
    assert {(r["ally_iso3"], r["year"]) for r in rows if r["member_that_year"] == "false"} == {
        ("FIN", "2021"),
        ("FIN", "2022"),
    }
