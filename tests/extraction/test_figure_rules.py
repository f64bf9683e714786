"""Each figure rule on its own: a table of examples per named rule (issue 11, item 2).

The sentences are written for these tables (none comes from a measured set). Each row gives
a sentence, which number of it the rule is asked about (the first percentage or amount unless
``index`` says otherwise) and the rule's answer.
"""

from __future__ import annotations

import pytest

from articles.extraction.figures.allies import _country_for
from articles.extraction.figures.counts import MEET_RE, MISS_RE, SPEND_LEVEL_BEFORE
from articles.extraction.figures.levels import (
    SHARE_AFTER,
    _is_bound_or_increment,
    _is_target_phrase,
)
from articles.extraction.figures.lists import _enumerations
from articles.extraction.figures.money import _is_alliance_total, _is_spending_amount
from articles.extraction.figures.percentages import (
    OF_WORD,
    TOTAL_WORD,
    _is_own_share_of_gdp,
    _pct_is_figure,
)
from articles.extraction.figures.sentences import build_sentences
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.lexicon import noun_forms, verb_forms
from articles.extraction.members import find_country_mentions
from articles.extraction.text import sentence_spans

GAZETTEER = default_gazetteer()


def sentence_of(text: str):
    countries = find_country_mentions(text, GAZETTEER)
    spans = sentence_spans(text)
    (sentence,) = build_sentences(text, spans, countries, 2025, GAZETTEER.targets)
    return sentence


def percentage(text: str, index: int = 0):
    sentence = sentence_of(text)
    return sentence, sentence.percentages[index]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spain spends more than 2% of GDP on defence.", True),
        ("Italy spends nearly 1.6% of GDP on defence.", True),
        ("Defence spending rose by 0.2% last year.", True),
        ("Outlays grew an extra 0.4% in real terms.", True),
        ("Spending was up 0.3% year on year.", True),
        ("Greece spent 3.1% of GDP on defence in 2024.", False),
    ],
)
def test_bound_or_increment(text, expected):
    sentence, number = percentage(text)
    assert _is_bound_or_increment(text, sentence, number) is expected


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("Allies agreed on the 2% guideline in 2014.", 0, True),
        ("They set a goal of 3% of GDP.", 0, True),
        ("Only two allies spend the required 2% of GDP.", 0, True),
        ("Poland spent 4.1% of GDP in 2024.", 0, False),
        ("Italy missed the 2 percent target in 2023, with Spain (1.28 percent) last.", 1, False),
    ],
)
def test_target_phrase(text, index, expected):
    sentence, number = percentage(text, index)
    assert _is_target_phrase(text, sentence, number) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Poland spent 4.1% of GDP on defence in 2024.", "POL"),
        ("Germany, long criticised by its allies, spent 2.1% of GDP in 2024.", "DEU"),
        ("All allies, except Spain, agreed in 2025 to spend 5% of GDP.", None),
        ("European allies and Canada will spend 2.0% of GDP.", None),
        ("Last year Lithuania led the alliance with 3.9% of GDP.", "LTU"),
    ],
)
def test_country_for(text, expected):
    sentence, number = percentage(text)
    country = _country_for(sentence, text, number.start)
    assert (country.iso3 if country else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Estonia (2.1 percent), Greece (3.5 percent) and Latvia met it.", [3]),
        ("Britain, Estonia, cash-strapped Greece and Poland met the target.", [4]),
        ("Spain and Italy fell short, while Poland spent the most.", [2]),
        ("Spain fell short; Italy did too.", []),
    ],
)
def test_enumerations(text, expected):
    assert [len(run) for run in _enumerations(text, sentence_of(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germany spent €90 billion on defence in 2024.", True),
        ("Norway is allocating NOK 90 billion to defence.", True),
        ("France will spend an extra €5 billion on defence.", False),
        ("Canada announced an aid package of $2 billion for defence.", False),
        ("Denmark plans to spend DKK 30 billion on defence by 2030.", False),
    ],
)
def test_spending_amount(text, expected):
    sentence = sentence_of(text)
    assert _is_spending_amount(text, sentence, sentence.money[0]) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Total NATO military expenditure reached $1.3 trillion in 2024.", True),
        ("Allies spent $1.5 trillion across the alliance in 2025.", True),
        ("Germany spent $98 billion on its military in 2024.", False),
    ],
)
def test_alliance_total(text, expected):
    sentence = sentence_of(text)
    number = sentence.money[0]
    country = _country_for(sentence, text, number.start)
    assert _is_alliance_total(text, sentence, number, country) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Poland spent 4.1% of GDP on defence in 2024.", True),
        ("Spain expects to spend 2.1% of GDP on defence this year.", True),
        ("Slovenia aims for 3% of GDP on defence by 2030.", False),
        ("Latvia put 39.4% of its defence spending into equipment.", False),
        ("Inflation in Estonia was 3.4% last year.", False),
        ("Turkey spends 24% of its budget on defence.", False),
    ],
)
def test_pct_is_figure(text, expected):
    sentence, number = percentage(text)
    assert _pct_is_figure(text, sentence, number, sentence.start) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Polish Prime Minister Donald Tusk said Poland spent 4.1% of GDP.", "POL"),
        ("The Dutch Defence Minister said the Netherlands spent 2.0% of GDP.", "NLD"),
        ("German Defence chief Carsten Breuer said Germany spent 2.1% of GDP.", "DEU"),
        ("Polish officials said the country spent 4.1% of GDP.", None),
    ],
)
def test_a_demonym_before_a_title_is_no_subject(text, expected):
    sentence, number = percentage(text)
    country = _country_for(sentence, text, number.start)
    assert (country.iso3 if country else None) == expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (" of NATO's total", True),
        (" of the alliance’s combined GDP", True),
        (" of all military spending", True),
        (" of its GDP", False),
    ],
)
def test_share_of_the_alliance(after, expected):
    assert bool(SHARE_AFTER.match(after)) is expected


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("meet", ("meet", "meets", "met", "meeting")),
        ("fulfil", ("fulfil", "fulfils", "fulfilled", "fulfilling")),
        ("comply with", ("comply with", "complies with", "complied with", "complying with")),
        ("lag", ("lag", "lags", "lagged", "lagging")),
        ("fall short", ("fall short", "falls short", "fell short", "falling short")),
        ("say", ("say", "says", "said", "saying")),
        ("top", ("top", "tops", "topped", "topping")),
        ("lead", ("lead", "leads", "led", "leading")),
        ("stand", ("stand", "stands", "stood", "standing")),
        ("outpace", ("outpace", "outpaces", "outpaced", "outpacing")),
    ],
)
def test_verb_forms(lemma, forms):
    assert verb_forms(lemma) == forms


