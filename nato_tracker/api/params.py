"""Query parameters: one value or several, and ``?ordering=``.

A parameter that takes one value given twice is a 400 (never "the last one wins"); parameters
that take several values (:class:`SeveralValuesWidget` in FilterSets, :class:`MultiValueField` in
query serializers) accept them repeated or comma separated. An unknown ``ordering`` value is a
400 naming the allowed ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters, serializers
from rest_framework.exceptions import ValidationError


def values_of(data: Any, name: str) -> list[str]:
    """Every value given for ``name`` (a parameter may be repeated in a query string)."""
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name) if isinstance(data, Mapping) else None
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def split_values(raw: Iterable[Any]) -> list[str]:
    """``["POL,USA", "DEU"]`` → ``["POL", "USA", "DEU"]`` (repeated and comma separated)."""
    return [part.strip() for item in raw for part in str(item).split(",") if part.strip()]


def repeated_message(name: str) -> str:
    return f"{name} takes one value: give it once."


def one_value_errors(data: Any, names: Iterable[str]) -> dict[str, list[str]]:
    """``{name: [message]}`` for each single-valued parameter given more than once."""
    return {name: [repeated_message(name)] for name in names if len(values_of(data, name)) > 1}


def one_value(request, name: str) -> str | None:
    """The value of a single-valued parameter; 400 when it is given more than once."""
    errors = one_value_errors(request.query_params, [name])
    if errors:
        raise ValidationError(errors)
    return request.query_params.get(name)


class SeveralValuesWidget(forms.TextInput):
    """A filter parameter that takes several values, repeated or comma separated."""

    def value_from_datadict(self, data, files, name):
        return split_values(values_of(data, name))

    def value_omitted_from_data(self, data, files, name):
        return not values_of(data, name)


class OneValueEachForm(forms.Form):
    """FilterSet forms: a single-valued parameter given twice is an error, not "last one wins"."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if name in self.data and not isinstance(field.widget, SeveralValuesWidget):
                for message in one_value_errors(self.data, [name]).get(name, []):
                    self.add_error(name, message)
        return cleaned


@extend_schema_field(OpenApiTypes.STR)
class MultiValueField(serializers.ListField):
    """A query parameter given repeatedly (``year=2023&year=2024``) or comma separated."""

    def get_value(self, dictionary):
        values = split_values(values_of(dictionary, self.field_name))
        return values or serializers.empty

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict):  # {index: [messages]} → flat messages naming the value
                messages = [
                    f"{data[int(index)]!r}: {message}"
                    for index, errors in detail.items()
                    for message in errors
                ]
                raise serializers.ValidationError(messages) from None
            raise


class QuerySerializer(serializers.Serializer):
    """Validates a view's query parameters; single-valued ones given twice are 400s."""

    def to_internal_value(self, data):
        if isinstance(data, QueryDict):
            single = [n for n, f in self.fields.items() if not isinstance(f, MultiValueField)]
            errors = one_value_errors(data, single)
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` on the listed fields (comma separated, ``-`` for descending), always ending
    with the primary key so that pages are stable; an unknown field is a 400 naming the allowed
    ones."""

    def allowed(self, queryset, view) -> list[str]:
        fields = [item[0] for item in self.get_valid_fields(queryset, view, {})]
        return [term for name in fields for term in (name, f"-{name}")]

    def filter_queryset(self, request, queryset, view):
        ordering = self.stable_ordering(request, queryset, view)
        return queryset.order_by(*ordering) if ordering else queryset

    def stable_ordering(self, request, queryset, view) -> list | None:
        """The terms the list is ordered by (the primary key last), None for no order; a 400
        for an unknown term."""
        raw = one_value(request, self.ordering_param)
        if raw is not None:
            terms = [term.strip() for term in raw.split(",")]
            allowed = self.allowed(queryset, view)
            unknown = [term for term in terms if term not in allowed]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering {', '.join(repr(t) for t in unknown)}; "
                            f"allowed: {', '.join(allowed)} (comma separated)."
                        ]
                    }
                )
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return [*ordering, "pk"] if "pk" not in ordering else list(ordering)
        return None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [f if isinstance(f, str) else f[0] for f in getattr(view, "ordering_fields", [])]
        term = f"-?(?:{'|'.join(re.escape(field) for field in fields)})"
        for parameter in parameters:
            parameter["description"] = (
                f"Sort by {', '.join(fields)} (prefix `-` for descending; comma separated for "
                "several). Anything else is a 400."
            )
            parameter["schema"]["pattern"] = f"^{term}(?:,{term})*$"
        return parameters
