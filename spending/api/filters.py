"""django-filter FilterSets for the official data; bad values come back as 400 with messages.

Shared filters (allies by ISO3 code, target by code, year within range) and the base
:class:`ApiFilterSet` are used by the articles API as well. A filter takes one value unless it
says otherwise (``ally``, figures' ``metric``: repeated or comma separated, any of them);
a one-value filter given twice is a 400.
"""

from __future__ import annotations

import copy
import functools

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters import fields as filter_fields
from drf_spectacular.utils import extend_schema_field

from nato_tracker.api.params import OneValueEachForm, SeveralValuesWidget
from spending.api.serializers import normalise_iso3, unknown_ally_message
from spending.models import (
    ALLY_METRICS,
    FIRST_YEAR,
    LAST_YEAR,
    AggregateFigure,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
    Target,
)


class FilterTemplates(dict):
    """A FilterSet class's ``base_filters``, which django-filter's ``FilterSet.__init__``
    deep-copies for each request (then sets each copy's ``model`` and ``parent``). Here each
    filter is copied shallowly: a deep copy also copied each model filter's queryset (its
    whole ``Query``: ~0.25 ms of CPU per request for the statements' eight filters). A filter
    is not changed by a request other than its ``model``, ``parent`` and ``extra`` (a model
    filter writes its queryset there) and its form field (built on the copy; the form class
    is made once, :meth:`ApiFilterSet.get_form_class`)."""

    def __deepcopy__(self, memo):
        return {name: _copy_filter(base) for name, base in self.items()}


def shallow_copy(obj):
    """``copy.copy(obj)`` for an object that keeps its state in its ``__dict__`` and changes
    nothing of how it is copied (no ``__copy__``, ``__reduce_ex__``, ``__reduce__``,
    ``__getstate__``, ``__setstate__`` or ``__slots__`` of its own: filters, form fields): the
    same copy without the pickle protocol's steps (half the time); any other object is given
    to ``copy.copy``."""
    cls = type(obj)
    state = getattr(obj, "__dict__", None) if _keeps_plain_state(cls) else None
    if state is None:
        return copy.copy(obj)
    new = object.__new__(cls)
    new.__dict__.update(state)
    return new


@functools.lru_cache(maxsize=512)
def _keeps_plain_state(cls: type) -> bool:
    """Whether ``cls`` changes nothing of how its instances are copied (see
    :func:`shallow_copy`); answered once per class (the filters' and form fields' classes are
    made once; a class changed after its first copy is not looked at again)."""
    return not (
        hasattr(cls, "__copy__")
        or hasattr(cls, "__setstate__")
        or cls.__reduce_ex__ is not object.__reduce_ex__
        or cls.__reduce__ is not object.__reduce__
        or cls.__getstate__ is not object.__getstate__
        or hasattr(cls, "__slots__")
    )


def _copy_filter(base: django_filters.Filter) -> django_filters.Filter:
    """A request's copy of a filter: its own ``extra`` and its ``method`` bound to the copy
    (whose ``parent`` django-filter sets)."""
    filter_ = shallow_copy(base)
    filter_.extra = dict(base.extra)
    if filter_.method is not None:
        filter_.method = filter_.method  # a new FilterMethod, calling the copy's parent
    return filter_


