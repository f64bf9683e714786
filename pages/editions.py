"""NATO's editions as the pages show them: what each holds, the edition picker's choices, the
source line under a chart, and the counts of one year by each edition (cached)."""

from __future__ import annotations

from django.utils.text import capfirst

from nato_tracker.data_version import cached
from spending.formatting import day
from spending.models import (
    Definition,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
)
from spending.selectors import (
    OfficialSnapshot,
    Vintage,
    compliance,
    figures_frame,
    summarise,
)

from .params import members_by_slug, members_in_order
from .targets import headline_target


def _date_label(source: Source) -> str:
    """A short name for an edition in legends: "July 2026", from NATO's release date."""
    if source.edition_published is not None:
        return source.edition_published.strftime("%B %Y")
    if source.published is None:
        return source.code
    if source.published_precision == Source.DatePrecision.YEAR:
        return str(source.published.year)
    return source.published.strftime("%B %Y")


def source_dict(source: Source) -> dict:
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

    return cached("pages3:coverage", build, scope="official")


def editions() -> list[dict]:
    """Every NATO edition, newest first, with the metrics and allies it covers."""

    def build() -> list[dict]:
        held = coverage()["editions"]
        out = []
        for source in Source.objects.editions().order_by("-edition_published", "code"):
            entry = source_dict(source)
            covered = held.get(source.code, {"metrics": set(), "members": set()})
            entry["metrics"] = [m for m in Metric.values if m in covered["metrics"]]
            entry["metric_labels"] = [Metric(m).label for m in entry["metrics"]]
            entry["members"] = sorted(covered["members"])
            entry["has_pct"] = Metric.PCT_GDP in covered["metrics"]
            out.append(entry)
        return out

    return cached("pages3:editions", build, scope="official")


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
        # The select always shows what the page shows, in its place by NATO's release date.
        offered = [e for e in editions() if e in pool or e["code"] == main["code"]]
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


def no_figures_reason(member: MemberState, vintage: Vintage, edition: dict | None) -> str:
    """Why an ally's page has no figure in the selection, blaming NATO only for what NATO
    does not publish (Iceland's figures); an edition we hold in part (the allies a press report
    quoted) is "not in the copy we hold"."""
    if not member.reports_figures:
        return f"NATO publishes no defence-expenditure figures for {member.name_in_text}."
    name = capfirst(member.name_in_text)  # "The United Kingdom is not in …"
    if vintage.edition and edition is not None:
        return (
            f"{name} is not in the copy we hold of {edition['short_title']} (released "
            f"{edition['released_label']}), which has figures for {len(edition['members'])} "
            "allies only."
        )
    if vintage.as_of:
        return (
            f"{name} is not in the copy we hold of any edition NATO had released by "
            f"{day(vintage.as_of)}."
        )
    return f"{name} is not in the copy we hold of NATO's editions."


def coverage_label(vintage: Vintage, edition: dict | None) -> str:
    """The source(s) behind a vintage, as words: "the editions published by 1 September 2025"."""
    if vintage.edition:
        return edition["short_title"] if edition else vintage.edition
    if vintage.as_of:
        return f"the editions published by {day(vintage.as_of)}"
    return "NATO's editions"


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
    members = cached("members-by-slug", members_by_slug, scope="official")
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
        members = members_in_order()
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

    return cached(f"edition-counts:{year}", build, scope="official")


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
