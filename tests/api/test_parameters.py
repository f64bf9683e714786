"""Query parameters are never silently ignored: several values where documented, 400 otherwise."""

from __future__ import annotations

import pytest

from spending.models import SpendingFigure
from spending.selectors import Vintage, available_years
from tests.api.conftest import results

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def error(response, parameter: str) -> str:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert parameter in data, data
    return " ".join(data[parameter])


# --- several values -------------------------------------------------------------------------


def test_figures_take_several_allies_repeated_or_comma_separated(client_anon):
    base = {"year": 2024, "metric": "pct_gdp"}
    repeated = results(client_anon.get(f"{V1}/figures/?ally=POL&ally=usa&year=2024&metric=pct_gdp"))
    commas = results(client_anon.get(f"{V1}/figures/", {**base, "ally": "pol, USA"}))
    assert sorted(r["ally"]["iso3"] for r in repeated) == ["POL", "USA"]
    assert commas == repeated
    error(client_anon.get(f"{V1}/figures/", {**base, "ally": "POL,XXX"}), "ally")


def test_figures_take_several_metrics(client_anon):
    rows = results(
        client_anon.get(f"{V1}/figures/?ally=POL&year=2024&metric=pct_gdp&metric=spending_usd")
    )
    assert sorted(r["metric"] for r in rows) == ["pct_gdp", "spending_usd"]
    same = results(
        client_anon.get(
            f"{V1}/figures/", {"ally": "POL", "year": 2024, "metric": "pct_gdp,spending_usd"}
        )
    )
    assert same == rows
    error(client_anon.get(f"{V1}/figures/", {"metric": "pct_gdp,gdp"}), "metric")


def test_statements_take_several_allies_listed_once(client_anon, statements):
    rows = results(client_anon.get(f"{V1}/statements/", {"ally": "usa,DEU"}))
    texts = [r["text"] for r in rows]
    assert sorted(texts) == ["America pays its share", "Germany steps up", "Two percent is a floor"]
    assert len(texts) == len(set(texts))  # "Two percent is a floor" is about both: once


def test_claims_take_several_allies(client_anon, claims):
    rows = results(client_anon.get(f"{V1}/claims/?ally=usa&ally=ESP"))
    assert sorted(r["kind"] for r in rows) == ["reported_figure", "target_list"]
    error(client_anon.get(f"{V1}/claims/", {"ally": "USA,XXX"}), "ally")


def test_compliance_takes_an_ally_filter_that_keeps_the_summary(client_anon):
    everything = client_anon.get(f"{V1}/compliance/", {"target": "2", "year": 2024}).json()
    two = client_anon.get(f"{V1}/compliance/", {"target": "2", "year": 2024, "ally": "pol,USA"})
    data = two.json()
    assert sorted(r["iso3"] for r in data["results"]) == ["POL", "USA"]
    assert data["count"] == 2
    assert data["summary"] == everything["summary"]
    message = error(client_anon.get(f"{V1}/compliance/", {"ally": "XXX"}), "ally")
    assert "XXX" in message


# --- one value given twice ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{V1}/figures/?year=2023&year=2024",
        f"{V1}/figures/?edition=NATO_DIE2026&edition=NATO_DE2024_GRAPHICNEWS",
        f"{V1}/allies/?member_in=2016&member_in=2024",
        f"{V1}/statements/?speaker=mark-rutte&speaker=pete-hegseth",
        f"{V1}/claims/?kind=target_list&kind=reported_figure",
        f"{V1}/compliance/?as_of=2024-07-01&as_of=2025-07-01",
        f"{V1}/figures/?ordering=year&ordering=-year",
        f"{V1}/figures/?page=1&page=2",
        f"{V1}/figures/?format=json&format=csv",
    ],
)
def test_a_one_value_parameter_given_twice_is_400(client_anon, statements, url):
    name = url.split("?")[1].split("=")[0]
    assert "give it once" in error(client_anon.get(url), name)


# --- unknown parameters, orderings, formats, pages -------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"{V1}/compliance/?aly=POL", "aly"),
        (f"{V1}/figures/?countries=POL", "countries"),
        (f"{V1}/claims/?speaker=mark-rutte", "speaker"),
        (f"{V1}/allies/USA/?year=2024", "year"),
    ],
)
def test_unknown_parameters_are_400_listing_the_known_ones(client_anon, url, parameter):
    message = error(client_anon.get(url), parameter)
    assert "Unknown parameter" in message and "format" in message


def test_known_parameters_of_each_endpoint_are_accepted(client_anon, statements):
    for url in [
        f"{V1}/compliance/?target=2&year=2024&ally=POL&status=meets&format=json",
        f"{V1}/claims/?kind=target_list&page=1&page_size=5",
        f"{V1}/figures/?ally=POL&ordering=-year&page=1&page_size=5&all_editions=false",
        f"{V1}/allies/USA/?format=json",
    ]:
        assert client_anon.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        f"{V1}/compliance/?target=2&edition=",
        f"{V1}/figures/?year=",
        f"{V1}/statements/?q=%20",
        f"{V1}/allies/?format=",
        f"{V1}/claims/?ally=POL&ally=",
    ],
)
def test_empty_values_are_400_everywhere(client_anon, url):
    response = client_anon.get(url)
    assert response.status_code == 400, url
    assert any("is empty" in messages[0] for messages in response.json().values())


def test_unknown_ordering_is_400_naming_the_allowed_values(client_anon, statements):
    message = error(client_anon.get(f"{V1}/figures/", {"ordering": "bogus"}), "ordering")
    assert "'bogus'" in message and "-value" in message and "member__iso3" in message
    message = error(client_anon.get(f"{V1}/statements/", {"ordering": "id,text"}), "ordering")
    assert "'text'" in message and "article__published" in message
    rows = results(client_anon.get(f"{V1}/allies/", {"ordering": "-iso3", "page_size": 3}))
    assert [r["iso3"] for r in rows] == ["USA", "TUR", "SWE"]


