"""Unit and property tests of the number parsers."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.extraction.lexicon import CURRENCY_NAMES, CURRENCY_SYMBOLS
from articles.extraction.numbers import (
    find_money,
    find_percentages,
    find_years,
    infer_reference_year,
    parse_money,
    parse_percentage,
)
from articles.extraction.text import find_publication_date

PERCENTAGE_SPELLINGS = [
    ("spent 3.19% of GDP", 3.19),
    ("3 percent", 3.0),
    ("3.5 per cent", 3.5),
    ("five percent of output", 5.0),
    ("two and a half percent", 2.5),
    ("no number here", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), PERCENTAGE_SPELLINGS, ids=[f"{t} -> {e}" for t, e in PERCENTAGE_SPELLINGS]
)
def test_percentage_spellings(text, expected):
    assert parse_percentage(text) == expected


MONEY_SPELLINGS = [
    ("$1.3 trillion", (1.3e12, "USD")),
    ("€1.1 trillion", (1.1e12, "EUR")),
    ("$968bn", (968e9, "USD")),
    ("US$ 35 billion", (35e9, "USD")),
    ("90 billion euros", (90e9, "EUR")),
    ("£64.6bn", (64.6e9, "GBP")),
    ("$1,300 million", (1.3e9, "USD")),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    MONEY_SPELLINGS,
    ids=[f"{t} -> {v:g} {c}" for t, (v, c) in MONEY_SPELLINGS],
)
def test_money_spellings(text, expected):
    assert parse_money(text) == expected


def test_percentage_offsets_point_at_the_number():
    text = "Estonia spends 3.4 per cent."
    (found,) = find_percentages(text)
    assert text[found.start : found.end] == "3.4 per cent"


def test_years_and_horizons():
    years = find_years("in 2024, up from 2014, reaching 5% by 2035 and last year", 2025)
    assert [(y.year, y.horizon, y.relative) for y in years] == [
        (2024, False, False),
        (2014, False, False),
        (2035, True, False),
        (2024, False, True),
    ]


def test_years_are_not_money_or_counts():
    assert find_years("$2024 billion and 2030 troops", None) == []


def test_reference_year_from_publication_date():
    ref = infer_reference_year("in 2019", datetime.date(2025, 6, 1))
    assert (ref.year, ref.inferred) == (2025, False)


def test_reference_year_inferred_ignores_horizons_and_outliers():
    text = "Spending rose in 2023 and in 2024. Allies aim for 5% by 2035. A plan for 2040."
    ref = infer_reference_year(text, None)
    assert (ref.year, ref.inferred) == (2024, True)
    assert infer_reference_year("no years", None).year is None


@given(st.decimals(min_value=0, max_value=999, places=2, allow_nan=False))
def test_percentages_round_trip(value):
    text = f"Spending stood at {value}% of GDP."
    assert parse_percentage(text) == float(value)


@given(st.decimals(min_value=0, max_value=999, places=2), st.sampled_from(["percent", "per cent"]))
def test_percent_words_round_trip(value, unit):
    assert parse_percentage(f"about {value} {unit}") == float(value)


@given(st.text())
def test_parsers_never_crash(text):
    find_percentages(text)
    find_money(text)
    find_years(text, 2025)
    infer_reference_year(text, None)


@given(st.integers(min_value=0, max_value=10**400))
def test_huge_numbers_never_crash(number):
    text = f"${number} trillion and {number}% and €{number}bn in {number}"
    for mention in find_money(text) + find_percentages(text):
        assert mention.value == mention.value  # not NaN


def test_iso_code_prefixes_for_local_currencies():
    found = [(m.value, m.currency) for m in find_money("SEK 171 billion and DKK 9.5bn")]
    assert found == [(171e9, "SEK"), (9.5e9, "DKK")]


DATE_LINE_FORMATS = (
    "{d:%B} {d.day}, {d.year}, 6:12 PM",
    "Published {d.day} {d:%B} {d.year}",
    "{d:%A}, {d.day} {d:%B} {d.year}",
    "Ottawa | {d:%b}. {d.day}, {d.year}, updated 5:05 p.m. ET",
    "{d:%Y-%m-%d}",
)


@given(
    date=st.dates(datetime.date(1990, 1, 1), datetime.date(2099, 12, 31)),
    layout=st.sampled_from(DATE_LINE_FORMATS),
    byline=st.sampled_from(["", "By Jane Roe\n", "The Example Wire\n"]),
)
def test_date_line_round_trip(date, layout, byline):
    line = layout.format(d=date)
    text = f"A headline about NATO\n\n{byline}{line}\n\nBRUSSELS — The body starts here."
    assert find_publication_date(text, today=datetime.date(2100, 1, 1)) == date


@given(st.text(max_size=400))
def test_date_line_finder_never_crashes(text):
    found = find_publication_date(text)
    assert found is None or isinstance(found, datetime.date)


def test_dates_inside_the_body_or_headline_are_not_date_lines():
    body = "BRUSSELS — On June 5, 2025 the allies met and agreed on a great many things " * 2
    assert find_publication_date("June 5, 2025: allies agree\n\n" + body) is None


def test_a_short_sentence_with_a_date_or_a_future_date_is_no_date_line():
    sentence = "The next summit opens in Ankara on July 7, 2025, officials said."
    assert find_publication_date(f"Headline\n\n{sentence}\n\nBody.") is None
    future = "Headline\n\nJuly 7, 2031\n\nBody."
    assert find_publication_date(future, today=datetime.date(2026, 1, 1)) is None
    assert find_publication_date(future, today=datetime.date(2031, 7, 7)) == datetime.date(
        2031, 7, 7
    )


def test_reference_year_inferred_leaves_out_the_bases_of_comparisons():
    # Not from a measured set: an undated text whose latest year is stated once, while its
    # base year is repeated ("since 2014", "compared to 2014").
    text = (
        "Denmark will spend 3.2% of GDP on defence in 2025. Outlays have doubled since 2014, "
        "and compared to 2014 the army has grown."
    )
    assert infer_reference_year(text, None).year == 2025
    assert infer_reference_year("Spending is up 40% since 2014.", None).year == 2014


@pytest.mark.parametrize(
    ("spelling", "code"),
    [(name, code) for code, names in CURRENCY_NAMES.items() for name in names]
    + [(name.title(), code) for code, names in CURRENCY_NAMES.items() for name in names[:1]],
)
def test_every_currency_name_of_the_lexicon_is_read_after_an_amount(spelling, code):
    assert parse_money(f"The budget is 90 billion {spelling} this year.") == (90e9, code)


@pytest.mark.parametrize(("symbol", "code"), sorted(CURRENCY_SYMBOLS.items()))
def test_every_currency_symbol_of_the_lexicon_is_read_before_an_amount(symbol, code):
    assert parse_money(f"The budget is {symbol}90bn this year.") == (90e9, code)
