"""The questions the whole app asks of the official data, answered in one place.

- which figure is current for an ally, year and metric, in the latest edition, in a chosen
  edition, or as known on a date (:func:`figures_frame`, :func:`current_figure`, built on the
  figures' QuerySet: ``in_vintage(vintage).current()`` in :mod:`spending.models`, as are "who was
  a member in a year" and the alliance totals in force);
- who met a target in a year, with value and gap in percentage points (:func:`compliance`);
- how much yearly growth an ally needs to reach a level by a year (:func:`required_growth`).

"Meets a target" is defined once, in :func:`meets_target`. Pages, the API and the claim checks
all call these functions, so their numbers agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .models import AggregateFigure, MemberState, Metric, Source, SpendingFigure, Target

FIGURE_COLUMNS = [
    "id",
    "member_id",
    "member__iso3",
    "member__name",
    "member__slug",
    "year",
    "metric",
    "value",
    "estimate",
    "source_id",
    "source__code",
    "source__title",
    "source__short_title",
    "source__publisher",
    "source__published",
    "source__edition_published",
    "source__definition",
    "source__url",
]


class SelectionError(ValueError):
    """An edition or date that selects nothing (unknown edition code, date before any edition)."""


@dataclass(frozen=True)
class Vintage:
    """Which figures to use: the latest (default), one edition, or what was published by a date."""

    edition: str | None = None
    as_of: datetime.date | None = None

    @property
    def is_latest(self) -> bool:
        return self.edition is None and self.as_of is None

    def describe(self) -> str:
        if self.edition:
            return f"edition {self.edition}"
        if self.as_of:
            return f"as published by {self.as_of.isoformat()}"
        return "latest edition"


LATEST = Vintage()


def meets_target(value: Decimal | float | None, threshold: Decimal | float) -> bool | None:
    """THE rule: an ally meets a target when its published value is at or above the threshold.

    ``None`` (no figure) neither meets nor misses.
    """
    if value is None:
        return None
    return Decimal(str(value)) >= Decimal(str(threshold))


def gap_pp(value: Decimal | float | None, threshold: Decimal | float) -> Decimal | None:
    """Value minus threshold, in percentage points (negative when short of the target)."""
    if value is None:
        return None
    return Decimal(str(value)) - Decimal(str(threshold))


def parse_vintage(edition: str | None = None, as_of: str | None = None) -> Vintage:
    """Build a :class:`Vintage` from request parameters; raise :class:`SelectionError` if bad.

    ``edition`` is a source code (``NATO_DE2024_GRAPHICNEWS``); ``as_of`` an ISO date. They
    cannot be combined. Used by the pages and the API alike.
    """
    edition = (edition or "").strip() or None
    as_of_text = (as_of or "").strip()
    if edition and as_of_text:
        raise SelectionError("give either edition or as_of, not both")
    day = None
    if as_of_text:
        try:
            day = datetime.date.fromisoformat(as_of_text)
        except ValueError:
            raise SelectionError(
                f"as_of must be a date as YYYY-MM-DD, not {as_of_text[:40]!r}"
            ) from None
    return validate_vintage(Vintage(edition=edition, as_of=day))


def validate_vintage(vintage: Vintage) -> Vintage:
    """Raise :class:`SelectionError` when the vintage cannot select any figure."""
    editions = Source.objects.editions()
    if vintage.edition and not editions.filter(code=vintage.edition).exists():
        raise SelectionError(f"unknown edition {vintage.edition!r}")
    if vintage.as_of and not editions.released_by(vintage.as_of).exists():
        first = editions.exclude(edition_published=None).order_by("edition_published").first()
        since = f"; the earliest held, {first.code}, was released on {first.released_label}"
        raise SelectionError(
            f"no edition had been published by {vintage.as_of.isoformat()}{since if first else ''}"
        )
    return vintage


def figures_frame(
    *,
    vintage: Vintage = LATEST,
    metrics: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    member: MemberState | None = None,
    all_editions: bool = False,
) -> pd.DataFrame:
    """Official figures as a DataFrame (one query), one row per ally, year and metric.

    With ``all_editions`` every edition's value is kept (for the edition-by-edition history);
    otherwise the figure of the most recently published source within the vintage wins.
    """
    qs = SpendingFigure.objects.in_vintage(vintage)
    if metrics is not None:
        qs = qs.filter(metric__in=list(metrics))
    if years is not None:
        qs = qs.filter(year__in=list(years))
    if member is not None:
        qs = qs.filter(member=member)
    if not all_editions:
        qs = qs.current()
    qs = qs.newest_first("member__iso3", "year", "metric")
    frame = pd.DataFrame.from_records(list(qs.values(*FIGURE_COLUMNS)), columns=FIGURE_COLUMNS)
    frame = frame.rename(columns=lambda c: c.replace("member__", "").replace("source__", "source_"))
    if frame.empty:
        return frame
    frame["source_label"] = frame["source_short_title"].where(
        frame["source_short_title"] != "", frame["source_title"]
    )
    return frame


def current_figure(
    member: MemberState, year: int, metric: str, *, vintage: Vintage = LATEST
) -> SpendingFigure | None:
    """The figure in force for one ally, year and metric under ``vintage``."""
    figures = SpendingFigure.objects.filter(member=member, year=year, metric=metric)
    return figures.in_vintage(vintage).current().select_related("source").first()


def available_years(*, vintage: Vintage = LATEST, metric: str = Metric.PCT_GDP) -> list[int]:
    """The years with figures for ``metric`` under ``vintage``."""
    qs = SpendingFigure.objects.filter(metric=metric).in_vintage(vintage)
    return sorted(qs.order_by().values_list("year", flat=True).distinct())


def alliance_totals(
    *,
    vintage: Vintage = LATEST,
    area: str = AggregateFigure.Area.NATO_TOTAL,
    figures: Iterable[AggregateFigure] | None = None,
) -> dict[tuple[int, str], AggregateFigure]:
    """NATO's own alliance-level figures in force under ``vintage``, by (year, metric)
    (``AggregateFigure.objects.in_vintage(vintage).current()``: the same rule as for allies).
    ``figures``: figures in force under that vintage already loaded (with their source), to
    answer for several areas from one query.
    """
    if figures is None:
        figures = (
            AggregateFigure.objects.filter(area=area)
            .in_vintage(vintage)
            .current()
            .select_related("source")
        )
    return {(f.year, f.metric): f for f in figures if f.area == area}


@dataclass(frozen=True)
class ComplianceRow:
    """One ally's standing against one target in one year."""

    iso3: str
    name: str
    slug: str
    year: int
    target_code: str
    threshold: Decimal
    value: Decimal | None
    estimate: bool | None
    meets: bool | None
    gap_pp: Decimal | None
    source_code: str | None
    source_title: str | None
    source_published: datetime.date | None  # NATO's release date of that edition
    figure_id: int | None
    definition: str | None = None  # the edition's definition (spending.models.Definition)
    reports_figures: bool = True  # False for Iceland: NATO publishes no figure for it

    @property
    def status(self) -> str:
        """``meets``/``misses``; without a figure, ``no_data`` for an ally NATO publishes no
        figures for (Iceland) and ``not_held`` for one missing from the copy we hold of a
        partial edition (a press report that quoted some allies): never counted as missing."""
        if self.meets is None:
            return NOT_HELD if self.reports_figures else NO_DATA
        return "meets" if self.meets else "misses"


