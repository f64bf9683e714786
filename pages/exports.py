"""The CSV behind a chart: exactly the rows it draws, each with its source edition, the
edition's release date and its definition, under a citation.

The file opens with ``#`` lines (title, citation, what the columns mean); ``pandas.read_csv(url,
comment="#")`` or R's ``read.csv(url, comment.char="#")`` read the table under them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date

from nato_tracker.api.renderers import neutralise_formula
from spending.formatting import day

SITE_NAME = "NATO defence-spending tracker"
EDITION_COLUMNS = ("edition_title", "edition_released", "definition")


def _cell(value) -> str:
    """One cell: numbers as numbers, text neutralised against spreadsheet formulas by the rule
    of every CSV the project writes (:func:`nato_tracker.api.renderers.neutralise_formula`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # 15 significant digits: every published figure whole (1052542, never 1.05254e+06,
        # which ``:g``'s six digits gave) and without float noise (3.38, not 3.3800000000000003).
        return f"{value:.15g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return neutralise_formula(value)
    return str(value)


def citation(title: str, url: str, editions: Sequence[dict], retrieved: date) -> str:
    """ "NATO defence-spending tracker, “Poland: % of GDP”, <url> (retrieved 30 November 2026).
    Figures: NATO, Defence Expenditure of NATO Countries (2014-2025), released 28 August 2025." """
    text = f"{SITE_NAME}, “{title}”, {url} (retrieved {day(retrieved)})."
    if editions:
        named = "; ".join(f"{e['short_title']}, released {e['released_label']}" for e in editions)
        text += f" Figures: NATO, {named}."
    return text


def chart_csv(
    rows: Sequence[dict],
    *,
    title: str,
    url: str,
    edition_of: Callable[[str], dict | None],
    definition_of: Callable[[dict | None], str],
    retrieved: date,
) -> str:
    """The CSV text of ``rows`` (dicts with an ``edition`` code), with the edition's title,
    release date and definition added to each row and a citation on top."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    if "edition" not in columns:
        columns.append("edition")
    columns += list(EDITION_COLUMNS)
    used: dict[str, dict] = {}
    out = io.StringIO()
    body = csv.writer(out, lineterminator="\n")
    body.writerow(columns)
    for row in rows:
        edition = edition_of(row.get("edition") or "")
        if edition is not None:
            used.setdefault(edition["code"], edition)
        extra = {
            "edition_title": edition["short_title"] if edition else "",
            "edition_released": edition["released"].isoformat()
            if edition and edition.get("released")
            else "",
            "definition": definition_of(edition) if edition else "",
        }
        body.writerow([_cell({**row, **extra}.get(c)) for c in columns])
    head = io.StringIO()
    head.write(f"# {title}\n")
    head.write(f"# Citation: {citation(title, url, list(used.values()), retrieved)}\n")
    head.write(
        "# One row per point drawn; edition: the NATO edition the value comes from "
        "(edition_released: the day NATO released it; definition: what it counts as defence "
        "expenditure, core from NATO's July 2026 edition or the definition in use before). "
        "estimate: NATO's estimate."
        + (
            " member: false for a year before the ally joined NATO (its targets did not yet apply)."
            if "member" in columns
            else ""
        )
        + "\n"
    )
    return head.getvalue() + out.getvalue()
