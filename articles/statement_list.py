"""The statements page's list for a set of filters, compiled once per shape of the filters.

The rule stays :class:`articles.filters.StatementFilterSet`'s (the API's filters) and
:data:`articles.selectors.STATEMENTS_NEWEST_FIRST`'s order: the list is that FilterSet's
queryset, newest first, as :func:`articles.api.rows.statement_values`. Building and compiling
it (the filters, the search's words, the order, 17 columns over two joins) cost more CPU than
the database takes to answer, twice per page (count and rows). Here it is compiled by the ORM
once per process for each *shape* of the filters used (which filters, how many allies, how many
words of a search and which are numbers) with stand-in values, and run again with the
request's (:class:`nato_tracker.compiled.ShapedQuery`). ``tests/pages/test_statement_list.py``
compares the SQL, parameters and rows with the ORM's for every filter.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Model, QuerySet

from articles.api.rows import statement_values
from articles.filters import StatementFilterSet
from articles.models import Article, Speaker, Statement
from articles.selectors import STATEMENTS_NEWEST_FIRST, search_words, word_pattern
from articles.statement_reads import with_reads
from nato_tracker.compiled import ShapedQuery
from spending.models import MemberState, Target

#: Stand-in values no row has (and no constant of the query is).
_STAND_IN = 7_000_000_000_000
_STAND_IN_DAY = datetime.date(1, 1, 1)
#: The instance a model filter's stand-in is, by filter.
_MODELS = {"speaker": Speaker, "target": Target, "article": Article}
#: A shape's entry naming an order other than newest first (no parameters).
_ORDERING = "ordering"


def given(value) -> bool:
    """Whether a FilterSet's cleaned value was given: the ally field's ``none()`` (no ally)
    is not, without running it through the ORM to find it empty."""
    if isinstance(value, QuerySet):
        return not value.query.is_empty() and bool(value)
    return bool(value)


def _shape_and_params(filters: dict) -> tuple[tuple, list]:
    """The shape of a FilterSet's ``cleaned_data`` and its values as query parameters, in the
    FilterSet's order: a model's pk, each ally's pk, each word of a search and its
    :func:`~articles.selectors.word_pattern`, a date, a text."""
    shape, params = [], []
    for name, value in filters.items():
        if name == "q":
            words = search_words(value)
            if words:
                shape.append(("q", *(word[:1].isdigit() for word in words)))
                params += [part for word in words for part in (word, word_pattern(word))]
        elif not given(value):
            continue
        elif name == "ally":
            allies = list(value)
            shape.append(("ally", len(allies)))
            params += [ally.pk for ally in allies]
        elif isinstance(value, Model):
            shape.append((name,))
            params.append(value.pk)
        else:
            shape.append((name,))
            params.append(value)
    return tuple(shape), params


def _stand_ins(shape: tuple) -> list:
    """Parameters of ``shape`` that no real ones equal (a number is a number: the words'
    patterns differ)."""
    out: list = []
    for name, *rest in shape:
        index = len(out)
        if name == _ORDERING:
            continue
        if name == "q":
            for number in rest:
                word = f"{9 if number else 'x'}standin{len(out)}q"
                out += [word, word_pattern(word)]
        elif name == "ally":
            out += [-_STAND_IN - index - i for i in range(rest[0])]
        elif name in _MODELS:
            out.append(-_STAND_IN - index)
        elif name.startswith("published"):
            out.append(_STAND_IN_DAY + datetime.timedelta(days=index))
        else:
            out.append(f"standin{index}q")
    return out


def _filters(shape: tuple, params: list) -> dict:
    """The ``cleaned_data`` that ``params`` of ``shape`` stand for."""
    filters, at = {}, 0
    for name, *rest in shape:
        if name == _ORDERING:
            continue
        if name == "q":
            filters[name] = " ".join(params[at : at + 2 * len(rest) : 2])
            at += 2 * len(rest)
        elif name == "ally":
            filters[name] = [MemberState(pk=pk) for pk in params[at : at + rest[0]]]
            at += rest[0]
        elif name in _MODELS:
            filters[name] = _MODELS[name](pk=params[at])
            at += 1
        else:
            filters[name] = params[at]
            at += 1
    return filters


def _build(shape: tuple, params: list) -> QuerySet:
    """The FilterSet's filters applied as ``filter_queryset`` applies them, newest first or in
    the shape's ordering."""
    search = StatementFilterSet(queryset=Statement.objects.public())
    queryset = search.queryset
    for name, value in _filters(shape, params).items():
        queryset = search.filters[name].filter(queryset, value)
    ordering = next((rest for name, *rest in shape if name == _ORDERING), STATEMENTS_NEWEST_FIRST)
    # On PostgreSQL the rows carry their allies, targets and links: no second query for them.
    # Only here, where the query is compiled once per shape (building and compiling the three
    # subqueries costs more than the round trip they save on a page read through the ORM).
    return with_reads(statement_values(queryset.order_by(*ordering)))


#: The statements page's list, compiled once per shape of its filters.
STATEMENT_LIST = ShapedQuery(_build, _stand_ins)


class FilteredStatements:
    """The statements a valid FilterSet's ``cleaned_data`` selects, newest first (or in
    ``ordering``: the API's ``?ordering=``), as the values of
    :func:`~articles.api.rows.statement_values`: sliced and counted as a list (for a
    paginator), each a query compiled once per shape of the filters and ordering."""

    def __init__(self, filters: dict, ordering: Sequence = STATEMENTS_NEWEST_FIRST):
        self.shape, self.params = _shape_and_params(filters)
        if tuple(ordering) != STATEMENTS_NEWEST_FIRST:
            self.shape = ((_ORDERING, *ordering), *self.shape)

    def count(self) -> int:
        return STATEMENT_LIST.count(self.shape, self.params)

    def __getitem__(self, cut: slice) -> list[dict]:
        if not isinstance(cut, slice) or cut.step is not None:
            raise TypeError("only a slice of the list is read")
        return STATEMENT_LIST.rows(self.shape, self.params, cut.start or 0, cut.stop)

    def __len__(self) -> int:
        return self.count()
