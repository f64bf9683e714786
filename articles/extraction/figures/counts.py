"""Alliance-level counts of allies meeting a target ("22 of 32 allies met the 2% guideline",
"up from only three in 2014")."""

from __future__ import annotations

from dataclasses import replace

import regex

from ..lexicon import (
    COUNTED_GROUP_NOUNS,
    GATHERING_AFTER,
    MEET_PHRASES,
    MEET_VERBS,
    MISS_PHRASES,
    MISS_VERBS,
    NEGATED_AUXILIARIES,
    NEGATED_MEET_FORMS,
    NOT_VERB_FORMS,
    SPEND_AT_LEAST,
    alternation,
    prefix_tree,
    spaced_alternation,
    verb_forms,
)
from ..numbers import NUMBER_WORDS
from ..types import AggregateClaim
from .sentences import _I, Sentence

# Number words as a prefix tree: the same words, tried one branch per letter (the count
# patterns run at every position of a sentence that names a group of allies).
_COUNT = rf"\d{{1,2}}|(?i:{prefix_tree(NUMBER_WORDS)})"


# A group noun after a count, written as is or capitalised ("9 Allies" in NATO's releases).
_GROUP_ALT = "|".join(
    r"\s+".join(f"[{word[0]}{word[0].upper()}]{regex.escape(word[1:])}" for word in noun.split())
    for noun in sorted(COUNTED_GROUP_NOUNS, key=lambda w: (-len(w), w))
)
_GROUP = rf"(?:NATO\s+|[Aa]lliance\s+)?(?:{_GROUP_ALT})\b"


GROUP_WORD = regex.compile(rf"\b(?:{_GROUP_ALT})\b")


COUNT_OF_RE = regex.compile(
    rf"(?<![\w.])(?P<count>{_COUNT})\s+(?:out\s+)?of\s+(?:the\s+)?(?:NATO['\u2019]s\s+|the\s+"
    rf"alliance['\u2019]s\s+|alliance['\u2019]s\s+|its\s+|their\s+)?(?P<of>{_COUNT})\s+{_GROUP}"
)


COUNT_ALL_RE = regex.compile(rf"(?i:\ball\s+)(?P<count>{_COUNT})\s+{_GROUP}")


COUNT_BARE_RE = regex.compile(rf"(?<![\w.,])(?P<count>{_COUNT})\s+{_GROUP}")


# "Out of all 28 countries that belonged to NATO ..., only five met": the total first.
COUNT_OUT_OF_RE = regex.compile(
    rf"(?i:\b(?:out\s+)?of\s+(?:all\s+)?(?:the\s+)?)(?P<of>{_COUNT})\s+{_GROUP}[^,;.]{{0,80}},\s+"
    rf"(?i:(?:only|just|a\s+mere)\s+)?(?P<count>{_COUNT})(?![\w%.])(?!\s+{_GROUP})"
)


# A count that is a bound ("more than 20 allies") or a supposition ("if all 28 members had
# met") states no number of allies meeting the target.
COUNT_BOUND_BEFORE = regex.compile(
    r"(?i:\b(?:more|fewer|less)\s+than|\bover|\bunder|\bnearly|\balmost|\bat\s+least|\bat\s+most|"
    r"\bup\s+to|\bsome|\baround|\babout|\broughly)\s+$"
)


SUPPOSITION_BEFORE = regex.compile(r"(?i:\b(?:if|unless|whether)\b)[^,;.]{0,60}$")


def _forms(lemmas: tuple[str, ...]) -> list[str]:
    """Every form of the verbs (:func:`~..lexicon.verb_forms`) but those that are mostly
    another word (``NOT_VERB_FORMS``: "clear")."""
    forms = {form for lemma in lemmas for form in verb_forms(lemma)}
    return sorted(forms - NOT_VERB_FORMS, key=lambda f: (-len(f), f))


def _spaced(word: str) -> str:
    """A literal word or phrase whose spaces match any run of white space."""
    return regex.escape(word).replace(r"\ ", r"\s+")


