"""The statement's stored search document (``articles.search``): kept by the database, read by
the one search rule on PostgreSQL instead of parsing every quote again; NULL on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Statement
from articles.selectors import filter_statements_by_words
from tests.factories import SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


def found(q: str) -> set[str]:
    return set(
        filter_statements_by_words(Statement.objects.all(), q).values_list("text", flat=True)
    )


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_document_follows_the_text_and_the_search_reads_it():
    statement = StatementFactory(text="Allies are spending more", speaker_as_written="a minister")
    StatementFactory(text="Nothing to see", speaker=SpeakerFactory(name="Pete Hegseth"))
    statement.refresh_from_db()
    assert "spend" in str(statement.search_document)
    Statement.objects.filter(pk=statement.pk).update(text="Budgets grow")
    statement.refresh_from_db()
    assert "budget" in str(statement.search_document)  # the database keeps it up to date
    with CaptureQueriesContext(connection) as queries:
        assert found("budget ministers") == {"Budgets grow"}  # stems: text and name as written
    sql = queries[-1]["sql"]
    assert '"search_document" @@' in sql
    assert "to_tsvector(" not in sql.split("articles_speaker")[0]  # no quote parsed again
    assert found("hegseth") == {"Nothing to see"}  # the person's name, from its own table
    assert found("hegseths") == {"Nothing to see"}  # ... by full-text search too


@pytest.mark.skipif("connection.vendor == 'postgresql'")
def test_elsewhere_the_document_is_empty_and_the_rule_the_same():
    StatementFactory(text="Allies are spending more", speaker=SpeakerFactory(name="Pete Hegseth"))
    assert Statement.objects.get().search_document is None
    assert found("spend hegseth") == {"Allies are spending more"}
