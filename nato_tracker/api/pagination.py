"""Pagination of every API list: ``?page=`` and ``?page_size=``, strictly read."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from nato_tracker.paginator import RowsFirstPaginator

from .params import one_value_errors


class StandardPagination(PageNumberPagination):
    """``?page=N`` (1-based) and ``?page_size=`` (default 50, at most 500).

    ``page`` that is not a whole number from 1 (or ``last``), or ``page_size`` that is not a
    whole number from 1, is a 400; a page past the end is a 404 ``Invalid page.``.
    """

    django_paginator_class = RowsFirstPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def validate(self, request) -> None:
        errors: dict[str, list[str]] = one_value_errors(
            request.query_params, [self.page_query_param, self.page_size_query_param]
        )
        page = request.query_params.get(self.page_query_param)
        if page not in (None, "") and page not in self.last_page_strings and not _whole(page):
            errors.setdefault(self.page_query_param, []).append(
                f"page must be a whole number from 1 (or 'last'), not {page[:20]!r}."
            )
        size = request.query_params.get(self.page_size_query_param)
        if size not in (None, "") and not _whole(size):
            errors.setdefault(self.page_size_query_param, []).append(
                f"page_size must be a whole number from 1 (at most {self.max_page_size} are "
                f"used), not {size[:20]!r}."
            )
        if errors:
            raise ValidationError(errors)

    def paginate_queryset(self, queryset, request, view=None):
        self.validate(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Page number from 1 (or `last`)."
            else:
                parameter["description"] = (
                    f"Rows per page from 1 (default {self.page_size}; more than "
                    f"{self.max_page_size} gives {self.max_page_size})."
                )
        return parameters


def _whole(text: str) -> bool:
    """A whole number from 1, written with ASCII digits only."""
    return text.isascii() and text.isdigit() and int(text) >= 1
