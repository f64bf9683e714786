"""The former chart builders (pages/charts.py up to November 2026), on plotly's Python API.

Kept in the tests only, as the reference that tests/pages/test_chart_specs.py compares the
plain-dict builders of :mod:`pages.charts` with: plotly.graph_objects validated every property
and ``to_json`` wrote what the pages embedded, which cost most of a cold page's time
(docs/performance.md). Not used by the application.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from django.urls import reverse

# Okabe–Ito
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
BLUE = "#0072B2"
REDDISH_PURPLE = "#CC79A7"
GREY = "#555555"

#: Colour of a bar by the highest target its value meets (``None``: below every target shown).
TARGET_COLOURS = {
    None: VERMILLION,
    "2": ORANGE,
    "3": REDDISH_PURPLE,
    "3.5": SKY_BLUE,
    "5": BLUE,
}
#: Dash style of each target line, so lines differ without colour.
TARGET_DASHES = {"2": "dash", "3": "dot", "3.5": "dashdot", "5": "longdash"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def figure_json(fig: go.Figure) -> dict:
    """The figure as a plain JSON-able dict (what ``Plotly.newPlot`` takes)."""
    return json.loads(fig.to_json())


def country_url(slug: str) -> str:
    return reverse("spending:country", kwargs={"slug": slug})


def _fmt_target(threshold) -> str:
    return f"{float(threshold):g}%"


def _base_layout(fig: go.Figure, *, title: str, source: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        template="none",
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 8 / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 16},
            "automargin": False,
        },
        font={"family": FONT, "size": 13, "color": "#222"},
        height=height,
        margin={"l": 10, "r": 20, "t": 96, "b": 100, "pad": 2},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
        legend={
            "orientation": "h",
            "x": 0,
            "xref": "container",
            "y": 1 - 36 / height,
            "yref": "container",
            "yanchor": "top",
        },
        annotations=[
            *fig.layout.annotations,
            {
                "text": source,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yshift": -72,
                "showarrow": False,
                "font": {"size": 11, "color": GREY},
                "name": "source",
            },
        ],
    )
    fig.update_xaxes(automargin=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#999")
    fig.update_yaxes(automargin=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#999")
    return fig


def _target_lines(fig: go.Figure, targets: Sequence, *, axis: str) -> None:
    """Draw each target as a labelled line across the plot (vertical for ``axis="x"``)."""
    for t in targets:
        value = float(t.threshold)
        dash = TARGET_DASHES.get(t.code, "dash")
        label = _fmt_target(t.threshold)
        if axis == "x":
            fig.add_shape(
                type="line", x0=value, x1=value, xref="x", y0=0, y1=1, yref="paper",
                line={"color": "#222", "width": 1.5, "dash": dash},
            )  # fmt: skip
            fig.add_annotation(
                x=value, xref="x", y=1, yref="paper", yanchor="bottom", text=label,
                showarrow=False, font={"size": 11}, name=f"target {t.code}",
            )  # fmt: skip
        else:
            fig.add_shape(
                type="line", y0=value, y1=value, yref="y", x0=0, x1=1, xref="paper",
                line={"color": "#222", "width": 1.5, "dash": dash},
            )  # fmt: skip
            fig.add_annotation(
                y=value, yref="y", x=1, xref="paper", xanchor="right", yanchor="bottom",
                text=f"{label} target", showarrow=False, font={"size": 11},
                name=f"target {t.code}",
            )  # fmt: skip


def _before_joining(fig: go.Figure, years, joined) -> None:
    """Shade the years before ``joined`` (the ally's accession year) and label the band."""
    drawn = [int(y) for y in years]
    if joined is None or not drawn or min(drawn) >= joined:
        return
    first = min(drawn)
    fig.add_shape(
        type="rect", xref="x", x0=first - 0.5, x1=joined - 0.5, yref="paper", y0=0, y1=1,
        fillcolor="#999999", opacity=0.15, line={"width": 0}, layer="below",
        name="before joining",
    )  # fmt: skip
    fig.add_annotation(
        text="Not yet a member", xref="x", x=first - 0.5, xanchor="left", yref="paper", y=1,
        yanchor="top", showarrow=False, font={"size": 11, "color": GREY},
        name="before joining",
    )  # fmt: skip


#: The ranking chart's legend title: bars are coloured by the lines drawn, not by every target.
RANKING_LEGEND_TITLE = "Colour: highest target line shown that the ally meets"


def ranking_chart(frame: pd.DataFrame, *, year: int, targets: Sequence, source: str) -> go.Figure:
    """Allies ranked by % of GDP, one horizontal bar each, coloured by the highest line shown
    that the value meets.

    ``frame``: one row per ally with ``name``, ``slug``, ``value``, ``estimate``, ``bar_target``
    (code of the highest target *among the lines shown* that it meets, or ``None``) and
    ``highest_label`` (the highest of *every* target it meets, for the hover text).
    """
    fig = go.Figure()
    if not frame.empty:
        frame = frame.sort_values(["value", "name"], ascending=[True, False])
        order = list(frame["name"])
        by_threshold = sorted(targets, key=lambda t: t.threshold, reverse=True)
        groups = [(t.code, f"Meets {_fmt_target(t.threshold)}") for t in by_threshold]
        below = f"Below {_fmt_target(min(t.threshold for t in targets))}" if targets else "% of GDP"
        groups.append((None, below))
        for code, legend in groups:
            part = (
                frame[frame["bar_target"].isna()]
                if code is None
                else frame[frame["bar_target"] == code]
            )
            if part.empty:
                continue
            estimate = part["estimate"].astype(bool)
            fig.add_bar(
                name=legend,
                orientation="h",
                x=part["value"],
                y=part["name"],
                marker={
                    "color": TARGET_COLOURS.get(code, BLUISH_GREEN),
                    "line": {"color": "#222", "width": 0.5},
                    "pattern": {
                        "shape": ["/" if e else "" for e in estimate],
                        "fgcolor": "#222",
                        "size": 6,
                        "solidity": 0.2,
                        "fillmode": "overlay",
                    },
                },
                text=[f"{v:.2f}" for v in part["value"]],
                textposition="outside",
                cliponaxis=False,
                customdata=[
                    [country_url(s), "estimate" if e else "reported", h or ""]
                    for s, e, h in zip(part["slug"], estimate, part["highest_label"], strict=True)
                ],
                hovertemplate=(
                    "<b>%{y}</b><br>%{x:.2f}% of GDP in " + str(year) + " (%{customdata[1]})"
                    "<br>Highest target met: %{customdata[2]}<extra></extra>"
                ),
            )
        fig.update_yaxes(categoryorder="array", categoryarray=order, title=None)
        if targets:
            fig.update_layout(legend_title_text=RANKING_LEGEND_TITLE)
    fig.update_xaxes(
        title={"text": "Defence expenditure, % of GDP"}, ticksuffix="%", rangemode="tozero"
    )
    fig.update_layout(barmode="overlay", bargap=0.25, hovermode="closest")
    _target_lines(fig, targets, axis="x")
    n = 0 if frame.empty else len(frame)
    return _base_layout(
        fig,
        title=f"Defence spending as % of GDP, {year} (hatched: NATO estimate)",
        source=source,
        height=max(300, 22 * n + 170),
    )


#: Allies without a value: light greys, unlike every bin's colour; not covered by the source:
#: paler and outlined. Non-members stay the land colour.
NO_FIGURE_COLOUR = "#bdbdbd"
NOT_COVERED_COLOUR = "#dedede"


def map_bins(targets: Sequence) -> list[tuple[str | None, str]]:
    """The map's colour bins: (code of the highest target met, legend name), lowest first —
    "Below 2%", "2% to 3%", "3% to 3.5%", "3.5% to 5%", "5% or more"."""
    ordered = sorted(targets, key=lambda t: t.threshold)
    if not ordered:
        return [(None, "% of GDP")]
    bins = [(None, f"Below {_fmt_target(ordered[0].threshold)}")]
    for low, high in zip(ordered, [*ordered[1:], None], strict=True):
        name = (
            f"{_fmt_target(low.threshold)} to {_fmt_target(high.threshold)}"
            if high is not None
            else f"{_fmt_target(low.threshold)} or more"
        )
        bins.append((low.code, name))
    return bins


def _map_bin(
    fig: go.Figure,
    part: pd.DataFrame,
    *,
    name: str,
    colour: str,
    outline: dict,
    customdata: list,
    hovertemplate: str,
) -> None:
    """One legend entry of the map and the allies in it (``iso3``, ``name``).

    plotly drops a trace without points from the legend, so a bin no ally falls in this year
    gets one point without a location: plotly keeps the trace, names it in the legend and
    draws nothing for it (no country, no hover text, no console message)."""
    empty = part.empty
    fig.add_choropleth(
        name=name,
        locations=[None] if empty else list(part["iso3"]),
        locationmode="ISO-3",
        z=[None] if empty else [1] * len(part),
        text=None if empty else list(part["name"]),
        customdata=None if empty else customdata,
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        showlegend=True,
        marker={"line": outline},
        hovertemplate=hovertemplate,
    )


def map_chart(
    frame: pd.DataFrame,
    *,
    year: int,
    source: str,
    targets: Sequence = (),
    missing: pd.DataFrame | None = None,
) -> go.Figure:
    """The allies on a map of Europe and North America, coloured by bins at the % of GDP
    targets (``frame["highest"]``: code of the highest target the value meets, from the
    selectors' rule), the same colours as the ranking's bars.

    The legend names every bin ("Below 2%" … "5% or more") and "Member without a NATO figure"
    whatever the year, including bins no ally falls in (:func:`_map_bin`).

    ``missing``: members without a value (``iso3``, ``name``, ``slug``, ``status`` —
    ``no_figure`` or ``not_covered`` — and ``reason`` for the hover text), drawn in grey as their
    own legend entries so that they differ from countries outside the alliance; "Member not in
    our copy of this source" is named only when a member is (a partial source).
    """
    fig = go.Figure()
    for code, legend in map_bins(targets):
        if frame.empty:
            part = frame
        else:
            part = (
                frame[frame["highest"].isna()] if code is None else frame[frame["highest"] == code]
            )
        _map_bin(
            fig,
            part,
            name=legend,
            colour=TARGET_COLOURS.get(code, BLUISH_GREEN),
            outline={"color": "white", "width": 0.6},
            customdata=[]
            if part.empty
            else [
                [country_url(sl), f"{v:.2f}"]
                for sl, v in zip(part["slug"], part["value"], strict=True)
            ],
            hovertemplate=(
                f"<b>%{{text}}</b><br>%{{customdata[1]}}% of GDP in {year}<br>{legend}"
                "<extra></extra>"
            ),
        )
    if missing is None:
        missing = pd.DataFrame(columns=["iso3", "name", "slug", "status", "reason"])
    groups = (
        ("not_covered", NOT_COVERED_COLOUR, "#444", "Member not in our copy of this source"),
        ("no_figure", NO_FIGURE_COLOUR, "white", "Member without a NATO figure"),
    )
    for status, colour, outline, legend in groups:
        part = missing[missing["status"] == status]
        if part.empty and status == "not_covered":
            continue
        _map_bin(
            fig,
            part,
            name=legend,
            colour=colour,
            outline={"color": outline, "width": 0.8},
            customdata=[
                [country_url(s), r] for s, r in zip(part["slug"], part["reason"], strict=True)
            ],
            hovertemplate=f"<b>%{{text}}</b><br>%{{customdata[1]}} for {year}<extra></extra>",
        )
    fig.update_geos(
        resolution=110,
        showcountries=True,
        countrycolor="#bbb",
        showland=True,
        landcolor="#f2f2f2",
        showocean=False,
        showlakes=False,
        showframe=False,
        projection={"type": "natural earth"},
        # Europe and North America: the alliance, not the world
        lataxis={"range": [24, 74]},
        lonaxis={"range": [-130, 46]},
    )
    fig = _base_layout(
        fig, title=f"Defence spending as % of GDP, {year}", source=source, height=500
    )
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 96, "b": 70},
        showlegend=True,
        legend_title_text="% of GDP",
    )
    return fig


