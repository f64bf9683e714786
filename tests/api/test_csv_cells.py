"""The compiled cell functions of long CSV lists (``row_cells``, ``flat_cells``) give exactly
the cells of the renderer's rule (``csv_row``: null → empty, booleans ``true``/``false``, list
items each followed by ``;``, text neutralised against formulas), for any row; a flat row
nested again (``nested_row``) gives the same cells."""

from __future__ import annotations

import datetime
from collections import OrderedDict

from hypothesis import given, settings
from hypothesis import strategies as st

from nato_tracker.api.renderers import (
    FORMULA_PREFIXES,
    TEXT_TYPES,
    Column,
    csv_row,
    flat_cells,
    list_cells,
    list_text,
    nested_row,
    ordered_list_cells,
    row_cells,
)

TYPES = ["string", "list", "integer", "number", "boolean", "date", "datetime"]
COLUMNS = [
    Column("id", ("id",), "integer"),
    Column("text", ("text",), "string"),
    Column("flag", ("flag",), "boolean"),
    Column("day", ("day",), "date"),
    Column("items", ("items",), "list"),
    Column("value", ("value",), "number"),
    Column("speaker_name", ("speaker", "name"), "string"),
    Column("speaker_since", ("speaker", "since"), "date"),
    Column("check_verdict", ("check", "verdict"), "string"),
    Column("check_alternative_year", ("check", "alternative", "year"), "integer"),
    Column("check_alternative_code", ("check", "alternative", "code"), "string"),
    Column("check_inconsistencies", ("check", "inconsistencies"), "list"),
]

texts = st.one_of(
    st.text(max_size=6),
    st.sampled_from(FORMULA_PREFIXES).flatmap(lambda p: st.text(max_size=4).map(p.__add__)),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    texts,
    st.dates().map(datetime.date.isoformat),
)
items = st.one_of(
    texts,
    st.integers(),
    st.fixed_dictionaries({}, optional={"code": texts, "iso3": texts, "id": st.integers()}),
)
values = st.one_of(scalars, st.lists(items, max_size=3), st.tuples(texts))
nested = st.recursive(
    st.dictionaries(st.sampled_from(["name", "since", "verdict", "year", "code"]), values),
    lambda inner: st.dictionaries(
        st.sampled_from(["alternative", "inconsistencies", "verdict", "name"]),
        st.one_of(inner, values),
    ),
    max_leaves=6,
)
rows = st.one_of(
    st.dictionaries(
        st.sampled_from(["id", "text", "flag", "day", "items", "value", "speaker", "check"]),
        st.one_of(values, nested, nested.map(OrderedDict)),
    ),
    values,  # not a mapping at all: every cell empty
)


def slow(row, columns=COLUMNS) -> list:
    cells = csv_row(row, columns)
    return [cells[column.name] for column in columns]


@settings(max_examples=400, deadline=None)
@given(rows)
def test_row_cells_are_the_renderers_cells(row):
    assert row_cells(COLUMNS)(row) == slow(row)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TYPES), min_size=1, max_size=8), st.data())
def test_flat_cells_are_the_cells_of_the_same_values(types, data):
    columns = [Column(f"c{i}", (f"c{i}",), kind) for i, kind in enumerate(types)]
    flat = data.draw(st.lists(values, min_size=len(columns), max_size=len(columns)))
    nested = {column.name: value for column, value in zip(columns, flat, strict=True)}
    assert flat_cells(columns)(flat) == slow(nested, columns) == row_cells(columns)(nested)


def test_the_cells_follow_each_rule():
    row = {
        "id": 7,
        "text": "=SUM(A1)",
        "flag": False,
        "day": "2025-01-02",
        "items": ["USA", "DEU"],
        "value": -0.37,
        "speaker": None,
        "check": {"verdict": "+1", "alternative": {"year": 2024, "code": "@x"}},
    }
    assert row_cells(COLUMNS)(row) == [
        7,
        "'=SUM(A1)",
        "false",
        "2025-01-02",
        "USA;DEU;",
        -0.37,
        "",
        "",
        "'+1",
        2024,
        "'@x",
        "",
    ]
    assert {c.type for c in COLUMNS if c.type in TEXT_TYPES} == {"string", "list"}


@settings(max_examples=300, deadline=None)
@given(st.lists(values, min_size=len(COLUMNS), max_size=len(COLUMNS)))
def test_a_flat_row_nested_again_has_the_same_cells(flat):
    nest = nested_row(COLUMNS, {("speaker",), ("check",), ("check", "alternative")})
    assert row_cells(COLUMNS)(nest(flat)) == flat_cells(COLUMNS)(flat)


def test_nested_row_puts_each_value_at_its_path_and_empty_objects_are_null():
    nest = nested_row(COLUMNS, {("speaker",), ("check", "alternative")})
    flat = [7, "t", True, "2025-01-02", ["USA"], 1.5, "Rutte", None, "x", None, None, None]
    assert nest(flat) == {
        "id": 7,
        "text": "t",
        "flag": True,
        "day": "2025-01-02",
        "items": ["USA"],
        "value": 1.5,
        "speaker": {"name": "Rutte", "since": None},
        "check": {"verdict": "x", "alternative": None, "inconsistencies": None},
    }
    assert list(nest(flat)) == ["id", "text", "flag", "day", "items", "value", "speaker", "check"]
    empty = nest([1, "", False, None, [], 0, None, None, None, None, None, None])
    assert empty["speaker"] is None  # nullable, all null
    assert empty["check"] == {"verdict": None, "alternative": None, "inconsistencies": None}


ITEMS = ["ALB", "=X", "DEU", "-1", "USA", "3.5"]  # by id; two need neutralising


@given(
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from(range(len(ITEMS)))), unique=True),
    st.permutations(range(len(ITEMS))),
)
def test_ordered_list_cells_are_the_cells_of_the_rows_sorted(rows, order):
    """Rows read in any order give each key's items in the order of ``items``: the cells of
    :func:`list_cells` over the rows sorted by key and that order (formulas neutralised)."""
    items = {item_id: ITEMS[item_id] for item_id in order}  # listed in that order
    ordered = sorted(rows, key=lambda row: (row[0], order.index(row[1])))
    expected = list_cells((key, items[item_id]) for key, item_id in ordered)
    cells = ordered_list_cells(rows, items)
    assert cells == expected
    assert cells[-1] == ""  # a key without items


@given(st.lists(st.one_of(texts, st.integers()), max_size=5))
def test_list_text_writes_each_item_followed_by_a_semicolon(listed):
    """The one writer of the list format: ``USA;DEU;``, ``2;``, empty for no item; from a
    list or a generator alike."""
    expected = "".join(f"{item};" for item in listed)
    assert list_text(listed) == list_text(iter(listed)) == expected
