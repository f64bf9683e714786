"""The statements API's list is the statements page's compiled list
(``articles.statement_list.FilteredStatements``) in the API's ``?ordering=``: the same rows, in
the same order, and the same count as the ORM's queryset the view read before, compiled once
per shape of the filters and ordering."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from articles import selectors
from articles.api.rows import statement_values
from articles.filters import StatementFilterSet
from articles.models import Statement
from articles.statement_list import STATEMENT_LIST, FilteredStatements
from articles.statement_reads import with_reads

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
NEWEST_FIRST = list(selectors.STATEMENTS_NEWEST_FIRST)
ORDERINGS = [
    NEWEST_FIRST,
    ["-id", "pk"],
    ["id", "pk"],
    ["article__published", "-id", "pk"],
    ["-article__published", "pk"],
]
QUERIES = ["", "q=budgets", "ally=usa,DEU", "speaker=mark-rutte&target=2"]


def search(query: str) -> StatementFilterSet:
    found = StatementFilterSet(QueryDict(query), queryset=Statement.objects.public())
    assert found.is_valid(), found.errors
    return found


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("query", QUERIES)
def test_the_compiled_list_in_each_ordering_is_the_orms(statements, query, ordering):
    found = search(query)
    orm = with_reads(statement_values(found.qs.order_by(*ordering)))  # the compiled list's twin
    compiled = FilteredStatements(found.form.cleaned_data, ordering)
    for low, high in ((0, 50), (1, 3), (4, 10)):
        assert compiled[low:high] == list(orm[low:high])
    assert compiled.count() == orm.count()


def test_the_api_lists_in_its_ordering_one_compilation_per_shape(
    client_anon, statements, monkeypatch
):
    monkeypatch.setattr(STATEMENT_LIST, "_compiled", {})
    built = []
    original = STATEMENT_LIST.build
    monkeypatch.setattr(STATEMENT_LIST, "build", lambda *a: built.append(a[0]) or original(*a))

    def ids(params: dict) -> list[int]:
        answer = client_anon.get(f"{V1}/statements/", params)
        assert answer.status_code == 200, answer.content
        return [row["id"] for row in answer.json()["results"]]

    public = Statement.objects.public()
    assert ids({}) == list(public.order_by(*NEWEST_FIRST).values_list("pk", flat=True))
    assert ids({"ordering": "-id"}) == sorted(public.values_list("pk", flat=True))[::-1]
    assert ids({"ordering": "id", "q": "budgets"}) == sorted(
        selectors.filter_statements_by_words(public, "budgets").values_list("pk", flat=True)
    )
    ids({"ordering": "-id", "page_size": 2, "page": 2})
    assert built == [(), (("ordering", "-id", "pk"),), (("ordering", "id", "pk"), ("q", False))]
    assert client_anon.get(f"{V1}/statements/", {"ordering": "text"}).status_code == 400
