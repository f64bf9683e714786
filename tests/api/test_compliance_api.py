"""Compliance: the API's numbers are spending.selectors.compliance's numbers, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spending.models import Target
from spending.selectors import LATEST, Vintage, compliance, summarise
from tests.api.conftest import csv_rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/"


def fmt(value) -> str | None:
    return None if value is None else f"{value:.2f}"


@pytest.mark.parametrize("code", ["2", "3", "3.5", "5", "equipment-20"])
@pytest.mark.parametrize("year", [2016, 2023, 2024])
def test_rows_and_summary_match_the_selector_exactly(client_anon, code, year):
    data = client_anon.get(URL, {"target": code, "year": year}).json()
    expected = compliance(Target.objects.get(code=code), [year], vintage=LATEST)
    assert [(r["iso3"], r["value"], r["status"], r["gap_pp"]) for r in data["results"]] == [
        (r.iso3, fmt(r.value), r.status, fmt(r.gap_pp)) for r in expected
    ]
    (summary,) = summarise(expected)
    assert data["summary"] == [
        {
            "year": year,
            "target": code,
            "members": summary.members,
            "meeting": summary.meeting,
            "missing": summary.missing,
            "no_data": summary.no_data,
            "not_held": summary.not_held,
        }
    ]
    assert data["vintage"]["description"] == "latest edition"


def test_every_member_of_the_year_is_listed(client_anon):
    for year, members in [(2016, 28), (2017, 29), (2023, 31), (2024, 32)]:
        data = client_anon.get(URL, {"target": "2", "year": year}).json()
        assert data["count"] == members
        assert data["summary"][0]["members"] == members
    data = client_anon.get(URL, {"target": "2", "year": 2016}).json()
    assert "MNE" not in {r["iso3"] for r in data["results"]}


def test_iceland_is_no_data_not_zero(client_anon):
    data = client_anon.get(URL, {"target": "2", "year": 2024}).json()
    iceland = next(r for r in data["results"] if r["iso3"] == "ISL")
    assert iceland["status"] == "no_data"
    assert iceland["value"] is None
    assert iceland["source"] is None


def test_row_says_which_edition_it_comes_from(client_anon):
    data = client_anon.get(URL, {"target": "2", "year": 2024}).json()
    poland = next(r for r in data["results"] if r["iso3"] == "POL")
    assert poland["source"]["code"] == "NATO_DIE2026"
    assert poland["source"]["publisher"]
    assert poland["figure_id"]
    assert poland["meets"] is True
    assert poland["gap_pp"] == fmt(Decimal(poland["value"]) - 2)


def test_june_2024_edition_counts_23_allies_at_2_percent(client_anon):
    data = client_anon.get(
        URL, {"target": "2", "year": 2024, "edition": "NATO_DE2024_GRAPHICNEWS"}
    ).json()
    assert data["summary"][0]["meeting"] == 23
    assert data["vintage"]["edition"] == "NATO_DE2024_GRAPHICNEWS"
    assert {r["source"]["code"] for r in data["results"] if r["source"]} == {
        "NATO_DE2024_GRAPHICNEWS"
    }
    by_date = client_anon.get(URL, {"target": "2", "year": 2024, "as_of": "2024-06-30"}).json()
    expected = summarise(
        compliance(
            Target.objects.get(code="2"),
            [2024],
            vintage=Vintage(as_of=__import__("datetime").date(2024, 6, 30)),
        )
    )[0]
    assert by_date["summary"][0]["meeting"] == expected.meeting


def test_status_filter_keeps_the_full_summary(client_anon):
    everything = client_anon.get(URL, {"target": "2", "year": 2024}).json()
    misses = client_anon.get(URL, {"target": "2", "year": 2024, "status": "misses"}).json()
    assert misses["summary"] == everything["summary"]
    assert misses["count"] == everything["summary"][0]["missing"]
    assert {r["status"] for r in misses["results"]} == {"misses"}
    assert all(float(r["gap_pp"]) < 0 for r in misses["results"])
    meets = client_anon.get(URL, {"target": "2", "year": 2024, "status": "meets"}).json()
    assert meets["count"] == everything["summary"][0]["meeting"]


def test_several_years_and_targets_at_once(client_anon):
    repeated = client_anon.get(f"{URL}?target=3.5&target=5&year=2023&year=2024").json()
    commas = client_anon.get(URL, {"target": "3.5,5", "year": "2023,2024"}).json()
    assert repeated == commas
    assert [(s["year"], s["target"]) for s in repeated["summary"]] == [
        (2023, "3.5"),
        (2023, "5"),
        (2024, "3.5"),
        (2024, "5"),
    ]
    assert repeated["count"] == 31 * 2 + 32 * 2
    assert [t["code"] for t in repeated["targets"]] == ["3.5", "5"]


def test_defaults_target_2_and_latest_year(client_anon):
    data = client_anon.get(URL).json()
    assert [t["code"] for t in data["targets"]] == ["2"]
    assert len(data["years"]) == 1 and data["years"][0] >= 2025


def test_compliance_csv(client_anon):
    rows = csv_rows(client_anon.get(URL, {"target": "2", "year": 2024, "format": "csv"}))
    assert len(rows) == 32
    assert {"iso3", "year", "target", "value", "status", "gap_pp", "source_code"} <= set(rows[0])
    iceland = next(r for r in rows if r["iso3"] == "ISL")
    assert iceland["value"] == "" and iceland["status"] == "no_data"


def test_compliance_query_count(client_anon, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client_anon.get(URL, {"target": "2,3.5", "year": "2023,2024"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"target": "4"}, "target"),
        ({"target": "2,nope"}, "target"),
        ({"year": "abc"}, "year"),
        ({"year": "2024.5"}, "year"),
        ({"year": "1800"}, "year"),
        ({"year": "2200"}, "year"),
        ({"status": "fails"}, "status"),
        ({"edition": "NOPE"}, "edition"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2000-01-01"}, "as_of"),
        ({"year": ",".join(str(y) for y in range(1950, 2010))}, "year"),
    ],
)
def test_bad_input_is_400_json(client_anon, params, field):
    for fmt_ in ("json", "csv"):
        response = client_anon.get(URL, {**params, "format": fmt_})
        assert response.status_code == 400, response.content
        assert response["Content-Type"].startswith("application/json")
        assert field in response.json()
