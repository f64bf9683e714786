"""Editions are dated by NATO's own release, not by the article we read them in (issue 12.1),
and say which definition of defence expenditure they follow (12.2)."""

from __future__ import annotations

import datetime
import json
import shutil
from decimal import Decimal

import pytest
from django.conf import settings

from spending.models import AggregateFigure, Definition, MemberState, Metric, Source, Target
from spending.reference_data import ReferenceDataError, read_reference_data
from spending.selectors import (
    LATEST,
    Vintage,
    alliance_totals,
    compliance,
    current_figure,
    parse_vintage,
    summarise,
)
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_the_two_dates_of_an_edition_are_kept_apart():
    report_2023 = Source.objects.get(code="NATO_SGAR2023_EXPRESSSTAR")
    assert report_2023.edition_published == datetime.date(2024, 3, 14)
    assert report_2023.published == datetime.date(2024, 7, 10)  # the Express & Star article
    assert report_2023.released_label == "14 March 2024"
    assert report_2023.read_from_other_document
    report_2024 = Source.objects.get(code="NATO_2024REPORT_KNEWS")
    assert report_2024.edition_published == datetime.date(2025, 4, 24)
    assert report_2024.published == datetime.date(2025, 4, 25)


def test_the_copy_in_the_project_has_every_release_date_of_the_shared_file():
    """The project's sources.csv is the corrected shared file (less SIPRI, plus two columns)."""
    import csv

    shared_file = settings.BASE_DIR.parent / "shared" / "data" / "sources.csv"
    if not shared_file.exists():
        pytest.skip("../shared/data is not beside the checkout")
    shared = {row["source_id"]: row for row in csv.DictReader(shared_file.open(encoding="utf-8"))}
    ours = {
        row["source_id"]: row
        for row in csv.DictReader(
            (settings.REFERENCE_DATA_DIR / "sources.csv").open(encoding="utf-8")
        )
    }
    assert set(shared) - set(ours) == {"SIPRI_OWID"}
    for code, row in ours.items():
        for column in ("published", "edition_published", "url", "notes"):
            assert row[column] == shared[code][column], (code, column)


def test_as_of_uses_the_release_date_poland_2023_in_the_annual_report():
    """The Annual Report 2023 came out on 14 March 2024: known on 1 April 2024."""
    vintage = parse_vintage(as_of="2024-04-01")
    poland = MemberState.objects.get(iso3="POL")
    figure = current_figure(poland, 2023, Metric.PCT_GDP, vintage=vintage)
    assert figure.value == Decimal("3.92")
    assert figure.source.code == "NATO_SGAR2023_EXPRESSSTAR"


def test_an_edition_counts_as_published_on_its_release_day():
    """The report on 2024 came out on 24 April 2025: that day gives the US 3.19%, not the
    June 2024 estimate of 3.38%; the day before still gives 3.38%."""
    usa = MemberState.objects.get(iso3="USA")
    on_the_day = current_figure(
        usa, 2024, Metric.PCT_GDP, vintage=parse_vintage(as_of="2025-04-24")
    )
    assert (on_the_day.value, on_the_day.source.code) == (Decimal("3.19"), "NATO_2024REPORT_KNEWS")
    day_before = current_figure(
        usa, 2024, Metric.PCT_GDP, vintage=parse_vintage(as_of="2025-04-23")
    )
    assert day_before.value == Decimal("3.38")


def test_before_the_first_release_nothing_is_known():
    from spending.selectors import SelectionError

    with pytest.raises(SelectionError, match="2024-03-13"):
        parse_vintage(as_of="2024-03-13")
    assert parse_vintage(as_of="2024-03-14").as_of == datetime.date(2024, 3, 14)


def test_the_loader_refuses_an_edition_without_release_date(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(settings.REFERENCE_DATA_DIR, data)
    path = data / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",2025-04-25,2025-04-24,", ",2025-04-25,,"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"sources.csv:\d+: edition_published"):
        read_reference_data(data)


def test_editions_name_their_definition():
    assert Source.objects.get(code="NATO_DIE2026").definition == Definition.CORE
    earlier = Source.objects.editions().exclude(code="NATO_DIE2026")
    assert set(earlier.values_list("definition", flat=True)) == {Definition.PRE_2026}


def test_2024_counts_by_each_edition():
    """By the 2026 core definition 17 of 32 met 2% in 2024; NATO announced 23 in June 2024 and
    22 in April 2025 (issue 12.2)."""
    two = Target.objects.get(code="2")

    def count(vintage):
        (summary,) = summarise(compliance(two, [2024], vintage=vintage))
        return summary.meeting, summary.members

    assert count(LATEST) == (17, 32)
    assert count(Vintage(edition="NATO_DE2024_GRAPHICNEWS")) == (23, 32)
    assert count(Vintage(edition="NATO_2024REPORT_KNEWS")) == (22, 32)


def test_partial_editions_give_not_held_not_no_data():
    """The August 2025 press reports quote 15 of 31 reporting allies: the other 16 are "not
    in the copy we hold", Iceland alone is no_data, and neither counts as missing."""
    two = Target.objects.get(code="2")
    rows = compliance(two, [2025], vintage=Vintage(edition="NATO_DE2025_PRESS"))
    statuses = {r.iso3: r.status for r in rows}
    assert statuses["ISL"] == "no_data"
    assert list(statuses.values()).count("not_held") == 16
    assert statuses["DEU"] == "not_held"  # NATO published no 2025 estimate for Germany
    (summary,) = summarise(rows)
    assert (summary.members, summary.no_data, summary.not_held) == (32, 1, 16)
    assert summary.meeting + summary.missing == 15


