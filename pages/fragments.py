"""The HTML of the official figures on the dashboard and the ally pages, rendered once per
official data version: everything those pages show but the statements and reported figures
(written on every request) and the chart widgets' share and embed fields (which name the host
the request came to).

Their tables and chart data (about 1,800 formatted numbers and the plotly figures as JSON) took
most of an uncached page's server time, on every request. They show official data only (NATO's
figures, editions, targets, allies) for the page's parameters (vintage, year, target lines, ally),
so :mod:`pages.page_data` renders them here from the very dict they show, in the same build, and
they are cached with it under the *official* data version: an editor's write keeps them, a
change of official data rebuilds them with the data. The page template puts them in place
(``includes/chart.html``: ``table_html``; the charts' JSON, ``figure_json``, is kept beside
them in the page data, ``figures``, the one form in which the figures are kept).

Nothing rendered here may show statements or articles, nor depend on the request (host, user,
CSRF token): those parts are rendered on every request. The templates rendered here are the
ones the pages used to include, so the HTML is the same (``tests/pages/test_official_parts.py``).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from .params import lines_params

#: Ally page series tables (``includes/table_series.html``): chart → value column, its
#: label and the table's caption.
SERIES = {
    "pct": ("pct_gdp", "% of GDP", "% of GDP by year"),
    "usd": (
        "spending_usd_million",
        "US$ million",
        "Defence spending by year, US$ million (current prices)",
    ),
    "equipment": ("equipment_pct", "Equipment, %", "Equipment share of defence spending by year"),
}


def _render(template: str, context: dict) -> SafeString:
    return mark_safe(render_to_string(template, context))


def figure_json(figure: dict) -> SafeString:
    """A chart's figure as the JSON that ``includes/chart.html`` puts in the
    ``<script type="application/json">`` static/js/charts.js draws: what ``json_script``
    writes inside that element (``<``, ``>`` and ``&`` escaped)."""
    return mark_safe(json.dumps(figure, cls=DjangoJSONEncoder).translate(_json_script_escapes))


def figures_json(charts: dict) -> dict[str, SafeString]:
    """:func:`figure_json` of each chart drawn (``None``: no chart)."""
    return {key: figure_json(fig) for key, fig in charts.items() if fig is not None}


def dashboard(data: dict, vintage_query: str) -> dict:
    """The dashboard's headline, ranking note and three tables (ranking, allies by year,
    totals)."""
    # the edition picker keeps the target lines drawn (and the year: ``keep_year``)
    keep = lines_params(data["lines"])
    context = {**data, "vintage_query": vintage_query, "keep": keep, "keep_query": urlencode(keep)}
    return {
        "summary": _render("spending/dashboard_summary.html", context),
        "ranking_intro": _render("spending/dashboard_ranking_intro.html", context),
        "ranking_table": _render("includes/table_ranking.html", context),
        "trend_table": _render("includes/table_trend.html", context),
        "spending_table": _render("includes/table_spending.html", context),
    }


def country(data: dict, vintage_query: str) -> dict:
    """An ally page's heading with the edition picker and the distance to the targets, the
    table under each series chart, every figure with its sources, and the
    edition-by-edition table."""
    tables = {}
    for chart, (value_key, value_label, caption) in SERIES.items():
        if chart in data["figures"]:
            tables[chart] = _render(
                "includes/table_series.html",
                {
                    **data,
                    "series": data["chart_rows"][chart],
                    "value_key": value_key,
                    "value_label": value_label,
                    "series_caption": caption,
                },
            )
    return {
        "summary": _render(
            "spending/country_summary.html", {**data, "vintage_query": vintage_query}
        ),
        "series_tables": tables,
        "figures_table": _render("includes/table_country.html", data) if data["table"] else "",
        "editions_table": (
            _render("includes/table_editions.html", data) if data["history_rows"] else ""
        ),
    }
