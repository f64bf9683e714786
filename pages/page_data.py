"""What the pages about the official figures need (dashboard, allies, one ally, comparison,
methodology), built from :mod:`spending.selectors` and :mod:`articles.selectors` and cached. The
request's parameters are read by :mod:`pages.params`, the editions described by
:mod:`pages.editions`, the targets by :mod:`pages.targets`.

Every builder here returns plain, picklable data (dicts, lists, model instances) and is wrapped in
:func:`nato_tracker.data_version.cached`, keyed by the data version, so a warm page costs no
database query and a data change (which bumps the version) makes every page fresh at once.

No domain rule is re-implemented here: membership, "current figure", "meets a target", gaps and
required growth all come from :mod:`spending.selectors`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pandas as pd
from django.utils.text import capfirst

from articles.api.rows import statement_values
from articles.models import Statement
from articles.selectors import (
    PREVIEW_STATEMENTS,
    STATEMENTS_NEWEST_FIRST,
    preview,
    reported_figures_for,
)
from articles.statement_html import (
    StatementItems,
    read_statement_items,
    write_statement_items,
)
from nato_tracker.data_version import cached, cached_many
from nato_tracker.web import PageError
from spending.models import (
    AggregateFigure,
    MemberState,
    Metric,
    Source,
)
from spending.selectors import (
    OfficialSnapshot,
    Vintage,
    alliance_totals,
    compliance,
    figures_frame,
    gap_in_usd_million,
    gap_pp,
    meets_target,
    required_growth,
    summarise,
)

from . import charts, fragments
from .editions import (
    edition_counts,
    editions,
    estimate_note,
    member_editions,
    no_figures_reason,
    no_pct_reason,
    pct_editions,
    source_dict,
    source_label,
    vintage_context,
)
from .params import (
    COMPARE_METRICS,
    DEFAULT_LINES,
    chosen_year,
    compare_url,
    members_by_slug,
    members_in_order,
    vintage_key,
    vintage_query,
    year_key,
)
from .targets import (
    FIGURE,
    NO_FIGURE,
    NOT_COVERED,
    as_number,
    equipment_target,
    figure_status,
    headline_target,
    highest_met,
    highest_target_label,
    highest_target_met,
    pct_targets,
    targets,
)

TREND_FIRST_YEAR = 2014
#: How many of the latest statements the dashboard shows.
LATEST_STATEMENTS = 5
GOAL_PCT = Decimal("3.5")
GOAL_YEAR = 2035


# --------------------------------------------------------------------------- caching
#
# What a page shows of the official data (NATO's figures, editions, targets, allies) is cached
# under the *official* data version only: an editor's write (which bumps the reports version)
# leaves it in place, a reference-data load or an admin change of official data rebuilds it.
# What it shows of the press (statements, reported figures with their checks) is kept in
# parts cached under the version of *all* the data (``REPORTS`` keys), so that every write,
# an editor's included, empties them at once. Both are read in one cache round trip
# (:func:`nato_tracker.data_version.cached_many`).


REPORTS = "pages6:reports"


class StatementList:
    """The statements a page shows (newest first, at most a preview's worth) as HTML written
    on every request from the rows read (:mod:`articles.statement_html`, the one writer of a
    statement's ``<li>``), and how many there are in all."""

    def __init__(self, read: tuple[StatementItems, int]):
        items, self.total = read
        self.html = write_statement_items(items)
        self.shown = len(items.rows)

    @property
    def more(self) -> bool:
        return self.total > self.shown

    def __len__(self) -> int:
        return self.shown


def _read_statements(limit: int, member: MemberState | None = None) -> tuple[StatementItems, int]:
    """The newest public statements (about ``member``, if given): at most ``limit`` rows read
    for :class:`StatementList`, and how many there are (the dashboard's latest: not counted)."""
    statements = Statement.objects.public()
    if member is not None:
        statements = statements.filter(members=member)
    rows = statement_values(statements.order_by(*STATEMENTS_NEWEST_FIRST))
    if member is None:
        latest = list(rows[:limit])
        return read_statement_items(latest), len(latest)
    found = preview(rows, limit)
    return read_statement_items(found.items), found.total


def _statements_part(limit: int, member: MemberState | None = None) -> dict:
    """The :func:`nato_tracker.data_version.cached_many` part of :func:`_read_statements`,
    kept under the version of all the data (an editor's write empties it)."""
    key = f"{REPORTS}:statements:{limit}:{member.slug if member else ''}"
    return {key: (lambda: _read_statements(limit, member), None)}


# --------------------------------------------------------------------------- alliance


def alliance_rows(vintage: Vintage) -> dict:
    """Every member in every year with a % of GDP figure, with which targets it meets."""

    def build() -> dict:
        head = headline_target()
        pct = pct_targets()
        # The figures in force (one query); their years are available_years(vintage) (tested).
        frame = figures_frame(vintage=vintage, metrics=[head.metric])
        years = sorted({int(year) for year in frame["year"]}) if not frame.empty else []
        found = []
        if years:
            snapshot = OfficialSnapshot(vintage, frame=frame, members=members_in_order())
            found = compliance(head, years, vintage=vintage, snapshot=snapshot)
        rows = []
        for row in found:
            meets = {t.code: meets_target(row.value, t.threshold) for t in pct}
            top = highest_target_met(row.value, pct)
            rows.append(
                {
                    "iso3": row.iso3,
                    "name": row.name,
                    "slug": row.slug,
                    "year": row.year,
                    "value": as_number(row.value),
                    "estimate": bool(row.estimate),
                    "meets": meets,
                    "meets_headline": row.meets,
                    "gap_pp": as_number(row.gap_pp),
                    "source_code": row.source_code,
                    "source_title": row.source_title,
                    "source_published": row.source_published,
                    "status": figure_status(row),
                    "highest": top.code if top else None,
                    "highest_label": highest_target_label(row.value, pct),
                }
            )
        summary = []
        for s in summarise(found):
            statuses = [r["status"] for r in rows if r["year"] == s.year]
            summary.append(
                {
                    "year": s.year,
                    "members": s.members,
                    "meeting": s.meeting,
                    "missing": s.missing,
                    "no_data": s.no_data,
                    "not_covered": statuses.count(NOT_COVERED),
                    "no_figure": statuses.count(NO_FIGURE),
                }
            )
        return {"years": years, "rows": rows, "summary": summary}

    return cached(f"pages3:alliance:{vintage_key(vintage)}", build, scope="official")


#: Alliance-level areas charted on the dashboard, with the prefix of their columns.
AGGREGATE_AREAS = (
    (AggregateFigure.Area.NATO_TOTAL, ""),
    (AggregateFigure.Area.EUROPE_CANADA, "europe_canada_"),
)
#: The alliance-level metrics the dashboard charts (current prices and % of GDP).
CHARTED_AGGREGATE_METRICS = (Metric.SPENDING_USD, Metric.PCT_GDP)


def aggregates(vintage: Vintage) -> list[dict]:
    """NATO's own alliance figures under ``vintage``, one row per year: the NATO total
    (``spending_usd`` in US$ million, ``pct_gdp``) and NATO Europe and Canada
    (``europe_canada_spending_usd``, ``europe_canada_pct_gdp``), from
    :func:`spending.selectors.alliance_totals`."""

    def build() -> list[dict]:
        every = list(  # one query for both areas
            AggregateFigure.objects.in_vintage(vintage).current().select_related("source")
        )
        by_year: dict[int, dict] = {}
        for area, prefix in AGGREGATE_AREAS:
            totals = alliance_totals(vintage=vintage, area=area, figures=every)
            for (year, metric), figure in sorted(totals.items()):
                if metric not in CHARTED_AGGREGATE_METRICS:
                    continue  # constant-price totals serve the claim checks and the API
                entry = by_year.setdefault(
                    year,
                    {
                        "year": year,
                        "spending_usd": None,
                        "pct_gdp": None,
                        "europe_canada_spending_usd": None,
                        "europe_canada_pct_gdp": None,
                        "estimate": False,
                        "source_code": figure.source.code,
                        "source_title": figure.source.label,
                    },
                )
                entry[f"{prefix}{metric}"] = float(figure.value)
                entry["estimate"] = entry["estimate"] or figure.estimate
        return [by_year[y] for y in sorted(by_year)]

    return cached(f"aggregates2:{vintage_key(vintage)}", build, scope="official")


def dashboard(vintage: Vintage, year: int | None, lines: list[str]) -> dict:
    """Everything the dashboard shows for one year (``?year=`` as
    :func:`pages.params.asked_year` read it; ``None``: the latest), vintage and set of target
    lines: its official part (:func:`dashboard_official`) and the latest statements, read at
    once."""
    official, statements = cached_many(
        {
            **_dashboard_part(vintage, year, lines),
            **_statements_part(LATEST_STATEMENTS),
        }
    ).values()
    return {**official, "statements": StatementList(statements)}


def dashboard_official(vintage: Vintage, year: int | None, lines: list[str]) -> dict:
    """What the dashboard shows of the official data, without the statements (its charts'
    embeds and CSVs)."""
    (official,) = cached_many(_dashboard_part(vintage, year, lines)).values()
    return official


def _dashboard_part(vintage: Vintage, asked: int | None, lines: list[str]) -> dict:
    """The :func:`nato_tracker.data_version.cached_many` part of the dashboard's official data,
    kept under the official version by vintage, year (:func:`pages.params.year_key`: the year
    read, never the text of ``?year=``) and target lines; the latest year's build is kept for
    the page without ``?year=`` too (the same data), and the other way round."""

    def key(year: int | None) -> str:
        return f"pages7:dashboard:{vintage_key(vintage)}:{year_key(year)}:{','.join(lines)}"

    def build() -> dict:
        alliance = alliance_rows(vintage)
        if not alliance["years"]:
            raise PageError(400, no_pct_reason(vintage))
        year = chosen_year(asked, alliance["years"])
        vctx = vintage_context(vintage, pct_editions())
        pct = pct_targets()
        shown = [t for t in pct if t.code in lines]
        head = headline_target()
        rows = [dict(r) for r in alliance["rows"] if r["year"] == year]
        for r in rows:
            # The bar's colour: the highest *line shown* that the value meets (the legend says
            # so); the table's "highest target met" (r["highest"]) is over every target.
            line = highest_met(r["value"], shown)
            r["bar_target"] = line.code if line else None
        with_data = [r for r in rows if r["value"] is not None]
        not_covered = [r for r in rows if r["status"] == NOT_COVERED]
        no_figure = [r for r in rows if r["status"] == NO_FIGURE]
        counts = [
            {
                "target": t,
                "meeting": sum(1 for r in rows if r["meets"][t.code]),
            }
            for t in pct
        ]
        sources = {r["source_code"] for r in with_data}
        label = source_label(vctx["edition"], sources)
        ranking = pd.DataFrame(with_data)
        missing = pd.DataFrame(
            [
                {
                    "iso3": r["iso3"],
                    "name": r["name"],
                    "slug": r["slug"],
                    "status": r["status"],
                    "reason": (
                        f"not in the copy we hold of {vctx['coverage_label']}"
                        if r["status"] == NOT_COVERED
                        else "no NATO figure"
                    ),
                }
                for r in not_covered + no_figure
            ]
        )
        trend_years = [dict(s) for s in alliance["summary"] if s["year"] >= TREND_FIRST_YEAR]
        for s in trend_years:
            s["meeting_by_target"] = {
                t.code: sum(
                    1 for r in alliance["rows"] if r["year"] == s["year"] and r["meets"][t.code]
                )
                for t in pct
            }
            # A count resting on NATO's estimates is hatched like the figures themselves.
            s["estimate"] = any(r["estimate"] for r in alliance["rows"] if r["year"] == s["year"])
        aggr = [a for a in aggregates(vintage) if a["year"] >= TREND_FIRST_YEAR]
        trend_df = pd.DataFrame(trend_years)
        main_code = vctx["edition"]["code"] if vctx["edition"] else ""
        ranked = sorted(with_data, key=lambda r: (-r["value"], r["name"]))
        drawn_bars = [
            {
                "ally": r["name"],
                "iso3": r["iso3"],
                "year": year,
                "pct_gdp": r["value"],
                "estimate": r["estimate"],
                "edition": r["source_code"],
            }
            for r in ranked
        ]
        chart_rows = {
            "ranking": drawn_bars,
            "map": drawn_bars
            + [
                {
                    "ally": r["name"],
                    "iso3": r["iso3"],
                    "year": year,
                    "pct_gdp": None,
                    "estimate": None,
                    "edition": "",
                    "status": r["status"],
                }
                for r in not_covered + no_figure
            ],
            "trend": [
                {
                    "year": t["year"],
                    f"allies_at_or_above_{head.code}pct": t["meeting"],
                    "members": t["members"],
                    "estimate": t["estimate"],
                    "edition": main_code,
                }
                for t in trend_years
            ],
            "spending": [
                {
                    "year": a["year"],
                    "spending_usd_million": a["spending_usd"],
                    # the chart's second series (issue 12.6): one row holds both bars of a year
                    "europe_canada_spending_usd_million": a["europe_canada_spending_usd"],
                    "estimate": a["estimate"],
                    "edition": a["source_code"],
                }
                for a in aggr
            ],
        }
        data = {
            "year": year,
            "years": alliance["years"],
            "rows": rows,
            "with_data": len(with_data),
            "not_covered": not_covered,
            "no_figure": no_figure,
            # every member without a value, whatever the reason (kept for the embeds and API)
            "no_data": not_covered + no_figure,
            "members": len(rows),
            "estimate_note": estimate_note(rows),
            "headline_target": head,
            "headline_meeting": sum(1 for r in rows if r["meets"][head.code]),
            "edition_counts": edition_counts(year),
            "definitions": sorted(
                {e["definition_short"] for e in vctx["editions"] if e["code"] in sources}
                | ({vctx["edition"]["definition_short"]} if vctx["edition"] else set())
            ),
            "counts": counts,
            "targets": pct,
            "lines": lines,
            "shown_targets": shown,
            "hidden_targets": [t for t in pct if t not in shown],
            "trend": trend_years,
            "trend_not_covered": any(s["not_covered"] for s in trend_years),
            "aggregates": aggr,
            "source_label": label,
            "map_hint": (
                "Allies without a NATO figure are grey"
                + (
                    f"; allies not in the copy we hold of {vctx['coverage_label']}"
                    " are paler grey and outlined"
                    if not_covered
                    else ""
                )
                + "; countries outside the alliance are left blank."
            ),
            "chart_rows": chart_rows,
            # what is rendered of the charts: their JSON (kept, never the figures themselves)
            "figures": fragments.figures_json(
                {
                    "ranking": charts.ranking_chart(
                        ranking, year=year, targets=shown, source=label
                    ),
                    "map": charts.map_chart(
                        ranking, year=year, source=label, targets=pct, missing=missing
                    ),
                    "trend": charts.trend_chart(trend_df, target=head, source=label)
                    if not trend_df.empty
                    else None,
                    "spending": charts.total_spending_chart(pd.DataFrame(aggr), source=label)
                    if aggr
                    else None,
                }
            ),
            **vctx,
        }
        data["html"] = fragments.dashboard(data, vintage_query(vintage))
        return data

    return {key(asked): (build, "official", lambda data: _same_data(data, key))}


def _same_data(data: dict, key) -> list[str]:
    """The keys (``key(year)``) under which a dashboard or ally page's official part ``data``
    is kept: its year's and, for the default year (the latest with a % of GDP figure), the
    page's without ``?year=``. The part is a function of the year shown, not of how it was
    asked, so both pages read one build."""
    keys = [key(data["year"])]
    if data["years"] and data["year"] == data["years"][-1]:
        keys.append(key(None))
    return keys


def countries(vintage: Vintage) -> dict:
    """All allies with their latest % of GDP under ``vintage`` (for /countries/)."""

    def build() -> dict:
        alliance = alliance_rows(vintage)
        latest_by_slug: dict[str, dict] = {}
        for r in alliance["rows"]:
            if r["value"] is not None:
                latest_by_slug[r["slug"]] = r
        allies = []
        pct = pct_targets()
        for m in MemberState.objects.order_by("name"):
            r = latest_by_slug.get(m.slug)
            allies.append(
                {
                    "member": m,
                    "row": r,
                    "highest": highest_target_met(r["value"], pct) if r else None,
                    "highest_label": highest_target_label(r["value"], pct) if r else "",
                    "status": FIGURE if r else (NOT_COVERED if m.reports_figures else NO_FIGURE),
                }
            )
        vctx = vintage_context(vintage, pct_editions())
        return {"allies": allies, **vctx}

    return cached(f"pages3:countries:{vintage_key(vintage)}", build, scope="official")


def _frame_rows(frame: pd.DataFrame) -> dict[int, dict]:
    """Year → {metric: {value, estimate, source_code, source_title, figure_id}}."""
    out: dict[int, dict] = defaultdict(dict)
    for row in frame.itertuples(index=False):
        out[int(row.year)][row.metric] = {
            "value": float(row.value),
            "estimate": bool(row.estimate),
            "source_code": row.source_code,
            "source_title": row.source_title,
            "source_published": row.source_published,
            "figure_id": int(row.id),
        }
    return out


#: A chart CSV's value column by metric, with its unit: the same on an ally's charts and the
#: comparison.
CSV_VALUE_COLUMNS = {
    Metric.PCT_GDP: "pct_gdp",
    Metric.SPENDING_USD: "spending_usd_million",
    Metric.EQUIPMENT_SHARE: "equipment_pct",
}


def _drawn(frame: pd.DataFrame, column: str) -> list[dict]:
    """The rows of a one-metric figures frame as a chart draws them, for its CSV; with a
    ``member`` column where the frame has one (false: a year before the ally joined)."""
    if frame.empty:
        return []
    flagged = "member" in frame
    return [
        {
            "ally": r.name,
            "iso3": r.iso3,
            "year": int(r.year),
            column: float(r.value),
            "estimate": bool(r.estimate),
            **({"member": bool(r.member)} if flagged else {}),
            "edition": r.source_code,
        }
        for r in frame.sort_values(["iso3", "year"]).itertuples(index=False)
    ]


def country(member: MemberState, vintage: Vintage, year: int | None = None) -> dict:
    """Everything the ally page shows; ``year`` (``?year=`` as
    :func:`pages.params.asked_year` read it) picks the year of the gaps (default: the latest
    year with a % of GDP figure). Its official part
    (:func:`country_official`), statements and reported figures, read at once."""
    official, statements, reported = cached_many(
        {
            **_country_part(member, vintage, year),
            **_statements_part(PREVIEW_STATEMENTS, member),
            f"{REPORTS}:reported-figures:{member.slug}": (
                lambda: reported_figures_for(member),
                None,
            ),
        }
    ).values()
    return {
        **official,
        "statements": StatementList(statements),
        "reported_figures": reported,
    }


def country_official(member: MemberState, vintage: Vintage, year: int | None = None) -> dict:
    """What the ally page shows of the official data, without the statements and reported
    figures (its charts' embeds and CSVs)."""
    (official,) = cached_many(_country_part(member, vintage, year)).values()
    return official


def _country_part(member: MemberState, vintage: Vintage, asked: int | None) -> dict:
    """The :func:`nato_tracker.data_version.cached_many` part of an ally page's official data,
    kept under the official version by ally, vintage and year (:func:`pages.params.year_key`),
    the latest year's for the page without ``?year=`` too (:func:`_same_data`)."""

    # pages8: the charts shade, the CSVs flag, the years before the ally joined
    def key(year: int | None) -> str:
        return f"pages8:country:{member.slug}:{vintage_key(vintage)}:{year_key(year)}"

    def build() -> dict:

        vctx = vintage_context(vintage, member_editions(member))
        pct = pct_targets()
        equip = equipment_target()
        frame = figures_frame(vintage=vintage, member=member)
        by_year = _frame_rows(frame)
        years = sorted(by_year)
        table = []
        sources: dict[str, dict] = {}
        for year in years:
            cells = by_year[year]
            p = cells.get(Metric.PCT_GDP)
            e = cells.get(Metric.EQUIPMENT_SHARE)
            for cell in cells.values():
                sources.setdefault(cell["source_code"], {"code": cell["source_code"]})
            is_member = member.is_member_in(year)
            table.append(
                {
                    "year": year,
                    "member": is_member,
                    "pct": p,
                    "usd": cells.get(Metric.SPENDING_USD),
                    "equipment": e,
                    # before the ally joined, the targets did not apply: neither met nor not met
                    "meets": [
                        {
                            "target": t,
                            "meets": meets_target(p["value"] if p else None, t.threshold)
                            if is_member
                            else None,
                        }
                        for t in pct
                    ],
                    "equipment_meets": meets_target(e["value"], equip.threshold)
                    if (e and equip and is_member)
                    else None,
                    "estimate": any(c["estimate"] for c in cells.values()),
                    "source_codes": sorted({c["source_code"] for c in cells.values()}),
                }
            )
        # The editions are cached already; other sources (if any) cost one query.
        source_objs = {e["code"]: e for e in editions() if e["code"] in sources}
        others = [code for code in sources if code not in source_objs]
        if others:
            source_objs.update(
                {s.code: source_dict(s) for s in Source.objects.filter(code__in=others)}
            )

        # Gaps to every % of GDP target (the same targets as the year table) for the latest
        # year with a % of GDP figure.
        pct_years = [r for r in table if r["pct"]]
        gaps = []
        latest = None
        if pct_years:
            year = chosen_year(asked, [r["year"] for r in pct_years])
            latest = next(r for r in pct_years if r["year"] == year)
        elif asked is not None:
            raise PageError(
                400,
                # Iceland: NATO publishes none, whatever the edition
                f"{capfirst(member.name_in_text)} has no % of GDP figure in this edition."
                if member.reports_figures
                else no_figures_reason(member, vintage, vctx["edition"]),
            )
        if latest:
            value = Decimal(str(latest["pct"]["value"]))
            usd = latest["usd"]
            for t in pct:
                money = (
                    gap_in_usd_million(value, Decimal(str(usd["value"])), t.threshold)
                    if usd
                    else None
                )
                gaps.append(
                    {
                        "target": t,
                        "year": latest["year"],
                        "value": latest["pct"]["value"],
                        "estimate": latest["pct"]["estimate"],
                        "gap_pp": as_number(gap_pp(value, t.threshold)),
                        "meets": meets_target(value, t.threshold),
                        "usd_million": as_number(money),
                        "source_code": latest["pct"]["source_code"],
                    }
                )
        growth = required_growth(member, goal_pct=GOAL_PCT, goal_year=GOAL_YEAR, vintage=vintage)

        # Edition by edition: every edition's % of GDP (up to the as_of date, if any).
        history_vintage = Vintage(as_of=vintage.as_of)
        hist = figures_frame(
            vintage=history_vintage,
            member=member,
            metrics=[Metric.PCT_GDP],
            all_editions=True,
        )
        edition_list = [
            e for e in editions() if not hist.empty and e["code"] in set(hist["source_code"])
        ]
        edition_list.reverse()  # oldest first
        history_rows = []
        if not hist.empty:
            for year in sorted(set(hist["year"])):
                sub = hist[hist["year"] == year]
                values = {r.source_code: float(r.value) for r in sub.itertuples(index=False)}
                cells, previous = [], None
                for e in edition_list:
                    v = values.get(e["code"])
                    changed = v is not None and previous is not None and v != previous
                    cells.append({"value": v, "changed": changed, "edition": e["code"]})
                    if v is not None:
                        previous = v
                history_rows.append(
                    {
                        "year": int(year),
                        "cells": cells,
                        "restated": any(c["changed"] for c in cells),
                    }
                )

        label = source_label(vctx["edition"], set(sources))
        joined = member.accession_year  # the charts shade the years before, the CSVs flag them
        if not frame.empty:
            frame = frame.assign(member=[member.is_member_in(int(y)) for y in frame["year"]])
        if not hist.empty:
            hist = hist.assign(member=[member.is_member_in(int(y)) for y in hist["year"]])
        frame_pct = frame[frame["metric"] == Metric.PCT_GDP] if not frame.empty else frame
        frame_usd = frame[frame["metric"] == Metric.SPENDING_USD] if not frame.empty else frame
        frame_eq = frame[frame["metric"] == Metric.EQUIPMENT_SHARE] if not frame.empty else frame
        chart_set = {}
        if not frame_pct.empty:
            chart_set["pct"] = charts.country_pct_chart(
                frame_pct,
                name=member.name,
                targets=[t for t in pct if t.code in DEFAULT_LINES],
                source=label,
                joined=joined,
            )
        if not frame_usd.empty:
            chart_set["usd"] = charts.country_usd_chart(
                frame_usd, name=member.name, source=label, joined=joined
            )
        if not frame_eq.empty and equip:
            chart_set["equipment"] = charts.country_equipment_chart(
                frame_eq, name=member.name, target=equip, source=label, joined=joined
            )
        if not hist.empty and len(edition_list) > 1:
            chart_set["editions"] = charts.editions_chart(
                hist, name=member.name, editions=edition_list, joined=joined
            )
        chart_rows = {
            "pct": _drawn(frame_pct, CSV_VALUE_COLUMNS[Metric.PCT_GDP]),
            "usd": _drawn(frame_usd, CSV_VALUE_COLUMNS[Metric.SPENDING_USD]),
            "equipment": _drawn(frame_eq, CSV_VALUE_COLUMNS[Metric.EQUIPMENT_SHARE]),
            "editions": _drawn(hist, CSV_VALUE_COLUMNS[Metric.PCT_GDP]),
        }
        data = {
            "member": member,
            "compare_url": compare_url(member),
            "year": latest["year"] if latest else None,
            "years": [r["year"] for r in pct_years],
            "chart_rows": chart_rows,
            "table": table,
            "targets": pct,
            "equipment_target": equip,
            "sources": [source_objs[c] for c in sorted(source_objs)],
            "gaps": gaps,
            # a year before the ally joined: NATO tabulates it, the targets did not bind it
            "gaps_before_joining": bool(latest) and not latest["member"],
            "growth": growth,
            "goal_pct": GOAL_PCT,
            "goal_year": GOAL_YEAR,
            "history_editions": edition_list,
            "history_rows": history_rows,
            "editions_source": charts.editions_source(edition_list),
            "source_label": label,
            # what is rendered of the charts: their JSON (kept, never the figures themselves)
            "figures": fragments.figures_json(chart_set),
            "no_figures_reason": (
                "" if table else no_figures_reason(member, vintage, vctx["edition"])
            ),
            **vctx,
        }
        data["html"] = fragments.country(data, vintage_query(vintage))
        return data

    return {key(asked): (build, "official", lambda data: _same_data(data, key))}


def methodology() -> dict:
    """Targets and every edition (those without % of GDP figures too, linked to their allies)."""

    def build() -> dict:
        members = cached("members-by-slug", members_by_slug, scope="official")
        listed = []
        for e in editions():
            entry = dict(e)
            entry["allies"] = [members[s] for s in e["members"] if s in members]
            listed.append(entry)
        return {"targets": targets(), "editions": listed}

    return cached("pages3:methodology", build, scope="official")


def _not_drawn_reason(
    member: MemberState, vintage: Vintage, edition: dict | None, what: str
) -> str:
    """Why the comparison draws nothing for ``member``: no NATO figure at all (Iceland), none of
    this measure in an edition that has the ally, or the ally not in our copy
    (:func:`pages.editions.no_figures_reason`)."""
    if member.reports_figures and edition is not None and member.slug in edition["members"]:
        return (
            f"{capfirst(member.name_in_text)} has no figures for this measure ({what}) in "
            f"{edition['short_title']}."
        )
    return no_figures_reason(member, vintage, edition)


def compare(vintage: Vintage, allies: list[MemberState], metric: str, lines: list[str]) -> dict:
    """Several allies on one chart for one metric, against the target lines."""

    def build() -> dict:
        editions_pool = pct_editions() if metric == Metric.PCT_GDP else editions()
        vctx = vintage_context(vintage, editions_pool)
        frame = figures_frame(vintage=vintage, metrics=[metric])
        codes = [m.iso3 for m in allies]
        if not frame.empty:
            frame = frame[frame["iso3"].isin(codes)]
        if metric == Metric.PCT_GDP:
            shown = [t for t in pct_targets() if t.code in lines]
        elif metric == Metric.EQUIPMENT_SHARE:
            shown = [t for t in [equipment_target()] if t is not None]
        else:
            shown = []
        sources = set(frame["source_code"]) if not frame.empty else set()
        label = source_label(vctx["edition"], sources)
        years = sorted({int(y) for y in frame["year"]}) if not frame.empty else []
        if not frame.empty:
            # a year before the ally joined (NATO tabulates some): marked in the table and chart
            by_iso3 = {m.iso3: m for m in allies}
            frame = frame.assign(
                member=[
                    by_iso3[r.iso3].is_member_in(int(r.year)) for r in frame.itertuples(index=False)
                ]
            )
        values = {(r.iso3, int(r.year)): r for r in frame.itertuples(index=False)}
        table = [
            {
                "year": y,
                "cells": [
                    {
                        "value": float(values[(m.iso3, y)].value),
                        "estimate": bool(values[(m.iso3, y)].estimate),
                        "source_code": values[(m.iso3, y)].source_code,
                        "member": values[(m.iso3, y)].member,
                    }
                    if (m.iso3, y) in values
                    else None
                    for m in allies
                ],
            }
            for y in years
        ]
        names = ", ".join(m.name for m in allies)
        # an ally chosen but not drawn says why (Iceland: NATO publishes no figures for it)
        drawn = set(frame["iso3"]) if not frame.empty else set()
        not_drawn = [
            _not_drawn_reason(m, vintage, vctx["edition"], COMPARE_METRICS[metric])
            for m in allies
            if m.iso3 not in drawn
        ]
        figure = None
        if not frame.empty:
            figure = charts.compare_chart(
                frame,
                order=codes,
                metric=metric,
                what=COMPARE_METRICS[metric],
                targets=shown,
                source=label,
            )
        return {
            "allies": allies,
            "metric": metric,
            "metric_label": COMPARE_METRICS[metric],
            "metrics": COMPARE_METRICS,
            "names": names,
            # not "table": chart.html's ``table`` names the table's template
            "compare_rows": table,
            "not_drawn": not_drawn,
            # the chart as the JSON the page and the embed write (never the figure beside it)
            "figure_json": fragments.figure_json(figure) if figure else None,
            "shown_targets": shown,
            "targets": pct_targets(),
            "lines": lines,
            "source_label": label,
            # the column named with its unit, as on the ally's charts (it was the metric's
            # code: "spending_usd" of values in US$ million)
            "chart_rows": {"compare": _drawn(frame, CSV_VALUE_COLUMNS[metric])},
            "all_members": sorted(
                cached("members-by-slug", members_by_slug, scope="official").values(),
                key=lambda m: m.name,
            ),
            **vctx,
        }

    # "compare6": the chart kept as its JSON only since (compare5: the CSV's value column
    # named as on the ally's charts; compare4: the allies not drawn and why; compare3: the
    # CSV's member column; compare2: the chart marks the years before an ally joined)
    key = f"compare6:{vintage_key(vintage)}:{metric}:{','.join(m.iso3 for m in allies)}"
    return cached(f"{key}:{','.join(lines)}", build, scope="official")
