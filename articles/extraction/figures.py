"""Per-ally figures, alliance-level claims, lists of allies and targets mentioned.

Figures are exact (or "around") values tied to the nearest ally named before them in
the sentence. Bounds ("more than 3%"), increments ("an additional €N billion", "by
0.2%"), shares of the alliance ("50 percent of NATO's GDP"), targets ("the 2% target")
and future goals ("2% by 2030") are not figures.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from .members import CountryMention
from .numbers import (
    NUMBER_WORDS,
    NumberMention,
    YearMention,
    find_money,
    find_percentages,
    find_years,
)
from .types import AggregateClaim, ReportedFigure, TargetList

ALLIANCE_TARGETS = (1.5, 2.0, 3.0, 3.5, 5.0)
METRIC_BY_CURRENCY = {"USD": "spending_usd", "EUR": "spending_eur"}

_I = regex.IGNORECASE
BOUND_BEFORE = regex.compile(
    r"(?:(?:more|less|fewer|higher|lower|greater|better|other)\s+than|over|above|under|below|beyond|"
    r"exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|at\s+least|at\s+most|up\s+to|nearly|almost|"
    r"upwards\s+of|north\s+of|south\s+of|shy\s+of|close\s+to|as\s+(?:much|little|high|low)\s+as|"
    r"[<>\u2264\u2265])\s*[\"\u201c\u201d\u00ab]?\s*$",
    _I,
)
INCREMENT_BEFORE = regex.compile(
    r"(?:\bby|\badditional|\bextra|\banother|\bfurther|\bincrease\s+of|\brise\s+of|\bboost\s+of|"
    r"\bhike\s+of|\bjump\s+of|\bgrowth\s+of|\bcut\s+of|\bup|\bdown|\+)\s*(?:an?\s+)?(?:extra\s+)?$",
    _I,
)
INCREMENT_AFTER = regex.compile(
    r"^\s*(?:percentage[\s-]points?|points?|increase|rise|more|higher|jump|hike|boost|annual\s+"
    r"(?:increase|growth)|year[\s-]on[\s-]year|a\s+year|growth|inflation|interest|of\s+(?:the\s+)?"
    r"(?:increase|rise))",
    _I,
)
SHARE_AFTER = regex.compile(
    r"^[\"\u201d\u00bb\s]*of\s+(?:the\s+)?(?:NATO['\u2019]s|alliance['\u2019]s|alliance|allied|"
    r"total|combined|overall|collective|all\s+(?:NATO|allied|defen[cs]e|military)|NATO)\b",
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
    r"target|goal|guideline|benchmark|threshold|commitment|pledge|bar\b|mark\b|level\s+of", _I
)
DEFENCE_CONTEXT = regex.compile(
    r"\b(?:GDP|gross\s+domestic\s+product|economic\s+output|defen[cs]e|military|spend\w*|"
    r"budget\w*|expenditure\w*|target|goal|NATO|alliance|allies)\b",
    _I,
)
SPENDING_CONTEXT = regex.compile(
    r"\b(?:spen[dt]\w*|budget\w*|expenditure\w*|outlays?|invest\w*)\b", _I
)
MONEY_EXCLUDED_BEFORE = regex.compile(
    r"\b(?:aid|assistance|package|loan|loans|fund|funds|contract|deal|worth|additional|extra|"
    r"another|more|increase|boost|rise|hike|by|to\s+Ukraine|for\s+Ukraine)\b[^,;.]{0,25}$",
    _I,
)
ALLIANCE_TOTAL = regex.compile(
    r"\b(?:total|combined|collective(?:ly)?|overall|(?:al)?together|jointly|NATO-wide|"
    r"alliance-wide|across\s+the\s+alliance|NATO|(?:the\s+)?alliance|allies|member\s+states)\b",
    _I,
)
RELATED_SPENDING = regex.compile(r"related|resilience|infrastructure|civil", _I)
NEXT_WORD_RE = regex.compile(r"^[\s\"\u201d]*(?:of\s+\w+\s+)?(?:GDP\s+)?(\w+)")
DEFINITE_BEFORE = regex.compile(r"\b(?:the|a|that|this)\s*$", _I)
CONVERSION_GAP = regex.compile(r"\s*\(\s*(?:or\s+|about\s+|around\s+|roughly\s+)?")
PERSON_TITLE_AFTER = regex.compile(
    r"(?:\s+\p{Lu}[\p{L}.]*){0,3}?\s+(?:President|Prime\s+Minister|Minister|Secretary|Chancellor|"
    r"Ambassador|Premier|Senator|General|Admiral|Foreign|Defen[cs]e\s+(?:Minister|Secretary|chief)|"
    r"officials?|diplomats?|lawmakers?|envoy|ambassador|minister|spokes\w+|troops|forces|army)\b"
)
OTHER_SUBJECT = regex.compile(
    r"\b(?:allies|members|member\s+states|countries|nations|NATO(?!['\u2019]s)|alliance|they|their)\b"
)
PARTIAL_ALLIANCE = regex.compile(r"\b(?:European|Europe['\u2019]s|Canada|other\s+allies)\b")
_COUNT = rf"\d{{1,2}}|(?i:{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
_GROUP = (
    r"(?:NATO\s+|alliance\s+)?(?:member\s+(?:states|countries|nations)|members|allies|countries|"
    r"nations|states)\b"
)
GROUP_WORD = regex.compile(r"\b(?:members|allies|countries|nations|states)\b")
COUNT_OF_RE = regex.compile(
    rf"(?<![\w.])(?P<count>{_COUNT})\s+(?:out\s+)?of\s+(?:the\s+)?(?:NATO['\u2019]s\s+|the\s+"
    rf"alliance['\u2019]s\s+|its\s+|their\s+)?(?P<of>{_COUNT})\s+{_GROUP}"
)
COUNT_ALL_RE = regex.compile(rf"(?i:\ball\s+)(?P<count>{_COUNT})\s+{_GROUP}")
COUNT_BARE_RE = regex.compile(rf"(?<![\w.,])(?P<count>{_COUNT})\s+{_GROUP}")
MEET_RE = regex.compile(
    r"\b(?:met|meet|meets|meeting|reach(?:ed|es|ing)?|hit(?:s|ting)?|achiev(?:e|ed|es|ing)|"
    r"exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|fulfil(?:l|led|ls|ling)?|compl(?:y|ied|ying)\s+with|"
    r"on\s+track|spen[dt]\s+(?:at\s+least|more\s+than)|above)\b",
    _I,
)
MISS_RE = regex.compile(
    r"\b(?:miss(?:es|ed|ing)?|fall(?:s|ing)?\s+short|fell\s+short|short\s+of|fail(?:s|ed|ing)?|"
    r"below|under|lag(?:s|ged|ging)?|behind|laggards?|not\s+(?:yet\s+)?(?:meet|met|reach|hit)|"
    r"(?:has|have|had|do|does|did)\s*n['\u2019]?o?t\s+(?:yet\s+)?(?:met|meet|reach|reached|hit)|"
    r"(?:has|have|do|does|did)n['\u2019]t|yet\s+to)\b",
    _I,
)
LIST_TARGET_CUE = regex.compile(
    r"target|goal|guideline|benchmark|threshold|%|percent|per\s+cent|commitment|mark|laggard", _I
)
LIST_GAP_RE = regex.compile(
    r"^\s*(?:,\s*|;\s*)?(?:(?:and|or|as\s+well\s+as|plus|&)\s+)?(?:the\s+)?$", _I
)


@dataclass(frozen=True)
class Sentence:
    """One sentence with the numbers, years and ally mentions inside it."""

    start: int
    end: int
    percentages: list[NumberMention]
    money: list[NumberMention]
    years: list[YearMention]
    countries: list[CountryMention]


def build_sentences(
    text: str,
    spans: list[tuple[int, int]],
    countries: list[CountryMention],
    reference_year: int | None,
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
            )
        )
    return sentences


def _within(items: list, start: int, end: int) -> list:
    """Items (sorted by start) that lie inside [start, end)."""
    low = bisect.bisect_left(items, start, key=lambda item: item.start)
    high = bisect.bisect_left(items, end, key=lambda item: item.start)
    return [item for item in items[low:high] if item.end <= end]


def is_target_value(value: float) -> bool:
    """Whether a percentage is one of the alliance-wide targets."""
    return any(abs(value - target) < 1e-9 for target in ALLIANCE_TARGETS)


def _before(text: str, sentence: Sentence, position: int, width: int = 45) -> str:
    return text[max(sentence.start, position - width) : position]


def _after(text: str, sentence: Sentence, position: int, width: int = 60) -> str:
    return text[position : min(sentence.end, position + width)]


def _is_bound_or_increment(text: str, sentence: Sentence, number: NumberMention) -> bool:
    before = _before(text, sentence, number.start, 30)
    after = _after(text, sentence, number.end, 30)
    return bool(
        BOUND_BEFORE.search(before)
        or INCREMENT_BEFORE.search(before)
        or INCREMENT_AFTER.match(after)
    )


def _is_target_phrase(text: str, sentence: Sentence, number: NumberMention) -> bool:
    before = _before(text, sentence, number.start, 25)
    after = _after(text, sentence, number.end, 25)
    near_after = NEXT_WORD_RE.match(after)
    near_word = near_after.group(1) if near_after else ""
    definite = DEFINITE_BEFORE.search(before)
    return bool(definite or TARGET_WORDS.search(before) or TARGET_WORDS.match(near_word))


def _is_conversion(text: str, number: NumberMention) -> bool:
    return text[max(0, number.start - 3) : number.start].rstrip().endswith("(")


def _year_for(
    text: str, sentence: Sentence, number: NumberMention, numbers: list[NumberMention]
) -> YearMention | None:
    later = [n.start for n in numbers if n.start > number.start and not _is_conversion(text, n)]
    limit = min(later) if later else sentence.end
    earlier = [n.end for n in numbers if n.end <= number.start]
    floor = max(earlier) if earlier else sentence.start
    after = [y for y in sentence.years if number.end <= y.start < limit]
    if after:
        return after[0]
    before = [y for y in sentence.years if floor <= y.start < number.start]
    if before:
        return before[-1]
    before = [y for y in sentence.years if y.start < number.start]
    return before[-1] if before else None


def _is_subject_country(text: str, mention: CountryMention) -> bool:
    return not PERSON_TITLE_AFTER.match(text, mention.end, mention.end + 60)


def _country_for(sentence: Sentence, text: str, position: int) -> CountryMention | None:
    candidates = [c for c in sentence.countries if _is_subject_country(text, c)]
    earlier = [c for c in candidates if c.end <= position and ";" not in text[c.end : position]]
    if earlier:
        between = text[earlier[-1].end : position]
        return None if OTHER_SUBJECT.search(between) else earlier[-1]
    if not candidates:
        return None
    distinct = {c.iso3 for c in candidates}
    opening = position - sentence.start < 40 and "," in text[position : candidates[0].start]
    return candidates[0] if len(distinct) == 1 and opening else None


def _pct_is_figure(
    text: str, sentence: Sentence, number: NumberMention, reference: int | None
) -> bool:
    if _is_bound_or_increment(text, sentence, number) or _is_target_phrase(text, sentence, number):
        return False
    after = _after(text, sentence, number.end)
    if SHARE_AFTER.match(after) or FUTURE_AFTER.match(after):
        return False
    if GOAL_BEFORE.search(_before(text, sentence, number.start, 50)):
        return False
    return bool(DEFENCE_CONTEXT.search(text, sentence.start, sentence.end))


def _figure_year(
    text: str, sentence: Sentence, number: NumberMention, numbers: list[NumberMention]
) -> int | None:
    year = _year_for(text, sentence, number, numbers)
    return None if year is None or year.horizon else year.year


def sentence_figures(text: str, sentence: Sentence, reference: int | None) -> list[ReportedFigure]:
    """Per-ally percentage-of-GDP and spending figures stated in one sentence."""
    figures: list[ReportedFigure] = []
    numbers = sorted(sentence.percentages + sentence.money, key=lambda n: n.start)
    sentence_text = text[sentence.start : sentence.end].strip()
    for number in sentence.percentages:
        country = _country_for(sentence, text, number.start)
        if country and _pct_is_figure(text, sentence, number, reference):
            year = _figure_year(text, sentence, number, numbers)
            figures.append(
                ReportedFigure(
                    country.iso3,
                    year,
                    "pct_gdp",
                    number.value,
                    None,
                    number.start,
                    number.end,
                    sentence_text,
                )
            )
    for number in _spending_amounts(text, sentence):
        country = _country_for(sentence, text, number.start)
        if country is None or _is_alliance_total(text, sentence, number, country):
            continue
        metric = METRIC_BY_CURRENCY.get(number.currency or "", "spending_local")
        figures.append(
            ReportedFigure(
                country.iso3,
                _figure_year(text, sentence, number, numbers),
                metric,
                number.value,
                number.currency,
                number.start,
                number.end,
                sentence_text,
            )
        )
    return figures


def _spending_amounts(text: str, sentence: Sentence) -> list[NumberMention]:
    if not sentence.money or not SPENDING_CONTEXT.search(text, sentence.start, sentence.end):
        return []
    amounts = []
    previous_end = None
    for number in sentence.money:
        converted = previous_end is not None and CONVERSION_GAP.fullmatch(
            text, previous_end, number.start
        )
        previous_end = number.end
        before = _before(text, sentence, number.start, 40)
        if converted or BOUND_BEFORE.search(before[-25:]) or MONEY_EXCLUDED_BEFORE.search(before):
            continue
        if FUTURE_AFTER.match(_after(text, sentence, number.end)):
            continue
        amounts.append(number)
    return amounts


def _is_alliance_total(
    text: str, sentence: Sentence, number: NumberMention, country: CountryMention | None
) -> bool:
    cue = None
    for match in ALLIANCE_TOTAL.finditer(text, sentence.start, number.start):
        cue = match
    if cue is None:
        return False
    return country is None or country.end <= cue.start or country.start > number.start


def _claim_target(sentence: Sentence, context_target: float | None) -> float | None:
    targets = [p.value for p in sentence.percentages if is_target_value(p.value)]
    return targets[0] if targets else context_target


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else NUMBER_WORDS[raw.casefold()]


def _count_match(text: str, sentence: Sentence) -> tuple[regex.Match, int, int | None] | None:
    if not GROUP_WORD.search(text, sentence.start, sentence.end):
        return None
    for pattern in (COUNT_OF_RE, COUNT_ALL_RE, COUNT_BARE_RE):
        match = pattern.search(text, sentence.start, sentence.end)
        if match is None:
            continue
        count = _count(match.group("count"))
        of = _count(match.group("of")) if "of" in match.groupdict() and match.group("of") else None
        if pattern is COUNT_ALL_RE:
            of = count
        return match, count, of
    return None


def count_claim(
    text: str, sentence: Sentence, context_target: float | None
) -> AggregateClaim | None:
    """An alliance-level count of allies meeting a target, if the sentence states one."""
    found = _count_match(text, sentence)
    if found is None:
        return None
    match, count, of = found
    rest = text[match.end() : sentence.end]
    meet = MEET_RE.search(rest)
    if meet is None or MISS_RE.search(rest, 0, meet.end()) or count > 40 or (of and count > of):
        return None
    year = next((y for y in sentence.years if not y.horizon), None)
    return AggregateClaim(
        "count_meeting",
        _claim_target(sentence, context_target),
        year.year if year else None,
        count,
        of,
        None,
        None,
        match.start(),
        match.end(),
        text[sentence.start : sentence.end].strip(),
    )


def total_claims(text: str, sentence: Sentence) -> list[AggregateClaim]:
    """Total alliance spending claims ("Total NATO military expenditure reached $1.3 trillion")."""
    claims = []
    numbers = sorted(sentence.percentages + sentence.money, key=lambda n: n.start)
    for number in _spending_amounts(text, sentence):
        country = _country_for(sentence, text, number.start)
        if not _is_alliance_total(text, sentence, number, country):
            continue
        if PARTIAL_ALLIANCE.search(text, sentence.start, number.start):
            continue
        claims.append(
            AggregateClaim(
                "total_spending",
                None,
                _figure_year(text, sentence, number, numbers),
                None,
                None,
                number.value,
                number.currency,
                number.start,
                number.end,
                text[sentence.start : sentence.end].strip(),
            )
        )
    return claims


def _enumerations(text: str, sentence: Sentence) -> list[list[CountryMention]]:
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


def target_lists(
    text: str, sentence: Sentence, context_target: float | None, context_year: int | None
) -> list[TargetList]:
    """Explicit lists of two or more allies said to meet or miss a target."""
    lists = []
    for run in _enumerations(text, sentence):
        outside = text[sentence.start : run[0].start] + " " + text[run[-1].end : sentence.end]
        if not LIST_TARGET_CUE.search(outside) and context_target is None:
            continue
        misses = MISS_RE.search(outside)
        meets = MEET_RE.search(outside)
        if not misses and not meets:
            continue
        year = next((y.year for y in sentence.years if not y.horizon), None) or context_year
        countries = tuple(dict.fromkeys(m.iso3 for m in run))
        lists.append(
            TargetList(
                _claim_target(sentence, context_target),
                year,
                not misses,
                countries,
                run[0].start,
                run[-1].end,
            )
        )
    return lists


def sentence_targets(text: str, sentence: Sentence, figures: list[ReportedFigure]) -> set[float]:
    """Alliance-wide target levels the sentence mentions (not per-ally figures)."""
    found: set[float] = set()
    if not sentence.percentages or not DEFENCE_CONTEXT.search(text, sentence.start, sentence.end):
        return found
    taken = {(f.start, f.end) for f in figures}
    for number in sentence.percentages:
        if not is_target_value(number.value) or (number.start, number.end) in taken:
            continue
        after = _after(text, sentence, number.end)
        if SHARE_AFTER.match(after) or INCREMENT_AFTER.match(after):
            continue
        if INCREMENT_BEFORE.search(_before(text, sentence, number.start, 20)):
            continue
        if number.value == 1.5 and not RELATED_SPENDING.search(text, sentence.start, sentence.end):
            continue
        found.add(number.value)
    return found
