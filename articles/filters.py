"""The filters of the statements list, one definition for the page and the API.

django-filter works outside DRF: the statements page (:func:`articles.views.statements`)
validates its query with :class:`StatementFilterSet` and shows ``form.cleaned_data`` in its
form; the API's statements list (:class:`articles.api.views.StatementViewSet`) uses it as its
``filterset_class``. Bad values are errors naming the parameter (a 400 in both).
"""

from __future__ import annotations

import django_filters

from articles.models import PUBLIC_REVIEW_STATUSES, Article, ReviewStatus, Speaker, Statement
from articles.selectors import filter_statements_by_words
from spending.api.filters import AllyFilter, ApiFilterSet, TargetFilter

PUBLIC_STATUSES = [(s, ReviewStatus(s).label) for s in PUBLIC_REVIEW_STATUSES]


class StatementFilterSet(ApiFilterSet):
    """THE filters of the statements list, for the page (``/statements/``) and the API
    (``/api/v1/statements/``) alike: the same parameter names, values and errors. The
    queryset given is filtered (the public statements); the caller orders."""

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
        queryset=Article.objects.public(),
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