@pytest.fixture
def two_releases_read_in_the_other_order():
    """Two editions with a NATO total for 2023 (test values): the one NATO released first
    (14 March 2024) was read in a later document (10 July 2024), as for the Annual Report 2023;
    the other was released and read on 17 June 2024."""
    early = SourceFactory(
        code="TEST_EARLY_RELEASE",
        published=datetime.date(2024, 7, 10),
        edition_published=datetime.date(2024, 3, 14),
    )
    late = SourceFactory(
        code="TEST_LATE_RELEASE",
        published=datetime.date(2024, 6, 17),
        edition_published=datetime.date(2024, 6, 17),
    )
    for source, value in ((early, "2.11"), (late, "2.22")):
        AggregateFigure.objects.create(
            area=AggregateFigure.Area.NATO_TOTAL,
            year=2023,
            metric=Metric.PCT_GDP,
            value=Decimal(value),
            source=source,
        )
    return early, late


NATO_TOTAL_2023 = {"area": "NATO_TOTAL", "year": 2023, "metric": "pct_gdp"}


def test_aggregates_are_chosen_and_ordered_by_nato_release_not_by_the_document_read(
    client, two_releases_read_in_the_other_order
):
    early, late = two_releases_read_in_the_other_order
    # By the documents' dates the early release would be the newer (10 July > 17 June).
    assert early.published > late.published and early.edition_published < late.edition_published

    def answer(**params):
        response = client.get("/api/v1/aggregates/", {**NATO_TOTAL_2023, **params})
        assert response.status_code == 200, response.content
        return [(r["source"]["code"], r["value"]) for r in response.json()["results"]]

    # Known on 1 July 2024: both released; the one NATO released last is in force.
    assert answer(as_of="2024-07-01") == [("TEST_LATE_RELEASE", "2.22")]
    # On 1 April 2024 only the March release was out.
    assert answer(as_of="2024-04-01") == [("TEST_EARLY_RELEASE", "2.11")]
    # Every edition: newest release first (the July 2026 edition, then June, then March 2024).
    assert [code for code, _ in answer(all_editions="true")] == [
        "NATO_DIE2026",
        "TEST_LATE_RELEASE",
        "TEST_EARLY_RELEASE",
    ]
    assert [code for code, _ in answer(all_editions="true", as_of="2024-07-01")] == [
        "TEST_LATE_RELEASE",
        "TEST_EARLY_RELEASE",
    ]
    # The pages and the checks use the same rule.
    july = alliance_totals(vintage=parse_vintage(as_of="2024-07-01"))
    assert july[2023, Metric.PCT_GDP].source == late
    assert alliance_totals()[2023, Metric.PCT_GDP].source.code == "NATO_DIE2026"


def test_the_api_and_pages_answer_as_of_by_nato_release(client):
    """Issue 12.1, in the API and on pages: on 1 April 2024 the Annual Report 2023 (released
    14 March 2024, read from an article of 10 July 2024) was out, with Poland at 3.92% for
    2023; on 24 April 2025 the report on 2024 was out, with the US at 3.19%."""
    poland = client.get(
        "/api/v1/figures/",
        {"ally": "POL", "year": 2023, "metric": "pct_gdp", "as_of": "2024-04-01"},
    ).json()["results"]
    assert [(r["value"], r["source"]["code"]) for r in poland] == [
        ("3.92", "NATO_SGAR2023_EXPRESSSTAR")
    ]
    assert poland[0]["source"]["edition_published"] == "2024-03-14"
    assert poland[0]["source"]["published"] == "2024-07-10"
    compliance = client.get(
        "/api/v1/compliance/", {"target": "2", "year": 2023, "ally": "POL", "as_of": "2024-04-01"}
    ).json()
    (row,) = compliance["results"]
    assert (row["value"], row["status"], row["definition"]) == ("3.92", "meets", "pre2026")
    assert compliance["summary"][0]["meeting"] == 11  # NATO's count for 2023 in that report
    us = client.get(
        "/api/v1/figures/",
        {"ally": "USA", "year": 2024, "metric": "pct_gdp", "as_of": "2025-04-24"},
    ).json()["results"]
    assert [(r["value"], r["source"]["code"]) for r in us] == [("3.19", "NATO_2024REPORT_KNEWS")]
    page = client.get("/countries/poland/", {"as_of": "2024-04-01", "year": 2023}).content.decode()
    assert "released by NATO 14 March 2024" in page and "3.92" in page
    us_page = client.get("/countries/united-states/", {"as_of": "2025-04-24"}).content.decode()
    assert "3.19" in us_page


def test_the_compliance_api_gives_not_held_for_allies_missing_from_a_partial_edition(client):
    params = {"target": "2", "year": 2025, "edition": "NATO_DE2025_PRESS"}
    data = client.get("/api/v1/compliance/", params).json()
    statuses = {r["iso3"]: r["status"] for r in data["results"]}
    assert statuses["DEU"] == "not_held" and statuses["ISL"] == "no_data"
    (summary,) = data["summary"]
    assert (summary["not_held"], summary["no_data"]) == (16, 1)
    assert summary["meeting"] + summary["missing"] == 15  # never counted as missing
    csv_text = client.get("/api/v1/compliance/", {**params, "format": "csv"}).content.decode()
    germany = next(line for line in csv_text.splitlines() if line.startswith("DEU,"))
    assert ",not_held," in germany
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "not_held" in json.dumps(schema["components"]["schemas"])
