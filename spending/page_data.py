"""What the spending pages need, built from :mod:`spending.selectors` and cached.

Every builder here returns plain, picklable data (dicts, lists, model instances) and is wrapped in
:func:`spending.cache.cached`, keyed by the data version, so a warm page costs no database query
and a data change (which bumps the version) makes every page fresh at once.

No domain rule is re-implemented here: membership, "current figure", "meets a target", gaps and
required growth all come from :mod:`spending.selectors`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

import pandas as pd

from . import charts
from .cache import cached
from .models import MemberState, Metric, Source, Target
from .selectors import (
    LATEST,
    SelectionError,
    Vintage,
    alliance_totals,
    available_years,
    compliance,
    figures_frame,
    gap_in_usd_million,
    gap_pp,
    meets_target,
    parse_vintage,
    required_growth,
    summarise,
)

HEADLINE_TARGET = "2"
DEFAULT_LINES = ("2", "3.5", "5")
TREND_FIRST_YEAR = 2014
GOAL_PCT = Decimal("3.5")
GOAL_YEAR = 2035


class PageError(Exception):
    """A request that cannot be answered; ``status`` is 400 (bad input) or 404 (not found)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _key(*parts: object) -> str:
    """A short, safe cache key for any user-supplied parts."""
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def vintage_key(vintage: Vintage) -> str:
    return f"{vintage.edition or ''}|{vintage.as_of.isoformat() if vintage.as_of else ''}"


# --------------------------------------------------------------------------- editions, vintages


def resolve_vintage(edition: str | None, as_of: str | None) -> Vintage:
    """``?edition=`` / ``?as_of=`` → :class:`Vintage` (cached); :class:`PageError` 400 if bad."""
    if not (edition or "").strip() and not (as_of or "").strip():
        return LATEST
    try:
        return cached(f"vintage:{_key(edition, as_of)}", lambda: parse_vintage(edition, as_of))
    except SelectionError as exc:
        raise PageError(400, str(exc)) from None


def _source_dict(source: Source) -> dict:
    return {
        "code": source.code,
        "title": source.title,
        "short_title": source.label,
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published,
        "published_label": source.published_label,
    }


def editions() -> list[dict]:
    """Every NATO edition, newest first."""
    return cached(
        "editions",
        lambda: [
            _source_dict(s)
            for s in Source.objects.editions().order_by("-published", "code")
            if s.published is not None
        ],
    )


def vintage_context(vintage: Vintage) -> dict:
    """Which edition the page's numbers come from, and the choices for the edition picker."""
    all_editions = editions()
    if vintage.edition:
        main = next((e for e in all_editions if e["code"] == vintage.edition), None)
    elif vintage.as_of:
        main = next((e for e in all_editions if e["published"] <= vintage.as_of), None)
    else:
        main = all_editions[0] if all_editions else None
    return {
        "vintage": vintage,
        "vintage_description": vintage.describe(),
        "edition": main,
        "editions": all_editions,
        "is_latest": vintage.is_latest,
        "selected_edition": vintage.edition or "",
        "selected_as_of": vintage.as_of.isoformat() if vintage.as_of else "",
    }


def targets() -> list[Target]:
    return cached("targets", lambda: list(Target.objects.order_by("display_order", "threshold")))


def pct_targets() -> list[Target]:
    return [t for t in targets() if t.metric == Metric.PCT_GDP]


def equipment_target() -> Target | None:
    return next((t for t in targets() if t.metric == Metric.EQUIPMENT_SHARE), None)


def headline_target() -> Target:
    pct = pct_targets()
    return next((t for t in pct if t.code == HEADLINE_TARGET), pct[0])


