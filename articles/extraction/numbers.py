"""Parsers for percentages, money amounts, years and relative years.

Reference year rule: with a publication date, relative years ("last year", "this year",
"next year") are resolved against its year. Without one, the reference year is inferred
as the latest explicit year stated as a fact in the text ("in 2024", "efforts in 2025"),
ignoring horizon years ("by 2035", "until 2030", "the 2030 target", "to 2035"), the bases
of comparisons ("since 2014", "compared to 2014") and
dropping isolated outliers more than three years above the next-latest year; the result
records that it was inferred. With no usable year the reference year is None and
relative years stay unresolved.
"""

from __future__ import annotations

import bisect
import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

import regex

from .lexicon import (
    CURRENCY_CODES,
    CURRENCY_NAMES,
    CURRENCY_SYMBOLS,
    HORIZON_NOUNS,
    SCALE_WORDS,
    spaced_alternation,
)
from .types import ReferenceYear

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
}
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
for _unit_index, _unit in enumerate(_UNITS, start=1):
    for _tens, _tens_value in (("twenty", 20), ("thirty", 30)):
        NUMBER_WORDS[f"{_tens}-{_unit}"] = _tens_value + _unit_index
        NUMBER_WORDS[f"{_tens} {_unit}"] = _tens_value + _unit_index

_WORD_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
SCALES = SCALE_WORDS
_SCALE_ALT = "|".join(sorted(SCALES, key=lambda w: (-len(w), w)))
# Spellings of a currency, folded (lower case, no spaces), to its ISO code.
_CURRENCY_BY_SPELLING = {
    **{"".join(name.split()): code for code, names in CURRENCY_NAMES.items() for name in names},
    **{code.casefold(): code for code in CURRENCY_CODES},
    **{"".join(symbol.casefold().split()): code for symbol, code in CURRENCY_SYMBOLS.items()},
}
_SYMBOL_ALT = "|".join(
    regex.escape(symbol).replace(r"\ ", r"\s")
    for symbol in sorted(CURRENCY_SYMBOLS, key=lambda w: (-len(w), w))
)
_NAME_ALT = spaced_alternation(
    frozenset(name for names in CURRENCY_NAMES.values() for name in names)
)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,15}(?:\.\d{1,6})?|\d{1,3},\d{1,2}(?!\d)"
PERCENT_UNIT_RE = regex.compile(r"%|(?i:percent|per[\s-]cent|pct)\b")
NUMBER_BEFORE_UNIT_RE = regex.compile(
    rf"(?<![\w.,$€£])(?P<num>{_NUM}|(?i:{_WORD_ALT})(?:\s+and\s+a\s+half)?)(?:\s?|-)$"
)
MONEY_PREFIX_RE = regex.compile(
    rf"(?<![\w.])(?P<cur>{_SYMBOL_ALT}|(?:{'|'.join(CURRENCY_CODES)})\s?)\s?"
    rf"(?P<num>{_NUM})(?:\s?(?P<scale>(?i:{_SCALE_ALT}))(?!\w))?"
)
MONEY_SUFFIX_RE = regex.compile(
    rf"(?<![\w.$€£])(?P<num>{_NUM})\s?(?P<scale>(?i:{_SCALE_ALT}))?\s+"
    rf"(?P<cur>(?i:{_NAME_ALT}))(?!\w)"
)
YEAR_RE = regex.compile(
    r"(?<![\w.,$€£/-])(?P<year>19[5-9]\d|20\d\d)(?![\w%]|[.,]\d|\s?(?:%|per\s?cent|percent|"
    r"billion|million|trillion|bn|troops|soldiers|people|km|kilomet|miles|euros|dollars)\b)"
)
RELATIVE_YEAR_RE = regex.compile(
    r"\b(?P<which>(?i:last|previous|this|current|next|coming))\s+year\b(?!['\u2019]s\s+summit)"
)
_DECIMAL_COMMA = regex.compile(r"\d{1,3},\d{1,2}")
_RELATIVE_OFFSETS = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
_HORIZON_BEFORE = regex.compile(
    r"(?i:\b(?:by|until|till|through|before|to|towards?|deadline\s+of|target\s+of|goal\s+of)"
    r"\s+(?:the\s+(?:end|start|beginning)\s+of\s+)?(?:the\s+year\s+)?)$"
)
_HORIZON_AFTER = regex.compile(rf"(?i:\s*(?:{spaced_alternation(HORIZON_NOUNS)}))")
# A year that a comparison starts from ("since 2014", "compared to 2014", "up from ... in
# 2014") is a past base, not the time the article speaks from.
_BASE_BEFORE = regex.compile(
    r"(?i:\b(?:since|compared\s+(?:to|with)|from|than\s+in|as\s+of)\s+(?:the\s+)?(?:end\s+of\s+)?)$"
)


