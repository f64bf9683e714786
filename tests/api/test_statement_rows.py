"""The statements list's fast paths (``articles.api.rows``) give exactly what
``StatementSerializer`` gives, row for row (JSON rows, and the CSV's flat rows cell for cell),
with a bounded number of queries (per page; for the whole CSV)."""

from __future__ import annotations

import csv
import datetime
import gc
import io
import zipfile

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from articles.api.rows import statement_list_cells, statement_rows, statement_values
from articles.api.serializers import StatementSerializer
from articles.models import Statement, StatementLink
from articles.selectors import STATEMENTS_NEWEST_FIRST
from nato_tracker.api.renderers import CSV_CHUNK_ROWS, csv_columns, flat_cells, list_text, row_cells
from nato_tracker.dataset import build_bulk_zip
from spending.models import MemberState, SpendingFigure, Target
from tests.api.conftest import csv_rows, results
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied():
    """Every kind of row: no speaker, no date, a non-web URL, formula-like text, several allies
    and targets (in an order their names do not follow), links with and without a figure, a
    role written that the speaker did not hold that day, one held, one undated."""
    editor = UserFactory()
    figure = SpendingFigure.objects.filter(year=2024, metric="pct_gdp").first()
    usa, deu, alb = (MemberState.objects.get(iso3=c) for c in ("USA", "DEU", "ALB"))
    two, core = Target.objects.get(code="2"), Target.objects.get(code="3.5")
    dated = ArticleFactory(url="https://example.org/a", published=datetime.date(2025, 6, 1))
    undated = ArticleFactory(url="javascript:alert(1)", published=None, publisher="")
    rutte = SpeakerFactory(name="Mark Rutte", role="SG")
    rutte.roles.create(
        role="Prime Minister of the Netherlands",
        written_as="Dutch Prime Minister",
        start=datetime.date(2010, 10, 14),
        end=datetime.date(2024, 7, 2),
        source="test",
    )
    rutte.roles.create(role="NATO Secretary General", start=datetime.date(2024, 10, 1), source="t")
    rows = [
        StatementFactory(article=dated, speaker=rutte, speaker_role="Dutch Prime Minister"),
        StatementFactory(article=dated, speaker=rutte, speaker_role="NATO Secretary General"),
        StatementFactory(article=undated, speaker=rutte, speaker_role="Dutch Prime Minister"),
        StatementFactory(article=dated, speaker=None, speaker_as_written="an official"),
        StatementFactory(article=undated, text="=HYPERLINK(1)", partial=True, speaker_role="PM"),
        StatementFactory(article=undated, review_status="reviewed"),
    ]
    rows[0].members.add(usa, alb, deu)
    rows[0].targets.add(core, two)
    rows[1].members.add(deu)
    StatementLink.objects.create(statement=rows[0], target=two, note="floor", created_by=editor)
    StatementLink.objects.create(statement=rows[0], figure=figure, created_by=editor)
    StatementLink.objects.create(statement=rows[2], figure=figure, target=core, created_by=editor)
    return rows


def serialized(ids: list[int]) -> list[dict]:
    queryset = (
        Statement.objects.filter(pk__in=ids)
        .select_related("speaker", "article")
        .prefetch_related(
            "members",
            "targets",
            Prefetch("links", queryset=StatementLink.objects.select_related("target")),
        )
        .order_by("pk")
    )
    return [dict(row) for row in StatementSerializer(queryset, many=True).data]


