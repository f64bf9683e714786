"""Resources for reuse: the API root lists everything, the alliance totals as their own
resource, the metadata endpoint and the bulk download (a valid Frictionless Data Package)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import Package

from spending.models import AggregateFigure, Source
from tests.api.conftest import csv_rows, results

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_resource(client_anon):
    root = client_anon.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    for name in (
        "allies",
        "targets",
        "sources",
        "figures",
        "aggregates",
        "compliance",
        "claims",
        "statements",
        "statement-links",
        "speakers",
        "articles",
        "history",
        "claim-verdict",
        "metadata",
        "bulk-download",
        "token",
        "schema",
    ):
        assert name in root, name
    assert root["compliance"].endswith("/api/v1/compliance/")
    assert root["history"].endswith("/api/v1/history/{kind}/{id}/")
    for name, url in root.items():  # every URL that takes no path parameter answers
        if "{" not in url and name not in ("token", "token-rotate", "docs", "redoc"):
            path = url.removeprefix("http://testserver")
            assert client_anon.get(path).status_code == 200, name


def test_the_schema_describes_the_new_resources(client_anon):
    schema = client_anon.get("/api/schema/?format=json").json()
    for path in ("/api/v1/", "/api/v1/aggregates/", "/api/v1/metadata/", "/api/v1/download/"):
        assert "get" in schema["paths"][path], path
    download = schema["paths"]["/api/v1/download/"]["get"]["responses"]["200"]["content"]
    assert "application/zip" in download
    assert "Aggregate" in schema["components"]["schemas"]
    assert "Metadata" in schema["components"]["schemas"]


def test_aggregates_are_the_figures_in_force_by_default(client_anon):
    rows = results(client_anon.get("/api/v1/aggregates/?year=2024&metric=pct_gdp"))
    assert {row["area"] for row in rows} == {"NATO_TOTAL", "NATO_EUROPE_CANADA"}
    assert len(rows) == 2  # one per area: the latest edition's
    expected = {
        f.area: f
        for f in AggregateFigure.objects.filter(year=2024, metric="pct_gdp").order_by(
            "source__edition_published"
        )
    }
    for row in rows:
        figure = expected[row["area"]]
        assert Decimal(row["value"]) == figure.value
        assert row["source"]["code"] == figure.source.code
        assert row["unit"] == "% of GDP"
    total = next(r for r in rows if r["area"] == "NATO_TOTAL")
    assert total["area_name"] == "NATO total"


def test_aggregates_give_nato_totals_at_constant_2021_prices(client_anon):
    rows = results(client_anon.get("/api/v1/aggregates/?year=2024&metric=spending_usd_2021"))
    by_area = {row["area"]: row for row in rows}
    assert by_area["NATO_TOTAL"]["value"] == "1330026"  # whole US$ millions, no ".00"
    assert by_area["NATO_EUROPE_CANADA"]["value"] == "479916"
    assert by_area["NATO_TOTAL"]["unit"] == "US$ million (2021 prices)"
    assert by_area["NATO_TOTAL"]["source"]["code"] == "NATO_DIE2026"
    current = results(client_anon.get("/api/v1/aggregates/?year=2024&metric=spending_usd"))
    assert {r["area"]: r["value"] for r in current} == {
        "NATO_TOTAL": "1482905",
        "NATO_EUROPE_CANADA": "515198",
    }


def test_aggregates_by_edition_all_editions_and_csv(client_anon):
    every = results(client_anon.get("/api/v1/aggregates/?all_editions=true&page_size=500"))
    assert len(every) == AggregateFigure.objects.count()
    latest = results(client_anon.get("/api/v1/aggregates/?page_size=500"))
    keys = [(r["area"], r["year"], r["metric"]) for r in latest]
    assert len(keys) == len(set(keys))
    old = Source.objects.editions().order_by("edition_published").first()
    answer = client_anon.get(f"/api/v1/aggregates/?edition={old.code}")
    assert answer.status_code == 200
    assert all(r["source"]["code"] == old.code for r in results(answer))
    rows = csv_rows(client_anon.get("/api/v1/aggregates/?format=csv&area=NATO_TOTAL"))
    assert rows and {r["area"] for r in rows} == {"NATO_TOTAL"}
    assert "source_code" in rows[0]
    bad = client_anon.get("/api/v1/aggregates/?area=MARS&metric=equipment_share")
    assert bad.status_code == 400
    assert set(bad.json()) == {"area", "metric"}
    assert client_anon.get("/api/v1/aggregates/?edition=NOPE").status_code == 400


def test_aggregates_list_query_count(client_anon):
    client_anon.get("/api/v1/aggregates/")  # cache the selection
    with CaptureQueriesContext(connection) as queries:
        assert client_anon.get("/api/v1/aggregates/").status_code == 200
    assert len(queries) <= 3


def test_metadata_names_the_version_editions_licence_and_citation(client_anon):
    data = client_anon.get("/api/v1/metadata/").json()
    assert data["data_version"]
    assert data["data_version_since"] and data["last_updated"]
    codes = [edition["code"] for edition in data["editions"]]
    assert set(codes) == set(Source.objects.editions().values_list("code", flat=True))
    latest = data["editions"][0]
    assert latest["released"] and latest["first_year"] <= latest["last_year"]
    releases = [e["released"] for e in data["editions"] if e["released"]]
    assert releases == sorted(releases, reverse=True)
    assert "pct_gdp" in latest["metrics"] and latest["figures"] > 0
    # The constant-2021-price totals are named where a client looks for what an edition holds.
    assert "spending_usd_2021" not in latest["metrics"]
    assert latest["aggregate_metrics"] == ["pct_gdp", "spending_usd", "spending_usd_2021"]
    assert all(e["aggregate_metrics"] == [] for e in data["editions"][1:])
    assert data["licence"]["code"] == "MIT"
    assert data["data_version"] in data["citation"] and "NATO" in data["citation"]
    assert data["bulk_download"].endswith("/api/v1/download/")
    assert {t["name"] for t in data["tables"]} >= {"figures", "aggregate_figures", "statements"}
    Source.objects.filter(code=latest["code"]).update(title="Changed")  # no signal
    from nato_tracker.data_version import bump_data_version

    bump_data_version()
    again = client_anon.get("/api/v1/metadata/").json()
    assert again["data_version"] != data["data_version"]
    assert again["editions"][0]["title"] == "Changed"


def _zip(client) -> zipfile.ZipFile:
    answer = client.get("/api/v1/download/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert "attachment" in answer["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(answer.content))


def test_bulk_download_is_a_valid_data_package(client_anon, statements, claims, tmp_path):
    archive = _zip(client_anon)
    names = set(archive.namelist())
    assert {"datapackage.json", "README.md", "figures.csv", "aggregate_figures.csv"} <= names
    archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert {r["path"] for r in descriptor["resources"]} == names - {"datapackage.json", "README.md"}
    fields = {
        r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]}
        for r in descriptor["resources"]
    }
    assert fields["figures"]["value"] == "number"
    assert fields["figures"]["year"] == "integer"
    assert fields["figures"]["estimate"] == "boolean"
    assert fields["allies"]["accession_date"] == "date"
    # Target codes keep one spelling in every format ("2", "3.5"): typed text, never numbers.
    assert fields["targets"]["code"] == fields["statement_links"]["target"] == "string"
    # Frictionless validates every cell against its type, and the primary and foreign keys.
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    figures = list(csv.DictReader(io.StringIO(archive.read("figures.csv").decode())))
    from spending.models import SpendingFigure

    assert len(figures) == SpendingFigure.objects.count()
    quotes = list(csv.DictReader(io.StringIO(archive.read("statements.csv").decode())))
    assert "Not a quote at all" not in {q["text"] for q in quotes}  # rejected: not published
    usa = next(q for q in quotes if q["text"] == "America pays its share")
    assert usa["allies"] == "USA;" and usa["targets"] == "2;"  # as the API's CSV writes lists
    readme = archive.read("README.md").decode()
    assert descriptor["version"] in readme and "cite" in readme.lower()


def test_the_bulk_downloads_lists_read_as_text_in_plain_pandas(client_anon, statements, claims):
    """A plain ``pd.read_csv`` of a table with lists: the list columns read as text whatever
    the rows (a single target "2" would otherwise read as the number 2.0)."""
    archive = _zip(client_anon)
    for table, columns in [("statements", ["allies", "targets"]), ("target_lists", ["allies"])]:
        frame = pd.read_csv(io.BytesIO(archive.read(f"{table}.csv")))
        for column in columns:
            cells = frame[column].dropna()
            assert pd.api.types.is_string_dtype(frame[column]) and len(cells), (table, column)
            assert cells.str.endswith(";").all(), (table, column, list(cells))


def test_bulk_download_neutralises_formula_cells_as_the_api_csv_does(client_anon, statements):
    statement = statements["rutte_usa"]
    statement.text = '=HYPERLINK("http://evil.example","click")'
    statement.speaker_as_written = "@Rutte"
    statement.save()
    article = statement.article
    article.title = "+1 for defence\tspending"
    article.publisher = "-Wire"
    article.save()
    archive = _zip(client_anon)
    quotes = {
        int(q["id"]): q
        for q in csv.DictReader(io.StringIO(archive.read("statements.csv").decode()))
    }
    assert quotes[statement.pk]["text"] == "'" + statement.text
    assert quotes[statement.pk]["speaker_as_written"] == "'@Rutte"
    listed = next(
        row
        for row in csv.DictReader(io.StringIO(archive.read("articles.csv").decode()))
        if int(row["id"]) == article.pk
    )
    assert listed["title"] == "'+1 for defence\tspending"
    assert listed["publisher"] == "'-Wire"
    # The same cell as the API's CSV of the same statement (one rule for both writers).
    api = csv.DictReader(
        io.StringIO(client_anon.get("/api/v1/statements/", {"format": "csv"}).content.decode())
    )
    assert (
        next(r for r in api if int(r["id"]) == statement.pk)["text"] == quotes[statement.pk]["text"]
    )
    # No text cell of any table starts a formula; numbers keep their sign.
    descriptor = json.loads(archive.read("datapackage.json"))
    for resource in descriptor["resources"]:
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        for row in csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())):
            for name, cell in row.items():
                if types[name] == "string":
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
                elif types[name] == "number" and cell:
                    float(cell)


def test_bulk_download_writes_us_dollar_millions_as_integers(client_anon):
    """Issue 12.6: "US$ million shown as integers (no .00) in pages, API and CSV"."""
    archive = _zip(client_anon)
    figures = list(csv.DictReader(io.StringIO(archive.read("figures.csv").decode())))
    usa = {
        (f["metric"], f["source"]): f["value"]
        for f in figures
        if f["ally"] == "USA" and f["year"] == "2024"
    }
    assert usa["spending_usd", "NATO_DIE2026"] == "967707"
    assert usa["pct_gdp", "NATO_DIE2026"] == "3.30"
    totals = {
        (a["area"], a["metric"]): a["value"]
        for a in csv.DictReader(io.StringIO(archive.read("aggregate_figures.csv").decode()))
        if a["year"] == "2024"
    }
    assert totals["NATO_TOTAL", "spending_usd"] == "1482905"
    assert totals["NATO_TOTAL", "spending_usd_2021"] == "1330026"
    assert totals["NATO_TOTAL", "pct_gdp"] == "2.65"


def test_bulk_download_is_cached_until_the_data_changes(client_anon, statements):
    first = _zip(client_anon)
    with CaptureQueriesContext(connection) as queries:
        second = _zip(client_anon)
    assert len(queries) == 0
    assert first.read("figures.csv") == second.read("figures.csv")
    statements["rutte_usa"].text = "America pays more than its share"
    statements["rutte_usa"].save()
    third = _zip(client_anon)
    assert b"America pays more than its share" in third.read("statements.csv")
    version = json.loads(third.read("datapackage.json"))["version"]
    assert version != json.loads(first.read("datapackage.json"))["version"]


def test_bulk_download_errors_are_json(client_anon):
    answer = client_anon.get("/api/v1/download/?format=csv")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/json")
    assert client_anon.get("/api/v1/download/?nope=1").status_code == 400


def test_bulk_download_gives_the_targets_caveat(client_anon):
    archive = zipfile.ZipFile(io.BytesIO(client_anon.get("/api/v1/download/").getvalue()))
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(archive.read("targets.csv").decode()))}
    assert "1.5% of GDP of defence- and security-related spending" in rows["5"]["caveat"]
    assert rows["2"]["caveat"] == ""
