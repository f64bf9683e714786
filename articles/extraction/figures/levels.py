"""What kind of level a percentage is: a bound ("more than 3%"), an increment ("by 0.2%"), a
goal ("aims for 3% by 2030"), a target phrase ("the 2% guideline"), a level an ally is said to
meet, miss or near ("fell short of 2%"), and the defence wording that makes a number a
defence figure."""

from __future__ import annotations

import regex

from ..lexicon import (
    APPROACH_PHRASES,
    APPROACH_VERBS,
    LEVEL_OBJECT_WORDS,
    MEET_VERBS,
    TARGET_NOUNS,
    spaced_alternation,
)
from ..numbers import NumberMention
from .counts import _forms, _spaced, meet_words, miss_words
from .sentences import _I, Sentence, _after, _before, _before_after_ally

BOUND_BEFORE = regex.compile(
    r"(?:(?:more|less|fewer|higher|lower|greater|better|other)\s+than|over|above|under|below|beyond|"
    r"exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|at\s+least|at\s+most|up\s+to|nearly|almost|"
    r"upwards\s+of|north\s+of|south\s+of|shy\s+of|close\s+to|as\s+(?:much|little|high|low)\s+as|"
    r"between|pass(?:es|ed|ing)?|top(?:s|ped|ping)?|break(?:s|ing)?|"
    r"between\s+\S+\s+(?:and|to)|"
    r"[<>\u2264\u2265])\s*[\"\u201c\u201d\u00ab]?\s*$",
    _I,
)


INCREMENT_BEFORE = regex.compile(
    r"(?:\bby|\badditional|\bextra|\banother|\bfurther|\bincrease\s+of|\brise\s+of|\bboost\s+of|"
    r"\bhike\s+of|\bjump\s+of|\bgrowth\s+of|\bcut\s+of|\bup|\bdown|\+|"
    r"\b(?:rose|rise[sn]?|rising|grew|grow(?:s|n|ing)?|increased?|increasing|fell|falls?|falling|"
    r"dropped|declined?|jumped|climbed|surged|shrank|expanded|soared)(?:\s+by)?(?:\s+(?:about|around|"
    r"almost|nearly|some|roughly|an?\s+estimated))?)\s*(?:an?\s+)?(?:extra\s+)?$",
    _I,
)


INCREMENT_AFTER = regex.compile(
    r"^\s*(?:percentage[\s-]points?|points?|increase|rise|more|higher|jump|hike|boost|annual\s+"
    r"(?:increase|growth)|year[\s-]on[\s-]year|a\s+year|growth|inflation|interest|of\s+(?:the\s+)?"
    r"(?:increase|rise)|in\s+real\s+terms|in\s+nominal\s+terms|after\s+inflation)",
    _I,
)


SHARE_AFTER = regex.compile(
    r"^[\"\u201d\u00bb\s]*of\s+(?:the\s+)?(?:alliance|allied|total|combined|overall|collective|"
    r"all\s+(?:NATO|allied|defen[cs]e|military)|NATO)\b",
    _I,
)


FUTURE_AFTER = regex.compile(
    r"^[^,;.]{0,45}?\b(?:by|until|before)\s+(?:the\s+end\s+of\s+)?(?:the\s+decade|(?:19|20)\d\d|"
    r"next\s+year)",
    _I,
)


GOAL_BEFORE = regex.compile(
    r"\b(?:aims?|aiming|aimed|plans?|planning|planned|intends?|wants?|hopes?|expects?|seeks?|"
    r"proposed?|proposal|promised?|vowed?|pledged?\s+to|commit\w*|demand\w*|urg\w*|call\w*\s+"
    r"(?:for|on)|goal|target|ambition|should|must|need\s+to|have\s+to|would)\b(?:[^,;.]|\.\d)"
    r"{0,40}$",
    _I,
)


TARGET_WORDS = regex.compile(
    rf"\b(?:{spaced_alternation(TARGET_NOUNS)}|"
    r"level\s+of|(?:path|road|route|trajectory|glide\s+path|progress)\s+(?:to|towards?))\b",
    _I,
)


DEFENCE_CONTEXT = regex.compile(
    r"\b(?:GDP|gross\s+domestic\s+product|economic\s+output|defen[cs]e|military|spend\w*|"
    r"budget\w*|expenditure\w*|target|goal|NATO|alliance|allies)\b",
    _I,
)


