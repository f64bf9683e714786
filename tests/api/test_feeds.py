"""Atom feeds of new statements: overall, per ally, per speaker."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

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
    assert entry.find(f"{ATOM}id").text.startswith("statement-")
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}link").get("href")


def test_ally_feed_case_insensitive(client, statements):
    found = titles(client, "/feeds/allies/usa/")
    assert sorted(found) == sorted(
        ["Mark Rutte: “America pays its share”", "Mark Rutte: “Two percent is a floor”"]
    )
    assert client.get("/feeds/allies/XXX/").status_code == 404


def test_speaker_feed(client, statements):
    assert titles(client, "/feeds/speakers/pete-hegseth/") == ["Pete Hegseth: “Germany steps up”"]
    assert client.get("/feeds/speakers/nobody/").status_code == 404