def trend_chart(frame: pd.DataFrame, *, target, source: str) -> go.Figure:
    """How many allies met ``target`` each year, against how many allies there were; a year
    whose count rests on NATO's estimates (``estimate``) hatched."""
    fig = go.Figure()
    label = _fmt_target(target.threshold)
    estimate = frame["estimate"].astype(bool) if "estimate" in frame else [False] * len(frame)
    fig.add_bar(
        name=f"Allies at or above {label}",
        x=frame["year"],
        y=frame["meeting"],
        marker={
            "color": ORANGE,
            "line": {"color": "#222", "width": 0.5},
            "pattern": {
                "shape": ["/" if e else "" for e in estimate],
                "fgcolor": "white",
                "fillmode": "overlay",
            },
        },
        customdata=["NATO estimates" if e else "reported" for e in estimate],
        hovertemplate="%{x}: %{y} allies at or above " + label + " (%{customdata})<extra></extra>",
    )
    fig.add_scatter(
        name="Members that year",
        x=frame["year"],
        y=frame["members"],
        mode="lines+markers",
        line={"color": BLUE, "dash": "dot", "width": 2},
        marker={"symbol": "square", "size": 7},
        hovertemplate="%{x}: %{y} members<extra></extra>",
    )
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    fig.update_yaxes(title={"text": "Number of allies"}, rangemode="tozero")
    title = f"Allies at or above {label} of GDP, by year"
    if any(estimate):
        title += " (hatched: NATO estimates)"
    return _base_layout(fig, title=title, source=source)