def meet_words() -> str:
    """The words that say a target is met (``MEET_RE``): every form of ``MEET_VERBS`` ("met",
    "reaches", "fulfilled", "complying with", "made good on"), "met" and "meeting" not before
    a word that makes them a gathering ("met in Brussels"), a form of "spend" before a bound
    ("spent at least", "spending the required") and ``MEET_PHRASES`` ("on track", "2% or
    more")."""
    verbs = [
        _spaced(form)
        + (rf"(?!\s+(?:{alternation(GATHERING_AFTER[form])})\b)" if form in GATHERING_AFTER else "")
        for form in _forms(MEET_VERBS)
    ]
    spend = rf"(?:{'|'.join(_forms(('spend',)))})\s+(?:{spaced_alternation(SPEND_AT_LEAST)})"
    return "|".join([*verbs, spend, spaced_alternation(MEET_PHRASES)])


def miss_words() -> str:
    """The words that say a target is missed (``MISS_RE``): every form of ``MISS_VERBS``
    ("missed", "fell short", "lagging"), ``MISS_PHRASES`` ("short of", "below", "yet to"),
    a meeting form after a negation ("have not yet met", "hadn't reached"), a negated
    auxiliary alone ("three allies haven't") and one written out whose verb the clause leaves
    out ("...; Spain and Italy did not.")."""
    negated = rf"(?:not|\w+n['\u2019]t)\s+(?:yet\s+)?(?:{alternation(NEGATED_MEET_FORMS)})"
    auxiliaries = rf"(?:{alternation(NEGATED_AUXILIARIES)})n['\u2019]t"
    elided = rf"(?:{alternation(NEGATED_AUXILIARIES)})\s+not(?:\s+yet)?(?!\s*\w)"
    words = [*(_spaced(f) for f in _forms(MISS_VERBS)), spaced_alternation(MISS_PHRASES)]
    return "|".join([*words, negated, auxiliaries, elided])


# "22 allies met the 2% guideline", "Canada is on track to reach 2%".
MEET_RE = regex.compile(rf"\b(?:{meet_words()})\b", _I)


# "Nine allies fell short", "have not yet met the target"; read before a meeting word, it
# makes the clause a miss ("has yet to reach 2%").
MISS_RE = regex.compile(rf"\b(?:{miss_words()})\b", _I)


# "18 allies to spend 2% of their GDP": spending an alliance target level is meeting it.
SPEND_LEVEL_BEFORE = regex.compile(
    rf"\b(?:{'|'.join(_forms(('spend',)))})\s+(?:(?:about|around|roughly|the\s+required)\s+)?$",
    _I,
)


COMPARISON_BEFORE = regex.compile(
    r"\b(?:up|down|rising|risen|climbing)\s+from\s+(?:just\s+|only\s+|a\s+mere\s+)?"
    r"(?:an?\s+(?:earlier|previous|initial|first)\s+(?:estimate|forecast|projection|figure)\s+of\s+)?$|"
    r"\b(?:compared\s+(?:with|to)|against)\s+(?:just\s+|only\s+)?$",
    _I,
)


def _claim_target(
    sentence: Sentence, context_target: float | None, standing: float | None = None
) -> float | None:
    """The level a claim is about: the sentence's first target level, else the one named
    just before, else the target in force when the article was written (``standing``:
    "Only five members now meet the target" in 2017 is about 2%)."""
    targets = [p.value for p in sentence.percentages if sentence.is_target(p.value)]
    if targets:
        return targets[0]
    return context_target if context_target is not None else standing


def _count(raw: str) -> int:
    """The value of a count written in digits or words ("22", "twenty-two")."""
    return int(raw) if raw.isdigit() else NUMBER_WORDS[raw.casefold()]


def _count_matches(text: str, sentence: Sentence) -> list[tuple[regex.Match, int, int | None]]:
    """Every count of allies in the sentence ("22 of 32 allies", "all 32 members", "five
    allies"), earlier patterns winning where they overlap."""
    if not GROUP_WORD.search(text, sentence.start, sentence.end):
        return []
    found: list[tuple[regex.Match, int, int | None]] = []
    for pattern in (COUNT_OUT_OF_RE, COUNT_OF_RE, COUNT_ALL_RE, COUNT_BARE_RE):
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if any(m.start() < match.end() and match.start() < m.end() for m, _, _ in found):
                continue
            if _is_bound_or_supposition(text, sentence, match.start()):
                continue
            count = _count(match.group("count"))
            groups = match.groupdict()
            of = _count(groups["of"]) if groups.get("of") else None
            if pattern is COUNT_ALL_RE:
                of = count
            found.append((match, count, of))
    return sorted(found, key=lambda item: item[0].start())


