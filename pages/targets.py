"""The alliance's targets as the pages show them: the headline target, the highest target a
value meets (the colours of the ranking and the map) and a compliance row's status on a page."""

from __future__ import annotations

import pandas as pd

from nato_tracker.data_version import cached
from spending.models import (
    Metric,
    Target,
)
from spending.selectors import (
    NO_DATA,
    NOT_HELD,
    ComplianceRow,
    meets_target,
)

HEADLINE_TARGET = "2"


def targets() -> list[Target]:
    return cached(
        "targets",
        lambda: list(Target.objects.order_by("display_order", "threshold")),
        scope="official",
    )


def pct_targets() -> list[Target]:
    return [t for t in targets() if t.metric == Metric.PCT_GDP]


def equipment_target() -> Target | None:
    return next((t for t in targets() if t.metric == Metric.EQUIPMENT_SHARE), None)


def headline_target() -> Target:
    pct = pct_targets()
    return next((t for t in pct if t.code == HEADLINE_TARGET), pct[0])


def as_number(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def highest_met(value, candidates: list[Target]) -> Target | None:
    """The highest of ``candidates`` the value meets (using the one rule, ``meets_target``)."""
    met = [t for t in candidates if meets_target(value, t.threshold)]
    return max(met, key=lambda t: t.threshold) if met else None


def highest_target_met(value, pct: list[Target] | None = None) -> Target | None:
    """The highest % of GDP target a value meets, among *every* % of GDP target (``pct``:
    :func:`pct_targets`, when the caller has read them for many values).

    The one answer to "highest target met" wherever a page shows it (dashboard table,
    /countries/, ally page), whatever target lines a chart happens to draw.
    """
    return highest_met(value, pct_targets() if pct is None else pct)


def highest_target_label(value, pct: list[Target] | None = None) -> str:
    """ "3% of GDP", or "none (below 2% of GDP)"; "" when there is no value."""
    if value is None:
        return ""
    pct = pct_targets() if pct is None else pct
    top = highest_target_met(value, pct)
    if top is not None:
        return top.label
    lowest = min(pct, key=lambda t: t.threshold, default=None)
    return f"none (below {lowest.label})" if lowest else "none"


#: Why an ally-year has no % of GDP value under a vintage.
FIGURE, NOT_COVERED, NO_FIGURE = "figure", "not_covered", "no_figure"


def figure_status(row: ComplianceRow) -> str:
    """``figure``; ``not_covered`` when the copy we hold of the selected source(s) lacks the
    ally (a partial edition: the API's ``not_held``); ``no_figure`` for an ally NATO publishes
    no figures for (Iceland: the API's ``no_data``). The rule is ``ComplianceRow.status``."""
    return {NOT_HELD: NOT_COVERED, NO_DATA: NO_FIGURE}.get(row.status, FIGURE)
