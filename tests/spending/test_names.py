"""The listed order of allies and targets is the official names' (the database's), one rule for
a page's lists and a whole list's cells."""

from __future__ import annotations

import pytest

from nato_tracker.api.renderers import ordered_list_cells
from spending.models import Target
from spending.names import AllyName, OfficialNames, TargetName, _build


def test_a_pages_lists_and_a_whole_lists_cells_follow_the_names_order_not_pythons():
    """The names' dicts hold the database's order (its collation: here ``éclair`` before
    ``Zed``, which Python's sort of the names would put last); both readers follow it."""
    accented, zed, early = (
        AllyName(1, "ECL", "eclair", "éclair"),
        AllyName(2, "ZED", "zed", "Zed"),
        AllyName(3, "AAA", "aaa", "Aaa"),
    )
    high, low = (
        TargetName(7, "3.5", "core", "3.5% of GDP"),
        TargetName(8, "2", "floor", "2% of GDP"),
    )
    names = OfficialNames(allies={3: early, 1: accented, 2: zed}, targets={7: high, 8: low})
    assert sorted(a.name for a in (accented, zed, early)) != ["Aaa", "éclair", "Zed"]
    assert names.allies_in_order([2, 1, 3]) == [early, accented, zed]
    assert names.targets_in_order([8, 7]) == [high, low]
    codes = {pk: ally.iso3 for pk, ally in names.allies.items()}
    cells = ordered_list_cells([(10, 2), (10, 1), (10, 3)], codes)
    assert cells[10] == "AAA;ECL;ZED;"


@pytest.mark.django_db
def test_the_names_are_in_the_databases_order():
    names = _build()
    allies = list(names.allies.values())
    assert allies and allies == sorted(allies, key=lambda ally: (ally.name, ally.id))
    assert names.allies_in_order(reversed(list(names.allies))) == allies
    targets = list(names.targets.values())
    listed = Target.objects.order_by("display_order", "threshold", "pk")
    assert targets and [t.id for t in targets] == [t.pk for t in listed]
    assert names.targets_in_order(reversed(list(names.targets))) == targets
