"""An article's text cut into pages of bounded size for its public page (issue 16 item 1).

A 1.9 MB article with thousands of highlighted quotes made a 2.4 MB page; the page now shows
one part of the text at a time (``?page=``), each at most about :data:`TEXT_PAGE_CHARS`
characters, cut after a line break where there is one and never inside a quote.
"""

from __future__ import annotations

from collections.abc import Sequence

#: About this many characters of an article's text on one page (articles up to this size,
#: nearly all of them, are shown whole on one page).
TEXT_PAGE_CHARS = 100_000


def _containing(cut: int, spans: Sequence[tuple[int, int, int]]) -> tuple[int, int] | None:
    """``(start, end)`` of a quote that ``cut`` falls strictly inside, if any."""
    for _pk, start, end in spans:
        if start < cut < end:
            return start, end
    return None


def text_pages(
    text: str, spans: Sequence[tuple[int, int, int]], size: int = TEXT_PAGE_CHARS
) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each page of ``text``, in order, covering it whole.

    ``spans`` are the quotes' ``(pk, start, end)``. A page ends after the last line break in
    its second half if there is one, else at ``size`` characters; a cut inside a quote moves
    back to the quote's start (or, if that is the page's own start, on to its end), so no
    quote is split. An empty text is one empty page.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    pages: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while True:
        cut = start + size
        if cut >= length:
            pages.append((start, length))
            return pages
        newline = text.rfind("\n", start + size // 2, cut)
        if newline != -1:
            cut = newline + 1
        # Back to the start of the quote it falls in (strictly decreasing, so it ends) ...
        while (quote := _containing(cut, spans)) and quote[0] > start:
            cut = quote[0]
        # ... or, if a quote runs from the page's start past the cut, on to its end.
        while quote := _containing(cut, spans):
            cut = quote[1]
        if cut >= length:
            pages.append((start, length))
            return pages
        pages.append((start, cut))
        start = cut


def spans_within(
    spans: Sequence[tuple[int, int, int]], start: int, end: int
) -> list[tuple[int, int, int]]:
    """The quotes wholly inside ``[start, end)``, with offsets relative to ``start``."""
    return [(pk, s - start, e - start) for pk, s, e in spans if start <= s and e <= end]


def page_of_quote(
    pages: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int, int]], pk: int
) -> int | None:
    """The 1-based number of the page of ``pages`` that shows quote ``pk``, or ``None`` when
    the quote is not one of ``spans`` (pages never cut inside a quote, so one page holds it)."""
    for quote_pk, start, _end in spans:
        if quote_pk == pk:
            for number, (page_start, page_end) in enumerate(pages, start=1):
                if page_start <= start < page_end:
                    return number
    return None
