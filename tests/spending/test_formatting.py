"""One way to write numbers: money, shares of GDP, differences in pp (spending.formatting)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from spending import formatting


@pytest.mark.parametrize(
    "value, currency, text",
    [
        (1.3e12, "USD", "US$1.30 trillion"),
        (1482905000000.0, "USD", "US$1.48 trillion"),
        (38_237_000_000, "USD", "US$38.2 billion"),
        (182_905_000_000, "USD", "US$183 billion"),
        (950_000_000, "USD", "US$950 million"),
        (1.1e12, "EUR", "€1.10 trillion"),
        (5e9, "NOK", "NOK 5.00 billion"),
        (12345, "USD", "US$12,345"),
        (None, "USD", ""),
    ],
)
def test_money(value, currency, text):
    assert formatting.money(value, currency) == text


def test_money_differences_are_signed():
    assert formatting.money(-182905000000.0, signed=True) == "−US$183 billion"
    assert formatting.money(2.5e9, signed=True) == "+US$2.50 billion"
    assert formatting.money_million(38237) == "US$38.2 billion"  # NATO's tables: US$ million


def test_shares_and_points():
    assert formatting.share(3.19) == "3.19% of GDP"
    assert formatting.share(Decimal("3.3")) == "3.30% of GDP"
    assert formatting.share(25.414, "equipment_share") == "25.41% of defence spending"
    assert formatting.points(0.31) == "+0.31 pp"
    assert formatting.points(-0.11) == "−0.11 pp"
    assert formatting.points(0.0) == "0.00 pp"


def test_check_figures_use_the_claims_unit():
    pct = {"official_value": 3.3, "difference": -0.11, "unit": "pp"}
    assert formatting.check_figures(pct, "pct_gdp") == {
        "official": "3.30% of GDP",
        "difference": "−0.11 pp",
    }
    total = {"official_value": 1482905000000.0, "difference": -182905000000.0, "unit": "USD"}
    assert formatting.check_figures(total) == {
        "official": "US$1.48 trillion",
        "difference": "−US$183 billion",
    }
    # an ally's US$ figure: NATO's table is in US$ million, the check in US$
    ally = {"official_value": 38237e6, "difference": -237e6, "unit": "USD"}
    assert formatting.check_figures(ally, "spending_usd")["official"] == "US$38.2 billion"
    assert formatting.official_amount(ally) == 38237e6
    count = {"official_value": 11, "difference": 11, "unit": "allies"}
    assert formatting.check_figures(count) == {"official": "11 allies", "difference": "+11"}
    assert formatting.unit_text(pct, "pct_gdp") == "percent of GDP"
    assert formatting.unit_text(pct, "equipment_share") == "percent of defence expenditure"
    assert formatting.unit_text(total) == "USD"


def test_template_filters():
    html = Template(
        "{% load figures %}{{ a|money }} | {{ b|share }} | {{ c|points }} | {{ d|money:'EUR' }}"
    ).render(Context({"a": 1.3e12, "b": 3.19, "c": -0.11, "d": 1.1e12}))
    assert html == "US$1.30 trillion | 3.19% of GDP | −0.11 pp | €1.10 trillion"


@pytest.mark.parametrize(
    "value, text",
    [
        (0.4, "above target by 0.40 pp"),
        (Decimal("-0.60"), "short by 0.60 pp"),
        (0.001, "at the target"),
        (-0.004, "at the target"),
        (None, ""),
    ],
)
def test_gap_words_say_above_or_short_not_a_sign(value, text):
    assert formatting.gap_words(value) == text
    rendered = Template("{% load figures %}{{ v|gap_words }}").render(Context({"v": value}))
    assert rendered == text


def test_days_are_written_in_words():
    import datetime

    assert formatting.day("2025-04-24") == "24 April 2025"
    assert formatting.day(datetime.date(2024, 3, 4)) == "4 March 2024"
    assert formatting.day("sometime") == "sometime"
    assert formatting.day(None) == ""


def test_year_runs():
    assert formatting.year_runs([2014, 2015, 2016]) == "2014–2016"
    assert formatting.year_runs([2024]) == "2024"
    assert formatting.year_runs([2024, 2014]) == "2014 and 2024"
    assert formatting.year_runs([2014, 2016, 2017, 2018, 2024]) == "2014, 2016–2018 and 2024"
    assert formatting.year_runs([]) == ""
    assert formatting.year_runs([2014, 2015, 2024], last=", ") == "2014–2015, 2024"
