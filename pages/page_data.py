"""What the spending pages need, built from :mod:`spending.selectors` and cached.

Every builder here returns plain, picklable data (dicts, lists, model instances) and is wrapped in
:func:`nato_tracker.data_version.cached`, keyed by the data version, so a warm page costs no
database query and a data change (which bumps the version) makes every page fresh at once.

No domain rule is re-implemented here: membership, "current figure", "meets a target", gaps and
required growth all come from :mod:`spending.selectors`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

import pandas as pd
from django.utils.text import slugify

from articles.selectors import latest_statements, reported_figures_for, statements_for_member
from nato_tracker.data_version import cached
from nato_tracker.web import PageError
from spending.models import (
    AggregateFigure,
    CountryAlias,
    Definition,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
    Target,
)
from spending.selectors import (
    LATEST,
    NO_DATA,
    NOT_HELD,
    ComplianceRow,
    OfficialSnapshot,
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

from . import charts

HEADLINE_TARGET = "2"
DEFAULT_LINES = ("2", "3.5", "5")
TREND_FIRST_YEAR = 2014
GOAL_PCT = Decimal("3.5")
GOAL_YEAR = 2035


def _key(*parts: object) -> str:
    """A short, safe cache key for any user-supplied parts."""
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


# Keys of builders whose result changed shape carry "pages3:" (bump it with every change of
# shape), so that values cached by the previous version of this module (same data version, a
# shared or file cache that outlives a deploy) are never read back: the editions' release dates
# and the pages' chart rows were missing from "pages2:" values, a 500 after an upgrade.


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


def _date_label(source: Source) -> str:
    """A short name for an edition in legends: "July 2026", from NATO's release date."""
    if source.edition_published is not None:
        return source.edition_published.strftime("%B %Y")
    if source.published is None:
        return source.code
    if source.published_precision == Source.DatePrecision.YEAR:
        return str(source.published.year)
    return source.published.strftime("%B %Y")


def _source_dict(source: Source) -> dict:
    """An edition as the pages show it: dated by NATO's release (``released``), with the
    document it was read from (``published``) named when that is a later one."""
    return {
        "code": source.code,
        "title": source.title,
        "short_title": source.label,
        "date_label": _date_label(source),
        "publisher": source.publisher,
        "url": source.url,
        "released": source.released,
        "released_label": source.released_label,
        "published": source.published,
        "published_label": source.published_label,
        "read_later": source.read_from_other_document,
        "definition": source.definition,
        "definition_label": source.definition_label,
        "definition_short": Definition.short(source.definition),
    }


def definition_label(edition: dict | None) -> str:
    """What the edition counts as defence expenditure, in words (the source's ``definition``:
    core, from NATO's July 2026 edition, or the definition in use before); "" for no edition."""
    return (edition or {}).get("definition_label", "")


def edition_by_code(code: str | None) -> dict | None:
    """The edition ``code`` (from the cached list), or ``None``."""
    return next((e for e in editions() if e["code"] == code), None)


def coverage() -> dict:
    """What each NATO edition holds, from one query (cached).

    ``editions``: code → ``{"metrics": set of metrics, "members": set of ally slugs}``.
    """

    def build() -> dict:
        rows = (
            SpendingFigure.objects.filter(source__is_nato_edition=True)
            .order_by()
            .values_list("source__code", "metric", "member__slug")
            .distinct()
        )
        by_edition: dict[str, dict] = {}
        for code, metric, slug in rows:
            entry = by_edition.setdefault(code, {"metrics": set(), "members": set()})
            entry["metrics"].add(metric)
            entry["members"].add(slug)
        return {"editions": by_edition}

    return cached("pages3:coverage", build)


def editions() -> list[dict]:
    """Every NATO edition, newest first, with the metrics and allies it covers."""

    def build() -> list[dict]:
        held = coverage()["editions"]
        out = []
        for source in Source.objects.editions().order_by("-edition_published", "code"):
            entry = _source_dict(source)
            covered = held.get(source.code, {"metrics": set(), "members": set()})
            entry["metrics"] = [m for m in Metric.values if m in covered["metrics"]]
            entry["metric_labels"] = [Metric(m).label for m in entry["metrics"]]
            entry["members"] = sorted(covered["members"])
            entry["has_pct"] = Metric.PCT_GDP in covered["metrics"]
            out.append(entry)
        return out

    return cached("pages3:editions", build)


