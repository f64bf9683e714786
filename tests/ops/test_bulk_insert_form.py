"""PostgreSQL: small bulk inserts are sent as VALUES rows, large ones as Django's UNNEST
(``nato_tracker.postgresql.compiler``), and both store the same rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Speaker
from nato_tracker.postgresql.compiler import UNNEST_MIN_ROWS

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the insert form is that of nato_tracker.postgresql",
)


def insert(count: int, prefix: str) -> str:
    rows = [Speaker(name=f"{prefix} {i}", slug=f"{prefix}-{i}", role="r") for i in range(count)]
    with CaptureQueriesContext(connection) as queries:
        saved = Speaker.objects.bulk_create(rows)
    assert all(row.pk for row in saved)
    assert sorted(
        Speaker.objects.filter(name__startswith=f"{prefix} ").values_list("slug", flat=True)
    ) == sorted(row.slug for row in rows)
    (sql,) = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    return sql


@pytest.mark.django_db
def test_a_small_bulk_insert_is_sent_as_values_rows():
    sql = insert(UNNEST_MIN_ROWS - 1, "small")
    assert "UNNEST" not in sql
    assert sql.count("), (") == UNNEST_MIN_ROWS - 2


@pytest.mark.django_db
def test_a_large_bulk_insert_keeps_djangos_unnest():
    assert "UNNEST" in insert(UNNEST_MIN_ROWS, "large")
