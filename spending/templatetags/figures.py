"""Template filters that write numbers the one way :mod:`spending.formatting` defines.

``{% load figures %}`` then ``{{ value|money:currency }}``, ``{{ value|money_million }}``,
``{{ value|share }}`` / ``{{ value|share:"equipment_share" }}``, ``{{ value|points }}``,
``{{ gap|gap_words }}`` ("above target by 0.40 pp", "short by 0.60 pp"), ``{{ row|cell:key }}``,
``{{ figure|figure_value }}`` (an official figure with its unit), ``{{ claim|reported_value }}``
(the value an article gave for one ally), ``{{ claim|claim_text }}``
(what an article claims, in words), ``{{ check.as_of|day }}`` ("24 April 2025") and
``{% check_figures check claim as shown %}`` (a check's official value and difference,
``shown.official`` and ``shown.difference``).
"""

from __future__ import annotations

from django import template

from spending import formatting

register = template.Library()


@register.filter
def money(value, currency="USD"):
    return formatting.money(value, currency or "USD")


@register.filter
def day(value):
    return formatting.day(value)


@register.filter
def money_million(value):
    return formatting.money_million(value)


@register.filter
def share(value, metric="pct_gdp"):
    return formatting.share(value, metric)


@register.filter
def points(value):
    return formatting.points(value)


@register.filter
def gap_words(value):
    return formatting.gap_words(value)


@register.filter
def cell(row, key):
    """``row[key]`` for a dict row and a key held in a variable (chart tables)."""
    return row.get(key) if isinstance(row, dict) else None


@register.filter
def figure_value(figure):
    """An official ``SpendingFigure`` (or a dict with ``value`` and ``metric``) with its unit."""
    if figure is None:
        return ""
    if isinstance(figure, dict):
        return formatting.figure_value(figure.get("value"), figure.get("metric", "pct_gdp"))
    return formatting.figure_value(figure.value, figure.metric)


@register.filter
def reported_value(claim):
    """The value an article reported for one ally (a ``ReportedFigure``), with its unit."""
    if claim is None:
        return ""
    return formatting.reported_value(claim.value, claim.metric, claim.currency)


def claim_metric(claim) -> str | None:
    """The metric of a per-ally reported figure; ``None`` for alliance-level claims."""
    return getattr(claim, "metric", None) if hasattr(claim, "member_id") else None


@register.filter
def claim_text(claim) -> str:
    """What an article claims, in words with formatted numbers (never the raw float)."""
    if claim is None:
        return ""
    model = claim._meta.model_name
    if model == "reportedfigure":
        value = reported_value(claim)
        year = f", {claim.year}" if claim.year else " (year not stated)"
        return f"{claim.member.name}{year}: {value}"
    year = f" in {claim.year}" if getattr(claim, "year", None) else " (year not stated)"
    target = (
        f"{formatting.threshold(claim.target_pct)}% of GDP"
        if getattr(claim, "target_pct", None) is not None
        else "a target"
    )
    if model == "aggregateclaim":
        if claim.kind == "count_meeting":
            of = f" of {claim.of_total}" if claim.of_total else ""
            return f"{claim.count}{of} allies at or above {target}{year}"
        return f"NATO total defence spending{year}: {formatting.money(claim.value, claim.currency)}"
    if model == "targetlist":
        verb = "meet" if claim.meets else "miss"
        return f"Allies said to {verb} {target}{year}"
    return str(claim)


@register.simple_tag
def check_figures(check, claim=None) -> dict:
    return formatting.check_figures(check, claim_metric(claim))
