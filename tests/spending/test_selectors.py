"""The app's questions answered on facts from NATO's own published figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from spending.models import MemberState, Metric, Target
from spending.selectors import (
    LATEST,
    SelectionError,
    Vintage,
    compliance,
    current_figure,
    gap_in_usd_million,
    gap_pp,
    meets_target,
    parse_vintage,
    required_growth,
    summarise,
    validate_vintage,
)
from tests.factories import MemberStateFactory, SourceFactory, SpendingFigureFactory

pytestmark = pytest.mark.django_db

members_in_year = MemberState.objects.members_in_year


@pytest.mark.parametrize(
    ("year", "count"),
    [
        (1990, 16),
        (2016, 28),
        (2017, 29),
        (2019, 29),
        (2020, 30),
        (2022, 30),
        (2023, 31),
        (2024, 32),
    ],
)
def test_members_in_year(year, count):
    assert members_in_year(year).count() == count


def test_membership_rule_is_the_same_on_the_model():
    for member in MemberState.objects.all():
        for year in (2016, 2017, 2020, 2023, 2024):
            assert member.is_member_in(year) == members_in_year(year).filter(pk=member.pk).exists()


@pytest.mark.parametrize(
    ("value", "threshold", "meets", "gap"),
    [
        ("2.00", "2", True, "0.00"),
        ("1.99", "2", False, "-0.01"),
        ("3.50", "3.5", True, "0.00"),
        ("4.12", "3.5", True, "0.62"),
    ],
)
def test_meets_target_is_at_or_above_the_threshold(value, threshold, meets, gap):
    assert meets_target(Decimal(value), Decimal(threshold)) is meets
    assert gap_pp(Decimal(value), Decimal(threshold)) == Decimal(gap)


def test_no_figure_neither_meets_nor_misses():
    assert meets_target(None, 2) is None
    assert gap_pp(None, 2) is None


def summary_for(year, vintage=LATEST, code="2"):
    rows = compliance(Target.objects.get(code=code), [year], vintage=vintage)
    return summarise(rows)[0], rows


def test_june_2024_edition_counts_23_allies_at_2_percent_in_2024():
    # NATO, June 2024: "23 allies are expected to meet or exceed the 2% target in 2024".
    summary, _ = summary_for(2024, Vintage(edition="NATO_DE2024_GRAPHICNEWS"))
    assert (summary.members, summary.meeting, summary.missing, summary.no_data) == (32, 23, 8, 1)


def test_as_published_in_april_2025_22_allies_met_2_percent_in_2024():
    summary, _ = summary_for(2024, Vintage(as_of=datetime.date(2025, 4, 30)))
    assert (summary.meeting, summary.missing) == (22, 9)


def test_latest_edition_restates_2024_as_core_expenditure():
    summary, rows = summary_for(2024)
    assert (summary.members, summary.meeting, summary.missing, summary.no_data) == (32, 17, 14, 1)
    assert {r.source_code for r in rows if r.value is not None} == {"NATO_DIE2026"}


def test_2014_counts_only_the_28_members_of_the_time():
    summary, rows = summary_for(2014)
    assert summary.members == 28
    assert summary.meeting == 3  # Greece, the United Kingdom, the United States
    assert {r.iso3 for r in rows if r.meets} == {"GRC", "GBR", "USA"}
    assert not {"FIN", "SWE", "MNE", "MKD"} & {r.iso3 for r in rows}


def test_iceland_is_listed_without_a_value():
    _, rows = summary_for(2024)
    iceland = next(r for r in rows if r.iso3 == "ISL")
    assert (iceland.value, iceland.meets, iceland.status) == (None, None, "no_data")


def test_compliance_rows_carry_value_gap_and_source():
    _, rows = summary_for(2024, code="3.5")
    poland = next(r for r in rows if r.iso3 == "POL")
    assert (poland.value, poland.meets, poland.gap_pp) == (Decimal("3.75"), True, Decimal("0.25"))
    assert poland.source_code == "NATO_DIE2026"
    assert rows[0].iso3 == "POL"  # highest first


def test_current_figure_follows_the_editions():
    usa = MemberState.objects.get(iso3="USA")
    june_2024 = current_figure(
        usa, 2024, Metric.PCT_GDP, vintage=Vintage(as_of=datetime.date(2024, 6, 30))
    )
    april_2025 = current_figure(
        usa, 2024, Metric.PCT_GDP, vintage=Vintage(as_of=datetime.date(2025, 4, 30))
    )
    latest = current_figure(usa, 2024, Metric.PCT_GDP)
    assert (june_2024.value, april_2025.value, latest.value) == (
        Decimal("3.38"),
        Decimal("3.19"),
        Decimal("3.30"),
    )
    assert (
        current_figure(usa, 2024, Metric.PCT_GDP, vintage=Vintage(as_of=datetime.date(2024, 1, 1)))
        is None
    )


def test_a_newer_edition_wins_even_when_added_later():
    member = MemberStateFactory()
    SpendingFigureFactory(
        member=member,
        value=Decimal("1.50"),
        source=SourceFactory(published=datetime.date(2031, 1, 1)),
    )
    SpendingFigureFactory(
        member=member,
        value=Decimal("1.70"),
        source=SourceFactory(published=datetime.date(2032, 1, 1)),
    )
    assert current_figure(member, 2024, Metric.PCT_GDP).value == Decimal("1.70")


def test_unknown_edition_or_date_before_any_edition_is_an_error():
    with pytest.raises(SelectionError):
        validate_vintage(Vintage(edition="NOPE"))
    with pytest.raises(SelectionError):
        validate_vintage(Vintage(as_of=datetime.date(2000, 1, 1)))
    assert validate_vintage(Vintage(as_of=datetime.date(2025, 4, 30)))


def test_required_growth_to_3_5_percent_by_2035():
    spain = MemberState.objects.get(iso3="ESP")  # 2.00% in the 2026 estimate
    growth = required_growth(spain)
    assert (growth.from_year, growth.from_value) == (2026, Decimal("2.00"))
    assert growth.pp_per_year == Decimal("0.17")  # 1.5 pp over 9 years
    assert growth.compound_growth_pct == Decimal("6.42")  # (3.5/2)**(1/9) - 1
    poland = required_growth(MemberState.objects.get(iso3="POL"))
    assert poland.already_met and poland.pp_per_year == 0
    assert required_growth(MemberState.objects.get(iso3="ISL")) is None
    # the starting figure says whether it is NATO's estimate (2026 is; 2024 in June 2024 too)
    assert growth.estimate and poland.estimate
    reported = required_growth(
        MemberState.objects.get(iso3="POL"), vintage=Vintage(as_of=datetime.date(2024, 4, 1))
    )
    assert (reported.from_year, reported.estimate) == (2023, True)


def test_ally_page_says_an_estimate_is_one_when_the_goal_is_already_met(client):
    html = client.get("/countries/poland/").content.decode()
    assert "NATO estimates that Poland already spends 4.68% of GDP (2026)" in html


def test_gap_in_money_uses_the_gdp_implied_by_the_figures():
    # 1% of GDP = 10,000 → GDP 1,000,000; reaching 2% needs another 10,000.
    assert gap_in_usd_million(Decimal("1"), Decimal("10000"), Decimal("2")) == Decimal("10000")
    assert gap_in_usd_million(Decimal("2.5"), Decimal("10000"), Decimal("2")) == 0


@pytest.mark.parametrize(
    ("edition", "as_of", "message"),
    [
        ("NOPE", None, "unknown edition"),
        (None, "2025-13-45", "YYYY-MM-DD"),
        (None, "yesterday", "YYYY-MM-DD"),
        ("NATO_DIE2026", "2025-01-01", "not both"),
        (
            None,
            "1999-01-01",
            "no edition had been published by 1999-01-01; the earliest held, "
            "NATO_SGAR2023_EXPRESSSTAR, was released on 14 March 2024",
        ),
    ],
)
def test_parse_vintage_rejects_bad_input_with_a_reason(edition, as_of, message):
    with pytest.raises(SelectionError, match=message):
        parse_vintage(edition, as_of)


def test_parse_vintage_accepts_blank_edition_or_date():
    assert parse_vintage("", "") == LATEST
    assert parse_vintage(None, "2025-04-30") == Vintage(as_of=datetime.date(2025, 4, 30))
    assert parse_vintage("NATO_DIE2026", None) == Vintage(edition="NATO_DIE2026")
