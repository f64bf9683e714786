"""The statement search compiled once per shape of search (``articles.selectors.WORDS_MATCH``):
the SQL and parameters the ORM writes for the same words, and the same statements."""

from __future__ import annotations

import pytest

from articles import selectors
from articles.models import Statement
from articles.selectors import WORDS_MATCH, _words_match, filter_statements_by_words, search_words
from tests.factories import SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

SEARCHES = [
    "budgets",
    "Budget ministers",
    "5% of GDP",
    "3.5 percent 2035",
    "Hegseth's plan, 2% and 20",
    "o'brien up-front",
]


@pytest.mark.parametrize("q", SEARCHES)
def test_the_compiled_search_is_the_orms(q):
    words = search_words(q)
    sql, params = WORDS_MATCH.sql(words)
    orm_sql, orm_params = _words_match(words).query.sql_with_params()
    assert sql == orm_sql
    assert list(params) == list(orm_params)


def test_the_search_finds_what_the_rule_finds_and_compiles_once_per_shape(monkeypatch):
    StatementFactory(text="Budgets grow by 5% of GDP", speaker_as_written="a minister")
    StatementFactory(text="We spend 2%", speaker=SpeakerFactory(name="Pete Hegseth"))
    StatementFactory(text="By 2025 at 2 percent")
    built = []
    original = selectors._words_match
    monkeypatch.setattr(WORDS_MATCH, "_compiled", {})
    monkeypatch.setattr(
        selectors, "_words_match", lambda words: built.append(words) or original(words)
    )

    def found(q):
        return set(
            filter_statements_by_words(Statement.objects.all(), q).values_list("text", flat=True)
        )

    def by_the_rule(q):
        ids = original(search_words(q))
        return set(Statement.objects.filter(pk__in=ids).values_list("text", flat=True))

    for q in ["budgets", "hegseth", "5", "2", "spend 2", "budgets 5", "minister", "zzz"]:
        assert found(q) == by_the_rule(q), q
    assert found("2") == {"We spend 2%", "By 2025 at 2 percent"}
    assert found("hegseth 2") == {"We spend 2%"}
    # One compilation for each shape: a word; a number; a word and a number
    assert [[w[:1].isdigit() for w in words] for words in built] == [[False], [True], [False, True]]
