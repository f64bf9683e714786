"""Alliance-wide target levels a sentence mentions ("the 2% target", "3.5% core plus 1.5%"), not
per-ally figures or national goals."""

from __future__ import annotations

import regex

from ..lexicon import TARGET_NOUNS, spaced_alternation
from ..numbers import NumberMention
from ..types import ReportedFigure
from .allies import CONTINUED_ALLY, IMPLIED_ALLY, _country_for
from .levels import (
    BOUND_BEFORE,
    DEFENCE_CONTEXT,
    FUTURE_AFTER,
    INCREMENT_AFTER,
    INCREMENT_BEFORE,
    NEXT_WORD_RE,
    SHARE_AFTER,
    TARGET_WORDS,
    _is_target_phrase,
)
from .sentences import _I, Sentence, _after, _before, _before_after_ally

RELATED_SPENDING = regex.compile(r"related|resilience|infrastructure|civil", _I)


def _names_target(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a target word stands right by the level ("the 2% benchmark", "a goal of 3%")."""
    before = _before_after_ally(text, sentence, number.start, 25)
    near_after = NEXT_WORD_RE.match(_after(text, sentence, number.end, 25))
    near_word = near_after.group(1) if near_after else ""
    if APPOSED_TARGET.match(text, number.end, sentence.end):
        return True
    return bool(TARGET_WORDS.search(before) or TARGET_WORDS.match(near_word))


APPOSED_TARGET = regex.compile(
    r"\s*[,(\u2014\u2013-]\s*(?:NATO['\u2019]s|the\s+alliance['\u2019]s|the)\s+(?:\w+\s+){0,2}"
    rf"(?:{spaced_alternation(TARGET_NOUNS)})\b",
    _I,
)


def _is_national_level(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """A level about one ally rather than the alliance: a national goal with a deadline
    ("Slovenia aims for 3% by 2030") or a bound ("Lithuania, well above 3%")."""
    if _names_target(text, sentence, number):
        return False
    country = _country_for(sentence, text, number.start)
    if country is None or country.alias in (CONTINUED_ALLY, IMPLIED_ALLY):
        return False
    after = _after(text, sentence, number.end)
    before = _before(text, sentence, number.start, 30)
    return bool(FUTURE_AFTER.match(after) or BOUND_BEFORE.search(before))


def sentence_targets(text: str, sentence: Sentence, figures: list[ReportedFigure]) -> set[float]:
    """Alliance-wide target levels the sentence mentions (not per-ally figures or goals)."""
    found: set[float] = set()
    if not sentence.percentages:
        return found
    defence = bool(DEFENCE_CONTEXT.search(text, sentence.start, sentence.end))
    taken = {(f.start, f.end) for f in figures}
    for number in sentence.percentages:
        if not sentence.is_target(number.value):
            continue
        if not defence and not _names_target(text, sentence, number):
            continue
        if (number.start, number.end) in taken and not _is_target_phrase(text, sentence, number):
            continue
        after = _after(text, sentence, number.end)
        if SHARE_AFTER.match(after) or INCREMENT_AFTER.match(after):
            continue
        # A component of a target (1.5% of the Hague 5%) counts only with what it is for.
        component = sentence.targets.is_component(number.value)
        related = RELATED_SPENDING.search(text, sentence.start, sentence.end)
        if component and not related:
            continue
        # An increment is no target, but "a further 1.5% on security-related items" is.
        further_related = component and related
        if (
            INCREMENT_BEFORE.search(_before(text, sentence, number.start, 20))
            and not further_related
        ):
            continue
        if _is_national_level(text, sentence, number):
            continue
        found.add(number.value)
    return found