class ApiFilterSet(django_filters.FilterSet):
    """Every API FilterSet: a one-value parameter given more than once is a 400; its parameters
    are listed in the order of ``Meta.fields`` (also those declared on a base FilterSet); its
    ``base_filters`` are copied for each request without their querysets
    (:class:`FilterTemplates`)."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        order = list(getattr(cls._meta, "fields", None) or [])
        if not isinstance(order, list):
            return FilterTemplates(filters)
        rank = {name: index for index, name in enumerate(order)}
        return FilterTemplates(
            sorted(filters.items(), key=lambda item: rank.get(item[0], len(order)))
        )

    def get_form_class(self):
        """The form of this FilterSet class, made once per class (django-filter makes a new
        class for every request: ~0.4 ms of CPU each), unless a filter's choices depend on the
        request (a callable ``queryset``)."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class = type(
                form_class.__name__, (OneValueEachForm, DateRangeForm, form_class), {}
            )
            form_class.base_fields = _FieldsCopiedShallowly(form_class.base_fields)
            if not any(callable(getattr(f, "queryset", None)) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class


class _FieldsCopiedShallowly(dict):
    """A FilterSet form class's ``base_fields``, which Django's form deep-copies for each form
    (each field with its widget, choices, and a model field's queryset cloned: ~0.3 ms of CPU
    per request for the statements' eight): here each form gets a shallow copy of each field.
    Validating a filter form changes no field; a model field's queryset is only cloned by its
    lookups (``get``, ``filter``) or read with ``iterator()`` by its choices, never kept
    evaluated."""

    def __deepcopy__(self, memo) -> dict:
        return {name: shallow_copy(field) for name, field in self.items()}


class DateRangeForm(forms.Form):
    """``X_after`` later than ``X_before`` (``published_after=2025-07-01&published_before=
    2025-01-01``) is an error, not an empty list."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if not name.endswith("_after"):
                continue
            before = name.removesuffix("_after") + "_before"
            start, end = cleaned.get(name), cleaned.get(before)
            if start and end and start > end:
                self.add_error(before, f"{before} must not be earlier than {name}.")
        return cleaned


class AllyChoiceField(filter_fields.ModelMultipleChoiceField):
    """Allies by ISO3 code in any case (``usa`` is ``USA``) or by the slug of their page
    (``poland``, as the links of the ally pages say)."""

    def clean(self, value):
        if value and isinstance(value, list | tuple):
            codes = [normalise_iso3(v) if isinstance(v, str) else v for v in value]
            by_slug = dict(
                MemberState.objects.filter(slug__in=[str(v).strip().lower() for v in value])
                .exclude(iso3__in=codes)
                .values_list("slug", "iso3")
            )
            value = [
                by_slug.get(str(raw).strip().lower(), code)
                for raw, code in zip(value, codes, strict=True)
            ]
        return super().clean(value)


class AllyFilter(django_filters.ModelMultipleChoiceFilter):
    """Allies by ISO 3166-1 alpha-3 code, any case, or page slug (``poland``), repeated or comma
    separated (any of them); an unknown code → 400. ``many_to_many``: the field is a
    many-to-many relation (a row about several allies is still listed once)."""

    field_class = AllyChoiceField

    def __init__(self, *args, many_to_many: bool = False, **kwargs):
        self.many_to_many = many_to_many
        kwargs.setdefault("queryset", MemberState.objects.all())
        kwargs.setdefault("to_field_name", "iso3")
        kwargs.setdefault("widget", SeveralValuesWidget)
        kwargs.setdefault(
            "help_text",
            "Ally by ISO3 code (`USA`, any case) or page slug (`united-states`); several "
            "repeated or comma separated (`POL,USA`): any of them.",
        )
        kwargs.setdefault("error_messages", {"invalid_choice": unknown_ally_message("%(value)s")})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if isinstance(value, QuerySet) and value.query.is_empty():
            return qs  # no ally given (the field's ``none()``): nothing to read or to filter
        if not value:
            return qs
        lookup = {f"{self.field_name}__in": list(value)}
        if self.many_to_many:
            return qs.filter(pk__in=qs.model.objects.filter(**lookup).values("pk"))
        return qs.filter(**lookup)


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


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
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


class SeveralChoicesFilter(django_filters.MultipleChoiceFilter):
    """Choices, repeated or comma separated (any of them)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SeveralValuesWidget)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


def _no_op(queryset, name, value):
    """For parameters the view reads itself (listed here to be validated and documented)."""
    return queryset


class AllyFilterSet(ApiFilterSet):
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


class TargetFilterSet(ApiFilterSet):
    class Meta:
        model = Target
        fields = ["status", "metric"]


class SourceFilterSet(ApiFilterSet):
    is_nato_edition = BooleanFilter(
        help_text="True for NATO editions (the sources of official figures)."
    )
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")

    class Meta:
        model = Source
        fields = ["is_nato_edition", "published_after", "published_before"]


class VintageFilterSet(ApiFilterSet):
    """The filters of every list of NATO's figures (allies' and the alliance totals'): years,
    the source, estimates and the vintage (``edition``, ``as_of``, ``all_editions``, read by the
    view: :func:`spending.api.views.vintage_from_request`)."""

    year = YearFilter(help_text="Exactly this year.")
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text="From this year on.")
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text="Up to this year.")
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
        "the figure in force per series (ally or area), year and metric.",
    )


#: The parameters of a list of figures after its series (``ally``, ``area``), in order.
VINTAGE_FIELDS = [
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


class FigureFilterSet(VintageFilterSet):
    ally = AllyFilter(field_name="member")
    metric = SeveralChoicesFilter(
        choices=[c for c in Metric.choices if c[0] in ALLY_METRICS],
        help_text="Metric: `pct_gdp`, `spending_usd` (US$ million, current prices) or "
        "`equipment_share`; several repeated or comma separated (`pct_gdp,spending_usd`). "
        "Constant-2021-price spending (`spending_usd_2021`) is held for the alliance totals "
        "only (`/api/v1/aggregates/`): asked for here it is a 400, not an empty list.",
        error_messages={
            "invalid_choice": "%(value)s is not a metric of an ally's figures (pct_gdp, "
            "spending_usd, equipment_share); spending_usd_2021 (constant 2021 prices) is held "
            "for the alliance totals only: /api/v1/aggregates/?metric=spending_usd_2021."
        },
    )

    class Meta:
        model = SpendingFigure
        fields = ["ally", *VINTAGE_FIELDS]


class AggregateFilterSet(VintageFilterSet):
    area = SeveralChoicesFilter(
        choices=AggregateFigure.Area.choices,
        help_text="`NATO_TOTAL` or `NATO_EUROPE_CANADA`; both repeated or comma separated.",
    )
    metric = SeveralChoicesFilter(
        choices=[c for c in Metric.choices if c[0] != Metric.EQUIPMENT_SHARE],
        help_text="`pct_gdp`, `spending_usd` (US$ million, current prices) or "
        "`spending_usd_2021` (constant 2021 prices); several repeated or comma separated.",
    )

    class Meta:
        model = AggregateFigure
        fields = ["area", *VINTAGE_FIELDS]