def pct_editions() -> list[dict]:
    """The editions with % of GDP figures: the only ones the dashboard can show."""
    return [e for e in editions() if e["has_pct"]]


def member_editions(member: MemberState) -> list[dict]:
    """The editions with any figure for ``member`` (every edition when none has one)."""
    own = [e for e in editions() if member.slug in e["members"]]
    return own or editions()


def vintage_context(vintage: Vintage, choices: list[dict] | None = None) -> dict:
    """Which edition the page's numbers come from, and the choices for the edition picker.

    ``choices`` are the editions this page can show (default: every edition); the edition the
    numbers come from is the chosen one, else the newest of ``choices`` published by the date.
    """
    pool = editions() if choices is None else choices
    if vintage.edition:
        main = next((e for e in editions() if e["code"] == vintage.edition), None)
    elif vintage.as_of:
        main = next((e for e in pool if e["released"] <= vintage.as_of), None)
    else:
        main = pool[0] if pool else None
    offered = list(pool)
    if main is not None and vintage.edition and main not in offered:
        offered.append(main)  # the select always shows what the page shows
    return {
        "vintage": vintage,
        "vintage_description": vintage.describe(),
        "edition": main,
        "editions": offered,
        "is_latest": vintage.is_latest,
        "selected_edition": vintage.edition or "",
        "selected_as_of": vintage.as_of.isoformat() if vintage.as_of else "",
        "coverage_label": coverage_label(vintage, main),
    }


def coverage_label(vintage: Vintage, edition: dict | None) -> str:
    """The source(s) behind a vintage, as words: "the editions published by 1 September 2025"."""
    if vintage.edition:
        return edition["short_title"] if edition else vintage.edition
    if vintage.as_of:
        return f"the editions published by {vintage.as_of.day} {vintage.as_of:%B %Y}"
    return "NATO's editions"


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


def highest_target_met(value) -> Target | None:
    """The highest % of GDP target a value meets, among *every* % of GDP target.

    The one answer to "highest target met" wherever a page shows it (dashboard table,
    /countries/, ally page), whatever target lines a chart happens to draw.
    """
    return highest_met(value, pct_targets())


def highest_target_label(value) -> str:
    """ "3% of GDP", or "none (below 2% of GDP)"; "" when there is no value."""
    if value is None:
        return ""
    top = highest_target_met(value)
    if top is not None:
        return top.label
    lowest = min(pct_targets(), key=lambda t: t.threshold, default=None)
    return f"none (below {lowest.label})" if lowest else "none"


#: Why an ally-year has no % of GDP value under a vintage.
FIGURE, NOT_COVERED, NO_FIGURE = "figure", "not_covered", "no_figure"


def figure_status(row: ComplianceRow) -> str:
    """``figure``; ``not_covered`` when the copy we hold of the selected source(s) lacks the
    ally (a partial edition: the API's ``not_held``); ``no_figure`` for an ally NATO publishes
    no figures for (Iceland: the API's ``no_data``). The rule is ``ComplianceRow.status``."""
    return {NOT_HELD: NOT_COVERED, NO_DATA: NO_FIGURE}.get(row.status, FIGURE)


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
            top = highest_target_met(row.value)
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
                    "status": figure_status(row),
                    "highest": top.code if top else None,
                    "highest_label": highest_target_label(row.value),
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

    return cached(f"pages3:alliance:{vintage_key(vintage)}", build)


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

    return cached(f"aggregates2:{vintage_key(vintage)}", build)


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
    text = f"Source: NATO, {edition['short_title']} (released {edition['released_label']}"
    text += f"; {edition['definition_short']})" if edition.get("definition_short") else ")"
    if sources and len(sources) > 1:
        text += f" and {len(sources) - 1} other source(s), see table"
    return text


