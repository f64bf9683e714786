"""django-filter FilterSets for the official data; bad values come back as 400 with messages.

Shared filters (ally by ISO3 code, target by code, year within range) are used by the articles
API as well.
"""

from __future__ import annotations

import django_filters
from django import forms
from django_filters import fields as filter_fields

from spending.models import (
    FIRST_YEAR,
    LAST_YEAR,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
    Target,
)


class UpperCaseModelChoiceField(filter_fields.ModelChoiceField):
    """A code looked up case-insensitively (``usa`` is ``USA``)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class AllyFilter(django_filters.ModelChoiceFilter):
    """An ally by ISO 3166-1 alpha-3 code (case-insensitive); unknown code → 400."""

    field_class = UpperCaseModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", MemberState.objects.all())
        kwargs.setdefault("to_field_name", "iso3")
        kwargs.setdefault("help_text", "Ally by ISO3 code (`USA`, case-insensitive).")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "Unknown ally code %(value)s: give an ISO3 code such as USA."},
        )
        super().__init__(*args, **kwargs)


class TargetFilter(django_filters.ModelChoiceFilter):
    """A target by code (``2``, ``3.5``, ``5``, ``equipment-20``); unknown code → 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Target.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("help_text", "Target by code: `2`, `3`, `3.5`, `5`, `equipment-20`.")
        kwargs.setdefault("error_messages", {"invalid_choice": "Unknown target code %(value)s."})
        super().__init__(*args, **kwargs)


class SourceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Source.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("error_messages", {"invalid_choice": "Unknown source code %(value)s."})
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year between 1949 and 2100; anything else → 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or 1/0, yes/no); anything else is an error rather than ignored."""

    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return None if value == "" else value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Give true or false.", code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def _no_op(queryset, name, value):
    """For parameters the view reads itself (listed here to be validated and documented)."""
    return queryset


class AllyFilterSet(django_filters.FilterSet):
    member_in = YearFilter(
        method="filter_member_in", help_text="Only allies that were members in this year."
    )
    reports_figures = BooleanFilter(
        help_text="False only for Iceland (no armed forces, no NATO figures)."
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the name."
    )

    class Meta:
        model = MemberState
        fields = ["member_in", "reports_figures", "q"]

    def filter_member_in(self, queryset, name, value):
        return queryset.members_in_year(int(value))


class TargetFilterSet(django_filters.FilterSet):
    class Meta:
        model = Target
        fields = ["status", "metric"]


class SourceFilterSet(django_filters.FilterSet):
    is_nato_edition = BooleanFilter(
        help_text="True for NATO editions (the sources of official figures)."
    )
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")

    class Meta:
        model = Source
        fields = ["is_nato_edition", "published_after", "published_before"]


class FigureFilterSet(django_filters.FilterSet):
    ally = AllyFilter(field_name="member")
    year = YearFilter(help_text="Exactly this year.")
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text="From this year on.")
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text="Up to this year.")
    metric = django_filters.ChoiceFilter(choices=Metric.choices)
    source = SourceFilter(
        help_text="Only figures published in this source (implies `all_editions=true`)."
    )
    estimate = BooleanFilter(help_text="Estimates only (true) or none (false).")
    edition = django_filters.CharFilter(
        method=_no_op,
        help_text="Edition code (a source with `is_nato_edition`): the figures of that edition.",
    )
    as_of = django_filters.DateFilter(
        method=_no_op,
        help_text="YYYY-MM-DD: the figures current on that date (latest edition published by "
        "then). Cannot be combined with `edition`.",
    )
    all_editions = BooleanFilter(
        method=_no_op,
        help_text="True: every edition's value (history of restatements); default false: only "
        "the current figure per ally, year and metric.",
    )

    class Meta:
        model = SpendingFigure
        fields = [
            "ally",
            "year",
            "year_min",
            "year_max",
            "metric",
            "source",
            "estimate",
            "edition",
            "as_of",
            "all_editions",
        ]
