"""CSV columns are fixed per list: the same header with data, without data, and as documented."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from nato_tracker.api.renderers import serializer_columns

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"

# list → (parameters giving rows, parameters giving no rows)
LISTS = {
    "/api/v1/allies/": ({}, {"q": "zzzz"}),
    "/api/v1/targets/": ({}, {"metric": "spending_usd"}),
    "/api/v1/sources/": ({}, {"published_before": "1950-01-01"}),
    "/api/v1/figures/": ({"ally": "ISL,POL", "year": 2024}, {"year": 1950}),
    "/api/v1/aggregates/": ({"area": "NATO_TOTAL"}, {"year": 1950}),
    "/api/v1/compliance/": (
        {"target": "2", "year": 2024},
        {"target": "2", "year": 2024, "ally": "POL", "status": "no_data"},
    ),
    "/api/v1/claims/": ({}, {"year": 1950}),
    "/api/v1/statements/": ({}, {"q": "zzzz"}),
    "/api/v1/statement-links/": ({}, {"statement": "STATEMENT_WITHOUT_LINKS"}),
    "/api/v1/speakers/": ({}, {"q": "zzzz"}),
    "/api/v1/articles/": ({}, {"q": "zzzz"}),
}


def documented_columns() -> dict[str, list[str]]:
    """The "CSV columns" table of docs/api.md."""
    section = DOC.read_text(encoding="utf-8").split("## CSV columns", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`/api/"):
            table[cells[0].strip("`")] = [c.strip() for c in cells[1].split(",")]
    return table


def csv_table(response) -> tuple[list[str], list[dict]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode()
    header = next(csv.reader(io.StringIO(text)))
    return header, list(csv.DictReader(io.StringIO(text)))


def test_every_list_is_documented():
    assert set(documented_columns()) == set(LISTS)


@pytest.mark.parametrize("url", list(LISTS))
def test_csv_header_is_fixed_and_documented(client_anon, some_of_everything, url):
    with_rows, without_rows = LISTS[url]
    if without_rows.get("statement") == "STATEMENT_WITHOUT_LINKS":
        without_rows = {"statement": some_of_everything["old"].pk}
    expected = documented_columns()[url]

    header, rows = csv_table(client_anon.get(url, {**with_rows, "format": "csv"}))
    assert rows, "the first request must give rows"
    assert header == expected

    empty_header, empty_rows = csv_table(client_anon.get(url, {**without_rows, "format": "csv"}))
    assert empty_rows == []
    assert empty_header == expected


def test_compliance_csv_header_does_not_depend_on_the_rows(client_anon):
    """Regression: a no-data row (Iceland) used to add a trailing, always-empty `source`."""
    header, rows = csv_table(
        client_anon.get("/api/v1/compliance/", {"target": "2", "year": 2024, "format": "csv"})
    )
    assert header[-9:] == [
        "source_code",
        "source_title",
        "source_publisher",
        "source_url",
        "source_published",
        "source_edition_published",
        "source_definition",
        "definition",
        "figure_id",
    ]
    assert "source" not in header
    iceland = next(r for r in rows if r["iso3"] == "ISL")
    assert [iceland[c] for c in header[-9:]] == [""] * 9
    poland = next(r for r in rows if r["iso3"] == "POL")
    assert poland["source_code"] == "NATO_DIE2026" and poland["source_publisher"]
    assert poland["definition"] == poland["source_definition"] == "core"


def test_iceland_alone_gives_the_same_header(client_anon):
    full, _ = csv_table(
        client_anon.get("/api/v1/compliance/", {"target": "2", "year": 2024, "format": "csv"})
    )
    alone, rows = csv_table(
        client_anon.get(
            "/api/v1/compliance/", {"target": "2", "year": 2024, "ally": "ISL", "format": "csv"}
        )
    )
    assert alone == full
    assert [r["status"] for r in rows] == ["no_data"]


def test_statement_csv_keeps_both_roles(client_anon, statements):
    """Regression: the speaker's role and the role as written were one column (one was lost)."""
    statement = statements["rutte_usa"]
    statement.speaker_role = "NATO chief"
    statement.save()
    _, rows = csv_table(
        client_anon.get("/api/v1/statements/", {"speaker": "mark-rutte", "format": "csv"})
    )
    row = next(r for r in rows if r["id"] == str(statement.pk))
    assert row["speaker_role"] == "Secretary General"
    assert row["speaker_role_as_written"] == "NATO chief"


def test_columns_that_would_collide_are_a_programming_error():
    class Inner(serializers.Serializer):
        role = serializers.CharField()

    class Outer(serializers.Serializer):
        speaker = Inner()
        speaker_role = serializers.CharField()

    with pytest.raises(ImproperlyConfigured, match="speaker_role"):
        serializer_columns(Outer())