#: Compliance statuses (see :attr:`ComplianceRow.status`).
NO_DATA, NOT_HELD = "no_data", "not_held"
STATUSES = ["meets", "misses", NO_DATA, NOT_HELD]


@dataclass(frozen=True)
class ComplianceSummary:
    year: int
    target_code: str
    members: int
    meeting: int
    missing: int
    no_data: int
    not_held: int = 0


def compliance(
    target: Target,
    years: Iterable[int],
    *,
    vintage: Vintage = LATEST,
    snapshot: OfficialSnapshot | None = None,
) -> list[ComplianceRow]:
    """Every ally that was a member in each year, with value, meets/misses and gap.

    Allies with no figure (Iceland) are listed with ``meets=None`` rather than as 0%.
    Ordered by year, then value (highest first), then name. Pass a ``snapshot`` to answer many
    questions under one vintage without querying again.
    """
    years = sorted(set(years))
    if snapshot is None:
        snapshot = OfficialSnapshot(vintage, metrics=[target.metric], years=years)
    rows: list[ComplianceRow] = []
    for year in years:
        for member in snapshot.members:
            if not member.is_member_in(year):
                continue
            fig = snapshot.figure(member.iso3, year, target.metric)
            value = fig.value if fig is not None else None
            rows.append(
                ComplianceRow(
                    iso3=member.iso3,
                    name=member.name,
                    slug=member.slug,
                    year=year,
                    target_code=target.code,
                    threshold=target.threshold,
                    value=value,
                    estimate=bool(fig.estimate) if fig is not None else None,
                    meets=meets_target(value, target.threshold),
                    gap_pp=gap_pp(value, target.threshold),
                    source_code=fig.source_code if fig is not None else None,
                    source_title=fig.source_label if fig is not None else None,
                    source_published=fig.source_edition_published if fig is not None else None,
                    figure_id=int(fig.id) if fig is not None else None,
                    definition=(fig.source_definition or None) if fig is not None else None,
                    reports_figures=member.reports_figures,
                )
            )
    rows.sort(key=lambda r: (r.year, r.value is None, -(r.value or 0), r.name))
    return rows


