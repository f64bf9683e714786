"""The statements list's fast path (``articles.api.rows``) gives exactly what
``StatementSerializer`` gives, row for row, and a bounded number of queries per chunk."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from articles.api.rows import statement_rows, statement_values
from articles.api.serializers import StatementSerializer
from articles.models import Statement, StatementLink
from nato_tracker.api.renderers import CSV_CHUNK_ROWS
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


def test_a_long_csv_reads_a_few_queries_per_chunk(client_anon):
    article = ArticleFactory()
    usa = MemberState.objects.get(iso3="USA")
    through = Statement.members.through
    statements = StatementFactory.create_batch(CSV_CHUNK_ROWS + 10, article=article)
    through.objects.bulk_create(through(statement=s, memberstate=usa) for s in statements)
    with CaptureQueriesContext(connection) as queries:
        response = client_anon.get("/api/v1/statements/", {"format": "csv"})
        body = b"".join(response.streaming_content)
    assert response["X-Truncated"] == "false"
    assert body.count(b"\n") == CSV_CHUNK_ROWS + 10 + 1
    # truncation check, then per chunk of 500: the rows and their allies, targets and links
    assert len(queries) <= 1 + 2 * 4 + 2, [q["sql"][:100] for q in queries]
