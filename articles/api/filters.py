"""django-filter FilterSets for speakers, articles and links; statements' is shared with the
page (:mod:`articles.filters`)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from articles.models import Article, Speaker, Statement, StatementLink
from spending.api.filters import ApiFilterSet


class SpeakerFilterSet(ApiFilterSet):
    q = django_filters.CharFilter(method="search", help_text="Part of the name or an alias.")

    class Meta:
        model = Speaker
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        matching = Speaker.objects.filter(
            Q(name__icontains=value) | Q(aliases__alias__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)


class ArticleFilterSet(ApiFilterSet):
    publisher = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", help_text="Words in the title."
    )

    class Meta:
        model = Article
        fields = ["publisher", "published_after", "published_before", "q"]


class StatementLinkFilterSet(ApiFilterSet):
    statement = django_filters.ModelChoiceFilter(
        queryset=Statement.objects.all(),
        help_text="Statement id.",
        error_messages={"invalid_choice": "Unknown statement %(value)s."},
    )

    class Meta:
        model = StatementLink
        fields = ["statement"]
