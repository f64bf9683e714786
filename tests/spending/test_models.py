"""Database constraints hold even when Python is bypassed."""

from __future__ import annotations

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
