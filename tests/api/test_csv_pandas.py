"""CSV that pandas reads without traps: every list read with the dtypes /api/v1/csv-columns/
publishes gives exactly those dtypes (with rows and empty); lists never read as numbers; text
cells are neutralised against formula injection while negative numbers stay numbers; the
``.csv`` suffix works on every list; ``X-Truncated`` on every CSV list; rows name their source."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from articles.models import Speaker
from tests.api.test_csv_columns import LISTS

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def columns(client_anon) -> dict[str, list[dict]]:
    response = client_anon.get(f"{V1}/csv-columns/")
    assert response.status_code == 200
    return {item["url"]: item["columns"] for item in response.json()}


def read(response, dtype=None) -> pd.DataFrame:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return pd.read_csv(io.BytesIO(response.getvalue()), dtype=dtype)


def test_every_csv_list_has_its_columns_published(columns):
    assert set(columns) == set(LISTS)


@pytest.mark.parametrize("url", list(LISTS))
def test_pandas_reads_every_list_with_the_published_dtypes(
    client_anon, columns, some_of_everything, url
):
    with_rows, without_rows = LISTS[url]
    if without_rows.get("statement") == "STATEMENT_WITHOUT_LINKS":
        without_rows = {"statement": some_of_everything["old"].pk}
    dtype = {c["name"]: c["pandas_dtype"] for c in columns[url]}
    for params, some in ((with_rows, True), (without_rows, False)):
        frame = read(client_anon.get(url, {**params, "format": "csv"}), dtype=dtype)
        assert (len(frame) > 0) is some
        assert list(frame.columns) == list(dtype)
        assert {name: str(t) for name, t in frame.dtypes.items()} == {
            name: "str" if kind == "str" else kind for name, kind in dtype.items()
        }


def test_types_come_from_the_fields_not_the_data(columns):
    types = {url: {c["name"]: c["type"] for c in cols} for url, cols in columns.items()}
    assert types[f"{V1}/compliance/"]["target"] == "string"
    assert types[f"{V1}/compliance/"]["figure_id"] == "integer"
    assert types[f"{V1}/compliance/"]["meets"] == "boolean"
    assert types[f"{V1}/compliance/"]["gap_pp"] == "number"
    assert types[f"{V1}/targets/"]["code"] == "string"
    assert types[f"{V1}/targets/"]["deadline_year"] == "integer"
    assert types[f"{V1}/statements/"]["targets"] == "list"
    assert types[f"{V1}/claims/"]["check_latest_as_of"] == "date"
    assert types[f"{V1}/claims/"]["check_latest_alternative_source_code"] == "list"
    assert types[f"{V1}/claims/"]["check_as_published_alternative_source_title"] == "list"
    assert {c["pandas_dtype"] for cols in columns.values() for c in cols} <= {
        "str",
        "Int64",
        "float64",
        "boolean",
    }


def test_nullable_integers_and_booleans_stay_integers_and_booleans(client_anon, columns):
    url = f"{V1}/compliance/"
    dtype = {c["name"]: c["pandas_dtype"] for c in columns[url]}
    frame = read(client_anon.get(url, {"target": "2", "year": 2024, "format": "csv"}), dtype)
    iceland = frame[frame["iso3"] == "ISL"].iloc[0]
    assert pd.isna(iceland["figure_id"]) and pd.isna(iceland["meets"])
    assert str(frame["figure_id"].dtype) == "Int64" and str(frame["meets"].dtype) == "boolean"
    assert frame["target"].tolist() == ["2"] * len(frame)


def test_lists_never_read_as_numbers(client_anon, statements):
    # One statement with the single target "2": a plain join would make it the number 2.
    frame = read(client_anon.get(f"{V1}/statements/", {"speaker": "pete-hegseth", "format": "csv"}))
    assert frame["targets"].tolist() == ["3.5;"]
    assert frame["allies"].tolist() == ["DEU;"]
    both = read(client_anon.get(f"{V1}/statements/", {"q": "floor", "format": "csv"}))
    assert both["allies"].str.split(";").str[:-1].tolist() == [["DEU", "USA"]]


def test_claims_lists_end_every_item_with_the_separator(client_anon, claims):
    frame = read(client_anon.get(f"{V1}/claims/", {"kind": "target_list", "format": "csv"}))
    assert frame["allies"].tolist() == ["BEL;ESP;"]


def test_text_cells_are_neutralised_against_formulas(client_anon, statements, editor):
    statement = statements["rutte_usa"]
    statement.text = '=HYPERLINK("http://evil.example","click")'
    statement.speaker_as_written = "@Rutte"
    statement.save()
    speaker = Speaker.objects.get(slug="mark-rutte")
    speaker.role = "-Secretary General"
    speaker.save()
    frame = read(client_anon.get(f"{V1}/statements/", {"speaker": "mark-rutte", "format": "csv"}))
    row = frame[frame["id"] == statement.pk].iloc[0]
    assert row["text"] == "'" + statement.text
    assert row["speaker_as_written"] == "'@Rutte"
    assert row["speaker_role"] == "'-Secretary General"
    for cell in frame.select_dtypes(include="str").stack().dropna():
        assert not cell.startswith(("=", "+", "-", "@"))


def test_negative_numbers_stay_numbers(client_anon):
    frame = read(client_anon.get(f"{V1}/compliance/", {"target": "3.5", "format": "csv"}))
    assert str(frame["gap_pp"].dtype) == "float64"
    assert frame["gap_pp"].min() < 0


@pytest.mark.parametrize("name", ["figures", "compliance", "claims", "statements", "allies"])
def test_the_csv_suffix_works_on_every_list(client_anon, statements, name):
    by_suffix = client_anon.get(f"{V1}/{name}.csv")
    by_parameter = client_anon.get(f"{V1}/{name}/", {"format": "csv"})
    assert by_suffix.status_code == 200
    assert by_suffix["Content-Type"].startswith("text/csv")
    assert by_suffix.getvalue() == by_parameter.getvalue()
    assert by_suffix["X-Truncated"] == "false"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (f"{V1}/figures/", {}),
        (f"{V1}/compliance/", {"year": "2023,2024"}),
        (f"{V1}/claims/", {}),
        (f"{V1}/statements/", {}),
    ],
)
def test_every_csv_list_says_whether_it_was_truncated(
    client_anon, claims, monkeypatch, url, params
):
    assert client_anon.get(url, {**params, "format": "csv"})["X-Truncated"] == "false"
    monkeypatch.setattr("nato_tracker.api.renderers.CSV_MAX_ROWS", 2)
    response = client_anon.get(url, {**params, "format": "csv"})
    assert response["X-Truncated"] == "true"
    assert len(read(response)) == 2


def test_figures_and_compliance_rows_carry_their_source_url(client_anon):
    frame = read(client_anon.get(f"{V1}/figures/", {"ally": "POL", "year": 2024, "format": "csv"}))
    assert frame["source_url"].str.startswith("https://").all()
    frame = read(client_anon.get(f"{V1}/compliance/", {"ally": "POL", "format": "csv"}))
    assert frame["source_url"].str.startswith("https://").all()


@pytest.mark.parametrize("name", ["figures", "compliance", "claims"])
def test_every_csv_links_its_column_types_and_the_licence(client_anon, name):
    links = client_anon.get(f"{V1}/{name}.csv")["Link"]
    assert '<http://testserver/api/v1/csv-columns/>; rel="describedby"' in links
    assert '<http://testserver/methodology/#licence>; rel="license"' in links
    assert client_anon.get("/methodology/").status_code == 200
    assert b'id="licence"' in client_anon.get("/methodology/").content
