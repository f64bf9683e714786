"""The statements page's list compiled once per shape of its filters
(``articles.statement_list``): the SQL, parameters, rows and count the ORM gives for the
same FilterSet, newest first."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from articles import selectors
from articles.api.rows import statement_values
from articles.filters import StatementFilterSet
from articles.models import Statement
from articles.statement_list import STATEMENT_LIST, FilteredStatements, given
from articles.statement_reads import with_reads
from spending.models import MemberState, Target
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "q=spend",
    "q=5%25+of+GDP",
    "q=3.5+percent+spend",
    "q=%21%21",  # punctuation only: no words
    "speaker=mark-rutte",
    "ally=USA",
    "ally=usa,deu,alb",
    "target=2",
    "published_after=2025-01-01",
    "published_before=2025-06-30&published_after=2024-01-01",
    "review_status=pending",
    "q=we+spend&speaker=mark-rutte&ally=DEU&target=3.5&review_status=pending"
    "&published_after=2020-01-01&published_before=2030-01-01",
]


@pytest.fixture
def statements():
    usa, deu, alb = (MemberState.objects.get(iso3=c) for c in ("USA", "DEU", "ALB"))
    two, core = Target.objects.get(code="2"), Target.objects.get(code="3.5")
    rutte = SpeakerFactory(name="Mark Rutte", slug="mark-rutte")
    articles = [
        ArticleFactory(published=datetime.date(2025, 6, 1)),
        ArticleFactory(published=datetime.date(2024, 3, 1)),
        ArticleFactory(published=None),
    ]
    made = []
    for index in range(12):
        made.append(
            StatementFactory(
                article=articles[index % 3],
                speaker=rutte if index % 2 else None,
                text=("We spend 5% of GDP" if index % 3 else "3.5 percent, much more"),
                review_status="pending" if index % 4 else "reviewed",
            )
        )
        made[-1].members.add(*[usa, deu, alb][: index % 4])
        if index % 3 == 1:
            made[-1].targets.add(two, core)
    return made


def _search(query: str) -> StatementFilterSet:
    search = StatementFilterSet(QueryDict(query), queryset=Statement.objects.public())
    assert search.is_valid(), search.errors
    return search


@pytest.mark.parametrize("query", QUERIES)
def test_the_compiled_list_is_the_orms(statements, query):
    search = _search(query)
    # the ORM's twin of the compiled list: its rows, with their reads on PostgreSQL
    orm = with_reads(statement_values(selectors.search_statements(search)))
    compiled = FilteredStatements(search.form.cleaned_data)
    for low, high in ((0, 25), (0, 2), (2, 5), (10, 12), (30, 40)):
        assert compiled[low:high] == list(orm[low:high])
    assert compiled.count() == orm.count()
    # the very SQL and parameters the ORM writes for the page
    shaped = STATEMENT_LIST._shaped(compiled.shape, "default")
    sql = f"{shaped.rows_sql} {connection.ops.limit_offset_sql(2, 5)}"
    orm_sql, orm_params = orm[2:5].query.sql_with_params()
    assert sql == orm_sql
    assert shaped.params(shaped.rows_slots, compiled.params) == list(orm_params)
    assert query == "" or query.startswith("q=%21") or compiled.count() < len(statements)


def test_one_compilation_per_shape_and_one_query_each(statements, monkeypatch):
    monkeypatch.setattr(STATEMENT_LIST, "_compiled", {})
    built = []
    original = STATEMENT_LIST.build
    monkeypatch.setattr(STATEMENT_LIST, "build", lambda *a: built.append(a[0]) or original(*a))
    for query in ("ally=USA", "ally=DEU", "ally=usa,deu", "q=spend", "q=more", "q=5"):
        compiled = FilteredStatements(_search(query).form.cleaned_data)
        compiled[0:25]
        compiled.count()
    assert built == [(("ally", 1),), (("ally", 2),), (("q", False),), (("q", True),)]
    with CaptureQueriesContext(connection) as queries:
        compiled[0:25]
        compiled.count()
    assert len(queries) == 2


def test_no_ally_given_is_not_read():
    no_ally = _search("").form.cleaned_data["ally"]
    with CaptureQueriesContext(connection) as queries:
        assert not given(no_ally)
        assert FilteredStatements(_search("").form.cleaned_data).shape == ()
    assert len(queries) == 0
