"""Database constraints hold even when Python is bypassed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from spending.models import MemberState, Metric, SpendingFigure
from tests.factories import MemberStateFactory, SourceFactory, SpendingFigureFactory

pytestmark = pytest.mark.django_db


def assert_rejected(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingFigure.objects.create(**kwargs)


def test_iso3_must_be_three_capital_letters():
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberStateFactory(iso3="usa")


def test_percentages_are_between_0_and_100_and_values_non_negative():
    member, source = MemberStateFactory(), SourceFactory()
    base = {"member": member, "year": 2024, "source": source}
    assert_rejected(**base, metric=Metric.PCT_GDP, value=Decimal("100.5"))
    assert_rejected(**base, metric=Metric.EQUIPMENT_SHARE, value=Decimal("101"))
    assert_rejected(**base, metric=Metric.SPENDING_USD, value=Decimal("-1"))
    assert_rejected(member=member, source=source, metric=Metric.PCT_GDP, value=1, year=1800)
    SpendingFigure.objects.create(**base, metric=Metric.SPENDING_USD, value=Decimal("123456"))


def test_one_value_per_ally_year_metric_and_source():
    figure = SpendingFigureFactory()
    assert_rejected(
        member=figure.member, year=figure.year, metric=figure.metric, source=figure.source, value=1
    )


def test_slug_is_made_from_the_name():
    assert MemberState.objects.get(iso3="USA").slug == "united-states"
    assert MemberState.objects.get(iso3="MKD").slug == "north-macedonia"
    assert MemberState.objects.get(iso3="TUR").slug == "turkiye"


def test_figures_are_ordered_oldest_edition_first_and_undated_sources_last_on_every_database():
    """``SpendingFigure.Meta.ordering`` says where a source without a release date goes (last):
    PostgreSQL sorts NULL last and SQLite first unless told. The suite runs on both."""
    member = MemberStateFactory()
    newer = SourceFactory(code="T_NEWER", published=datetime.date(2031, 1, 1))
    older = SourceFactory(code="T_OLDER", published=datetime.date(2030, 1, 1))
    undated_b = SourceFactory(code="T_UNDATED_B", is_nato_edition=False)
    undated_a = SourceFactory(code="T_UNDATED_A", is_nato_edition=False)
    for source in (undated_b, newer, undated_a, older):
        SpendingFigureFactory(member=member, source=source)
    assert undated_a.edition_published is None and undated_b.edition_published is None
    order = SpendingFigure.objects.filter(member=member).values_list("source__code", flat=True)
    assert list(order) == ["T_OLDER", "T_NEWER", "T_UNDATED_A", "T_UNDATED_B"]
