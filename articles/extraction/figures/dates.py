"""The year a figure is for: the year after it in its clause, the year closing a list it is part
of, or the one before it."""

from __future__ import annotations

import regex

from ..numbers import NumberMention, YearMention
from .sentences import Sentence, _is_conversion


def _year_for(
    text: str, sentence: Sentence, number: NumberMention, numbers: list[NumberMention]
) -> YearMention | None:
    """The year mention a number is for: the first year after it before the next number, the
    year closing a list it belongs to, the year before it since the last number, or any
    earlier year of the sentence."""
    later = [n.start for n in numbers if n.start > number.start and not _is_conversion(text, n)]
    limit = min(later) if later else sentence.end
    earlier = [n.end for n in numbers if n.end <= number.start]
    floor = max(earlier) if earlier else sentence.start
    after = [y for y in sentence.years if number.end <= y.start < limit]
    if after:
        return after[0]
    listed = _list_year(text, sentence, number, numbers)
    if listed is not None:
        return listed
    before = [y for y in sentence.years if floor <= y.start < number.start]
    if before:
        return before[-1]
    before = [y for y in sentence.years if y.start < number.start]
    return before[-1] if before else None


# Between one item of an elliptical list and the next ally: "of GDP", a comma, "and", "the".
LIST_ITEM_GAP = regex.compile(
    r"(?:\s+of\s+(?:its\s+|their\s+)?(?:GDP|gross\s+domestic\s+product|economic\s+output))?"
    r"[\s,;]*(?:(?:and|or)\s+)?(?:the\s+)?"
)


LIST_ITEM_TAIL = regex.compile(r"\s*(?:(?:at|with|on|of)\s+)?(?:around\s+|about\s+)?")


def _list_year(
    text: str, sentence: Sentence, number: NumberMention, numbers: list[NumberMention]
) -> YearMention | None:
    """The year closing an elliptical list ("Spain at 1.3%, Italy at 1.5% and Canada at 1.4%
    this year") that the number belongs to."""
    later = [n for n in numbers if n.start >= number.end]
    current = number
    for following in later:
        gap = LIST_ITEM_GAP.match(text, current.end, following.start)
        country = next((c for c in sentence.countries if c.start == gap.end()), None)
        tail = LIST_ITEM_TAIL.match(text, country.end, following.start) if country else None
        if tail is None or tail.end() != following.start:
            break
        current = following
    if current is number:
        return None
    nxt = [n.start for n in later if n.start >= current.end]
    limit = min(nxt) if nxt else sentence.end
    return next((y for y in sentence.years if current.end <= y.start < limit), None)


def _figure_year(
    text: str, sentence: Sentence, number: NumberMention, numbers: list[NumberMention]
) -> int | None:
    """The year of a figure, or None when it has none or only a horizon ("by 2030")."""
    year = _year_for(text, sentence, number, numbers)
    return None if year is None or year.horizon else year.year
