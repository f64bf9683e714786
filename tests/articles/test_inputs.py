"""Reading inputs: files, folders, front matter, HTML, and every kind of bad input."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.inputs import (
    MAX_BYTES,
    Document,
    InputError,
    InputProblem,
    Metadata,
    read_inputs,
    split_front_matter,
)

ARTICLE = "BRUSSELS — “We must spend much more on defence,” Rutte said on Thursday."


def read_one(path, override=None):
    (item,) = list(read_inputs([str(path)], override or Metadata()))
    return item


def test_text_file_with_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Allies urged to spend\npublisher: Wire\npublished: 2025-06-05\n"
        "url: https://example.org/a\nnote: ignored\n---\n" + ARTICLE,
        encoding="utf-8",
    )
    doc = read_one(path)
    assert isinstance(doc, Document)
    assert doc.text == ARTICLE
    assert doc.metadata == Metadata(
        "Allies urged to spend", "Wire", datetime.date(2025, 6, 5), "https://example.org/a"
    )


def test_options_override_the_file_and_title_defaults_to_first_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\npublished: 2024-01-01\n---\n" + ARTICLE, encoding="utf-8")
    doc = read_one(path, Metadata(published=datetime.date(2025, 2, 2), publisher="X"))
    assert doc.metadata.published == datetime.date(2025, 2, 2)
    assert doc.metadata.publisher == "X"
    assert doc.metadata.title == ARTICLE


def test_folders_are_read_recursively_in_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text(ARTICLE + " 2", encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    paths = [item.path for item in read_inputs([str(tmp_path)])]
    assert paths == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.md")]


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "story.html"
    paragraph = "“We will have to prioritize defense over other stuff,” Rutte said in Munich. "
    path.write_text(
        "<html><head><title>Rutte in Munich</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta name="date" content="2025-02-15"></head><body><nav>Menu Home About</nav>'
        f"<article><h1>Rutte in Munich</h1><p>{paragraph * 4}</p></article></body></html>",
        encoding="utf-8",
    )
    doc = read_one(path)
    assert isinstance(doc, Document), doc
    assert "prioritize defense" in doc.text
    assert "Menu Home" not in doc.text
    assert doc.metadata.publisher == "Example News"
    assert doc.metadata.published == datetime.date(2025, 2, 15)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty article"),
        ("blank.txt", b"  \n\n ", "empty article"),
        ("only-header.txt", b"---\ntitle: x\n---\n", "empty article"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("latin1.txt", "Défense".encode("latin-1"), "not UTF-8"),
        ("page.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type"),
        ("bad-date.txt", b"---\npublished: soon\n---\nText here.", "not a date"),
    ],
)
def test_bad_files_give_one_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    item = read_one(path)
    assert isinstance(item, InputError)
    assert item.path == str(path)
    assert reason in item.error


def test_missing_path_and_oversized_file(tmp_path):
    missing = read_one(tmp_path / "nope.txt")
    assert isinstance(missing, InputError) and "no such file" in missing.error
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    item = read_one(big)
    assert isinstance(item, InputError) and "limit" in item.error


def test_unreachable_url_fails_cleanly():
    (item,) = list(read_inputs(["http://127.0.0.1:9/article"]))
    assert isinstance(item, InputError)
    assert "fetch failed" in item.error


@given(st.text(max_size=300))
def test_front_matter_parser_never_crashes(text):
    try:
        body, _ = split_front_matter(text)
    except InputProblem:  # the documented error; any other fails the test
        pass
    else:
        assert body in text


def test_a_date_line_under_the_headline_gives_the_publication_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "Allies urged to spend more\n\nThe Example Wire\nFriday, 29 August 2025, 9:14 AM\n\n"
        + ARTICLE,
        encoding="utf-8",
    )
    assert read_one(path).metadata.published == datetime.date(2025, 8, 29)
    overridden = read_one(path, Metadata(published=datetime.date(2025, 9, 1)))
    assert overridden.metadata.published == datetime.date(2025, 9, 1)