def no_pct_reason(vintage: Vintage) -> str:
    """Why a vintage cannot fill the dashboard, and where its figures can be seen instead."""
    edition = next((e for e in editions() if e["code"] == vintage.edition), None)
    if edition is None:
        return "No % of GDP figures were published in this selection."
    members = cached("members-by-slug", _members_by_slug)
    names = [members[slug].name for slug in edition["members"] if slug in members]
    what = ", ".join(edition["metric_labels"]) or "no figures"
    where = ""
    if names:
        where = f" for {', '.join(names)}: see " + ", ".join(
            f"{members[slug].get_absolute_url()}?edition={edition['code']}"
            for slug in edition["members"]
            if slug in members
        )
    return (
        f"The edition {edition['code']} ({edition['short_title']}, {edition['released_label']}) "
        f"publishes no % of GDP figures, only: {what}{where}. The dashboard can show the "
        f"editions with % of GDP figures: {', '.join(e['code'] for e in pct_editions())}."
    )


def edition_counts(year: int) -> list[dict]:
    """For one year, how many allies met the headline target by each NATO edition with figures
    for that year, oldest release first: the 2026 core definition beside the counts NATO gave
    at the time ("2024: 17 of 32 by the 2026 core definition; 23 by the June 2024 edition")."""

    def build() -> list[dict]:
        head = headline_target()
        every = figures_frame(metrics=[head.metric], years=[year], all_editions=True)
        members = list(MemberState.objects.order_by("name"))
        out = []
        for edition in reversed(pct_editions()):
            vintage = Vintage(edition=edition["code"])
            own = every[every["source_code"] == edition["code"]] if not every.empty else every
            snapshot = OfficialSnapshot(vintage, frame=own, members=members)
            rows = compliance(head, [year], vintage=vintage, snapshot=snapshot)
            (summary,) = summarise(rows) or [None]
            if summary is None or summary.meeting + summary.missing == 0:
                continue
            out.append(
                {
                    "edition": edition,
                    "meeting": summary.meeting,
                    "members": summary.members,
                    "not_held": summary.not_held,
                    "estimate": any(r.estimate for r in rows if r.value is not None),
                }
            )
        return out

    return cached(f"edition-counts:{year}", build)


def estimate_note(rows: list[dict]) -> str:
    """ "NATO estimates" when every value shown is an estimate, "mostly NATO estimates" when
    more than half are, else ""."""
    with_data = [r for r in rows if r["value"] is not None]
    estimates = sum(1 for r in with_data if r["estimate"])
    if with_data and estimates == len(with_data):
        return "NATO estimates"
    if estimates * 2 > len(with_data):
        return "mostly NATO estimates"
    return ""


