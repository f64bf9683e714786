"""How numbers are written on the pages and in the JSON-LD: one place, one style.

- money: ``US$1.30 trillion``, ``US$38.2 billion``, ``US$950 million`` (three significant
  figures, at least two decimals for trillions), ``€1.10 trillion`` for euros;
- shares: ``3.19% of GDP``, ``25.41% of defence spending`` (two decimals);
- differences of shares in percentage points: ``+0.31 pp``, ``−0.11 pp``;
- money differences signed: ``−US$183 billion``;
- days as words: ``24 April 2025`` (a check's ``as_of`` is stored as ``2025-04-24``);
- years as runs: ``2014–2026``, ``2024``, ``2014 and 2024``.

Official per-ally figures in US$ are stored in US$ million (``Metric.SPENDING_USD``:
:func:`money_million`); checks of reported claims give every amount in plain currency units,
so that every caller formats the same number the same way.

Pure functions (no database): used by the template filters in
``spending/templatetags/figures.py`` and by ``articles/jsonld.py``.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

MINUS = "\u2212"
CURRENCY_SYMBOLS = {"USD": "US$", "EUR": "€", "GBP": "£"}
SHARE_UNITS = {
    "pct_gdp": "% of GDP",
    "equipment_share": "% of defence spending",
}
#: The unit of an official value as words, for schema.org ``unitText``.
UNIT_TEXT = {
    "pct_gdp": "percent of GDP",
    "equipment_share": "percent of defence expenditure",
}
USD_MILLION = 1_000_000


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _three_figures(number: float, *, min_decimals: int = 0) -> str:
    """``38.237`` → ``"38.2"``, ``183.4`` → ``"183"``, ``1482.9`` → ``"1,483"``."""
    if number >= 100:
        decimals = 0
    elif number >= 10:
        decimals = 1
    else:
        decimals = 2
    return f"{number:,.{max(decimals, min_decimals)}f}"


def currency_symbol(currency: str | None) -> tuple[str, str]:
    """Prefix for an amount: ``US$`` for dollars, ``€``, ``£``; other codes as ``"NOK "``."""
    code = (currency or "USD").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return (symbol, "") if symbol else (f"{code} ", "")


def money(value: Any, currency: str | None = "USD", *, signed: bool = False) -> str:
    """An amount in plain currency units, written for people: ``US$1.30 trillion``."""
    number = _float(value)
    if number is None:
        return ""
    sign = ""
    if number < 0:
        sign = MINUS
    elif signed and number > 0:
        sign = "+"
    number = abs(number)
    prefix, _ = currency_symbol(currency)
    if number >= 1e12:
        amount = f"{_three_figures(number / 1e12, min_decimals=2)} trillion"
    elif number >= 1e9:
        amount = f"{_three_figures(number / 1e9)} billion"
    elif number >= 1e6:
        amount = f"{_three_figures(number / 1e6)} million"
    else:
        amount = f"{number:,.0f}"
    return f"{sign}{prefix}{amount}"


def money_million(value: Any, currency: str | None = "USD") -> str:
    """An amount given in millions (NATO's US$ tables): ``38237`` → ``US$38.2 billion``."""
    number = _float(value)
    return "" if number is None else money(number * USD_MILLION, currency)


def share(value: Any, metric: str | None = "pct_gdp") -> str:
    """A share with two decimals and its base: ``3.19% of GDP``."""
    number = _float(value)
    if number is None:
        return ""
    return f"{number:.2f}{SHARE_UNITS.get(metric or '', '%')}"


def points(value: Any) -> str:
    """A difference between two shares, in percentage points: ``+0.31 pp``, ``−0.11 pp``."""
    number = _float(value)
    if number is None:
        return ""
    if round(number, 2) == 0:
        return "0.00 pp"
    sign = "+" if number > 0 else MINUS
    return f"{sign}{abs(number):.2f} pp"


def gap_words(value: Any) -> str:
    """A share's distance to a target in words, never a bare sign: "above target by 0.40 pp",
    "short by 0.60 pp", "at the target" (``value`` = share − target, in points)."""
    number = _float(value)
    if number is None:
        return ""
    if round(number, 2) == 0:
        return "at the target"
    if number > 0:
        return f"above target by {number:.2f} pp"
    return f"short by {abs(number):.2f} pp"


def figure_value(value: Any, metric: str) -> str:
    """An official figure (``SpendingFigure``) with its unit, whatever its metric."""
    if metric == "spending_usd":
        return money_million(value)
    return share(value, metric)


def reported_value(value: Any, metric: str | None, currency: str | None = "") -> str:
    """A value an article reported for one ally (money in plain currency units)."""
    if metric in SHARE_UNITS:
        return share(value, metric)
    if metric == "spending_usd" or currency:
        return money(value, currency or "USD")
    number = _float(value)
    return "" if number is None else f"{number:g} {metric or ''}".strip()


def official_amount(check: dict | None) -> float | None:
    """A check's official value in plain units (US$ for money, % for shares, a count)."""
    return _float((check or {}).get("official_value"))


def unit_text(check: dict | None, metric: str | None = None) -> str:
    """The unit of a check's official value in words (schema.org ``unitText``)."""
    unit = (check or {}).get("unit") or ""
    if unit == "pp":
        return UNIT_TEXT.get(metric or "pct_gdp", "percent")
    if unit == "USD":
        return "USD"
    return unit


def check_figures(check: dict | None, metric: str | None = None) -> dict:
    """A check's official value and difference, written for people.

    ``metric`` is the claim's metric for a per-ally figure (``pct_gdp``, ``spending_usd``,
    ``equipment_share``) and ``None`` for alliance-level claims.
    """
    check = check or {}
    unit = check.get("unit") or ""
    official = official_amount(check)
    difference = _float(check.get("difference"))
    if official is None:
        return {"official": "", "difference": ""}
    if unit == "pp":
        share_metric = metric if metric in SHARE_UNITS else "pct_gdp"
        return {"official": share(official, share_metric), "difference": points(difference)}
    if unit == "USD":
        return {
            "official": money(official),
            "difference": "" if difference is None else money(difference, signed=True),
        }
    count = f"{official:g}"
    shown_unit = f" {unit}" if unit else ""
    if difference is None:
        return {"official": f"{count}{shown_unit}", "difference": ""}
    sign = "+" if difference > 0 else (MINUS if difference < 0 else "")
    return {"official": f"{count}{shown_unit}", "difference": f"{sign}{abs(difference):g}"}


def day(value: datetime.date | str | None) -> str:
    """A day as the pages write it, ``24 April 2025``, from a date or an ISO string; anything
    else as given."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime.date):
        return "" if value is None else str(value)
    return f"{value.day} {value:%B %Y}"


def threshold(value: Decimal | float) -> str:
    """A target threshold without trailing zeros: ``2``, ``3.5``."""
    return f"{float(value):g}"


def year_runs(years, last: str = " and ") -> str:
    """Years as their runs: ``2014–2026``; ``2024`` (not ``2024–2024``); ``2014 and 2024`` (not
    ``2014–2024``, which reads as every year between); ``last`` joins the last run (``", "``
    for a list, as the API's messages write it)."""
    runs: list[list[int]] = []
    for year in sorted({int(y) for y in years}):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + last + parts[-1]
