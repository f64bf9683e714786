"""Atom feeds of new statements: overall, per ally, per speaker."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from tests.factories import ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text
    return feed.findall(f"{ATOM}entry")


def titles(client, url) -> list[str]:
    return [e.find(f"{ATOM}title").text for e in entries(client, url)]


def test_all_statements_feed(client, statements, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        found = entries(client, "/feeds/statements/")
    assert len(found) == 5  # the rejected statement is left out
    entry = found[0]
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}link").get("href")


def test_entry_ids_are_the_absolute_urls_of_the_statement_pages(client, statements):
    """Regression: ids were ``statement-29``, not valid Atom ids (IRIs)."""
    found = entries(client, "/feeds/statements/")
    ids = [e.find(f"{ATOM}id").text for e in found]
    assert len(set(ids)) == len(ids)
    for entry, entry_id in zip(found, ids, strict=True):
        assert entry_id == entry.find(f"{ATOM}link").get("href")
    by_text = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}id").text for e in found}
    statement = statements["rutte_usa"]
    assert by_text["Mark Rutte: “America pays its share”"] == (
        f"http://testserver/statements/{statement.pk}/"
    )
    assert [e.find(f"{ATOM}id").text for e in entries(client, "/feeds/statements/")] == ids


def test_newest_article_first_whatever_the_order_of_ingestion(client, statements):
    """Regression: the feed was ordered by ingestion, not by the article's publication date."""
    late = ArticleFactory(
        title="Ingested last, published long ago", published=datetime.date(2020, 1, 1)
    )
    StatementFactory(article=late, speaker=None, speaker_as_written="A", text="Old words")
    undated = ArticleFactory(title="Undated", published=None)
    StatementFactory(article=undated, speaker=None, speaker_as_written="B", text="No date")
    found = titles(client, "/feeds/statements/")
    assert found == [
        "Pete Hegseth: “Germany steps up”",  # 2025-07-01
        "an official: “Budgets will grow”",
        "Mark Rutte: “America pays its share”",  # 2025-06-05, in reading order
        "Mark Rutte: “Everyone must reach 2%”",
        "Mark Rutte: “Two percent is a floor”",  # 2024-02-01
        "A: “Old words”",  # 2020, though ingested after every other one
        "B: “No date”",  # undated: last
    ]


def test_same_day_articles_newest_ingestion_first(client, statements):
    day = datetime.date(2025, 7, 1)  # the day of "Germany budget"
    later = ArticleFactory(title="Same day, ingested later", published=day)
    StatementFactory(article=later, speaker=None, speaker_as_written="C", text="Later news")
    assert titles(client, "/feeds/statements/")[0] == "C: “Later news”"


def test_ally_feed_case_insensitive(client, statements):
    found = titles(client, "/feeds/allies/usa/")
    assert sorted(found) == sorted(
        ["Mark Rutte: “America pays its share”", "Mark Rutte: “Two percent is a floor”"]
    )
    assert client.get("/feeds/allies/XXX/").status_code == 404


def test_speaker_feed(client, statements):
    assert titles(client, "/feeds/speakers/pete-hegseth/") == ["Pete Hegseth: “Germany steps up”"]
    assert client.get("/feeds/speakers/nobody/").status_code == 404


def test_an_ally_feed_reads_the_united_states_and_dates_in_words(client):
    article = ArticleFactory(title="Allies meet", published=datetime.date(2025, 7, 2))
    StatementFactory(article=article, speaker=None, speaker_as_written="A", text="We pay")
    response = client.get("/feeds/allies/usa/")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text.endswith("statements about the United States")
    assert feed.find(f"{ATOM}subtitle").text == (
        "Statements about the defence spending of the United States, newest first."
    )
    found = entries(client, "/feeds/statements/")
    summary = found[0].find(f"{ATOM}summary").text
    assert summary.endswith(", 2 July 2025)"), summary