@pytest.mark.parametrize(
    ("noun", "forms"),
    [
        ("official", ("official", "officials")),
        ("envoy", ("envoy", "envoys")),
        ("army", ("army", "armies")),
        ("spokeswoman", ("spokeswoman", "spokeswomen")),
        ("spokesperson", ("spokesperson", "spokespeople")),
    ],
)
def test_noun_forms(noun, forms):
    assert noun_forms(noun) == forms


# The clause after a count of allies (or around a list of them) and the words that say the
# target is met: every form of a meeting verb, the bare one too, but no gathering.
@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("met the 2% guideline last year", "met"),
        ("now meet the target", "meet"),
        ("qualified under the old rule", "qualified"),
        ("have reached it", "reached"),
        ("hit 2% in 2024", "hit"),
        ("fulfils the pledge", "fulfils"),
        ("fulfilled the Wales pledge", "fulfilled"),
        ("complies with\nthe guideline", "complies with"),
        ("cleared the bar", "cleared"),
        ("crossed the threshold", "crossed"),
        ("are making good on the promise", "making good on"),
        ("spent at least 2% of GDP", "spent at least"),
        ("spend the agreed 2%", "spend the agreed"),
        ("are on track to do so", "on track"),
        ("spent 2% or more", "or more"),
        ("met in Brussels on Tuesday", None),
        ("met with the secretary general", None),
        ("are meeting this week in The Hague", None),
        ("it is clear that spending rose", None),
        ("spent 1.3% of GDP", None),
    ],
)
def test_meet_words(clause, expected):
    found = MEET_RE.search(clause)
    assert (found.group() if found else None) == expected


# The words that say the target is missed; before a meeting word they make a clause a miss.
@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("missed the 2% target", "missed"),
        ("fall short of it", "fall short"),
        ("fell  short again", "fell  short"),
        ("are still short of 2%", "short of"),
        ("failed to meet it", "failed"),
        ("lagged behind", "lagged"),
        ("spend below 1.5%", "below"),
        ("the laggards include Spain", "laggards"),
        ("have yet to reach 2%", "yet to"),
        ("have not yet met the target", "not yet met"),
        ("hadn't reached it", "hadn't reached"),
        ("won't meet it before 2030", "won't meet"),
        ("still haven't", "haven't"),
        ("met the 2% guideline", None),
        ("are on track", None),
        ("missile defence", None),
    ],
)
def test_miss_words(clause, expected):
    found = MISS_RE.search(clause)
    assert (found.group() if found else None) == expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("18 allies to spend ", True),
        ("allies spending about ", True),
        ("Poland spent the required ", True),
        ("allies pledged ", False),
        ("a spending review of ", False),
    ],
)
def test_spend_level_before(before, expected):
    assert bool(SPEND_LEVEL_BEFORE.search(before)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" of GDP", True),
        (" Of the total", True),
        (" of\nall spending", True),
        (" often cited", False),
        (" offered by Berlin", False),
        (" thereof", False),
        (" is up from", False),
    ],
)
def test_of_word(text, expected):  # percentages.OF_WORD: a share "of" something named
    assert bool(OF_WORD.search(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the total bill", True),
        ("their Combined budgets", True),
        ("across the alliance", True),
        ("overall spending", True),
        ("the totals of each ally", False),
        ("allied budgets", False),
        ("alliances with Asian partners", False),
        ("totally new", False),
    ],
)
def test_total_word(text, expected):  # percentages.TOTAL_WORD: a sentence about a total
    assert bool(TOTAL_WORD.search(text)) is expected


# An ally's "share" is its share of GDP once the article speaks of shares of GDP, unless the
# share is "of" something else (OF_WORD) or the sentence is about a total (TOTAL_WORD).
@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("Germany's share rose to 2.1% in 2024.", True),
        ("Germany's share of the bill was 2.1% in 2024.", False),
        ("Germany's share was 2.1% of the combined budget in 2024.", False),
    ],
)
def test_own_share_of_gdp(second, expected):
    text = f"Allies report their spending as a share of GDP. {second}"
    countries = find_country_mentions(text, GAZETTEER)
    sentences = build_sentences(text, sentence_spans(text), countries, 2025, GAZETTEER.targets)
    sentence = sentences[-1]
    assert _is_own_share_of_gdp(text, sentence, sentence.percentages[0]) is expected
