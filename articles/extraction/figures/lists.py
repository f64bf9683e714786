"""Explicit lists of two or more allies said to meet or miss a target ("Spain, Italy and Canada
fell short of 2%"), and a distributive "each" over such a list."""

from __future__ import annotations

import regex

from ..lexicon import TARGET_NOUNS, prefix_tree, spaced_alternation
from ..members import CountryMention
from ..numbers import NUMBER_WORDS, NumberMention
from ..types import TargetList
from .counts import MEET_RE, MISS_RE, _claim_target, _clause_target
from .sentences import _I, Sentence

LIST_TARGET_CUE = regex.compile(
    rf"\b(?:{spaced_alternation(TARGET_NOUNS)})|%|percent|per\s+cent|laggard", _I
)


# Between two allies of a list: a comma or "and", an item's own level in brackets ("Estonia
# (2.12 percent), Greece"), "the", and a hyphenated epithet ("debt-laden Greece").
LIST_GAP_RE = regex.compile(
    r"^(?:\s*\([^()\n]{1,30}\))?\s*(?:,\s*)?(?:(?:and|as\s+well\s+as|plus)\s+)?"
    r"(?:the\s+)?(?:\p{Ll}+-\p{Ll}+\s+)?$",
    _I,
)


EACH_BEFORE = regex.compile(
    rf"\s*,?\s*(?:each|both|all\s+(?:of\s+them|{prefix_tree(NUMBER_WORDS)}))\b[^,;.\d]{{0,30}}$", _I
)


def _distributed(
    text: str, sentence: Sentence, country: CountryMention, number: NumberMention
) -> list[CountryMention]:
    """Every ally of an enumeration that a distributive "each" gives one level ("Spain,
    Italy and Canada, each at 2%"); otherwise the ally alone."""
    for run in _enumerations(text, sentence):
        if run[-1] is country and EACH_BEFORE.match(text, country.end, number.start):
            return list({m.iso3: m for m in run}.values())
    return [country]


def _enumerations(text: str, sentence: Sentence) -> list[list[CountryMention]]:
    """Runs of two or more distinct allies named one after the other ("Spain, Italy and Canada",
    "Estonia (2.12 percent), Greece"), in sentence order."""
    runs: list[list[CountryMention]] = []
    current: list[CountryMention] = []
    for mention in sentence.countries:
        if current and LIST_GAP_RE.match(text[current[-1].end : mention.start]):
            current.append(mention)
            continue
        if len({m.iso3 for m in current}) >= 2:
            runs.append(current)
        current = [mention]
    if len({m.iso3 for m in current}) >= 2:
        runs.append(current)
    return runs


CLAUSE_BREAK = regex.compile(r";|,\s+(?:and|but|while|whereas|although)\s+", _I)


def _clause_of(text: str, sentence: Sentence, run: list[CountryMention]) -> tuple[int, int]:
    """The clause holding an enumeration: from the last break before it to the next after."""
    left = sentence.start
    for match in CLAUSE_BREAK.finditer(text, sentence.start, run[0].start):
        left = match.end()
    after = CLAUSE_BREAK.search(text, run[-1].end, sentence.end)
    return left, after.start() if after else sentence.end


def target_lists(
    text: str,
    sentence: Sentence,
    context_target: float | None,
    context_year: int | None,
    standing: float | None = None,
) -> list[TargetList]:
    """Explicit lists of two or more allies said to meet or miss a target."""
    lists = []
    runs = _enumerations(text, sentence)
    for run in runs:
        left, right = _clause_of(text, sentence, run)
        outside = text[left : run[0].start] + " " + text[run[-1].end : right]
        target = _clause_target(text, sentence, left, right)
        # The target a list's own clause leaves out is the sentence's ("A and B met the 2%
        # target; C and D did not").
        cued = outside
        if not (MISS_RE.search(outside) or MEET_RE.search(outside)):
            if len(runs) > 1:
                continue  # each list of several has its own clause ("..., while A and B ...")
            outside = text[sentence.start : run[0].start] + " " + text[run[-1].end : sentence.end]
            cued, target = outside, None
        elif len(runs) > 1:
            cued = text[sentence.start : sentence.end]
        if not LIST_TARGET_CUE.search(cued) and context_target is None:
            continue
        misses = MISS_RE.search(outside)
        meets = MEET_RE.search(outside)
        if not misses and not meets:
            continue
        year = next((y.year for y in sentence.years if not y.horizon), None) or context_year
        countries = tuple(dict.fromkeys(m.iso3 for m in run))
        lists.append(
            TargetList(
                target if target is not None else _claim_target(sentence, context_target, standing),
                year,
                not misses,
                countries,
                run[0].start,
                run[-1].end,
            )
        )
    return lists
