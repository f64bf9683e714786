"""django-filter FilterSets for statements, speakers and articles."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from articles.models import (
    PUBLIC_REVIEW_STATUSES,
    Article,
    ReviewStatus,
    Speaker,
    Statement,
    StatementLink,
)
from articles.selectors import filter_statements_by_words
from spending.api.filters import AllyFilter, ApiFilterSet, TargetFilter

PUBLIC_STATUSES = [(s, ReviewStatus(s).label) for s in PUBLIC_REVIEW_STATUSES]


class StatementFilterSet(ApiFilterSet):
    speaker = django_filters.ModelChoiceFilter(
        queryset=Speaker.objects.all(),
        to_field_name="slug",
        help_text="Speaker slug (see /api/v1/speakers/).",
        error_messages={"invalid_choice": "Unknown speaker %(value)s."},
    )
    ally = AllyFilter(
        field_name="members",
        many_to_many=True,
        help_text="Statements about this ally (ISO3 code, any case); several repeated or comma "
        "separated (`POL,USA`): about any of them.",
    )
    target = TargetFilter(field_name="targets", help_text="Statements mentioning this target.")
    article = django_filters.ModelChoiceFilter(
        queryset=Article.objects.all(),
        help_text="Article id.",
        error_messages={"invalid_choice": "Unknown article %(value)s."},
    )
    published_after = django_filters.DateFilter(
        field_name="article__published",
        lookup_expr="gte",
        help_text="Published on or after.",
    )
    published_before = django_filters.DateFilter(
        field_name="article__published",
        lookup_expr="lte",
        help_text="Published on or before.",
    )
    q = django_filters.CharFilter(
        method="search",
        help_text="Every word must appear in the quote or the speaker's name (as written or "
        "the person's).",
    )
    review_status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES)

    class Meta:
        model = Statement
        fields = [
            "speaker",
            "ally",
            "target",
            "article",
            "published_after",
            "published_before",
            "q",
            "review_status",
        ]

    def search(self, queryset, name, value):
        return filter_statements_by_words(queryset, value)


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
