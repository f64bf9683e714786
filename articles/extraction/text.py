"""Text helpers: length-preserving normalisation, paragraphs, sentences and datelines.

Every helper keeps character offsets of the original input valid: normalisation only
replaces single characters by single characters.
"""

from __future__ import annotations

import calendar
import datetime

import regex

_SPACE_LIKE = (
    "\t\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\ufeff"
)
_TRANSLATION = {ord(c): " " for c in _SPACE_LIKE}
_TRANSLATION.update({ord("\r"): "\n", 0x2028: "\n", 0x2029: "\n", 0x85: "\n"})
_TRANSLATION.update({c: " " for c in range(0, 32) if c not in (10,)})

_LINE = regex.compile(r"[^\n]+")
ABBREVIATIONS = frozenset(
    [
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "sen",
        "rep",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "gov",
        "lt",
        "col",
        "adm",
        "prof",
        "inc",
        "corp",
        "vs",
        "e.g",
        "i.e",
        "sgt",
        "maj",
        "capt",
        "cmdr",
        "approx",
        "est",
        "fig",
        "jr",
        "sr",
    ]
)

_SENTENCE_END = regex.compile(
    r"[.!?\u2026]+[\"\u201d\u2019\u00bb)\]]*[ ]+(?=[\"\u201c\u2018\u00ab(\[]?[\p{Lu}\d\x1a])"
)
_INITIALS = regex.compile(r"\p{Lu}\.\p{Lu}")
# Dotted abbreviations that end sentences as often as any word ("... than the U.S. The ...").
NOT_INITIALS = frozenset({"U.S", "U.K", "E.U", "U.N"})
LIST_NUMBER = regex.compile(r"[ ]*\d{1,3}")
_WORD_BEFORE = regex.compile(r"([\p{L}.]+)$")
_DATELINE = regex.compile(
    r"(?P<place>\p{Lu}[\p{Lu}.'\u2019\- ]{1,40}?)(?:,[^\n\u2014\u2013]{1,40}?)?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*(?:\u2014|\u2013|--?)\s"
)


def normalize(text: str) -> str:
    """Replace odd spaces and control characters one-for-one (offsets stay valid)."""
    return text.translate(_TRANSLATION)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line."""
    spans = []
    for match in _LINE.finditer(text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    return spans


def _is_abbreviation(text: str, dot_index: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot_index - 12), dot_index)
    if not match:
        return False
    written = match.group(1).strip(".")
    word = written.casefold()
    if _INITIALS.fullmatch(written) and written not in NOT_INITIALS:
        return True  # "J.D. Vance"
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


# No real sentence comes near this (the longest in the test articles has 342 characters);
# longer runs without a sentence end are cut at a space, so that the per-sentence rules,
# which compare the items of one sentence with each other, stay linear in the text's length.
MAX_SENTENCE_CHARS = 1000


def _bounded(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append (start, end), cut into pieces of at most MAX_SENTENCE_CHARS at spaces."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut + 1 if cut > 0 else start + MAX_SENTENCE_CHARS
        spans.append((start, cut))
        start = cut
    spans.append((start, end))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) spans within text[start:end]; newlines always end a sentence,
    and a sentence longer than MAX_SENTENCE_CHARS is cut at a space."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text[start:end]):
        cursor = start + para_start
        limit = start + para_end
        for match in _SENTENCE_END.finditer(text, cursor, limit):
            if match.group()[0] == "." and _is_abbreviation(text, match.start()):
                continue
            if LIST_NUMBER.fullmatch(text, cursor, match.start()):
                continue  # "2. Estonia — 5.10%": a numbered item, not a sentence "2.
            _bounded(spans, text, cursor, match.end())
            cursor = match.end()
        if cursor < limit:
            _bounded(spans, text, cursor, limit)
    return spans


def find_dateline(text: str) -> tuple[str, int, int] | None:
    """The dateline place ("BRUSSELS") of one of the first paragraphs, with its span."""
    for para_start, para_end in paragraph_spans(text)[:3]:
        match = _DATELINE.match(text, para_start, para_end)
        if match:
            place = match.group("place").strip()
            letters = [c for c in place if c.isalpha()]
            if len(letters) >= 3 and all(c.isupper() for c in letters):
                return place, match.start("place"), match.start("place") + len(place)
    return None


_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    regex.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    regex.compile(rf"(?i:\b(?P<month>{_MONTH_ALT})\.?)\s+{_DAY},?\s+(?P<year>(?:19|20)\d\d)\b"),
    regex.compile(rf"\b{_DAY}\s+(?i:(?P<month>{_MONTH_ALT})\.?),?\s+(?P<year>(?:19|20)\d\d)\b"),
)
DATE_LINE_MAX_CHARS = 100
DATE_LINE_SEARCH_LINES = 6


# What a date line may hold besides its date: a time, a weekday, a time zone, "Published",
# "updated" and a place ("Ottawa | June 9, 2025, updated 5:05 p.m. ET").
_DATE_LINE_EXTRAS = regex.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b[ap]\.?m\.?(?!\w)|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b|"
    rf"(?i:\b(?:{'|'.join(calendar.day_name)}|{'|'.join(calendar.day_abbr)})\b)|"
    r"(?i:\b(?:published|updated|posted|last|first|on|at|and|modified)\b)"
)
# Lower-case words left once those are gone: a date line has (almost) none, a sentence many.
_LOWER_WORD = regex.compile(r"(?<![\p{L}-])\p{Ll}[\p{L}'-]*")


def _date_in(line: str) -> datetime.date | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.search(line)
        if match is None:
            continue
        rest = _DATE_LINE_EXTRAS.sub(" ", line[: match.start()] + " " + line[match.end() :])
        if len(_LOWER_WORD.findall(rest)) > 1:
            return None  # "The next summit opens in Ankara on July 7, 2027, officials said."
        month = match.group("month")
        month = int(month) if month.isdigit() else _MONTHS[month.casefold()]
        try:
            return datetime.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            continue
    return None


def find_publication_date(text: str, today: datetime.date | None = None) -> datetime.date | None:
    """The date of a short date line under the headline ("June 25, 2025, 6:12 PM",
    "Published 8 July 2026", "Ottawa | June 9, 2025"), as plain-text articles carry it; not
    a sentence that mentions a date, nor a date after ``today``."""
    today = today or datetime.date.today()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[1:DATE_LINE_SEARCH_LINES]:
        if len(line) <= DATE_LINE_MAX_CHARS:
            found = _date_in(line)
            if found is not None and found <= today:
                return found
    return None