@pytest.mark.parametrize("fmt", ["xml", "CSV", "yaml"])
def test_unknown_format_is_400_json_naming_the_allowed_formats(client_anon, fmt):
    response = client_anon.get(f"{V1}/figures/", {"format": fmt})
    message = error(response, "format")
    assert "json" in message and "csv" in message


def test_unknown_format_suffix_is_400_too(client_anon):
    assert "csv" in error(client_anon.get(f"{V1}/targets.xml"), "format")
    assert client_anon.get(f"{V1}/targets.csv").status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "١"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_malformed_page_is_400(client_anon, claims, page, fmt):
    for url in [f"{V1}/figures/", f"{V1}/claims/"]:
        assert "page" in error(client_anon.get(url, {"page": page, "format": fmt}), "page")


@pytest.mark.parametrize("size", ["abc", "0", "2.5"])
def test_malformed_page_size_is_400(client_anon, size):
    error(client_anon.get(f"{V1}/figures/", {"page_size": size}), "page_size")


def test_pages_past_the_end_stay_404_and_big_page_size_is_capped(client_anon):
    response = client_anon.get(f"{V1}/figures/", {"page": 99999})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
    assert len(results(client_anon.get(f"{V1}/figures/", {"page_size": 100000}))) == 500
    last = client_anon.get(f"{V1}/figures/", {"page": "last", "ally": "POL"})
    assert last.status_code == 200 and last.json()["next"] is None


# --- compliance: years without figures ------------------------------------------------------


def test_compliance_year_without_figures_is_400_naming_the_available_years(client_anon):
    years = available_years()
    assert 2013 not in years
    for fmt in ("json", "csv"):
        response = client_anon.get(
            f"{V1}/compliance/", {"target": "2", "year": 2013, "format": fmt}
        )
        message = error(response, "year")
        assert "2013" in message
        assert f"{years[0]}–{years[-1]}" in message
        assert "latest edition" in message
    message = error(client_anon.get(f"{V1}/compliance/", {"year": "2013,2024,1990"}), "year")
    assert "1990, 2013" in message and "2024," not in message


def test_compliance_year_must_have_figures_in_the_chosen_edition(client_anon):
    edition = "NATO_DE2024_GRAPHICNEWS"
    in_edition = available_years(vintage=Vintage(edition=edition))
    assert 2026 not in in_edition
    message = error(
        client_anon.get(f"{V1}/compliance/", {"target": "2", "year": 2026, "edition": edition}),
        "year",
    )
    assert edition in message and "years with figures: 2014, 2024." in message
    ok = client_anon.get(
        f"{V1}/compliance/", {"target": "2", "year": in_edition[-1], "edition": edition}
    )
    assert ok.status_code == 200


def test_compliance_checks_the_years_of_each_target_metric(client_anon):
    """NATO_DE2024_GRAPHICNEWS has % of GDP figures for 2014 and 2024, no equipment shares."""
    edition = {"edition": "NATO_DE2024_GRAPHICNEWS"}
    response = client_anon.get(
        f"{V1}/compliance/", {**edition, "target": "2,equipment-20", "year": 2024}
    )
    message = error(response, "year")
    assert "target equipment-20); years with figures: none." in message
    assert "target 2)" not in message
    both = client_anon.get(f"{V1}/compliance/", {**edition, "target": "2,equipment-20"})
    assert "no figures for these targets" in error(both, "year")
    default = client_anon.get(f"{V1}/compliance/", {**edition, "target": "2"}).json()
    assert default["years"] == [2024]


def test_compliance_with_no_data_for_a_known_year_still_lists_iceland(client_anon):
    """A year with figures lists every member; Iceland stays no_data (not a 400)."""
    year = max(SpendingFigure.objects.filter(metric="pct_gdp").values_list("year", flat=True))
    data = client_anon.get(f"{V1}/compliance/", {"year": year, "ally": "ISL"}).json()
    assert [r["status"] for r in data["results"]] == ["no_data"]


def test_api_root_unknown_format_is_400(client_anon):
    assert "json" in error(client_anon.get(f"{V1}/", {"format": "xml"}), "format")


def test_allies_are_taken_by_page_slug_too(client_anon):
    by_code = client_anon.get(f"{V1}/figures/", {"ally": "POL", "year": 2024}).json()["results"]
    by_slug = client_anon.get(f"{V1}/figures/", {"ally": "poland", "year": 2024}).json()
    assert by_code and by_slug["results"] == by_code
    assert client_anon.get(f"{V1}/figures/", {"ally": "atlantis"}).status_code == 400


@pytest.mark.parametrize("name", ["statements", "articles", "sources"])
def test_published_after_later_than_published_before_is_400(client_anon, name):
    response = client_anon.get(
        f"{V1}/{name}/", {"published_after": "2025-07-01", "published_before": "2025-01-01"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "published_before": ["published_before must not be earlier than published_after."]
    }


def test_root_and_csv_columns_refuse_unknown_parameters(client_anon):
    for url in (f"{V1}/", f"{V1}/csv-columns/"):
        response = client_anon.get(url, {"nope": "1"})
        assert response.status_code == 400
        assert "nope" in response.json()


def test_an_empty_format_is_400_on_writes_too(client_editor):
    response = client_editor.post(
        f"{V1}/statement-links/?format=", {"statement": 1, "target": "2"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"format": ["format is empty: give a value or leave it out."]}
