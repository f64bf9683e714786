"""Per-ally shares of GDP: which percentages are an ally's level rather than a share of another
total, a bound, an increment, a goal or another economic measure."""

from __future__ import annotations

import regex

from ..members import CountryMention
from ..numbers import NumberMention
from .allies import CONTINUED_ALLY, IMPLIED_ALLY
from .levels import (
    DEFENCE_CONTEXT,
    FUTURE_AFTER,
    FUTURE_VERB,
    GOAL_BEFORE,
    REACH_BEFORE,
    SHARE_AFTER,
    _for_named_year,
    _is_bound_or_increment,
    _is_met_target_level,
    _is_missed_level,
    _is_target_phrase,
)
from .sentences import _I, Sentence, _after, _before

OTHER_METRIC_BEFORE = regex.compile(
    r"\b(?:inflation|unemployment|jobless|growth|interest|rates?|deficits?|debt|tariffs?|taxe?s?|"
    r"votes?|polls?|polling|turnout|approval|support|share|stake|majority|yields?|prices?|wages?|"
    r"vat|levy|GDP\s+(?:grew|growth|rose|fell|shrank))\b",
    _I,
)


OWN_SHARE = regex.compile(r"(?:['\u2019]s|\bits|\btheir)\s+$", _I)


TOTAL_WORD = regex.compile(r"\b(?:total|combined|alliance|overall)\b", _I)


OUTPUT_WORD = regex.compile(r"\b(?:GDP|gross\s+domestic\s+product|economic\s+output)\b", _I)


OF_WORD = regex.compile(r"\bof\b", _I)


SHARE_BEFORE = regex.compile(r"\bshares?\b(?P<rest>[^,;.]{0,30})$", _I)


OF_OUTPUT = regex.compile(
    r"\bof\s+(?:(?:its|their|the\s+country['\u2019]s|national)\s+)?(?:GDP|gross\s+domestic\s+product|"
    r"economic\s+output|national\s+(?:income|output))",
    _I,
)


GDP_AFTER = regex.compile(r"[\s\"\u201d]*" + OF_OUTPUT.pattern, _I)


def _is_own_share_of_gdp(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """An ally's "share" after the article has said it speaks of shares of GDP ("... as a
    share of GDP. Germany's share is up from 2.12%")."""
    before = _before(text, sentence, number.start, 40)
    share = SHARE_BEFORE.search(before)
    return bool(
        share
        and not OF_WORD.search(share.group("rest"))
        and OWN_SHARE.search(before, 0, share.start())
        and not TOTAL_WORD.search(text, sentence.start, sentence.end)
        and OUTPUT_WORD.search(text, max(0, sentence.start - 400), sentence.end)
    )


def _is_share_of_total(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a percentage is a share of something other than GDP ("a share of 64% of total
    allied spending"), unless the share is "of GDP" or an ally stands between."""
    window_start = max(sentence.start, number.start - 40)
    share = SHARE_BEFORE.search(text, window_start, number.start)
    if share is None or _is_own_share_of_gdp(text, sentence, number):
        return False
    if any(share.start() <= c.start < number.start for c in sentence.countries):
        return False  # "the second-lowest share among allies after Spain at 1.28%"
    return not (
        OF_OUTPUT.search(share.group("rest"))
        or OF_OUTPUT.match(text, number.end + 1, min(sentence.end, number.end + 40))
    )


# No ally has spent a tenth of its GDP on defence since the 1950s: larger percentages are
# shares of something else (equipment in a defence budget, a party's votes).
MAX_PCT_OF_GDP = 10.0


# "39.4% of its defence spending (went to equipment)": a share of the budget, not of GDP.
OF_DEFENCE_BUDGET = regex.compile(
    r"^[\"\u201d\s]*of\s+(?:(?:its|their|the|a|\p{Lu}\w+['\u2019]s|national|"
    r"total|annual)\s+)*(?:defen[cs]e|military|armed\s+forces)\s+(?:budgets?|spending|"
    r"expenditures?|outlays?)",
    _I,
)


def _pct_is_figure(
    text: str, sentence: Sentence, number: NumberMention, context_start: int
) -> bool:
    """Whether a percentage is a per-ally level of GDP: at most 10%, not a bound, increment,
    share of another total, future goal, target, level missed or neared, target level met
    or other economic measure, with defence wording in its sentence or the few before it; a
    goal for a named year counts ("pledged to reach the 2% guideline this year")."""
    if number.value > MAX_PCT_OF_GDP:
        return False
    if _is_bound_or_increment(text, sentence, number) or _is_share_of_total(text, sentence, number):
        return False
    after = _after(text, sentence, number.end)
    if SHARE_AFTER.match(after) or FUTURE_AFTER.match(after) or OF_DEFENCE_BUDGET.match(after):
        return False
    before = _before(text, sentence, number.start, 50)
    own_context = DEFENCE_CONTEXT.search(text, sentence.start, sentence.end)
    other_metric = OTHER_METRIC_BEFORE.search(before)
    if not own_context and other_metric and not _is_own_share_of_gdp(text, sentence, number):
        return False
    if FUTURE_VERB.search(text, sentence.start, number.start) and not sentence.years:
        return False  # "Spain will meet every target, with 2.1 per cent": a promise, undated
    if _is_missed_level(text, sentence, number):
        return False  # "fell short of 2%", "approaching 3.5%": a level not reached
    # "Canada has reached 2%": the target claimed met, not its level; for a named year, the
    # level it reached, as a level pledged for one ("hit 2 per cent this year").
    named_year = _for_named_year(text, sentence, number)
    if _is_met_target_level(text, sentence, number) and not named_year:
        return False
    goal = GOAL_BEFORE.search(before)
    if goal or _is_target_phrase(text, sentence, number):
        # A level pledged or expected for a named year ("expects to spend 2.4% this
        # year", "pledged to reach the 2% guideline this year") is a figure.
        if not (goal and named_year):
            return False
        if _is_target_phrase(text, sentence, number) and not REACH_BEFORE.search(before):
            return False
    return bool(DEFENCE_CONTEXT.search(text, context_start, sentence.end))


def _may_be_unnamed_allys(
    text: str, sentence: Sentence, number: NumberMention, country: CountryMention
) -> bool:
    """Whether a percentage can be a figure of an ally the sentence does not name.

    An alliance target level only when pledged for a named year ("has pledged to reach
    2 per cent this year"); other levels when the sentence continues the one before's
    figures ("Last year the figure stood at 4.12 per cent") or states shares of GDP
    outright ("The country spent 2.3 per cent of GDP", "from 1.14% of GDP to 1.49%")."""
    if country.alias not in (CONTINUED_ALLY, IMPLIED_ALLY):
        return True
    if sentence.is_target(number.value):
        pledged = GOAL_BEFORE.search(_before(text, sentence, number.start, 50))
        return bool(pledged) and _for_named_year(text, sentence, number)
    return country.alias == CONTINUED_ALLY or any(
        GDP_AFTER.match(text, p.end, p.end + 60) for p in sentence.percentages
    )
