"""Statements, speakers, articles and the claims check: filters, CSV, hidden rejects, queries."""

from __future__ import annotations

import pytest

from articles.statement_reads import reads_in_rows
from spending.models import MemberState
from tests.api.conftest import csv_rows, results
from tests.factories import ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def texts(response) -> set[str]:
    return {r["text"] for r in results(response)}


def test_statements_list_hides_rejected(client_anon, statements):
    rows = results(client_anon.get(f"{V1}/statements/"))
    assert len(rows) == 5
    assert "Not a quote at all" not in {r["text"] for r in rows}
    assert client_anon.get(f"{V1}/statements/{statements['rejected'].pk}/").status_code == 404
    # newest article first
    assert rows[0]["article"]["title"] == "Germany budget"


def test_statement_fields(client_anon, statements):
    data = client_anon.get(f"{V1}/statements/{statements['rutte_usa'].pk}/").json()
    assert data["speaker"] == {
        "slug": "mark-rutte",
        "name": "Mark Rutte",
        "role": "Secretary General",
    }
    assert data["allies"] == ["USA"]
    assert data["targets"] == ["2"]
    assert data["article"]["title"] == "Allies urged to spend"
    unattributed = client_anon.get(f"{V1}/statements/{statements['unattributed'].pk}/").json()
    assert unattributed["speaker"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"speaker": "mark-rutte"},
            {"America pays its share", "Everyone must reach 2%", "Two percent is a floor"},
        ),
        ({"ally": "usa"}, {"America pays its share", "Two percent is a floor"}),
        ({"ally": "DEU", "target": "3.5"}, {"Germany steps up"}),
        ({"target": "2"}, {"America pays its share", "Everyone must reach 2%"}),
        ({"published_after": "2025-06-10"}, {"Germany steps up", "Budgets will grow"}),
        ({"published_before": "2024-12-31"}, {"Two percent is a floor"}),
        ({"q": "germany"}, {"Germany steps up"}),
        ({"q": "official"}, {"Budgets will grow"}),
        ({"q": "must 2%"}, {"Everyone must reach 2%"}),
    ],
)
def test_statement_filters(client_anon, statements, params, expected):
    assert texts(client_anon.get(f"{V1}/statements/", params)) == expected


