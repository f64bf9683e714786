"""Addresses of other sites (an article's original, a source's page) are http(s) only: refused
on the way in (ingestion, reference data), never shown as a link or given by the API otherwise
(issue 16 item 9)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from articles.inputs import Document, InputError, Metadata, read_inputs
from nato_tracker.links import is_web_url, web_url
from spending.models import Source
from spending.reference_data import ReferenceDataError, load_reference_data
from tests.factories import ArticleFactory, StatementFactory

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/a",
    "//evil.example/a",
    "https:/no-host",
    "https://exa mple.org/",
    "https://example.org/\x00",
]
ARTICLE = "BRUSSELS — “We must spend much more on defence,” Rutte said on Thursday."


@pytest.mark.parametrize("url", HOSTILE)
def test_only_http_and_https_addresses_pass(url):
    assert not is_web_url(url)
    assert web_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://www.nato.int/a?b=1#c", "http://46.235.172.94/x.txt", "HTTPS://EXAMPLE.ORG/"]
)
def test_web_addresses_pass(url):
    assert web_url(url) == url


@given(st.text(max_size=40))
def test_anything_that_passes_starts_with_http(text):
    if is_web_url(text):
        assert text.lower().startswith(("http://", "https://"))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x"])
def test_ingestion_refuses_an_article_whose_front_matter_url_is_not_http(tmp_path, url):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: T\nurl: {url}\n---\n{ARTICLE}", encoding="utf-8")
    (item,) = read_inputs([str(path)])
    assert isinstance(item, InputError)
    assert "url:" in item.error and "is not an http(s) address" in item.error
    (override,) = read_inputs(
        [str(path)], Metadata(url="https://example.org/ok")
    )  # --url given on the command line wins
    assert isinstance(override, Document)


def test_an_html_page_with_a_javascript_address_keeps_its_text_without_the_address(tmp_path):
    path = tmp_path / "story.html"
    paragraph = "“We will have to prioritize defense over other stuff,” Rutte said in Munich. "
    path.write_text(
        "<html><head><title>Rutte in Munich</title>"
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:url" content="javascript:alert(1)"></head><body>'
        f"<article><h1>Rutte in Munich</h1><p>{paragraph * 4}</p></article></body></html>",
        encoding="utf-8",
    )
    (item,) = read_inputs([str(path)])
    assert isinstance(item, Document), item
    assert item.metadata.url == ""


@pytest.mark.django_db
def test_reference_data_refuses_a_source_with_a_javascript_address(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REFERENCE_DATA_DIR, data_dir)
    path = data_dir / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    row = {"source_id": "EVIL", "publisher": "Someone", "title": "Evil source"}
    row |= {"url": "javascript:alert(1)", "published": "2025-01-01"}
    buffer = io.StringIO()
    csv.DictWriter(buffer, header, restval="").writerow(row)
    lines.append(buffer.getvalue().strip())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as excinfo:
        load_reference_data(data_dir)
    assert any(
        e.startswith(f"sources.csv:{len(lines)}: url:") and "http(s)" in e
        for e in excinfo.value.errors
    )


@pytest.mark.django_db
def test_an_address_stored_before_the_check_is_never_a_link(client):
    article = ArticleFactory(url="javascript:alert(1)", title="Stored long ago")
    statement = StatementFactory(article=article, text="We spend enough")
    Source.objects.filter(code="NATO_DIE2026").update(url="javascript:alert(2)")
    pages = [
        article.get_absolute_url(),
        statement.get_absolute_url(),
        "/countries/poland/",
        "/methodology/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert b"javascript:" not in response.content.lower(), page
    for api in [
        f"/api/v1/articles/{article.pk}/",
        "/api/v1/articles/",
        f"/api/v1/statements/{statement.pk}/",
        "/api/v1/sources/NATO_DIE2026/",
    ]:
        response = client.get(api)
        assert response.status_code == 200, api
        assert "javascript:" not in response.content.decode().lower(), api
    assert client.get(f"/api/v1/articles/{article.pk}/").json()["url"] == ""


@pytest.mark.django_db
def test_a_web_address_is_still_the_original_link(client):
    article = ArticleFactory(url="https://example.org/story")
    response = client.get(article.get_absolute_url())
    assert b'href="https://example.org/story"' in response.content


def test_each_address_is_checked_once(monkeypatch):
    """A list of thousands of rows shows a few articles' addresses: each is validated once."""
    from nato_tracker import links

    calls = []
    validate = links._validate
    monkeypatch.setattr(links, "_validate", lambda value: calls.append(value) or validate(value))
    address = "https://example.org/checked-once"
    assert [links.web_url(address) for _ in range(3)] == [address] * 3
    assert [links.web_url("javascript:once()") for _ in range(2)] == ["", ""]
    assert calls == [address, "javascript:once()"]