FUTURE_VERB = regex.compile(
    r"\b(?:will|shall)\b|['\u2019]ll\b|\b(?:is|are)\s+(?:set|going)\s+to\b", _I
)


REACH_BEFORE = regex.compile(
    r"\b(?:reach|meet|hit|achieve|honou?r|spend|spending|allocate|devote|budget)\b[^,;.]{0,30}$", _I
)


# What may stand between a word of meeting, missing or nearing and its level: the
# lexicon's LEVEL_OBJECT_WORDS and every form of the verbs of meeting and of "spend"
# ("failed to reach NATO's 2%", "has yet to spend 2%").
_LEVEL_OBJECT = "|".join(
    [spaced_alternation(LEVEL_OBJECT_WORDS), *(_spaced(f) for f in _forms((*MEET_VERBS, "spend")))]
)


# A level an ally misses or nears: "fell short of 2%", "failed to reach 2.5%", "has not met
# 2%", "stayed below 2%", "approaching 3.5%", "edging towards 2%".
MISSED_LEVEL_BEFORE = regex.compile(
    rf"\b(?:{miss_words()}|{'|'.join(_spaced(f) for f in _forms(APPROACH_VERBS))}|"
    rf"{spaced_alternation(APPROACH_PHRASES)})(?:\s+(?:{_LEVEL_OBJECT}))*\s*$",
    _I,
)


# A level an ally meets: "reached 2%", "hit NATO's 2%", "met 2%" (a target level there is the
# target claimed met; another level is the ally's own: "hit 1.4%").
MET_LEVEL_BEFORE = regex.compile(rf"\b(?:{meet_words()})(?:\s+(?:{_LEVEL_OBJECT}))*\s*$", _I)


NEXT_WORD_RE = regex.compile(r"^[\s\"\u201d]*(?:of\s+\w+\s+)?(?:GDP\s+)?(\w+)")


# "the 2%", "the required 2%": the level as a known quantity, a target.
DEFINITE_BEFORE = regex.compile(
    r"\b(?:the|a|that|this)\s*(?:(?:required|agreed|recommended|minimum)\s+)?$", _I
)


def _is_bound_or_increment(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a number is a bound ("more than 3%", "nearly 2%") or an increment ("rose by
    0.2%", "0.3 percentage points"), neither of which is a level."""
    before = _before(text, sentence, number.start, 30)
    after = _after(text, sentence, number.end, 30)
    return bool(
        BOUND_BEFORE.search(before)
        or INCREMENT_BEFORE.search(before)
        or INCREMENT_AFTER.match(after)
    )


def _is_target_phrase(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a level is named as a target: "the 2%", "the required 2%", a target word just
    before it since the last ally ("the 2% guideline", "a goal of 3%") or right after it."""
    before = _before_after_ally(text, sentence, number.start, 25)
    after = _after(text, sentence, number.end, 25)
    near_after = NEXT_WORD_RE.match(after)
    near_word = near_after.group(1) if near_after else ""
    definite = DEFINITE_BEFORE.search(before)
    return bool(definite or TARGET_WORDS.search(before) or TARGET_WORDS.match(near_word))


def _for_named_year(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a point-in-time year ("this year", "in 2025") closes the number's clause."""
    for year in sentence.years:
        if year.start >= number.end and not year.horizon:
            gap = text[number.end : year.start]
            return len(gap) <= 40 and not regex.search(r"[,;:()]|\b(?:by|until|before)\b", gap)
    return False


def _is_missed_level(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a level is one the ally is said to miss or near, whatever the level ("fell
    short of 2%", "failed to reach 2.5%", "approaching 3.5%"): a claim about a target, never
    the ally's own level."""
    return bool(MISSED_LEVEL_BEFORE.search(_before(text, sentence, number.start, 50)))


def _is_met_target_level(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a level is an alliance target level the ally is said to meet ("Germany
    reached 2% in 2024", "hit NATO's 3.5%"): the target claimed met, not the ally's own
    level. Another level after a word of meeting is the ally's ("reached 2.3% of GDP")."""
    return sentence.is_target(number.value) and bool(
        MET_LEVEL_BEFORE.search(_before(text, sentence, number.start, 50))
    )
