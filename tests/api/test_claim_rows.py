"""The claims list's rows (``articles.api.claim_rows``: JSON pages, the CSV's flat rows) are
exactly what ``ClaimSerializer`` gives for the claims' model instances (:func:`serialized`, the
reference), row for row and cell for cell, with a bounded number of queries whatever the
number of rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.api.claim_rows import claim_list_cells, claim_list_rows
from articles.api.serializers import ClaimSerializer
from articles.claims import claim_keys, claim_querysets, load_claims
from articles.models import AggregateClaim, ReportedFigure, TargetList
from nato_tracker.api.renderers import CSV_CHUNK_ROWS, csv_columns, flat_cells, row_cells
from spending.models import MemberState
from tests.api.conftest import csv_rows, results
from tests.api.test_statement_rows import plain
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FULL_CHECK = {
    "verdict": "differs",
    "official_value": 2,  # an integer in the JSON: the serializer gives a float
    "difference": -0.37,
    "unit": "pp",
    "source_code": "NATO_DIE2026; NATO_DE2025",
    "source_title": "=two editions",
    "figure_id": 11,
    "as_of": "2025-06-05",
    "detail": "-0.37 pp below",
    "estimate": True,
    "definition": "core",
    "price_basis": "constant_2021",
    "alternative": {
        "year": 2023,
        "source_code": ["NATO_DE2024"],
        "source_title": ["June 2024"],
        "official_value": 2.5,
    },
    "date_unknown": False,
    "inconsistencies": ["23 + 9 = 32, not 31", "-1 ally"],
}


@pytest.fixture
def varied():
    """Every kind of claim and of check: a figure with a currency and a full check (an
    alternative, inconsistencies, an estimate), one without currency or checks; counts with
    and without a target, an editor's verdict; a total; lists that meet and miss, with allies
    in an order their codes do not follow, and one with none; an undated article with an
    address that is not a web address; formula-like sentences; a check that is not an
    object."""
    usa, deu, alb, hrv = (MemberState.objects.get(iso3=c) for c in ("USA", "DEU", "ALB", "HRV"))
    dated = ArticleFactory(url="https://example.org/a", published=datetime.date(2025, 6, 5))
    undated = ArticleFactory(url="javascript:alert(1)", published=None, publisher="")
    ReportedFigure.objects.create(
        article=dated,
        member=usa,
        year=2024,
        metric="spending_usd",
        value=9.5e11,
        currency="USD",
        start=1,
        sentence="+950 billion",
        check_latest=FULL_CHECK,
        check_as_published={"verdict": "matches", "official_value": 3.19},
        verdict="differs",
    )
    ReportedFigure.objects.create(
        article=undated, member=deu, year=None, metric="pct_gdp", value=2, start=2
    )
    AggregateClaim.objects.create(
        article=dated,
        kind="count_meeting",
        target_pct=Decimal("3.5"),
        year=2024,
        count=23,
        of_total=None,
        start=3,
        verdict="differs",
        editor_verdict="matches",
        check_latest={**FULL_CHECK, "alternative": None, "inconsistencies": []},
    )
    AggregateClaim.objects.create(
        article=undated,
        kind="total_spending",
        year=2024,
        value=1.3e12,
        currency="USD",
        start=4,
        check_as_published={"verdict": "no_official", "date_unknown": True},
        check_latest=["not an object"],  # never written so; read as the serializer reads it
    )
    meets = TargetList.objects.create(
        article=dated, target_pct=2, year=2024, meets=True, start=5, sentence="@allies"
    )
    for member in (usa, deu, alb, hrv):  # stored, and named, in an order codes do not follow
        meets.members.add(member)
    TargetList.objects.create(article=undated, target_pct=None, year=None, meets=False, start=6)


def serialized(keys: list[tuple], querysets: dict) -> list[dict]:
    """The reference: the claims' model instances in one uniform shape (what
    ``ClaimSerializer`` reads), each kind filling its own fields."""
    rows = []
    for kind, claim in load_claims(keys, querysets):
        row = {
            "kind": kind,
            "id": claim.pk,
            "article": claim.article,
            "sentence": claim.sentence,
            "ally": None,
            "allies": [],
            "year": claim.year,
            **dict.fromkeys(["metric", "value", "currency", "aggregate_kind", "target_pct"]),
            **dict.fromkeys(["count", "of_total", "meets"]),
            "verdict": claim.verdict,
            "editor_verdict": claim.editor_verdict,
            "final_verdict": claim.final_verdict,
            "check_as_published": claim.check_as_published or {},
            "check_latest": claim.check_latest or {},
        }
        if kind == "reported_figure":
            row.update(ally=claim.member.iso3, metric=claim.metric, value=claim.value)
            row.update(currency=claim.currency or None)
        elif kind == "aggregate_claim":
            row.update(aggregate_kind=claim.kind, target_pct=claim.target_pct, count=claim.count)
            row.update(of_total=claim.of_total, value=claim.value, currency=claim.currency or None)
        else:
            row.update(allies=sorted(m.iso3 for m in claim.members.all()))
            row.update(target_pct=claim.target_pct, meets=claim.meets)
        rows.append(row)
    return rows


def fast_and_slow(params: dict) -> tuple[list[dict], list[dict]]:
    querysets = claim_querysets(params)
    keys = claim_keys(querysets)
    fast = claim_list_rows(keys, querysets)
    slow = ClaimSerializer(serialized(keys, querysets), many=True).data
    return fast, slow


@pytest.mark.parametrize(
    "params", [{}, {"ally": ["USA"]}, {"kind": "target_list"}, {"verdict": "matches"}]
)
def test_rows_are_the_serializers_rows(varied, params):
    fast, slow = fast_and_slow(params)
    assert plain(fast) == plain(list(slow))
    assert [list(row) for row in fast] == [list(row) for row in slow]  # same keys, same order
    for key in ("article", "check_latest", "check_as_published"):
        assert [list(row[key]) for row in fast] == [list(row[key]) for row in slow]


def test_every_kind_of_row_was_compared(varied):
    fast, _ = fast_and_slow({})
    assert {row["kind"] for row in fast} == {"reported_figure", "aggregate_claim", "target_list"}
    full = next(row["check_latest"] for row in fast if row["check_latest"]["alternative"])
    assert full["official_value"] == 2.0 and isinstance(full["official_value"], float)
    assert full["inconsistencies"] == FULL_CHECK["inconsistencies"]
    assert ["ALB", "DEU", "HRV", "USA"] in [row["allies"] for row in fast]
    assert {row["target_pct"] for row in fast} >= {"3.50", "2.00", None}
    assert {row["article"]["url"] for row in fast} == {"https://example.org/a", ""}


def test_the_list_and_csv_answers_use_them(client_anon, varied):
    fast, slow = fast_and_slow({})
    assert results(client_anon.get("/api/v1/claims/", {"page_size": 100})) == plain(list(slow))
    rows = csv_rows(client_anon.get("/api/v1/claims/", {"format": "csv"}))
    assert [int(row["id"]) for row in rows] == [row["id"] for row in fast]
    listed = next(row for row in rows if row["kind"] == "target_list" and row["allies"])
    assert listed["allies"] == "ALB;DEU;HRV;USA;" and listed["sentence"] == "'@allies"
    full = next(row for row in rows if row["check_latest_alternative_year"])
    assert full["check_latest_source_title"] == "'=two editions;"  # a list cell
    assert full["check_latest_source_code"] == "NATO_DIE2026;NATO_DE2025;"
    assert full["check_latest_difference"] == "-0.37"  # a number, never neutralised


def test_the_csv_cells_are_the_serializers_cells(varied):
    """The CSV's flat rows give, cell for cell and in the list's order, what the serializer's
    rows give through the renderer's rule (``row_cells``)."""
    columns = csv_columns(ClaimSerializer())
    for params in ({}, {"ally": ["USA"]}, {"kind": "target_list"}):
        querysets = claim_querysets(params)
        flat, truncated = claim_list_cells(querysets)
        flat = list(flat)
        _, slow = fast_and_slow(params)
        assert [flat_cells(columns)(row) for row in flat] == [row_cells(columns)(r) for r in slow]
        assert all(len(row) == len(columns) for row in flat) and not truncated
    assert len(flat) == 2 and {"ALB;DEU;HRV;USA;", ""} == {row[9] for row in flat}


def test_a_long_csv_reads_the_same_few_queries_whatever_its_length(client_anon):
    article = ArticleFactory()
    usa = MemberState.objects.get(iso3="USA")
    ReportedFigure.objects.bulk_create(
        ReportedFigure(
            article=article, member=usa, year=2000 + i % 25, metric="pct_gdp", value=i, start=i
        )
        for i in range(CSV_CHUNK_ROWS + 10)
    )
    AggregateClaim.objects.create(article=article, kind="count_meeting", count=3, start=10_000)
    with CaptureQueriesContext(connection) as queries:
        response = client_anon.get("/api/v1/claims/", {"format": "csv"})
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == CSV_CHUNK_ROWS + 10 + 1 + 1
    assert response["X-Truncated"] == "false"
    # per kind a bounded count and the rows (one query, read a chunk at a time); the allies
    # of the lists: seven, however long the list
    sql = [q["sql"] for q in queries]
    assert len(sql) <= 7, "\n".join(q[:90] for q in sql)
    assert not any(" IN (%s" in q or " IN (1" in q for q in sql)  # no list of ids sent back
