"""Per-ally figures, alliance-level claims, lists of allies and targets mentioned.

Figures are exact (or "around") values tied to the nearest ally named before them in
the sentence. Bounds ("more than 3%"), increments ("an additional €N billion", "by
0.2%"), shares of the alliance ("50 percent of NATO's GDP"), targets ("the 2% target")
and future goals ("2% by 2030") are not figures.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

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
from .targets import NO_TARGETS, TargetLevels
from .types import AggregateClaim, ReportedFigure, TargetList

METRIC_BY_CURRENCY = {"USD": "spending_usd", "EUR": "spending_eur"}

_I = regex.IGNORECASE
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
    r"\b(?:target|goal|guideline|benchmark|threshold|commitment|pledge|bar|mark|floor|"
    r"level\s+of|(?:path|road|route|trajectory|glide\s+path|progress)\s+(?:to|towards?))\b",
    _I,
)
DEFENCE_CONTEXT = regex.compile(
    r"\b(?:GDP|gross\s+domestic\s+product|economic\s+output|defen[cs]e|military|spend\w*|"
    r"budget\w*|expenditure\w*|target|goal|NATO|alliance|allies)\b",
    _I,
)
OTHER_METRIC_BEFORE = regex.compile(
    r"\b(?:inflation|unemployment|jobless|growth|interest|rates?|deficits?|debt|tariffs?|taxe?s?|"
    r"votes?|polls?|polling|turnout|approval|support|share|stake|majority|yields?|prices?|wages?|"
    r"vat|levy|GDP\s+(?:grew|growth|rose|fell|shrank))\b",
    _I,
)
SPENDING_CONTEXT = regex.compile(
    r"\b(?:spen[dt]\w*|budget\w*|expenditure\w*|outlays?|invest\w*)\b", _I
)
MONEY_EXCLUDED_BEFORE = regex.compile(
    r"\b(?:aid|assistance|package|loan|loans|fund|funds|contract|deal|worth|additional|extra|"
    r"another|more|(?:increase|boost|rise|hike)(?!\s+(?:it\s+|them\s+)?to\b)|by|to\s+Ukraine|"
    r"for\s+Ukraine)\b[^,;.]{0,25}$",
    _I,
)
ALLIANCE_TOTAL = regex.compile(
    r"\b(?:total|combined|collective(?:ly)?|overall|(?:al)?together|jointly|NATO-wide|"
    r"alliance-wide|across\s+the\s+alliance|NATO|(?:the\s+)?alliance|allies|member\s+states)\b",
    _I,
)
ALLIANCE_WORD = regex.compile(
    r"\b(?:NATO|alliance\w*|allies|allied|member\s+(?:states|countries|nations)|members|"
    r"countries|nations)\b",
    _I,
)
MONEY_INCREMENT_AFTER = regex.compile(
    r"\s*(?:increase|rise|boost|hike|jump|top-up|injection|cut|more|extra|uplift)\b", _I
)
TOTAL_AFTER = regex.compile(
    r"\s*(?:in\s+(?:total|all)\s+)?(?:for|across|among)\s+(?:the\s+)?(?:whole\s+|entire\s+)?"
    r"(?:alliance|NATO|allies|\d+\s+allies)(?:\s+as\s+a\s+whole|\s+combined|\s+together)?\b",
    _I,
)
# "accounts for 64% of total allied spending, $980 billion": the amount is the ally's share.
SHARE_OF_BEFORE = regex.compile(
    r"(?:%|\bper\s*cent|\bpercent|\bshare|\bhalf|\bthird|\bquarter|\bthirds)\s+of\s+"
    r"(?:the\s+)?$",
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
FUTURE_VERB = regex.compile(
    r"\b(?:will|shall)\b|['\u2019]ll\b|\b(?:is|are)\s+(?:set|going)\s+to\b", _I
)
GDP_AFTER = regex.compile(r"[\s\"\u201d]*" + OF_OUTPUT.pattern, _I)
REACH_BEFORE = regex.compile(
    r"\b(?:reach|meet|hit|achieve|honou?r|spend|spending|allocate|devote|budget)\b[^,;.]{0,30}$", _I
)
APPOSITIVE_AFTER = regex.compile(r",[ ](?=\p{Ll})[^,;:\n]{1,120}?,")
ATTRIBUTIVE_AFTER = regex.compile(
    r"(?:['\u2019]s\b|\s+(?:members?|rules?|guidelines?|targets?|goals?|benchmarks?|summit|treaty|"
    r"standards?|membership|partners?|ally)\b(?!\s+states))",
    _I,
)
QUOTE_CLOSE = regex.compile(r"[\"\u201d\u00bb]")
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
GROUP_AND_BEFORE = regex.compile(
    r"\b(?:allies|members|member\s+states|countries|nations|Europe)\s+(?:and|plus|together\s+with)"
    r"\s+(?:the\s+)?$",
    _I,
)
NATIONAL_SUBJECT = regex.compile(
    r"[\s\"\u201c]*(?:The|Its)\s+(?:(?:new|draft|annual|national|record|defen[cs]e|military)\s+)*"
    r"(?:government|cabinet|country|nation|ministry|budget|defen[cs]e\s+budget)(?:['\u2019]s)?\b",
)
EXCEPT_BEFORE = regex.compile(
    r"\b(?:except|excepting|excluding|apart\s+from|other\s+than|save\s+for|bar|but\s+not|"
    r"unlike|not|no)\s*$",
    _I,
)
RANKING_OBJECT = regex.compile(
    r"\b(?:leads?|led|leading|tops?|topped|topping|heads?|headed|heading|outspends?|outspent|"
    r"outpaces?|outpaced|(?:ranks?|ranked|ranking|stands?|stood)\s+\w+\s+(?:in|among|of))\s+"
    r"(?:the\s+(?:rest\s+of\s+the\s+)?|all\s+(?:other\s+)?|other\s+|its\s+|NATO['\u2019]s\s+)?"
    r"(?:NATO\s+|European\s+)?(?:alliance|allies|members|member\s+states|countries|nations|NATO)\b",
    _I,
)
# NATO as the source of an ally's number: "Last year the alliance put the figure at 4.12%".
SOURCE_SUBJECT = regex.compile(
    r"\b(?:NATO|the\s+alliance)\s+(?:put|puts|estimated?|estimates|reported|reports|"
    r"calculated|calculates|recorded|records)\b",
    _I,
)
PARTIAL_ALLIANCE = regex.compile(r"\b(?:European|Europe['\u2019]s|Canada|other\s+allies)\b")
_COUNT = rf"\d{{1,2}}|(?i:{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
_GROUP = (
    r"(?:NATO\s+|[Aa]lliance\s+)?(?:[Mm]ember\s+(?:[Ss]tates|[Cc]ountries|[Nn]ations)|[Mm]embers|"
    r"[Aa]llies|[Cc]ountries|[Nn]ations|[Ss]tates)\b"
)
GROUP_WORD = regex.compile(r"\b(?:[Mm]embers|[Aa]llies|[Cc]ountries|[Nn]ations|[Ss]tates)\b")
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
# "18 allies to spend 2% of their GDP": spending an alliance target level is meeting it.
SPEND_LEVEL_BEFORE = regex.compile(
    r"(?i:\bspen(?:d|ds|t|ding)\s+(?:(?:about|around|roughly|the\s+required)\s+)?)$"
)
MEET_RE = regex.compile(
    r"\b(?:met(?!\s+(?:in|at|on|with|for|today|yesterday)\b)|meet|meets|"
    r"meeting(?!\s+(?:in|at|on|with|for|to|today|tomorrow|this|next|here|there)\b)|"
    r"qualif(?:y|ies|ied|ying)|reach(?:ed|es|ing)?|hit(?:s|ting)?|achiev(?:e|ed|es|ing)|"
    r"exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|fulfil(?:l|led|ls|ling)?|compl(?:y|ied|ying)\s+with|"
    r"clear(?:s|ed|ing)|cross(?:es|ed|ing)?|pass(?:es|ed|ing)?|on\s+track|mak(?:e|es|ing)\s+good\s+on|"
    r"made\s+good\s+on|spen(?:d|ds|t|ding)\s+(?:at\s+least|more\s+than|the\s+(?:required|agreed))|above|"
    r"or\s+(?:more|above|higher))\b",
    _I,
)
MISS_RE = regex.compile(
    r"\b(?:miss(?:es|ed|ing)?|fall(?:s|ing)?\s+short|fell\s+short|short\s+of|fail(?:s|ed|ing)?|"
    r"below|under|lag(?:s|ged|ging)?|behind|laggards?|not\s+(?:yet\s+)?(?:meet|met|reach|hit)|"
    r"(?:has|have|had|do|does|did)\s*n['\u2019]?o?t\s+(?:yet\s+)?(?:met|meet|reach|reached|hit)|"
    r"(?:has|have|do|does|did)n['\u2019]t|yet\s+to)\b",
    _I,
)
COMPARISON_BEFORE = regex.compile(
    r"\b(?:up|down|rising|risen|climbing)\s+from\s+(?:just\s+|only\s+|a\s+mere\s+)?"
    r"(?:an?\s+(?:earlier|previous|initial|first)\s+(?:estimate|forecast|projection|figure)\s+of\s+)?$|"
    r"\b(?:compared\s+(?:with|to)|against)\s+(?:just\s+|only\s+)?$",
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
    listed = _list_year(text, sentence, number, numbers)
    if listed is not None:
        return listed
    before = [y for y in sentence.years if floor <= y.start < number.start]
    if before:
        return before[-1]
    before = [y for y in sentence.years if y.start < number.start]
    return before[-1] if before else None


LIST_ITEM_GAP = regex.compile(r"[\s,;]*(?:(?:and|or)\s+)?(?:the\s+)?")
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


PLACE_PREPOSITION = regex.compile(r"\b(?:in|at|from|to|with|near|outside)\s+$", _I)


def is_subject_country(text: str, mention: CountryMention) -> bool:
    """Whether a mention can be the ally a number is about: not a title ("Polish Defence
    Minister ...") nor a city as the place of an event ("agreed in The Hague to spend 5%")."""
    if mention.place and PLACE_PREPOSITION.search(text, max(0, mention.start - 10), mention.start):
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


WHOSE_COUNTRY = regex.compile(r"\bwhose\s+(?:country|government|nation)\b[^,;.]{0,60}$", _I)


def _whose_country(sentence: Sentence, text: str, position: int) -> CountryMention | None:
    """The ally of a titled person before "whose country ..." ("Swedish Prime Minister X,
    whose country expects to spend 2.4% ...")."""
    earlier = [c for c in sentence.countries if c.end <= position]
    if earlier and WHOSE_COUNTRY.search(text, earlier[-1].end, position):
        return earlier[-1]
    return None


def _country_for(sentence: Sentence, text: str, position: int) -> CountryMention | None:
    candidates = [c for c in sentence.countries if is_subject_country(text, c)]
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


def _for_named_year(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a point-in-time year ("this year", "in 2025") closes the number's clause."""
    for year in sentence.years:
        if year.start >= number.end and not year.horizon:
            gap = text[number.end : year.start]
            return len(gap) <= 40 and not regex.search(r"[,;:()]|\b(?:by|until|before)\b", gap)
    return False


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
    goal = GOAL_BEFORE.search(before)
    if goal or _is_target_phrase(text, sentence, number):
        # A level pledged or expected for a named year ("expects to spend 2.4% this
        # year", "pledged to reach the 2% guideline this year") is a figure.
        if not (goal and _for_named_year(text, sentence, number)):
            return False
        if _is_target_phrase(text, sentence, number) and not REACH_BEFORE.search(before):
            return False
    return bool(DEFENCE_CONTEXT.search(text, context_start, sentence.end))


def _figure_year(
    text: str, sentence: Sentence, number: NumberMention, numbers: list[NumberMention]
) -> int | None:
    year = _year_for(text, sentence, number, numbers)
    return None if year is None or year.horizon else year.year


# Aliases of an ally a sentence does not name: the ally of the previous sentence's figures,
# or the one ally the last few sentences name.
CONTINUED_ALLY = "(continued)"
IMPLIED_ALLY = "(implied)"


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


# "kroner" alone is Norway's, Denmark's or (krónur) Iceland's crown: the ally decides.
CROWNS_BY_ALLY = {"DNK": "DKK", "ISL": "ISK", "NOR": "NOK"}
NAMED_CROWN = regex.compile(r"\b(?:NOK|DKK|ISK|norwegian|danish|icelandic)\b", _I)


def _local_currency(text: str, number: NumberMention, iso3: str) -> str | None:
    """The currency of an ally's amount, reading an unqualified "kroner" as its own."""
    if number.currency == "NOK" and not NAMED_CROWN.search(text, number.start, number.end):
        return CROWNS_BY_ALLY.get(iso3, number.currency)
    return number.currency


def sentence_figures(
    text: str, sentence: Sentence, reference: int | None, context_start: int | None = None
) -> list[ReportedFigure]:
    """Per-ally percentage-of-GDP and spending figures stated in one sentence.

    ``context_start`` (a few sentences back) widens the window searched for
    defence wording, so "Hungary reported 2.11%" after a sentence on spending counts."""
    context_start = sentence.start if context_start is None else context_start
    figures: list[ReportedFigure] = []
    numbers = sorted(sentence.percentages + sentence.money, key=lambda n: n.start)
    sentence_text = text[sentence.start : sentence.end].strip()
    for number in sentence.percentages:
        country = _country_for(sentence, text, number.start)
        if country is not None and not _may_be_unnamed_allys(text, sentence, number, country):
            continue
        if country and _pct_is_figure(text, sentence, number, context_start):
            year = _figure_year(text, sentence, number, numbers)
            for each in _distributed(text, sentence, country, number):
                figures.append(
                    ReportedFigure(
                        each.iso3,
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
        currency = _local_currency(text, number, country.iso3)
        metric = METRIC_BY_CURRENCY.get(currency or "", "spending_local")
        figures.append(
            ReportedFigure(
                country.iso3,
                _figure_year(text, sentence, number, numbers),
                metric,
                number.value,
                currency,
                number.start,
                number.end,
                sentence_text,
            )
        )
    return figures


EACH_BEFORE = regex.compile(
    r"\s*,?\s*(?:each|both|all\s+(?:of\s+them|(?:three|four|five|six)))\b[^,;.\d]{0,30}$", _I
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


def _spending_amounts(text: str, sentence: Sentence) -> list[NumberMention]:
    """Amounts of spending in the sentence; a conversion in brackets ("47 billion lei
    ($10.5bn)") is kept or left out with the amount it converts."""
    if not sentence.money or not SPENDING_CONTEXT.search(text, sentence.start, sentence.end):
        return []
    amounts = []
    previous: NumberMention | None = None
    previous_kept = False
    for number in sentence.money:
        if _converts(text, previous, number):
            if previous_kept:
                amounts.append(number)
            previous = number
            continue
        previous = number
        previous_kept = _is_spending_amount(text, sentence, number)
        if previous_kept:
            amounts.append(number)
    return amounts


def _converts(text: str, previous: NumberMention | None, number: NumberMention) -> bool:
    """Whether an amount restates the one before it in another currency."""
    return (
        previous is not None
        and number.currency != previous.currency
        and CONVERSION_GAP.fullmatch(text, previous.end, number.start) is not None
    )


def _is_spending_amount(text: str, sentence: Sentence, number: NumberMention) -> bool:
    before = _before(text, sentence, number.start, 40)
    if BOUND_BEFORE.search(before[-25:]) or MONEY_EXCLUDED_BEFORE.search(before):
        return False
    if FUTURE_AFTER.match(_after(text, sentence, number.end)):
        return False
    return not MONEY_INCREMENT_AFTER.match(text, number.end, sentence.end)


def _is_alliance_total(
    text: str, sentence: Sentence, number: NumberMention, country: CountryMention | None
) -> bool:
    if TOTAL_AFTER.match(text, number.end, sentence.end):
        return True
    cue = None
    for match in ALLIANCE_TOTAL.finditer(text, sentence.start, number.start):
        share = SHARE_OF_BEFORE.search(text, max(sentence.start, match.start() - 40), match.start())
        if not ATTRIBUTIVE_AFTER.match(text, match.end(), number.start) and not share:
            cue = match
    if cue is None:
        return False
    if not ALLIANCE_WORD.search(text, sentence.start, sentence.end):
        # "total defence spending is set to reach DKK 95 billion": one ally's total.
        return False
    return country is None or country.end <= cue.start() or country.start > number.start


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


def total_claims(text: str, sentence: Sentence) -> list[AggregateClaim]:
    """Total alliance spending claims ("Total NATO military expenditure reached $1.3 trillion")."""
    claims = []
    numbers = sorted(sentence.percentages + sentence.money, key=lambda n: n.start)
    before = dict(zip(sentence.money[1:], sentence.money, strict=False))
    for number in _spending_amounts(text, sentence):
        if _converts(text, before.get(number), number):
            continue  # "$1.3 trillion (€1.1 trillion)" is one claim
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
        if not (MISS_RE.search(outside) or MEET_RE.search(outside)):
            if len(runs) > 1:
                continue  # each list of several has its own clause ("..., while A and B ...")
            outside = text[sentence.start : run[0].start] + " " + text[run[-1].end : sentence.end]
            target = None
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
                target if target is not None else _claim_target(sentence, context_target, standing),
                year,
                not misses,
                countries,
                run[0].start,
                run[-1].end,
            )
        )
    return lists


def _names_target(text: str, sentence: Sentence, number: NumberMention) -> bool:
    """Whether a target word stands right by the level ("the 2% benchmark", "a goal of 3%")."""
    before = _before(text, sentence, number.start, 25)
    near_after = NEXT_WORD_RE.match(_after(text, sentence, number.end, 25))
    near_word = near_after.group(1) if near_after else ""
    if APPOSED_TARGET.match(text, number.end, sentence.end):
        return True
    return bool(TARGET_WORDS.search(before) or TARGET_WORDS.match(near_word))


APPOSED_TARGET = regex.compile(
    r"\s*[,(\u2014\u2013-]\s*(?:NATO['\u2019]s|the\s+alliance['\u2019]s|the)\s+(?:\w+\s+){0,2}"
    r"(?:target|goal|guideline|benchmark)\b",
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
        related = RELATED_SPENDING.search(text, sentence.start, sentence.end)
        if number.value == 1.5 and not related:
            continue
        # An increment is no target, but "a further 1.5% on security-related items" is.
        further_related = number.value == 1.5 and related
        if (
            INCREMENT_BEFORE.search(_before(text, sentence, number.start, 20))
            and not further_related
        ):
            continue
        if _is_national_level(text, sentence, number):
            continue
        found.add(number.value)
    return found