def plain(data):
    """ReturnDict/OrderedDict → dict, recursively (key order kept and compared separately)."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data


def test_rows_are_the_serializers_rows(varied):
    ids = sorted(statement.pk for statement in varied)
    fast = statement_rows(statement_values(Statement.objects.filter(pk__in=ids).order_by("pk")))
    slow = serialized(ids)
    for fast_row, slow_row in zip(plain(fast), plain(slow), strict=True):
        assert fast_row == slow_row
    assert [list(row) for row in fast] == [list(row) for row in slow]  # same keys, same order
    assert any(row["role_mismatch"] for row in fast) and any(row["role_on_date"] for row in fast)
    assert [list(row["article"]) for row in fast] == [list(row["article"]) for row in slow]


def test_the_list_and_csv_answers_are_unchanged(client_anon, varied):
    ids = sorted(statement.pk for statement in varied)
    by_id = {row["id"]: row for row in serialized(ids)}
    answer = results(client_anon.get("/api/v1/statements/", {"page_size": 100}))
    assert plain(answer) == plain([by_id[row["id"]] for row in answer])
    rows = csv_rows(client_anon.get("/api/v1/statements/", {"format": "csv"}))
    formula = next(row for row in rows if row["text"].endswith("HYPERLINK(1)"))
    assert formula["text"] == "'=HYPERLINK(1)"  # still neutralised
    first = next(row for row in rows if row["allies"] == "ALB;DEU;USA;")
    assert first["allies"] == "ALB;DEU;USA;" and first["targets"] == "2;3.5;"
    assert first["article_url"] == "https://example.org/a"
    assert next(row for row in rows if row["text"] == formula["text"])["article_url"] == ""


def test_the_csv_cells_are_the_serializers_cells(varied):
    """The CSV's flat rows give, cell for cell, what the serializer's rows give through the
    renderer's rule (``row_cells``), in the list's order; ``limit`` cuts the list."""
    columns = csv_columns(StatementSerializer())
    ordered = Statement.objects.filter(pk__in=[s.pk for s in varied]).order_by(
        *STATEMENTS_NEWEST_FIRST
    )
    flat = list(statement_list_cells(ordered, limit=None))
    assert list(statement_list_cells(ordered, limit=100)) == flat
    by_id = {row["id"]: row for row in serialized([s.pk for s in varied])}
    expected = [row_cells(columns)(by_id[pk]) for pk in ordered.values_list("pk", flat=True)]
    assert [flat_cells(columns)(row) for row in flat] == expected
    assert all(len(row) == len(columns) for row in flat)
    cells = {cell for row in expected for cell in row}
    assert {"'=HYPERLINK(1)", "ALB;DEU;USA;", "2;3.5;", "true", "false"} <= cells
    assert list(statement_list_cells(ordered, limit=4)) == flat[:4]


def test_the_csv_lists_a_statements_allies_by_name_whatever_their_codes_and_ids(client_anon):
    """The allies are read unsorted and put in name order from the official names: the CSV's
    order is the allies' names' (as the JSON list's and the pages'), not their codes' or ids'
    (which follow the names in the reference data: one ally renamed here to tell them apart),
    nor the order they were added in; the same for JSON and CSV."""
    allies = [MemberState.objects.get(iso3=code) for code in ("HRV", "GBR", "TUR", "CZE")]
    allies[1].name = "Albion"  # an admin's rename: first by name, last by id and code but one
    allies[1].save()
    statement = StatementFactory()
    statement.members.add(*allies)
    by_name = [ally.iso3 for ally in sorted(allies, key=lambda ally: (ally.name, ally.pk))]
    assert by_name not in ([a.iso3 for a in allies], sorted(by_name))
    assert by_name != [a.iso3 for a in sorted(allies, key=lambda ally: ally.pk)]
    (row,) = csv_rows(client_anon.get("/api/v1/statements/", {"format": "csv"}))
    assert row["allies"] == "".join(f"{code};" for code in by_name)
    (listed,) = results(client_anon.get("/api/v1/statements/"))
    assert listed["allies"] == by_name


@pytest.mark.parametrize("extra", [10, 2 * CSV_CHUNK_ROWS + 10])
def test_a_long_csv_reads_the_same_few_queries_whatever_its_length(client_anon, extra):
    article = ArticleFactory()
    usa = MemberState.objects.get(iso3="USA")
    through = Statement.members.through
    statements = StatementFactory.create_batch(CSV_CHUNK_ROWS + extra, article=article)
    through.objects.bulk_create(through(statement=s, memberstate=usa) for s in statements)
    with CaptureQueriesContext(connection) as queries:
        response = client_anon.get("/api/v1/statements/", {"format": "csv"})
        body = b"".join(response.streaming_content)
    assert response["X-Truncated"] == "false"
    assert body.count(b"\n") == CSV_CHUNK_ROWS + extra + 1
    assert body.count(b",USA;,") == CSV_CHUNK_ROWS + extra
    # truncation check; allies, targets and links of the whole list; the rows (one query,
    # read a chunk at a time); the speakers' roles; the official names (allies, targets) when
    # not kept yet: eight, for 2 chunks as for 3
    sql = [q["sql"] for q in queries]
    assert len(sql) <= 8, "\n".join(q[:90] for q in sql)
    assert not any(" IN (%s" in q or " IN (1" in q for q in sql)  # no list of ids sent back


def test_the_whole_csv_keeps_no_object_per_statement(client_anon):
    """While the CSV streams, what it holds for the whole list (the allies, targets and links
    of every statement) are strings, not a list per statement: the garbage collector has
    nothing more to walk for a longer list (a list per statement made the long CSV promote
    thousands of objects and set off full collections of the process, ~100 ms each)."""
    article = ArticleFactory()
    usa, deu = MemberState.objects.get(iso3="USA"), MemberState.objects.get(iso3="DEU")
    through = Statement.members.through
    statements = StatementFactory.create_batch(3 * CSV_CHUNK_ROWS, article=article)
    through.objects.bulk_create(
        through(statement=s, memberstate=m) for s in statements for m in (usa, deu)
    )
    warm = client_anon.get("/api/v1/statements/", {"format": "csv"})  # what a process keeps
    b"".join(warm.streaming_content)
    gc.collect()
    before = len(gc.get_objects())
    response = client_anon.get("/api/v1/statements/", {"format": "csv"})
    chunks = iter(response.streaming_content)
    first = next(chunks)  # the list's relations read, its first chunk written
    gc.collect()
    held = len(gc.get_objects()) - before
    assert first.count(b",DEU;USA;,") == CSV_CHUNK_ROWS
    assert held < CSV_CHUNK_ROWS, held
    assert b"".join(chunks).count(b",DEU;USA;,") == 2 * CSV_CHUNK_ROWS


def test_the_bulk_downloads_statements_are_the_api_csvs_cells(client_anon, varied):
    """The bulk download's ``statements.csv`` takes each cell from the statements API's flat
    row (one row builder): every column the API's CSV cell of the same name (``speaker``: its
    ``speaker_slug``), the allies and targets as their codes sorted, each followed by ``;``."""
    api = {
        row["id"]: row
        for row in csv_rows(client_anon.get("/api/v1/statements/", {"format": "csv"}))
    }
    archive = zipfile.ZipFile(io.BytesIO(build_bulk_zip()))
    bulk = list(csv.DictReader(io.StringIO(archive.read("statements.csv").decode())))
    assert sorted(row["id"] for row in bulk) == sorted(api)
    for row in bulk:
        listed = api[row["id"]]
        for name, cell in row.items():
            if name in ("allies", "targets"):
                assert cell == list_text(sorted(listed[name].split(";")[:-1])), name
            else:
                assert cell == listed["speaker_slug" if name == "speaker" else name], name
    cells = {cell for row in bulk for cell in row.values()}
    assert {"'=HYPERLINK(1)", "ALB;DEU;USA;", "2;3.5;", "true", "false"} <= cells
