"""A FilterSet's form class is made once per FilterSet class (django-filter makes one per
request), each class its own, and its forms still validate each request on its own."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from articles.filters import StatementFilterSet
from spending.api.filters import AggregateFilterSet, FigureFilterSet

pytestmark = pytest.mark.django_db


def test_one_form_class_per_filterset_class():
    first, second = StatementFilterSet(QueryDict("")), StatementFilterSet(QueryDict("q=spend"))
    assert type(first.form) is type(second.form)
    figures = FigureFilterSet(QueryDict("")).form
    aggregates = AggregateFilterSet(QueryDict("")).form
    assert type(figures) is not type(aggregates)
    assert "ally" in figures.fields and "area" in aggregates.fields


def test_forms_of_one_class_validate_each_request_alone():
    good = StatementFilterSet(QueryDict("ally=POL,usa&target=2"))
    bad = StatementFilterSet(QueryDict("ally=ZZZ&speaker=a&speaker=b"))
    assert good.is_valid() and not bad.is_valid()
    assert sorted(m.iso3 for m in good.form.cleaned_data["ally"]) == ["POL", "USA"]
    assert set(bad.errors) == {"ally", "speaker"}
    assert StatementFilterSet(QueryDict("")).is_valid()


def test_filtering_without_an_ally_evaluates_no_queryset(monkeypatch):
    """The ally field's empty answer is ``MemberState.objects.none()``: asking whether it is
    empty must not run it (0.5 ms of CPU per request through the ORM for nothing)."""
    from django.db.models import QuerySet

    from articles.models import Statement

    search = StatementFilterSet(QueryDict(""), queryset=Statement.objects.public())
    assert search.is_valid()

    def refuse(self):
        raise AssertionError("a queryset was evaluated")

    monkeypatch.setattr(QuerySet, "_fetch_all", refuse)
    assert search.qs.model is Statement


def test_filters_are_copied_per_request_without_copying_their_querysets(monkeypatch):
    """Each FilterSet has its own filters (its ``parent``, ``model``, ``extra``, a ``method``
    calling its own FilterSet) while the class's filters stay untouched; the model filters'
    querysets are not deep-copied (a copy of their whole query on every request)."""
    from django.db.models import QuerySet

    from articles.models import Statement

    def no_deep_copy(self, memo):
        raise AssertionError("a filter's queryset was deep-copied")

    monkeypatch.setattr(QuerySet, "__deepcopy__", no_deep_copy)
    first = StatementFilterSet(QueryDict("q=spend"), queryset=Statement.objects.public())
    second = StatementFilterSet(QueryDict("q=rutte"), queryset=Statement.objects.public())
    for name, base in StatementFilterSet.base_filters.items():
        one, other = first.filters[name], second.filters[name]
        assert one is not base and one is not other
        assert one.parent is first and other.parent is second and one.model is Statement
        assert one.extra == base.extra and one.extra is not base.extra
        assert "parent" not in vars(base)
    assert first.filters["q"].filter.f is first.filters["q"]  # the method: first's search
    assert first.is_valid() and second.is_valid()
    assert str(first.qs.query) != str(second.qs.query)


def test_filtersets_are_built_by_django_filters_own_init(monkeypatch):
    """No copy of django-filter's ``FilterSet.__init__`` to keep in step with it: only the
    copy of ``base_filters`` (:class:`spending.api.filters.FilterTemplates`) is ours."""
    import django_filters

    built = []
    init = django_filters.FilterSet.__init__

    def spy(self, *args, **kwargs):
        built.append(type(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(django_filters.FilterSet, "__init__", spy)
    search = StatementFilterSet(QueryDict("q=spend"))
    assert built == [StatementFilterSet]
    assert search.filters["q"].parent is search and search.is_valid()


def test_each_form_has_its_own_fields_copied_without_deep_copies(monkeypatch):
    """Django deep-copies a form's fields for each form (widgets, choices, the model fields'
    querysets); a filter form gets each field shallowly copied: its own field objects, the
    class's untouched."""
    from django import forms

    def no_deep_copy(self, memo):
        raise AssertionError("a form field was deep-copied")

    monkeypatch.setattr(forms.Field, "__deepcopy__", no_deep_copy)
    first = StatementFilterSet(QueryDict("ally=POL&speaker=nobody"))
    second = StatementFilterSet(QueryDict("target=2"))
    assert not first.is_valid() and second.is_valid()
    assert set(first.errors) == {"speaker"} and not second.errors
    base = type(first.form).base_fields
    for name, field in first.form.fields.items():
        assert field is not base[name] and field is not second.form.fields[name]
        assert type(field) is type(base[name])
    assert second.form.cleaned_data["target"].code == "2"


def test_filters_and_fields_are_copied_as_copy_copy_copies_them():
    """``shallow_copy``: the copy ``copy.copy`` makes (same class, same attributes, a new
    object) for the filters and form fields; an object that changes how it is copied is left
    to ``copy.copy``."""
    import copy

    from spending.api.filters import shallow_copy

    form_fields = type(StatementFilterSet(QueryDict("")).form).base_fields
    for original in (*StatementFilterSet.base_filters.values(), *form_fields.values()):
        copied, expected = shallow_copy(original), copy.copy(original)
        assert copied is not original and type(copied) is type(expected)
        assert vars(copied) == vars(expected)

    class Counted:
        copies = 0

        def __copy__(self):
            Counted.copies += 1
            return Counted()

    class Slotted:
        __slots__ = ("value",)

    slotted = Slotted()
    slotted.value = 3
    assert isinstance(shallow_copy(Counted()), Counted) and Counted.copies == 1
    assert shallow_copy(slotted).value == 3
