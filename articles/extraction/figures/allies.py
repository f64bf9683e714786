"""Which ally a number in a sentence belongs to (the subject, not a title, a venue, a ranking's
object or an excepted ally)."""

from __future__ import annotations

import regex

from ..lexicon import (
    ALLY_PERSON_NOUNS,
    ALLY_PERSON_TITLES,
    CONTRAST_WORDS,
    EVENT_NOUNS,
    EXCEPTION_WORDS,
    GROUP_NOUNS,
    NATION_NOUNS,
    NATIONAL_MODIFIERS,
    NATIONAL_SUBJECT_NOUNS,
    PLACE_PREPOSITIONS,
    PLACING_VERBS,
    RANKING_VERBS,
    SOURCE_VERBS,
    TARGET_NOUNS,
    noun_forms,
    spaced_alternation,
    verb_forms,
)
from ..members import CountryMention
from .sentences import _I, Sentence

APPOSITIVE_AFTER = regex.compile(r",[ ](?=\p{Ll})[^,;:\n]{1,120}?,")


QUOTE_CLOSE = regex.compile(r"[\"\u201d\u00bb]")


def _forms(lemmas: tuple[str, ...]) -> str:
    """Every form of some verbs (:func:`~..lexicon.verb_forms`) as an alternation."""
    return spaced_alternation(tuple(form for lemma in lemmas for form in verb_forms(lemma)))


# A title after an ally's name or demonym ("Polish Prime Minister", "Dutch Defence chief"): up
# to three capitalised words ("Prime", "Defence") may come before the title word.
_PERSON_WORDS = (*ALLY_PERSON_TITLES, *(f for noun in ALLY_PERSON_NOUNS for f in noun_forms(noun)))
PERSON_TITLE_AFTER = regex.compile(
    rf"(?:\s+\p{{Lu}}[\p{{L}}.]*){{0,3}}?\s+(?:{spaced_alternation(_PERSON_WORDS)})\b"
)


OTHER_SUBJECT = regex.compile(
    rf"\b(?:{spaced_alternation(GROUP_NOUNS)}|NATO(?!['\u2019]s)|alliance|they|their)\b"
)


GROUP_AND_BEFORE = regex.compile(
    rf"\b(?:{spaced_alternation(GROUP_NOUNS)}|Europe)\s+(?:and|plus|together\s+with)"
    r"\s+(?:the\s+)?$",
    _I,
)


NATIONAL_SUBJECT = regex.compile(
    rf"[\s\"\u201c]*(?:The|Its)\s+(?:(?:{spaced_alternation(NATIONAL_MODIFIERS)})\s+)*"
    rf"(?:{spaced_alternation(NATIONAL_SUBJECT_NOUNS)})(?:['\u2019]s)?\b",
)


EXCEPT_BEFORE = regex.compile(
    rf"\b(?:{spaced_alternation((*EXCEPTION_WORDS, *CONTRAST_WORDS))})\s*$",
    _I,
)


RANKING_OBJECT = regex.compile(
    rf"\b(?:{_forms(RANKING_VERBS)}|(?:{_forms(PLACING_VERBS)})\s+\w+\s+(?:in|among|of))\s+"
    r"(?:the\s+(?:rest\s+of\s+the\s+)?|all\s+(?:other\s+)?|other\s+|its\s+|NATO['\u2019]s\s+)?"
    rf"(?:NATO\s+|European\s+)?(?:{spaced_alternation(GROUP_NOUNS)}|alliance|NATO)\b",
    _I,
)


# NATO as the source of an ally's number: "Last year the alliance put the figure at 4.12%".
SOURCE_SUBJECT = regex.compile(
    rf"\b(?:NATO|the\s+alliance)\s+(?:{_forms(SOURCE_VERBS)})\b",
    _I,
)


PLACE_PREPOSITION = regex.compile(rf"\b(?:{spaced_alternation(PLACE_PREPOSITIONS)})\s+$", _I)


PLACE_EVENT_AFTER = regex.compile(
    rf"\s+(?:{spaced_alternation((*EVENT_NOUNS, *TARGET_NOUNS))})\b", _I
)