@dataclass(frozen=True)
class NumberMention:
    """A percentage or money amount found in the text."""

    kind: str
    value: float
    currency: str | None
    start: int
    end: int


@dataclass(frozen=True)
class YearMention:
    """An explicit or relative year; ``year`` is None when a relative year is unresolved."""

    year: int | None
    start: int
    end: int
    horizon: bool
    relative: bool


def _number_value(raw: str) -> float | None:
    raw = raw.strip().casefold()
    half = raw.endswith("and a half")
    if half:
        raw = raw[: -len("and a half")].strip()
    if raw in NUMBER_WORDS:
        value = float(NUMBER_WORDS[raw])
    elif _DECIMAL_COMMA.fullmatch(raw):
        value = float(raw.replace(",", "."))
    else:
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            return None
    value += 0.5 if half else 0.0
    return value if math.isfinite(value) else None


def find_percentages(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Percentages such as "3.19%", "3 percent", "3.5 per cent", "five percent"."""
    end = len(text) if end is None else end
    found = []
    for unit in PERCENT_UNIT_RE.finditer(text, start, end):
        number = NUMBER_BEFORE_UNIT_RE.search(text, max(start, unit.start() - 40), unit.start())
        value = _number_value(number.group("num")) if number else None
        if value is not None:
            found.append(NumberMention("pct", value, None, number.start(), unit.end()))
    return found


def parse_percentage(text: str) -> float | None:
    """Value of the first percentage in text, or None."""
    found = find_percentages(text)
    return found[0].value if found else None


def _currency_code(raw: str) -> str:
    """The ISO code of a currency as written (symbol, code or name; the lexicon's spellings)."""
    return _CURRENCY_BY_SPELLING.get("".join(raw.casefold().split()), "USD")


def _money_from_match(match: regex.Match) -> NumberMention | None:
    value = _number_value(match.group("num"))
    if value is None:
        return None
    scale = match.group("scale")
    factor = SCALES.get(scale.casefold(), 1.0) if scale else 1.0
    value = float(Decimal(repr(value)) * Decimal(int(factor))) if math.isfinite(value) else value
    if not math.isfinite(value):
        return None
    currency = _currency_code(match.group("cur"))
    return NumberMention("money", value, currency, match.start(), match.end())


def find_money(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Money amounts: "$1.3 trillion", "€1.1 trillion", "$968bn", "US$ 35 billion", "90bn euros"."""
    end = len(text) if end is None else end
    found: list[NumberMention] = []
    for pattern in (MONEY_PREFIX_RE, MONEY_SUFFIX_RE):
        # The amounts of the patterns before do not overlap: the only one that can overlap
        # a new amount is the last that starts before it ends (a bisect, not a scan).
        taken = sorted(found, key=lambda m: m.start)
        starts = [m.start for m in taken]
        for match in pattern.finditer(text, start, end):
            mention = _money_from_match(match)
            if mention is None:
                continue
            index = bisect.bisect_left(starts, mention.end) - 1
            if index < 0 or taken[index].end <= mention.start:
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


def parse_money(text: str) -> tuple[float, str] | None:
    """(value in units, ISO currency) of the first money amount in text, or None."""
    found = find_money(text)
    return (found[0].value, found[0].currency or "USD") if found else None


def _is_horizon(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    return bool(_HORIZON_BEFORE.search(before) or _HORIZON_AFTER.match(text, end, end + 20))


def find_years(
    text: str, reference_year: int | None, start: int = 0, end: int | None = None
) -> list[YearMention]:
    """Explicit years and relative years (resolved with ``reference_year``), in text order."""
    end = len(text) if end is None else end
    found = [
        YearMention(int(m.group("year")), m.start(), m.end(), _is_horizon(text, *m.span()), False)
        for m in YEAR_RE.finditer(text, start, end)
    ]
    for match in RELATIVE_YEAR_RE.finditer(text, start, end):
        offset = _RELATIVE_OFFSETS[match.group("which").casefold()]
        year = None if reference_year is None else reference_year + offset
        found.append(YearMention(year, match.start(), match.end(), False, True))
    return sorted(found, key=lambda y: y.start)


def _is_base(text: str, start: int) -> bool:
    return _BASE_BEFORE.search(text, max(0, start - 30), start) is not None


def infer_reference_year(text: str, published: datetime.date | None) -> ReferenceYear:
    """Reference year for relative years: the publication year, else inferred (see module doc)."""
    if published is not None:
        return ReferenceYear(published.year, inferred=False)
    stated = [y for y in find_years(text, None) if not y.relative and not y.horizon and y.year]
    # Bases count only when the text states no other year ("up 40% since 2014").
    facts = [y for y in stated if not _is_base(text, y.start)] or stated
    years = sorted({y.year for y in facts}, reverse=True)
    while len(years) > 1 and years[0] - years[1] > 3:
        years.pop(0)
    return ReferenceYear(years[0] if years else None, inferred=True)
