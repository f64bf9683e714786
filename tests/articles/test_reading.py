"""Cutting an article's text into pages (articles/reading.py)."""

import pytest

from articles.reading import page_of_quote, spans_within, text_pages


def test_short_and_empty_texts_are_one_page():
    assert text_pages("abc", [], size=10) == [(0, 3)]
    assert text_pages("", [], size=10) == [(0, 0)]


def test_pages_cover_the_text_and_cut_after_a_line_break_in_their_second_half():
    text = "aaaaaaa\nbbbbbbbbbbbb"  # a break at 7, in the second half of a 10-character page
    assert text_pages(text, [], size=10) == [(0, 8), (8, 18), (18, 20)]
    # A break in the first half is not used: the page is cut at its size.
    assert text_pages("a\n" + "b" * 18, [], size=10) == [(0, 10), (10, 20)]


def test_a_cut_never_falls_inside_a_quote():
    text = "x" * 30
    # The cut at 10 falls inside (8, 14): the page ends where the quote starts.
    assert text_pages(text, [(1, 8, 14)], size=10) == [(0, 8), (8, 18), (18, 28), (28, 30)]
    # A quote from the page's start past the cut: the page runs to its end.
    assert text_pages(text, [(1, 0, 15)], size=10) == [(0, 15), (15, 25), (25, 30)]
    # Overlapping quotes (skipped when highlighted) do not make it loop.
    pages = text_pages(text, [(1, 5, 15), (2, 0, 10), (3, 9, 12)], size=10)
    assert pages[0][0] == 0 and pages[-1][1] == 30
    assert all(a < b for a, b in pages)


def test_spans_within_keeps_whole_quotes_relative_to_the_page():
    spans = [(1, 2, 5), (2, 8, 12), (3, 12, 14)]
    assert spans_within(spans, 8, 14) == [(2, 0, 4), (3, 4, 6)]


def test_size_must_be_positive():
    with pytest.raises(ValueError):
        text_pages("abc", [], size=0)


def test_the_page_of_a_quote_is_the_one_it_starts_on():
    spans = [(7, 2, 5), (8, 12, 16), (9, 25, 28)]
    pages = text_pages("x" * 30, spans, size=10)  # (0, 10), (10, 20), (20, 30)
    assert [page_of_quote(pages, spans, pk) for pk in (7, 8, 9)] == [1, 2, 3]
    assert page_of_quote(pages, spans, 10) is None  # not a quote of this text
