"""The editor's "link another figure" form: only what an ally has, one clear error each."""

from __future__ import annotations

import pytest

from articles.forms import LinkForm
from spending.models import MemberState

pytestmark = pytest.mark.django_db


def finland(**data) -> LinkForm:
    return LinkForm(data={"member": MemberState.objects.get(iso3="FIN").pk, **data})


def test_the_metrics_offered_are_those_an_ally_has():
    offered = [value for value, _ in LinkForm().fields["metric"].choices]
    assert offered == ["pct_gdp", "spending_usd", "equipment_share"]
    form = finland(year="2024", metric="spending_usd_2021")
    assert not form.is_valid()
    assert "metric" in form.errors


def test_a_year_out_of_range_gets_one_error_that_says_why():
    form = finland(year="1900", metric="pct_gdp")
    assert not form.is_valid()
    assert form.errors == {"year": ["Ensure this value is greater than or equal to 1949."]}


def test_no_year_and_no_figure_are_said_plainly():
    assert finland(metric="pct_gdp").errors == {"__all__": ["Give the year of the ally's figure."]}
    assert finland(year="2013", metric="pct_gdp").errors == {
        "__all__": ["NATO publishes no such figure for Finland in 2013."]
    }
    assert finland(year="2024", metric="pct_gdp").is_valid()


def test_the_netherlands_inside_the_message():
    form = LinkForm(data={"member": MemberState.objects.get(iso3="NLD").pk, "year": "2013"})
    assert form.errors == {
        "__all__": ["NATO publishes no such figure for the Netherlands in 2013."]
    }