def _num(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def highest_met(value, candidates: list[Target]) -> Target | None:
    """The highest of ``candidates`` the value meets (using the one rule, ``meets_target``)."""
    met = [t for t in candidates if meets_target(value, t.threshold)]
    return max(met, key=lambda t: t.threshold) if met else None


# --------------------------------------------------------------------------- alliance


def alliance_rows(vintage: Vintage) -> dict:
    """Every member in every year with a % of GDP figure, with which targets it meets."""

    def build() -> dict:
        years = available_years(vintage=vintage)
        head = headline_target()
        pct = pct_targets()
        found = compliance(head, years, vintage=vintage) if years else []
        rows = []
        for row in found:
            meets = {t.code: meets_target(row.value, t.threshold) for t in pct}
            rows.append(
                {
                    "iso3": row.iso3,
                    "name": row.name,
                    "slug": row.slug,
                    "year": row.year,
                    "value": _num(row.value),
                    "estimate": bool(row.estimate),
                    "meets": meets,
                    "meets_headline": row.meets,
                    "gap_pp": _num(row.gap_pp),
                    "source_code": row.source_code,
                    "source_title": row.source_title,
                    "source_published": row.source_published,
                }
            )
        summary = [
            {
                "year": s.year,
                "members": s.members,
                "meeting": s.meeting,
                "missing": s.missing,
                "no_data": s.no_data,
            }
            for s in summarise(found)
        ]
        return {"years": years, "rows": rows, "summary": summary}

    return cached(f"alliance:{vintage_key(vintage)}", build)


def aggregates(vintage: Vintage) -> list[dict]:
    """NATO's own alliance totals (spending in US$ million and % of GDP) under ``vintage``."""

    def build() -> list[dict]:
        by_year: dict[int, dict] = {}
        for (year, metric), figure in sorted(alliance_totals(vintage=vintage).items()):
            entry = by_year.setdefault(
                year,
                {
                    "year": year,
                    "spending_usd": None,
                    "pct_gdp": None,
                    "estimate": False,
                    "source_code": figure.source.code,
                    "source_title": figure.source.label,
                },
            )
            entry[metric] = float(figure.value)
            entry["estimate"] = entry["estimate"] or figure.estimate
        return [by_year[y] for y in sorted(by_year)]

    return cached(f"aggregates:{vintage_key(vintage)}", build)


def parse_year(raw: str | None, years: list[int]) -> int:
    """``?year=`` → int; the latest year with data by default; :class:`PageError` 400 if bad."""
    if not years:
        raise PageError(400, "No % of GDP figures were published in this edition.")
    if raw is None or raw.strip() == "":
        return years[-1]
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise PageError(400, f"year must be a four-digit year, not {raw[:20]!r}.")
    year = int(raw)
    if year not in years:
        raise PageError(
            400,
            f"There are no figures for {year} in this edition; years with figures: "
            f"{years[0]}–{years[-1]}.",
        )
    return year


def parse_lines(codes: list[str] | None) -> list[str]:
    """``?line=2&line=3.5`` → target codes drawn on the ranking chart; 400 on unknown codes."""
    if codes is None:
        return list(DEFAULT_LINES)
    known = {t.code for t in pct_targets()}
    bad = [c for c in codes if c not in known]
    if bad:
        raise PageError(
            400,
            f"Unknown target {bad[0][:20]!r}; targets: {', '.join(sorted(known))}.",
        )
    return [t.code for t in pct_targets() if t.code in codes]


def source_label(edition: dict | None, sources: set[str] | None = None) -> str:
    if edition is None:
        return "Source: NATO"
    text = f"Source: NATO, {edition['short_title']} ({edition['published_label']})"
    if sources and len(sources) > 1:
        text += f" and {len(sources) - 1} other source(s), see table"
    return text


def dashboard(vintage: Vintage, year_raw: str | None, lines: list[str]) -> dict:
    """Everything the dashboard shows for one year, vintage and set of target lines."""
    alliance = alliance_rows(vintage)
    year = parse_year(year_raw, alliance["years"])

    def build() -> dict:
        from articles.selectors import latest_statements

        vctx = vintage_context(vintage)
        pct = pct_targets()
        shown = [t for t in pct if t.code in lines]
        head = headline_target()
        rows = [dict(r) for r in alliance["rows"] if r["year"] == year]
        for r in rows:
            top = highest_met(r["value"], shown)
            r["highest"] = top.code if top else None
            r["highest_label"] = top.label if top else ("below all targets shown" if shown else "")
        with_data = [r for r in rows if r["value"] is not None]
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
        trend_years = [dict(s) for s in alliance["summary"] if s["year"] >= TREND_FIRST_YEAR]
        for s in trend_years:
            s["meeting_by_target"] = {
                t.code: sum(
                    1 for r in alliance["rows"] if r["year"] == s["year"] and r["meets"][t.code]
                )
                for t in pct
            }
        aggr = [a for a in aggregates(vintage) if a["year"] >= TREND_FIRST_YEAR]
        trend_df = pd.DataFrame(trend_years)
        return {
            "year": year,
            "years": alliance["years"],
            "rows": rows,
            "no_data": [r for r in rows if r["value"] is None],
            "members": len(rows),
            "headline_target": head,
            "headline_meeting": sum(1 for r in rows if r["meets"][head.code]),
            "counts": counts,
            "targets": pct,
            "lines": lines,
            "trend": trend_years,
            "aggregates": aggr,
            "source_label": label,
            "statements": latest_statements(5),
            "charts": {
                "ranking": charts.figure_json(
                    charts.ranking_chart(ranking, year=year, targets=shown, source=label)
                ),
                "map": charts.figure_json(charts.map_chart(ranking, year=year, source=label)),
                "trend": charts.figure_json(charts.trend_chart(trend_df, target=head, source=label))
                if not trend_df.empty
                else None,
                "spending": charts.figure_json(
                    charts.total_spending_chart(pd.DataFrame(aggr), source=label)
                )
                if aggr
                else None,
            },
            **vctx,
        }

    return cached(f"dashboard:{vintage_key(vintage)}:{year}:{','.join(lines)}", build)


def countries(vintage: Vintage) -> dict:
    """All allies with their latest % of GDP under ``vintage`` (for /countries/)."""

    def build() -> dict:
        alliance = alliance_rows(vintage)
        latest_by_slug: dict[str, dict] = {}
        for r in alliance["rows"]:
            if r["value"] is not None:
                latest_by_slug[r["slug"]] = r
        pct = pct_targets()
        allies = []
        for m in MemberState.objects.order_by("name"):
            r = latest_by_slug.get(m.slug)
            top = highest_met(r["value"], pct) if r else None
            allies.append(
                {
                    "member": m,
                    "row": r,
                    "highest": top,
                }
            )
        return {"allies": allies, **vintage_context(vintage)}

    return cached(f"countries:{vintage_key(vintage)}", build)


# --------------------------------------------------------------------------- one ally


def member_by_slug(slug: str) -> MemberState:
    members = cached("members-by-slug", lambda: {m.slug: m for m in MemberState.objects.all()})
    member = members.get(slug)
    if member is None:
        raise PageError(404, f"There is no ally called {slug[:60]!r}.")
    return member


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


def country(member: MemberState, vintage: Vintage) -> dict:
    """Everything the ally page shows."""

    def build() -> dict:
        from articles.selectors import reported_figures_for, statements_for_member

        vctx = vintage_context(vintage)
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
            table.append(
                {
                    "year": year,
                    "member": member.is_member_in(year),
                    "pct": p,
                    "usd": cells.get(Metric.SPENDING_USD),
                    "equipment": e,
                    "meets": [
                        {"target": t, "meets": meets_target(p["value"] if p else None, t.threshold)}
                        for t in pct
                    ],
                    "equipment_meets": meets_target(e["value"], equip.threshold)
                    if (e and equip)
                    else None,
                    "estimate": any(c["estimate"] for c in cells.values()),
                    "source_codes": sorted({c["source_code"] for c in cells.values()}),
                }
            )
        source_objs = {
            s.code: _source_dict(s) for s in Source.objects.filter(code__in=list(sources))
        }

        # Gaps to 2% and 3.5% for the latest year with a % of GDP figure.
        pct_years = [r for r in table if r["pct"]]
        gaps = []
        latest = pct_years[-1] if pct_years else None
        if latest:
            value = Decimal(str(latest["pct"]["value"]))
            usd = latest["usd"]
            for t in pct:
                if t.code not in ("2", "3.5"):
                    continue
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
                        "gap_pp": _num(gap_pp(value, t.threshold)),
                        "meets": meets_target(value, t.threshold),
                        "usd_million": _num(money),
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
        frame_pct = frame[frame["metric"] == Metric.PCT_GDP] if not frame.empty else frame
        frame_usd = frame[frame["metric"] == Metric.SPENDING_USD] if not frame.empty else frame
        frame_eq = frame[frame["metric"] == Metric.EQUIPMENT_SHARE] if not frame.empty else frame
        chart_set = {}
        if not frame_pct.empty:
            chart_set["pct"] = charts.figure_json(
                charts.country_pct_chart(
                    frame_pct,
                    name=member.name,
                    targets=[t for t in pct if t.code in DEFAULT_LINES],
                    source=label,
                )
            )
        if not frame_usd.empty:
            chart_set["usd"] = charts.figure_json(
                charts.country_usd_chart(frame_usd, name=member.name, source=label)
            )
        if not frame_eq.empty and equip:
            chart_set["equipment"] = charts.figure_json(
                charts.country_equipment_chart(
                    frame_eq, name=member.name, target=equip, source=label
                )
            )
        if not hist.empty and len(edition_list) > 1:
            chart_set["editions"] = charts.editions_chart(
                hist, name=member.name, editions=edition_list
            )
            chart_set["editions"] = charts.figure_json(chart_set["editions"])
        return {
            "member": member,
            "table": table,
            "targets": pct,
            "equipment_target": equip,
            "sources": [source_objs[c] for c in sorted(source_objs)],
            "gaps": gaps,
            "growth": growth,
            "goal_pct": GOAL_PCT,
            "goal_year": GOAL_YEAR,
            "history_editions": edition_list,
            "history_rows": history_rows,
            "statements": statements_for_member(member),
            "reported_figures": reported_figures_for(member),
            "source_label": label,
            "charts": chart_set,
            **vctx,
        }

    return cached(f"country:{member.slug}:{vintage_key(vintage)}", build)


def methodology() -> dict:
    return cached("methodology", lambda: {"targets": targets(), "editions": editions()})