class OfficialSnapshot:
    """The figures in force under one vintage, loaded with a few queries, for many lookups.

    Used where one vintage answers many questions (claim checks of a batch of articles).
    """

    def __init__(
        self,
        vintage: Vintage = LATEST,
        *,
        metrics: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        frame: pd.DataFrame | None = None,
        members: list[MemberState] | None = None,
    ):
        """``frame`` and ``members``: already loaded figures (one edition's rows of
        :func:`figures_frame`) and allies, to build many snapshots from one query."""
        self.vintage = vintage
        if frame is None:
            frame = figures_frame(vintage=vintage, metrics=metrics, years=years)
        self._figures = {
            (row.iso3, row.year, row.metric): row for row in frame.itertuples(index=False)
        }
        self.members = (
            members if members is not None else list(MemberState.objects.order_by("name"))
        )

    def figure(self, iso3: str, year: int, metric: str):
        """The row in force (with ``value``, ``estimate``, ``source_*``, ``id``) or ``None``."""
        return self._figures.get((iso3, year, metric))


def summarise(rows: Iterable[ComplianceRow]) -> list[ComplianceSummary]:
    """Counts of meeting, missing, no-data and not-held members per year and target."""
    order = {"meets": 1, "misses": 2, NO_DATA: 3, NOT_HELD: 4}
    counts: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        c = counts.setdefault((row.year, row.target_code), [0, 0, 0, 0, 0])
        c[0] += 1
        c[order[row.status]] += 1
    return [ComplianceSummary(year, code, *c) for (year, code), c in sorted(counts.items())]


@dataclass(frozen=True)
class GrowthNeeded:
    """What it takes to go from the latest figure to ``goal_pct`` by ``goal_year``."""

    from_year: int
    from_value: Decimal
    goal_pct: Decimal
    goal_year: int
    already_met: bool
    pp_per_year: Decimal | None
    compound_growth_pct: Decimal | None  # yearly growth of the share of GDP, in %
    #: The starting figure is NATO's estimate (the pages then never say "spends" of it alone).
    estimate: bool = False


def required_growth(
    member: MemberState,
    *,
    goal_pct: Decimal | float = Decimal("3.5"),
    goal_year: int = 2035,
    vintage: Vintage = LATEST,
) -> GrowthNeeded | None:
    """Yearly growth (in pp and compound %) of the share of GDP needed to reach the goal.

    Starts from the ally's latest % of GDP figure under ``vintage``; ``None`` when it has none.
    """
    frame = figures_frame(vintage=vintage, metrics=[Metric.PCT_GDP], member=member)
    if frame.empty:
        return None
    latest = frame.sort_values("year").iloc[-1]
    value, year = Decimal(str(latest["value"])), int(latest["year"])
    estimate = bool(latest["estimate"])
    goal = Decimal(str(goal_pct))
    years_left = goal_year - year
    if meets_target(value, goal):
        return GrowthNeeded(year, value, goal, goal_year, True, Decimal(0), Decimal(0), estimate)
    if years_left <= 0 or value <= 0:
        return GrowthNeeded(year, value, goal, goal_year, False, None, None, estimate)
    pp = ((goal - value) / years_left).quantize(Decimal("0.01"))
    compound = (float(goal / value) ** (1 / years_left) - 1) * 100
    compound_pct = Decimal(str(round(compound, 2)))
    return GrowthNeeded(year, value, goal, goal_year, False, pp, compound_pct, estimate)


def gap_in_usd_million(
    pct_gdp: Decimal, spending_usd_million: Decimal, threshold: Decimal
) -> Decimal:
    """Extra spending (US$ million) needed to reach ``threshold`` % of GDP; 0 when met.

    GDP is implied by the two published numbers: spending / (share / 100).
    """
    if pct_gdp <= 0 or meets_target(pct_gdp, threshold):
        return Decimal(0)
    gdp = spending_usd_million / (pct_gdp / 100)
    return ((threshold - pct_gdp) / 100 * gdp).quantize(Decimal("1"))