def _is_bound_or_supposition(text: str, sentence: Sentence, start: int) -> bool:
    """Whether a count is a bound ("more than 20 allies") or supposed ("if all 28 members
    had met"): neither says how many allies meet a target."""
    return bool(
        COUNT_BOUND_BEFORE.search(text, max(sentence.start, start - 15), start)
        or SUPPOSITION_BEFORE.search(text, max(sentence.start, start - 70), start)
    )


def _spends_target_level(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """Whether a count's clause says the allies spend an alliance target level ("18 allies
    to spend 2% of their GDP on defence this year")."""
    return any(
        sentence.is_target(p.value)
        and SPEND_LEVEL_BEFORE.search(text, max(start, p.start - 30), p.start)
        for p in sentence.percentages
        if start <= p.start < end
    )


OR_MORE_AFTER = regex.compile(r"\s+or\s+(?:more|above|higher)\b", _I)


def _clause_target(text: str, sentence: Sentence, start: int, end: int) -> float | None:
    """The level a count's clause names: an alliance target, or any "X% or more"."""
    inside = [p for p in sentence.percentages if start <= p.start < end]
    for number in inside:
        if sentence.is_target(number.value) or OR_MORE_AFTER.match(text, number.end, end):
            return number.value
    return None


def count_claims(
    text: str, sentence: Sentence, context_target: float | None, standing: float | None = None
) -> list[AggregateClaim]:
    """Alliance-level counts of allies meeting a target that the sentence states.

    Each count is read with the words up to the next count ("22 allies met the 2%
    guideline, and five allies spent 3% or more"); a comparison base ("up from just three
    allies in 2014") repeats the claim before it for its own year."""
    claims: list[AggregateClaim] = []
    matches = _count_matches(text, sentence)
    default_year = next((y.year for y in sentence.years if not y.horizon), None)
    for index, (match, count, of) in enumerate(matches):
        clause_end = matches[index + 1][0].start() if index + 1 < len(matches) else sentence.end
        if count > 40 or (of and count > of):
            continue
        base = COMPARISON_BEFORE.search(
            text, max(sentence.start, match.start() - 60), match.start()
        )
        if base and claims:
            years = [y.year for y in sentence.years if match.end() <= y.start < clause_end]
            target, year = claims[-1].target_pct, years[0] if years else None
        else:
            rest = text[match.end() : clause_end]
            meet = MEET_RE.search(rest)
            if meet is not None:
                if MISS_RE.search(rest, 0, meet.end()):
                    continue
            elif not _spends_target_level(text, sentence, match.end(), clause_end):
                continue
            target = _clause_target(text, sentence, match.end(), clause_end)
            target = (
                target if target is not None else _claim_target(sentence, context_target, standing)
            )
            # "The 2% guideline was agreed in 2014, and 23 of the 32 allies reached it last
            # year": the year of the count's own clause first.
            own = [y.year for y in sentence.years if match.start("count") <= y.start < clause_end]
            own = [y for y in own if y is not None]
            year = own[0] if own else default_year
        claims.append(
            AggregateClaim(
                "count_meeting",
                target,
                year,
                count,
                of,
                None,
                None,
                match.start(),
                match.end(),
                text[sentence.start : sentence.end].strip(),
            )
        )
    return claims + _bare_base_claims(text, sentence, matches, claims)


BARE_BASE_RE = regex.compile(
    rf"\b(?:up|rising|risen|climbing)\s+from\s+(?:just\s+|only\s+|a\s+mere\s+)?"
    rf"(?P<count>{_COUNT})(?![\w.,%-]|\s*(?:%|per\s*cent|percent|bn|billion|million|trillion|"
    rf"{_GROUP}))",
)


def _bare_base_claims(
    text: str, sentence: Sentence, matches: list, claims: list[AggregateClaim]
) -> list[AggregateClaim]:
    """A comparison base with the group word left out ("22 allies met the goal, up from
    only four in 2016") repeats the claim before it for its own year."""
    if not claims:
        return []
    found = []
    for base in BARE_BASE_RE.finditer(text, sentence.start, sentence.end):
        overlaps = any(m.start() < base.end() and base.start() < m.end() for m, _, _ in matches)
        if base.start() < claims[-1].end or overlaps:
            continue
        years = [y.year for y in sentence.years if base.end() <= y.start < base.end() + 20]
        if not years:
            continue
        found.append(
            replace(
                claims[-1],
                year=years[0],
                count=_count(base.group("count")),
                of=None,
                start=base.start("count"),
                end=base.end("count"),
            )
        )
    return found