def is_subject_country(text: str, mention: CountryMention) -> bool:
    """Whether a mention can be the ally a number is about: not a title ("Polish Defence
    Minister ...") nor a city as the place of an event ("agreed in The Hague to spend 5%",
    "since The Hague summit")."""
    if mention.place and (
        PLACE_PREPOSITION.search(text, max(0, mention.start - 10), mention.start)
        or PLACE_EVENT_AFTER.match(text, mention.end)
    ):
        return False
    return not PERSON_TITLE_AFTER.match(text, mention.end, mention.end + 60)


def _head_of_appositive(
    text: str, earlier: list[CountryMention], position: int
) -> tuple[CountryMention, int]:
    """The ally a number belongs to and where the words between them start, skipping an
    appositive after it ("Germany, long criticised in Washington, spent ...")."""
    last = earlier[-1]
    for head in earlier[:-1]:
        appositive = APPOSITIVE_AFTER.match(text, head.end, position)
        if appositive and appositive.end() > last.start:
            return head, appositive.end()
    appositive = APPOSITIVE_AFTER.match(text, last.end, position)
    return last, appositive.end() if appositive else last.end


WHOSE_COUNTRY = regex.compile(
    rf"\bwhose\s+(?:{spaced_alternation(NATION_NOUNS)})\b[^,;.]{{0,60}}$", _I
)


def _whose_country(sentence: Sentence, text: str, position: int) -> CountryMention | None:
    """The ally of a titled person before "whose country ..." ("Swedish Prime Minister X,
    whose country expects to spend 2.4% ...")."""
    earlier = [c for c in sentence.countries if c.end <= position]
    if earlier and WHOSE_COUNTRY.search(text, earlier[-1].end, position):
        return earlier[-1]
    return None


# "NATO countries, except Spain, agreed to spend 5%": the excepted ally is not the subject.
EXCEPTED_BEFORE = regex.compile(
    rf"\b(?:{spaced_alternation(EXCEPTION_WORDS)})\s+(?:the\s+)?$",
    _I,
)


def _is_excepted(text: str, sentence: Sentence, mention: CountryMention) -> bool:
    """Whether an ally is named as the exception of a group ("all allies except Spain")."""
    window = max(sentence.start, mention.start - 30)
    return EXCEPTED_BEFORE.search(text, window, mention.start) is not None


def _country_for(sentence: Sentence, text: str, position: int) -> CountryMention | None:
    """The ally a number at ``position`` belongs to: the subject named before it (skipping an
    appositive, unless a group, a ranking's object or NATO as a source comes between), else the
    one ally the sentence names after an opening clause or a national subject ("The
    government's budget ... as Denmark ..."), else None."""
    candidates = [
        c
        for c in sentence.countries
        if is_subject_country(text, c) and not _is_excepted(text, sentence, c)
    ]
    earlier = [c for c in candidates if c.end <= position and ";" not in text[c.end : position]]
    if earlier:
        head, after = _head_of_appositive(text, earlier, position)
        between = SOURCE_SUBJECT.sub(" ", RANKING_OBJECT.sub(" ", text[after:position]))
        if GROUP_AND_BEFORE.search(text, max(sentence.start, head.start - 40), head.start):
            return None  # "European allies and Canada will invest $470 billion": a group
        return None if OTHER_SUBJECT.search(between) else head
    if not candidates:
        return _whose_country(sentence, text, position)
    distinct = {c.iso3 for c in candidates}
    gap = text[position : candidates[0].start]
    opening = position - sentence.start < 40 and "," in gap and not QUOTE_CLOSE.search(gap)
    opening = opening and not EXCEPT_BEFORE.search(gap)
    # "The government's draft budget for 2026 sets aside 108.7 billion kroner for defence
    # as Denmark races ...": a national subject, the one ally named later in the sentence.
    national = NATIONAL_SUBJECT.match(text, sentence.start, position) is not None
    return candidates[0] if len(distinct) == 1 and (opening or national) else None


# Aliases of an ally a sentence does not name: the ally of the previous sentence's figures,
# or the one ally the last few sentences name.
CONTINUED_ALLY = "(continued)"


IMPLIED_ALLY = "(implied)"