def test_statement_filter_by_article(client_anon, statements):
    article = statements["hegseth_deu"].article
    assert texts(client_anon.get(f"{V1}/statements/", {"article": article.pk})) == {
        "Germany steps up",
        "Budgets will grow",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"speaker": "nobody"}, "speaker"),
        ({"ally": "XXX"}, "ally"),
        ({"target": "4"}, "target"),
        ({"article": "999999"}, "article"),
        ({"article": "abc"}, "article"),
        ({"published_after": "2025-02-30"}, "published_after"),
        ({"review_status": "rejected"}, "review_status"),
    ],
)
def test_statement_bad_filters_are_400(client_anon, statements, params, field):
    response = client_anon.get(f"{V1}/statements/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_statements_csv_and_pagination(client_anon, statements):
    rows = csv_rows(client_anon.get(f"{V1}/statements/", {"format": "csv", "page_size": 2}))
    assert len(rows) == 5
    usa = next(r for r in rows if r["text"] == "America pays its share")
    assert usa["speaker_name"] == "Mark Rutte"
    assert usa["allies"] == "USA;"  # every list item is followed by ";"
    assert usa["article_title"] == "Allies urged to spend"
    page = client_anon.get(f"{V1}/statements/", {"page_size": 2, "page": 3}).json()
    assert len(page["results"]) == 1 and page["next"] is None
    assert client_anon.get(f"{V1}/statements/", {"page_size": 2, "page": 4}).status_code == 404


def test_statements_list_query_count(
    client_anon, statements, django_assert_max_num_queries, django_assert_num_queries
):
    article = ArticleFactory()
    usa = MemberState.objects.get(iso3="USA")
    for _ in range(20):
        StatementFactory(article=article).members.add(usa)
    # cold: + the speakers' roles and the allies' and targets' names (kept afterwards)
    with django_assert_max_num_queries(7):
        response = client_anon.get(f"{V1}/statements/", {"page_size": 100})
    assert len(results(response)) == 25
    # warm: the page (not full: no count) and the ids of its allies, targets and links: in the
    # page's own query on PostgreSQL (articles.statement_reads.with_reads), one more elsewhere
    with django_assert_num_queries(1 if reads_in_rows() else 2):
        assert len(results(client_anon.get(f"{V1}/statements/", {"page_size": 100}))) == 25
    with django_assert_max_num_queries(6):
        assert len(csv_rows(client_anon.get(f"{V1}/statements/", {"format": "csv"}))) == 25


def test_speakers(client_anon, statements, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rows = results(client_anon.get(f"{V1}/speakers/"))
    rutte = next(r for r in rows if r["slug"] == "mark-rutte")
    assert rutte["aliases"] == ["Rutte"]
    assert rutte["statement_count"] == 3  # the rejected statement is not counted
    assert [r["slug"] for r in results(client_anon.get(f"{V1}/speakers/", {"q": "rutte"}))] == [
        "mark-rutte"
    ]
    assert client_anon.get(f"{V1}/speakers/mark-rutte/").json()["name"] == "Mark Rutte"
    assert client_anon.get(f"{V1}/speakers/nobody/").status_code == 404
    assert csv_rows(client_anon.get(f"{V1}/speakers/", {"format": "csv"}))


def test_articles(client_anon, statements, django_assert_max_num_queries):
    ArticleFactory(title="Withdrawn", review_status="rejected")
    with django_assert_max_num_queries(3):
        rows = results(client_anon.get(f"{V1}/articles/"))
    assert [r["title"] for r in rows] == ["Germany budget", "Allies urged to spend", "Old news"]
    assert rows[2]["statement_count"] == 1
    assert "text" not in rows[0]
    detail = client_anon.get(f"{V1}/articles/{rows[0]['id']}/").json()
    assert detail["text"]
    assert results(client_anon.get(f"{V1}/articles/", {"q": "germany"}))[0]["title"] == (
        "Germany budget"
    )
    after = results(client_anon.get(f"{V1}/articles/", {"published_after": "2025-01-01"}))
    assert len(after) == 2
    assert client_anon.get(f"{V1}/articles/", {"published_after": "x"}).status_code == 400
    assert len(csv_rows(client_anon.get(f"{V1}/articles/", {"format": "csv"}))) == 3


def test_claims_lists_all_kinds_with_checks(client_anon, claims, django_assert_max_num_queries):
    # Per kind: the sort keys of every claim, then the rows of the page (+ a list's allies).
    with django_assert_max_num_queries(7):
        rows = results(client_anon.get(f"{V1}/claims/"))
    assert [r["kind"] for r in rows] == ["target_list", "reported_figure", "aggregate_claim"]
    target_list, figure, aggregate = rows
    assert target_list["allies"] == ["BEL", "ESP"]
    assert figure["ally"] == "USA"
    assert figure["check_latest"]["official_value"] == 3.19
    assert figure["check_as_published"]["as_of"] == "2025-06-05"
    assert aggregate["final_verdict"] == "matches"
    assert aggregate["check_latest"]["verdict"] is None  # never checked: nulls, not missing


@pytest.mark.parametrize(
    ("params", "kinds"),
    [
        ({"kind": "reported_figure"}, ["reported_figure"]),
        ({"ally": "usa"}, ["reported_figure"]),
        ({"ally": "ESP"}, ["target_list"]),
        ({"verdict": "matches"}, ["reported_figure", "aggregate_claim"]),
        ({"verdict": "differs"}, ["target_list"]),
        ({"published_after": "2025-06-10"}, ["target_list"]),
        ({"year": 2023}, []),
    ],
)
def test_claims_filters(client_anon, claims, params, kinds):
    assert [r["kind"] for r in results(client_anon.get(f"{V1}/claims/", params))] == kinds


def test_claims_csv_and_bad_input(client_anon, claims):
    rows = csv_rows(client_anon.get(f"{V1}/claims/", {"format": "csv", "page_size": 1}))
    assert len(rows) == 3
    assert {"kind", "check_latest_verdict", "check_as_published_source_code"} <= set(rows[0])
    for params in ({"ally": "XXX"}, {"year": "abc"}, {"kind": "x"}, {"verdict": "maybe"}):
        response = client_anon.get(f"{V1}/claims/", {**params, "format": "csv"})
        assert response.status_code == 400
        assert next(iter(params)) in response.json()
    assert client_anon.get(f"{V1}/claims/", {"page": 5}).status_code == 404


def test_statements_list_reads_the_data_version_once(client_anon, statements, monkeypatch):
    """The rows' official names and speakers' roles are kept under the version the request
    has read already (its ETag's): one cache read of versions per answer, not two."""
    from django.core.cache import cache

    client_anon.get(f"{V1}/statements/", {"q": "spend"})  # warm
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or get_many(keys))
    assert client_anon.get(f"{V1}/statements/", {"q": "spend"}).status_code == 200
    assert len(reads) == 1
