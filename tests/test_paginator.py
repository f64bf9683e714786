"""``RowsFirstPaginator``: the same pages and errors as Django's ``Paginator``, counting only
when the page read does not tell the count."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Statement
from nato_tracker.paginator import RowsFirstPaginator
from tests.factories import ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven():
    article = ArticleFactory()
    StatementFactory.create_batch(7, article=article)
    return Statement.objects.order_by("pk")


@pytest.mark.parametrize("number", [1, 2, 3, "2", 2.0])
def test_same_pages_as_django(seven, number):
    ours, django = RowsFirstPaginator(seven, 3).page(number), Paginator(seven, 3).page(number)
    assert list(ours) == list(django)
    assert (ours.paginator.count, ours.paginator.num_pages) == (7, 3)
    assert (ours.has_next(), ours.has_previous(), ours.start_index(), ours.end_index()) == (
        django.has_next(),
        django.has_previous(),
        django.start_index(),
        django.end_index(),
    )


@pytest.mark.parametrize(
    "number", [0, -1, 4, 99, "x", 1.5, None, "99999999999999999999", 2**62, 2**63]
)
def test_same_errors_as_django(seven, number):
    with pytest.raises((EmptyPage, PageNotAnInteger)) as django:
        Paginator(seven, 3).page(number)
    with pytest.raises(django.type, match=str(django.value)):
        RowsFirstPaginator(seven, 3).page(number)


def test_a_page_that_is_not_full_tells_the_count(seven):
    for per_page, number in ((10, 1), (3, 3)):
        with CaptureQueriesContext(connection) as queries:
            page = RowsFirstPaginator(seven, per_page).page(number)
            assert page.paginator.count == 7 and len(page) in (7, 1)
        assert len(queries) == 1


def test_a_full_page_and_an_empty_list_are_counted(seven):
    with CaptureQueriesContext(connection) as queries:
        assert RowsFirstPaginator(seven, 3).page(1).paginator.count == 7
    assert len(queries) == 2  # the rows, then the count
    with CaptureQueriesContext(connection) as queries:
        assert RowsFirstPaginator(seven.none(), 3).page(1).paginator.count == 0
        assert RowsFirstPaginator(seven.filter(pk=0), 3).page(1).paginator.count == 0
    assert len(queries) == 1  # none() reads nothing; the empty first page tells its count
    with pytest.raises(EmptyPage):
        RowsFirstPaginator(seven.none(), 3, allow_empty_first_page=False).page(1)


def test_the_api_list_shorter_than_a_page_is_one_query_for_its_rows(client, seven):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/statements/").json()
    assert answer["count"] == 7 and len(answer["results"]) == 7
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert client.get("/api/v1/statements/", {"page": 2}).status_code == 404
    answer = client.get("/api/v1/statements/", {"page_size": 3, "page": "last"}).json()
    assert answer["count"] == 7 and len(answer["results"]) == 1
