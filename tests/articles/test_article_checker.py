"""``articles.checks.ArticleChecker``: one article's rows checked twice, as a typed result that
the ingestion and ``recheck_claims`` store with :meth:`ClaimChecks.apply_to`."""

from __future__ import annotations

import datetime
import typing

import pytest

from articles import checks
from articles.models import ReportedFigure
from spending.models import MemberState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def poland_2024(published: datetime.date) -> tuple[ReportedFigure, checks.ClaimChecks]:
    """An article of ``published`` saying Poland spent 4.12% of GDP in 2024, and its checks."""
    article = ArticleFactory(published=published)
    row = ReportedFigure(
        article=article,
        member=MemberState.objects.get(iso3="POL"),
        year=2024,
        metric="pct_gdp",
        value=4.12,
    )
    return row, checks.ArticleChecker(checks.CheckBases(), published).check(row)


def test_a_figure_gets_both_checks_and_the_verdict_that_counts():
    row, found = poland_2024(datetime.date(2025, 6, 1))
    assert isinstance(found, checks.ClaimChecks)
    assert set(typing.get_type_hints(checks.StoredCheck)) >= {"verdict", "as_of", "detail"}
    assert found.as_published["as_of"] == "2025-04-24"  # the last release by that date
    assert found.latest["as_of"] is None
    assert found.verdict == found.as_published["verdict"]
    assert row.verdict == ""  # checking stores nothing
    assert found.apply_to(row) is True
    assert (row.check_as_published, row.check_latest, row.verdict) == (
        found.as_published,
        found.latest,
        found.verdict,
    )
    assert found.apply_to(row) is False  # the same checks again: nothing changed


def test_an_article_dated_before_any_edition_counts_the_latest_check():
    _row, found = poland_2024(datetime.date(2000, 1, 1))
    assert found.as_published["verdict"] == checks.NO_OFFICIAL
    assert found.verdict == found.latest["verdict"] != checks.NO_OFFICIAL
