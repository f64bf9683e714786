"""The one home of "which editions a vintage reads" and "the figure in force":
``in_vintage(vintage).current()`` on the figures' and the alliance totals' QuerySets.

Checked against the rule written out plainly in Python (newest release first, then the smaller
source code) over every vintage of the shipped reference data, and on the cases where the old
copies of the rule disagreed (a source without any date, a tie on the release day).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from spending.models import AggregateFigure, Metric, Source, SpendingFigure
from spending.selectors import LATEST, Vintage, alliance_totals, current_figure, figures_frame
from tests.factories import MemberStateFactory, SourceFactory, SpendingFigureFactory

pytestmark = pytest.mark.django_db


def every_vintage() -> list[Vintage]:
    editions = list(Source.objects.editions())
    days = sorted({e.edition_published for e in editions} | {datetime.date(2025, 1, 1)})
    return [LATEST, *(Vintage(edition=e.code) for e in editions), *(Vintage(as_of=d) for d in days)]


def plainly_in_force(figures, key) -> set[int]:
    """The rule written out: of each number's figures, the one released last (a source without
    a date counts as released before every other), then the smaller source code."""
    best: dict[tuple, object] = {}
    for f in figures:
        released = f.source.edition_published or f.source.published or datetime.date.min
        rank = (-released.toordinal(), f.source.code)
        k = key(f)
        if k not in best or rank < best[k][0]:
            best[k] = (rank, f.pk)
    return {pk for _, pk in best.values()}


def plainly_in_vintage(figures, vintage: Vintage) -> list:
    return [
        f
        for f in figures
        if (not vintage.edition or f.source.code == vintage.edition)
        and (
            not vintage.as_of
            or (f.source.edition_published and f.source.edition_published <= vintage.as_of)
        )
    ]


def test_ally_figures_in_force_follow_the_rule_in_every_vintage():
    every = list(SpendingFigure.objects.select_related("source"))
    for vintage in every_vintage():
        within = plainly_in_vintage(every, vintage)
        got = set(SpendingFigure.objects.in_vintage(vintage).values_list("pk", flat=True))
        assert got == {f.pk for f in within}, vintage
        current = set(
            SpendingFigure.objects.in_vintage(vintage).current().values_list("pk", flat=True)
        )
        assert current == plainly_in_force(within, lambda f: (f.member_id, f.year, f.metric))
        frame = figures_frame(vintage=vintage)
        assert (set() if frame.empty else {int(i) for i in frame["id"]}) == current


def test_alliance_totals_in_force_follow_the_same_rule():
    every = list(AggregateFigure.objects.select_related("source"))
    for vintage in every_vintage():
        within = plainly_in_vintage(every, vintage)
        current = set(
            AggregateFigure.objects.in_vintage(vintage).current().values_list("pk", flat=True)
        )
        assert current == plainly_in_force(within, lambda f: (f.area, f.year, f.metric))
        by_area = {
            f.pk
            for area in AggregateFigure.Area.values
            for f in alliance_totals(vintage=vintage, area=area).values()
        }
        assert by_area == current


def test_later_filters_narrow_the_figures_in_force_and_do_not_change_which_one_it_is():
    member = MemberStateFactory()
    old = SpendingFigureFactory(
        member=member, value=Decimal("1.50"), estimate=True, source=SourceFactory()
    )
    newer = SpendingFigureFactory(
        member=member,
        value=Decimal("1.70"),
        source=SourceFactory(published=datetime.date(2031, 1, 1)),
    )
    in_force = SpendingFigure.objects.filter(member=member).current()
    assert list(in_force) == [newer]
    assert list(in_force.filter(estimate=True)) == []  # not the old estimate instead
    assert current_figure(member, 2024, Metric.PCT_GDP) == newer
    edition = Vintage(edition=old.source.code)
    assert current_figure(member, 2024, Metric.PCT_GDP, vintage=edition) == old
    assert list(SpendingFigure.objects.filter(member=member).newest_first()) == [newer, old]


def test_a_source_without_any_date_is_never_in_force_over_a_dated_one():
    """The old copies disagreed: PostgreSQL sorted the missing date first, pandas last."""
    member = MemberStateFactory()
    dated = SpendingFigureFactory(member=member, source=SourceFactory())
    SpendingFigureFactory(
        member=member,
        value=Decimal("9.00"),
        source=SourceFactory(is_nato_edition=False, published=None, edition_published=None),
    )
    assert list(SpendingFigure.objects.filter(member=member).current()) == [dated]
    frame = figures_frame(member=member)
    assert list(frame["id"]) == [dated.pk]


def test_on_the_same_release_day_the_smaller_source_code_wins():
    member = MemberStateFactory()
    day = datetime.date(2032, 5, 5)
    SpendingFigureFactory(member=member, source=SourceFactory(code="ZZ_TIE", published=day))
    first = SpendingFigureFactory(member=member, source=SourceFactory(code="AA_TIE", published=day))
    assert list(SpendingFigure.objects.filter(member=member).current()) == [first]
    assert current_figure(member, 2024, Metric.PCT_GDP) == first


def test_every_editions_list_in_the_api_is_newest_first_by_the_same_order(client):
    """``all_editions=true`` lists a number's values newest release first (:data:`NEWEST_FIRST`),
    a source without any date last, on SQLite and PostgreSQL alike."""
    member = MemberStateFactory()
    older = SpendingFigureFactory(member=member, source=SourceFactory())
    undated = SpendingFigureFactory(
        member=member,
        value=Decimal("9.00"),
        source=SourceFactory(is_nato_edition=False, published=None, edition_published=None),
    )
    newer = SpendingFigureFactory(
        member=member, source=SourceFactory(published=datetime.date(2031, 1, 1))
    )
    answer = client.get(f"/api/v1/figures/?ally={member.iso3}&all_editions=true&format=json")
    assert [row["id"] for row in answer.json()["results"]] == [newer.pk, older.pk, undated.pk]


def test_the_vintage_membership_and_newest_first_rules_are_spelled_in_the_models_only():
    """No module but spending/models.py filters by release date, membership year or picks the
    newest edition its own way (pandas ``drop_duplicates``, a ``-source__...`` ordering)."""
    root = Path(__file__).resolve().parent.parent.parent
    spelled = re.compile(
        r"edition_published__lte|accession_date__year|accession_date\.year|drop_duplicates"
        r"|[\"']-source__(?:edition_)?published[\"']"
    )
    found = [
        path.relative_to(root).as_posix()
        for package in ("articles", "spending", "pages", "nato_tracker")
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
        and path.relative_to(root).as_posix() != "spending/models.py"
        and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
