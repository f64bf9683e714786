"""Sentences annotated with their numbers, years and ally mentions, and the windows of text
before and after a number that every figure rule reads."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from ..members import CountryMention
from ..numbers import NumberMention, YearMention, find_money, find_percentages, find_years
from ..targets import NO_TARGETS, TargetLevels

_I = regex.IGNORECASE


@dataclass(frozen=True)
class Sentence:
    """One sentence with the numbers, years and ally mentions inside it, and the alliance's
    target levels (the same for every sentence of an article, from the gazetteer)."""

    start: int
    end: int
    percentages: list[NumberMention]
    money: list[NumberMention]
    years: list[YearMention]
    countries: list[CountryMention]
    targets: TargetLevels = NO_TARGETS

    def is_target(self, value: float) -> bool:
        """Whether a percentage is one of the alliance's target levels."""
        return self.targets.is_target(value)


def build_sentences(
    text: str,
    spans: list[tuple[int, int]],
    countries: list[CountryMention],
    reference_year: int | None,
    targets: TargetLevels = NO_TARGETS,
) -> list[Sentence]:
    """Annotate each sentence span with its numbers, years and ally mentions."""
    percentages = find_percentages(text)
    money = find_money(text)
    years = find_years(text, reference_year)
    sentences = []
    for start, end in spans:
        sentences.append(
            Sentence(
                start,
                end,
                _within(percentages, start, end),
                _within(money, start, end),
                _within(years, start, end),
                _within(countries, start, end),
                targets,
            )
        )
    return sentences


def _within(items: list, start: int, end: int) -> list:
    """Items (sorted by start) that lie inside [start, end)."""
    low = bisect.bisect_left(items, start, key=lambda item: item.start)
    high = bisect.bisect_left(items, end, key=lambda item: item.start)
    return [item for item in items[low:high] if item.end <= end]


def _before(text: str, sentence: Sentence, position: int, width: int = 45) -> str:
    """Up to ``width`` characters of the sentence before ``position``."""
    return text[max(sentence.start, position - width) : position]


def _before_after_ally(text: str, sentence: Sentence, position: int, width: int) -> str:
    """The words before a number back to the last ally named before it: what qualifies the
    number itself ("the 2% target in Germany (1.49%)": "(" qualifies 1.49%, not "target")."""
    start = max(sentence.start, position - width)
    for country in sentence.countries:
        if start < country.end <= position:
            start = country.end
    return text[start:position]


def _after(text: str, sentence: Sentence, position: int, width: int = 60) -> str:
    """Up to ``width`` characters of the sentence after ``position``."""
    return text[position : min(sentence.end, position + width)]


def _is_conversion(text: str, number: NumberMention) -> bool:
    """Whether a number opens a bracket ("(€1.1 trillion)"): a conversion of the one before."""
    return text[max(0, number.start - 3) : number.start].rstrip().endswith("(")