def total_spending_chart(frame: pd.DataFrame, *, source: str) -> go.Figure:
    """NATO's total defence spending and that of NATO Europe and Canada by year, US$ billion
    (current prices); estimates hatched."""
    fig = go.Figure()
    estimate = frame["estimate"].astype(bool)
    series = [("NATO total", "spending_usd", BLUE)]
    if "europe_canada_spending_usd" in frame and frame["europe_canada_spending_usd"].notna().any():
        series.append(("NATO Europe and Canada", "europe_canada_spending_usd", ORANGE))
    for name, column, colour in series:
        fig.add_bar(
            name=name,
            x=frame["year"],
            y=frame[column] / 1000,
            marker={
                "color": colour,
                "pattern": {
                    "shape": ["/" if e else "" for e in estimate],
                    "fgcolor": "white",
                    "fillmode": "overlay",
                },
            },
            customdata=["estimate" if e else "reported" for e in estimate],
            hovertemplate=f"{name}, "
            + "%{x}: US$ %{y:,.0f} billion (%{customdata})<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    fig.update_yaxes(title={"text": "US$ billion, current prices"}, tickformat=",.0f")
    return _base_layout(
        fig,
        title="Defence spending: NATO total and NATO Europe and Canada (hatched: estimate)",
        source=source,
    )


def _split_estimates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reported and estimated points; the estimate line starts at the last reported point."""
    frame = frame.sort_values("year")
    est = frame["estimate"].astype(bool)
    reported, estimated = frame[~est], frame[est]
    if not estimated.empty and not reported.empty:
        estimated = pd.concat([reported.tail(1), estimated])
    return reported, estimated


def with_gaps(frame: pd.DataFrame, column: str = "value") -> pd.DataFrame:
    """The frame with an empty row for every missing year between its first and last, so that
    a line chart breaks there instead of drawing straight across (plotly leaves gaps at
    ``None``)."""
    if frame.empty:
        return frame
    frame = frame.sort_values("year")
    years = range(int(frame["year"].min()), int(frame["year"].max()) + 1)
    missing = [y for y in years if y not in set(frame["year"].astype(int))]
    if not missing:
        return frame
    blanks = pd.DataFrame({"year": missing, column: [None] * len(missing)})
    return pd.concat([frame, blanks], ignore_index=True).sort_values("year")


def country_pct_chart(
    frame: pd.DataFrame, *, name: str, targets: Sequence, source: str, joined=None
) -> go.Figure:
    """One ally's % of GDP by year against the targets; estimates dotted with open markers."""
    fig = go.Figure()
    reported, estimated = (with_gaps(part) for part in _split_estimates(frame))
    if not reported.empty:
        fig.add_scatter(
            name="Reported",
            x=reported["year"],
            y=reported["value"],
            mode="lines+markers",
            line={"color": BLUE, "width": 2.5},
            marker={"size": 7},
            customdata=reported["source_code"],
            hovertemplate="%{x}: %{y:.2f}% of GDP<br>Source: %{customdata}<extra></extra>",
        )
    if not estimated.empty:
        fig.add_scatter(
            name="NATO estimate",
            x=estimated["year"],
            y=estimated["value"],
            mode="lines+markers",
            line={"color": BLUE, "width": 2.5, "dash": "dot"},
            marker={"size": 8, "symbol": "circle-open"},
            customdata=estimated["source_code"],
            hovertemplate=(
                "%{x}: %{y:.2f}% of GDP (estimate)<br>Source: %{customdata}<extra></extra>"
            ),
        )
    _target_lines(fig, targets, axis="y")
    _before_joining(fig, frame["year"], joined)
    top = max(
        [float(frame["value"].max()) if not frame.empty else 0]
        + [float(t.threshold) for t in targets]
    )
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    fig.update_yaxes(
        title={"text": "Defence expenditure, % of GDP"}, ticksuffix="%", range=[0, top * 1.1]
    )
    return _base_layout(fig, title=f"{name}: defence spending as % of GDP", source=source)


def country_usd_chart(frame: pd.DataFrame, *, name: str, source: str, joined=None) -> go.Figure:
    """One ally's defence spending by year, US$ million at current prices."""
    frame = frame.sort_values("year")
    estimate = frame["estimate"].astype(bool)
    fig = go.Figure()
    fig.add_bar(
        name="Spending",
        x=frame["year"],
        y=frame["value"],
        marker={
            "color": SKY_BLUE,
            "line": {"color": "#222", "width": 0.5},
            "pattern": {
                "shape": ["/" if e else "" for e in estimate],
                "fgcolor": "#222",
                "fillmode": "overlay",
            },
        },
        customdata=[
            [s, "estimate" if e else "reported"]
            for s, e in zip(frame["source_code"], estimate, strict=True)
        ],
        hovertemplate=(
            "%{x}: US$ %{y:,.0f} million (%{customdata[1]})<br>Source: %{customdata[0]}"
            "<extra></extra>"
        ),
        showlegend=False,
    )
    _before_joining(fig, frame["year"], joined)
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    fig.update_yaxes(title={"text": "US$ million, current prices"}, tickformat=",.0f")
    return _base_layout(
        fig, title=f"{name}: defence spending in US$ (hatched: estimate)", source=source
    )


def country_equipment_chart(
    frame: pd.DataFrame, *, name: str, target, source: str, joined=None
) -> go.Figure:
    """One ally's equipment share of defence spending against the 20% guideline."""
    fig = go.Figure()
    reported, estimated = (with_gaps(part) for part in _split_estimates(frame))
    for part, label, dash, symbol in (
        (reported, "Reported", "solid", "diamond"),
        (estimated, "NATO estimate", "dot", "diamond-open"),
    ):
        if part.empty:
            continue
        fig.add_scatter(
            name=label,
            x=part["year"],
            y=part["value"],
            mode="lines+markers",
            line={"color": BLUISH_GREEN, "width": 2.5, "dash": dash},
            marker={"size": 8, "symbol": symbol},
            customdata=part["source_code"],
            hovertemplate="%{x}: %{y:.1f}% on equipment<br>Source: %{customdata}<extra></extra>",
        )
    _target_lines(fig, [target], axis="y")
    _before_joining(fig, frame["year"], joined)
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    fig.update_yaxes(
        title={"text": "Equipment, % of defence spending"}, ticksuffix="%", rangemode="tozero"
    )
    return _base_layout(fig, title=f"{name}: equipment share of defence spending", source=source)


EDITION_COLOURS = [BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, "#000000"]
EDITION_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross"]


def edition_labels(editions: Sequence[dict]) -> dict[str, str]:
    """Short legend names for editions: "June 2024", "July 2026"; the code is added only when
    two editions share a month."""
    labels = {e["code"]: e.get("date_label") or e["released_label"] for e in editions}
    taken = [labels[e["code"]] for e in editions]
    return {
        code: f"{label} ({code})" if taken.count(label) > 1 else label
        for code, label in labels.items()
    }


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def editions_source(editions: Sequence[dict], *, full: bool = True) -> str:
    """The source line of a chart that plots several editions: every one of them.

    ``full``: with their titles ("Source: NATO, Defence Expenditure of NATO Countries
    (2014-2024), June 2024 edition; …"), for the page; else by date only, short enough for the
    line inside the chart ("Source: NATO editions of June 2024, … and July 2026").
    """
    if not editions:
        return "Source: NATO"
    labels = edition_labels(editions)
    if not full:
        return "Source: NATO editions of " + _and([labels[e["code"]] for e in editions])
    names = []
    for e in editions:
        title = e["short_title"]
        names.append(title if labels[e["code"]] in title else f"{title} ({labels[e['code']]})")
    return "Source: NATO, " + "; ".join(names)


def editions_chart(
    frame: pd.DataFrame,
    *,
    name: str,
    editions: Sequence[dict],
    source: str | None = None,
    joined=None,
) -> go.Figure:
    """% of GDP for each year as each edition published it (one line per edition)."""
    fig = go.Figure()
    labels = edition_labels(editions)
    for i, edition in enumerate(editions):
        part = frame[frame["source_code"] == edition["code"]].sort_values("year")
        if part.empty:
            continue
        part = with_gaps(part)  # June 2024 has 2014 and 2024 only: two points, no line
        fig.add_scatter(
            name=labels[edition["code"]],
            x=part["year"],
            y=part["value"],
            connectgaps=False,
            mode="lines+markers" if len(part) > 1 else "markers",
            line={"color": EDITION_COLOURS[i % len(EDITION_COLOURS)], "width": 2},
            marker={"size": 9, "symbol": EDITION_SYMBOLS[i % len(EDITION_SYMBOLS)]},
            hovertemplate="%{x}: %{y:.2f}% of GDP<br>"
            + f"{edition['short_title']} (released {edition['released_label']})"
            + "<extra></extra>",
        )
    if not frame.empty:
        _before_joining(fig, frame["year"], joined)
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    fig.update_yaxes(title={"text": "Defence expenditure, % of GDP"}, ticksuffix="%")
    shown = sum(1 for e in editions if not frame[frame["source_code"] == e["code"]].empty)
    rows = (shown + 3) // 4  # legend rows at four editions a row, above the plot
    fig = _base_layout(
        fig,
        title=f"{name}: % of GDP as published in each NATO edition",
        source=source or editions_source(editions, full=False),
        height=440 + 24 * rows,
    )
    fig.update_layout(margin={"t": 72 + 24 * rows})
    return fig


ALLY_COLOURS = [BLUE, VERMILLION, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, "#000000"]
ALLY_DASHES = [
    "solid",
    "solid",
    "solid",
    "solid",
    "solid",
    "solid",
    "solid",
    "dash",
    "dash",
    "dash",
]


def _joined(frame: pd.DataFrame) -> list[bool]:
    """Per row: the ally was a member that year (its ``member`` column; a gap or a frame
    without the column: yes)."""
    if "member" not in frame:
        return [True] * len(frame)
    return [m is None or m != m or bool(m) for m in frame["member"]]


def compare_chart(
    frame: pd.DataFrame,
    *,
    order: Sequence[str],
    metric: str,
    what: str,
    targets: Sequence,
    source: str,
) -> go.Figure:
    """Several allies' values of one metric by year, one line each (in ``order``, ISO3 codes),
    against the target lines; missing years are gaps, estimates open markers, and the years
    before an ally joined (``member`` False, where the frame has that column) pale markers."""
    fig = go.Figure()
    money = metric == "spending_usd"
    for i, iso3 in enumerate(order):
        part = frame[frame["iso3"] == iso3]
        if part.empty:
            continue
        name = str(part["name"].iloc[0])
        part = with_gaps(part)
        estimate = [bool(e) if e == e and e is not None else False for e in part["estimate"]]
        joined = _joined(part)
        colour = ALLY_COLOURS[i % len(ALLY_COLOURS)]
        fig.add_scatter(
            name=name,
            x=part["year"],
            y=part["value"],
            mode="lines+markers",
            connectgaps=False,
            line={"color": colour, "width": 2.5, "dash": ALLY_DASHES[i % len(ALLY_DASHES)]},
            marker={
                "size": 8,
                "symbol": [
                    f"{EDITION_SYMBOLS[i % len(EDITION_SYMBOLS)]}{'-open' if e else ''}"
                    for e in estimate
                ],
                **({} if all(joined) else {"opacity": [1 if j else 0.35 for j in joined]}),
            },
            customdata=[
                [("estimate" if e else "reported") + ("" if j else "; not yet a member")]
                for e, j in zip(estimate, joined, strict=True)
            ],
            hovertemplate=(
                f"<b>{name}</b><br>%{{x}}: "
                + ("US$ %{y:,.0f} million" if money else "%{y:.2f}%")
                + " (%{customdata[0]})<extra></extra>"
            ),
        )
    _target_lines(fig, targets, axis="y")
    fig.update_xaxes(title={"text": "Year"}, dtick=1, tickformat="d")
    if money:
        fig.update_yaxes(title={"text": "US$ million, current prices"}, tickformat=",.0f")
    else:
        top = max(
            [float(frame["value"].max()) if not frame.empty else 0]
            + [float(t.threshold) for t in targets]
        )
        fig.update_yaxes(
            title={"text": what[0].upper() + what[1:]}, ticksuffix="%", range=[0, top * 1.1]
        )
    names = [
        str(frame[frame["iso3"] == c]["name"].iloc[0]) for c in order if c in set(frame["iso3"])
    ]
    return _base_layout(
        fig,
        title=f"{_and(names)}: {what} (open markers: NATO estimate"
        + ("" if all(_joined(frame)) else "; pale markers: before the ally joined NATO")
        + ")",
        source=source,
        height=460,
    )
