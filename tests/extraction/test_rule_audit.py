"""A unit test for each pattern whose removal changed no score on any set (issue 11, item 2).

``scripts/audit_rules.py --whole`` disables each pattern of the figure rules in turn and scores
the seeds, the five invented sets and the real NATO set: the patterns below changed nothing
there, and no other unit test needed them either. Each test is a sentence written for it on
which the pattern decides the answer (checked by disabling the pattern: the test fails).
"""

import datetime

from articles.extraction import extract_article
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.numbers import find_years

GAZETTEER = default_gazetteer()


def extract(text):
    return extract_article(text, gazetteer=GAZETTEER, published=datetime.date(2025, 3, 1))


def figures(text):
    return [(f.country, f.year, f.metric, f.value, f.currency) for f in extract(text).figures]


def test_horizon_after_a_year():  # numbers._HORIZON_AFTER
    # It never matched before the audit: anchored with "^", which a match from a position
    # inside the text never satisfies.
    assert [y.horizon for y in find_years("Allies set the 2030 benchmark.", None)] == [True]


def test_an_excepted_ally_after_the_level():  # allies.EXCEPT_BEFORE
    assert figures("Spending hit 2.1% of GDP in 2024, unlike Spain.") == []


def test_an_ally_named_after_a_closed_quotation():  # allies.QUOTE_CLOSE
    text = '"Spending reached 2.1% of GDP in 2024," Portugal\'s minister said.'
    assert figures(text) == []


def test_a_count_that_has_not_met_the_target():  # counts.MISS_RE
    claims = extract("Nine allies have not yet met the 2% target in 2024.").aggregate_claims
    assert claims == ()


def test_an_increase_named_after_a_level_is_no_target():  # mentions.INCREMENT_AFTER
    text = "The alliance's defence spending showed a 2% increase in 2024."
    assert extract(text).targets_mentioned == ()


def test_an_increase_named_before_a_level_is_no_target():  # mentions.INCREMENT_BEFORE
    text = "European allies raised their defence spending by 2% in 2024."
    assert extract(text).targets_mentioned == ()


def test_a_share_of_the_alliance_is_no_target():  # mentions.SHARE_AFTER
    text = "The Nordic allies account for 5% of NATO's total defence spending."
    assert extract(text).targets_mentioned == ()


def test_a_named_crown_stays_itself():  # money.NAMED_CROWN
    text = "In 2024 Denmark spent 3 billion Norwegian kroner on defence equipment."
    assert figures(text) == [("DNK", 2024, "spending_local", 3e9, "NOK")]


def test_a_share_of_a_defence_budget_is_no_share_of_gdp():  # percentages.OF_DEFENCE_BUDGET
    assert figures("Latvia spent 8% of its defence budget on ammunition in 2024.") == []
