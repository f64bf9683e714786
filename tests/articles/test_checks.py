"""Checks of reported numbers against the official figures."""

from __future__ import annotations

import datetime

import pytest

from articles import checks
from articles.checks import CheckBasis
from spending.models import MemberState
from spending.selectors import LATEST, Vintage


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.19, 0.005), (3.2, 0.05), (2.0, 0.5), (1.3e12, 5e10), (968e9, 5e8), (22, 0.5)],
)
def test_tolerance_is_half_a_unit_of_the_last_digit_given(value, expected):
    assert checks.tolerance(value) == pytest.approx(expected)


@pytest.mark.django_db
def test_figure_check_matches_to_the_precision_given():
    poland = MemberState.objects.get(iso3="POL")  # 3.75 in 2024, latest edition
    assert (
        checks.check_figure(
            CheckBasis(LATEST), member=poland, year=2024, metric="pct_gdp", value=3.8
        )["verdict"]
        == "matches"
    )
    differs = checks.check_figure(
        CheckBasis(LATEST), member=poland, year=2024, metric="pct_gdp", value=4.12
    )
    assert differs["verdict"] == "differs"
    assert differs["difference"] == pytest.approx(0.37)
    assert differs["source_code"] == "NATO_DIE2026"
    whole = checks.check_figure(
        CheckBasis(LATEST), member=poland, year=2024, metric="pct_gdp", value=4.0
    )
    assert whole["verdict"] == "differs"  # "4%" is not 3.75%
    june_2024 = Vintage(as_of=datetime.date(2024, 6, 30))
    assert (
        checks.check_figure(
            CheckBasis(june_2024), member=poland, year=2024, metric="pct_gdp", value=4.12
        )["verdict"]
        == "matches"
    )


@pytest.mark.django_db
def test_money_figures_are_compared_in_units():
    usa = MemberState.objects.get(iso3="USA")  # 967,707 US$ million in 2024
    result = checks.check_figure(
        CheckBasis(LATEST), member=usa, year=2024, metric="spending_usd", value=968e9
    )
    assert result["verdict"] == "matches"
    assert result["official_value"] == 967_707e6  # in US$, like the reported value
    assert result["detail"].startswith("Matches NATO's figure of US$968 billion for 2024 (")
    off = checks.check_figure(
        CheckBasis(LATEST), member=usa, year=2024, metric="spending_usd", value=1.1e12
    )
    assert off["detail"].startswith("Differs by +US$132 billion from NATO's figure of US$968")
    assert (
        checks.check_figure(
            CheckBasis(LATEST), member=usa, year=2024, metric="spending_eur", value=9e11
        )["verdict"]
        == "no_official"
    )


@pytest.mark.django_db
def test_no_official_figure_for_iceland_or_a_missing_year():
    iceland = MemberState.objects.get(iso3="ISL")
    assert (
        checks.check_figure(
            CheckBasis(LATEST), member=iceland, year=2024, metric="pct_gdp", value=0.1
        )["verdict"]
        == "no_official"
    )
    usa = MemberState.objects.get(iso3="USA")
    assert (
        checks.check_figure(CheckBasis(LATEST), member=usa, year=None, metric="pct_gdp", value=3.0)[
            "verdict"
        ]
        == "no_official"
    )


@pytest.mark.django_db
def test_count_and_total_claims():
    edition = Vintage(edition="NATO_DE2024_GRAPHICNEWS")
    assert (
        checks.check_count_meeting(CheckBasis(edition), target_pct=2.0, year=2024, count=23, of=32)[
            "verdict"
        ]
        == "matches"
    )
    assert (
        checks.check_count_meeting(CheckBasis(LATEST), target_pct=2.0, year=2024, count=23, of=32)[
            "verdict"
        ]
        == "differs"
    )
    total = checks.check_total_spending(
        CheckBasis(LATEST), year=2024, value=1.48e12, currency="USD"
    )
    assert total["verdict"] == "matches"


@pytest.mark.django_db
def test_a_basis_counts_who_met_a_target_once_for_many_count_claims(monkeypatch):
    """Count claims of a batch are checked against the same years many times: the count of
    allies meeting a target is made once per basis, target and year."""
    from spending import selectors

    calls = []

    def counting(rows):
        calls.append(1)
        return selectors.summarise(rows)

    monkeypatch.setattr(checks, "summarise", counting)
    basis = CheckBasis(LATEST)
    meeting = basis.summary(basis.target(2.0), 2024).meeting
    for _ in range(2):
        right = checks.check_count_meeting(basis, target_pct=2.0, year=2024, count=meeting, of=32)
        assert right["verdict"] == "matches"
    # A count that differs is also tried on the neighbouring years, 2023 and 2025: once each.
    for wrong in (meeting - 9, meeting - 8):
        checks.check_count_meeting(basis, target_pct=2.0, year=2024, count=wrong, of=32)
    assert len(calls) == 3


def test_consistency_problems_spot_counts_that_do_not_add_up():
    claims = [{"kind": "count_meeting", "target_pct": 2.0, "year": 2023, "count": 22, "of": 32}]
    lists = [{"target_pct": 2.0, "year": 2023, "meets": False, "countries": ["BEL"] * 9}]
    assert checks.consistency_problems(claims, lists) == [
        "The article says 22 of 32 allies met 2% but lists 9 that missed it: 22 + 9 = 31, not 32."
    ]
    lists[0]["countries"] = ["BEL"] * 10
    assert checks.consistency_problems(claims, lists) == []