def dashboard(vintage: Vintage, year_raw: str | None, lines: list[str]) -> dict:
    """Everything the dashboard shows for one year, vintage and set of target lines."""
    alliance = alliance_rows(vintage)
    if not alliance["years"]:
        raise PageError(400, no_pct_reason(vintage))
    year = parse_year(year_raw, alliance["years"])

    def build() -> dict:

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
                    "edition": main_code,
                }
                for t in trend_years
            ],
            "spending": [
                {
                    "year": a["year"],
                    "spending_usd_million": a["spending_usd"],
                    "estimate": a["estimate"],
                    "edition": a["source_code"],
                }
                for a in aggr
            ],
        }
        return {
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
            "statements": latest_statements(5),
            "charts": {
                "ranking": charts.figure_json(
                    charts.ranking_chart(ranking, year=year, targets=shown, source=label)
                ),
                "map": charts.figure_json(
                    charts.map_chart(ranking, year=year, source=label, targets=pct, missing=missing)
                ),
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

    return cached(f"pages3:dashboard:{vintage_key(vintage)}:{year}:{','.join(lines)}", build)


def countries(vintage: Vintage) -> dict:
    """All allies with their latest % of GDP under ``vintage`` (for /countries/)."""

    def build() -> dict:
        alliance = alliance_rows(vintage)
        latest_by_slug: dict[str, dict] = {}
        for r in alliance["rows"]:
            if r["value"] is not None:
                latest_by_slug[r["slug"]] = r
        allies = []
        for m in MemberState.objects.order_by("name"):
            r = latest_by_slug.get(m.slug)
            allies.append(
                {
                    "member": m,
                    "row": r,
                    "highest": highest_target_met(r["value"]) if r else None,
                    "highest_label": highest_target_label(r["value"]) if r else "",
                    "status": FIGURE if r else (NOT_COVERED if m.reports_figures else NO_FIGURE),
                }
            )
        vctx = vintage_context(vintage, pct_editions())
        return {"allies": allies, **vctx}

    return cached(f"pages3:countries:{vintage_key(vintage)}", build)


# --------------------------------------------------------------------------- one ally


def _members_by_slug() -> dict[str, MemberState]:
    return {m.slug: m for m in MemberState.objects.all()}


#: Kinds of alias that name the country itself (not "Dutch", "Ankara" or "The Hague").
REDIRECTED_ALIAS_KINDS = (CountryAlias.Kind.NAME, CountryAlias.Kind.SHORTHAND)


def _alias_slugs() -> dict[str, str]:
    """slugified alias → the ally's slug ("turkey" → "turkiye", "uk" → "united-kingdom")."""
    out: dict[str, str] = {}
    aliases = CountryAlias.objects.filter(kind__in=REDIRECTED_ALIAS_KINDS).select_related("member")
    for alias in aliases.order_by("pk"):
        key = slugify(alias.alias)
        if key and key != alias.member.slug:
            out.setdefault(key, alias.member.slug)
    return out


def canonical_slug(slug: str) -> str | None:
    """The slug of the ally an old slug or alias names ("turkey" → "turkiye"), else ``None``.

    Only asked when ``slug`` names no ally, so known slugs cost no query.
    """
    return cached("alias-slugs", _alias_slugs).get(slug)


def member_by_slug(slug: str) -> MemberState:
    members = cached("members-by-slug", _members_by_slug)
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


def _drawn(frame: pd.DataFrame, column: str) -> list[dict]:
    """The rows of a one-metric figures frame as a chart draws them, for its CSV."""
    if frame.empty:
        return []
    return [
        {
            "ally": r.name,
            "iso3": r.iso3,
            "year": int(r.year),
            column: float(r.value),
            "estimate": bool(r.estimate),
            "edition": r.source_code,
        }
        for r in frame.sort_values(["iso3", "year"]).itertuples(index=False)
    ]


def country(member: MemberState, vintage: Vintage, year_raw: str | None = None) -> dict:
    """Everything the ally page shows; ``year_raw`` (``?year=``) picks the year of the gaps
    (default: the latest year with a % of GDP figure)."""

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
        # The editions are cached already; other sources (if any) cost one query.
        source_objs = {e["code"]: e for e in editions() if e["code"] in sources}
        others = [code for code in sources if code not in source_objs]
        if others:
            source_objs.update(
                {s.code: _source_dict(s) for s in Source.objects.filter(code__in=others)}
            )

        # Gaps to every % of GDP target (the same targets as the year table) for the latest
        # year with a % of GDP figure.
        pct_years = [r for r in table if r["pct"]]
        gaps = []
        latest = None
        if pct_years:
            year = parse_year(year_raw, [r["year"] for r in pct_years])
            latest = next(r for r in pct_years if r["year"] == year)
        elif year_raw:
            raise PageError(400, f"{member.name} has no % of GDP figure in this edition.")
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
            chart_set["editions"] = charts.figure_json(
                charts.editions_chart(hist, name=member.name, editions=edition_list)
            )
        chart_rows = {
            "pct": _drawn(frame_pct, "pct_gdp"),
            "usd": _drawn(frame_usd, "spending_usd_million"),
            "equipment": _drawn(frame_eq, "equipment_pct"),
            "editions": _drawn(hist, "pct_gdp"),
        }
        return {
            "member": member,
            "year": latest["year"] if latest else None,
            "years": [r["year"] for r in pct_years],
            "chart_rows": chart_rows,
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
            "editions_source": charts.editions_source(edition_list),
            "statements": statements_for_member(member),
            "reported_figures": reported_figures_for(member),
            "source_label": label,
            "charts": chart_set,
            **vctx,
        }

    return cached(f"pages3:country:{member.slug}:{vintage_key(vintage)}:{_key(year_raw)}", build)


def methodology() -> dict:
    """Targets and every edition (those without % of GDP figures too, linked to their allies)."""

    def build() -> dict:
        members = cached("members-by-slug", _members_by_slug)
        listed = []
        for e in editions():
            entry = dict(e)
            entry["allies"] = [members[s] for s in e["members"] if s in members]
            listed.append(entry)
        return {"targets": targets(), "editions": listed}

    return cached("pages3:methodology", build)


# --------------------------------------------------------------------------- comparison

#: What the comparison page can chart, and the default allies it opens with.
COMPARE_METRICS = {
    Metric.PCT_GDP.value: "% of GDP",
    Metric.SPENDING_USD.value: "US$ million (current prices)",
    Metric.EQUIPMENT_SHARE.value: "equipment, % of defence spending",
}
DEFAULT_COMPARED = ("POL", "DEU", "FRA")
MAX_COMPARED = 10


def parse_allies(raw: str | None) -> list[MemberState]:
    """``?allies=POL,DEU,FRA`` (ISO 3166 alpha-3 codes, any case; slugs too) → members in the
    order given; the default three when absent; :class:`PageError` 400 on an unknown ally."""
    members = cached("members-by-slug", _members_by_slug)
    by_code = {m.iso3.upper(): m for m in members.values()}
    if raw is None or not raw.strip():
        return [by_code[c] for c in DEFAULT_COMPARED if c in by_code]
    chosen: list[MemberState] = []
    for part in raw.split(","):
        code = part.strip()
        if not code:
            continue
        member = by_code.get(code.upper()) or members.get(code.lower())
        if member is None:
            raise PageError(
                400,
                f"Unknown ally {code[:20]!r} in allies; use ISO codes separated by commas, "
                f"e.g. allies=POL,DEU,FRA. Allies: {', '.join(sorted(by_code))}.",
            )
        if member not in chosen:
            chosen.append(member)
    if len(chosen) > MAX_COMPARED:
        raise PageError(400, f"Compare at most {MAX_COMPARED} allies at once.")
    return chosen


def parse_metric(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return Metric.PCT_GDP.value
    if raw not in COMPARE_METRICS:
        raise PageError(400, f"Unknown metric {raw[:30]!r}; metrics: {', '.join(COMPARE_METRICS)}.")
    return raw


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
        values = {(r.iso3, int(r.year)): r for r in frame.itertuples(index=False)}
        table = [
            {
                "year": y,
                "cells": [
                    {
                        "value": float(values[(m.iso3, y)].value),
                        "estimate": bool(values[(m.iso3, y)].estimate),
                        "source_code": values[(m.iso3, y)].source_code,
                    }
                    if (m.iso3, y) in values
                    else None
                    for m in allies
                ],
            }
            for y in years
        ]
        names = ", ".join(m.name for m in allies)
        figure = None
        if not frame.empty:
            figure = charts.figure_json(
                charts.compare_chart(
                    frame,
                    order=codes,
                    metric=metric,
                    what=COMPARE_METRICS[metric],
                    targets=shown,
                    source=label,
                )
            )
        return {
            "allies": allies,
            "metric": metric,
            "metric_label": COMPARE_METRICS[metric],
            "metrics": COMPARE_METRICS,
            "names": names,
            "table": table,
            "figure": figure,
            "shown_targets": shown,
            "targets": pct_targets(),
            "lines": lines,
            "source_label": label,
            "chart_rows": {"compare": _drawn(frame, metric)},
            "all_members": sorted(
                cached("members-by-slug", _members_by_slug).values(), key=lambda m: m.name
            ),
            **vctx,
        }

    key = f"compare:{vintage_key(vintage)}:{metric}:{','.join(m.iso3 for m in allies)}"
    return cached(f"{key}:{','.join(lines)}", build)
