"""Money amounts: an ally's spending (in its currency), and alliance totals ("Total NATO military
expenditure reached $1.3 trillion"); conversions in brackets are one amount."""

from __future__ import annotations

import regex

from ..lexicon import GROUP_NOUNS, spaced_alternation
from ..members import CountryMention
from ..numbers import NumberMention
from ..types import SPENDING_EUR, SPENDING_USD, AggregateClaim
from .allies import _country_for
from .dates import _figure_year
from .levels import BOUND_BEFORE, FUTURE_AFTER, _is_missed_level
from .sentences import _I, Sentence, _after, _before

METRIC_BY_CURRENCY = {"USD": SPENDING_USD, "EUR": SPENDING_EUR}


SPENDING_CONTEXT = regex.compile(
    r"\b(?:spen[dt]\w*|budget\w*|expenditure\w*|outlays?|invest\w*|allocat\w*|earmark\w*)\b", _I
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
    rf"\b(?:NATO|alliance\w*|allied|{spaced_alternation(GROUP_NOUNS)})\b",
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


ATTRIBUTIVE_AFTER = regex.compile(
    r"(?:['\u2019]s\b|\s+(?:members?|rules?|guidelines?|targets?|goals?|benchmarks?|summit|treaty|"
    r"standards?|membership|partners?|ally)\b(?!\s+states))",
    _I,
)


CONVERSION_GAP = regex.compile(r"\s*\(\s*(?:or\s+|about\s+|around\s+|roughly\s+)?")


PARTIAL_ALLIANCE = regex.compile(r"\b(?:European|Europe['\u2019]s|Canada|other\s+allies)\b")


# "kroner" alone is Norway's, Denmark's or (krónur) Iceland's crown: the ally decides.
CROWNS_BY_ALLY = {"DNK": "DKK", "ISL": "ISK", "NOR": "NOK"}


NAMED_CROWN = regex.compile(r"\b(?:NOK|DKK|ISK|norwegian|danish|icelandic)\b", _I)


def _local_currency(text: str, number: NumberMention, iso3: str) -> str | None:
    """The currency of an ally's amount, reading an unqualified "kroner" as its own."""
    if number.currency == "NOK" and not NAMED_CROWN.search(text, number.start, number.end):
        return CROWNS_BY_ALLY.get(iso3, number.currency)
    return number.currency


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
    """Whether an amount is spending, not a bound, an aid package or contract, an increment
    ("an extra €5 billion", "a €2 billion boost"), a future goal ("€30 billion by 2030") or
    an amount missed or neared ("fell short of €90 billion")."""
    before = _before(text, sentence, number.start, 40)
    if BOUND_BEFORE.search(before[-25:]) or MONEY_EXCLUDED_BEFORE.search(before):
        return False
    if _is_missed_level(text, sentence, number):
        return False
    if FUTURE_AFTER.match(_after(text, sentence, number.end)):
        return False
    return not MONEY_INCREMENT_AFTER.match(text, number.end, sentence.end)


def _is_alliance_total(
    text: str, sentence: Sentence, number: NumberMention, country: CountryMention | None
) -> bool:
    """Whether an amount is the alliance's total ("Total NATO military expenditure reached
    $1.3 trillion", "$1.5 trillion across the alliance") rather than the ally's before it."""
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
