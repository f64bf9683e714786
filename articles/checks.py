"""Check what articles claim against NATO's official figures.

Every check is made twice: against the figures known on the article's date (``as_published``:
what the reporter could have known) and against the latest edition. A check is a plain dict,
stored on the claim and shown by the pages and the API::

    {"verdict": "matches" | "differs" | "no_official", "official_value": 3.19,
     "difference": 0.0, "unit": "pp", "source_code": "NATO_2024REPORT_KNEWS",
     "source_title": "...", "figure_id": 12, "as_of": "2025-03-01" | None, "detail": "..."}

A reported value matches when it equals the official one to the precision the article gives it
("3.2%" matches 3.19; "$1.3 trillion" matches anything from 1.25 to 1.35 trillion).

Every check made against official figures names the edition(s) they come from: ``source_code``
and ``source_title``. A check over many allies (a count, a list) can rest on figures from more
than one edition when an edition did not restate every ally; the codes and titles are then
joined with ``"; "`` in the same order (newest edition first). Both are absent when no official
figure was found.

Every check says what it rests on: ``definition`` (``core``, NATO's 2026 definition, or
``pre2026``), ``estimate`` (NATO marks the figure as an estimate: the detail then says "estimate"
and never "spent"), and for totals ``price_basis``: a total is compared with NATO's totals in
current prices and in constant 2021 prices, and ``price_basis`` (``current`` or ``constant_2021``)
names the one ``official_value`` is in, the one matched when one is (the detail gives both).
When a claim does not match but does match an adjacent year or another
edition, ``alternative`` says which (:class:`Alternative`: ``year``, ``official_value``, and the
edition(s) the match rests on as lists, ``source_code`` and ``source_title``, newest edition
first) and the detail says so ("matches NATO's count for 2024 …: the article probably meant
2024"). An article without a date is checked against every edition (``date_unknown``, with
one entry per edition in ``editions``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.core.serializers.json import DjangoJSONEncoder

from spending import formatting
from spending.models import AggregateFigure, Definition, MemberState, Metric, Source, Target
from spending.selectors import (
    LATEST,
    ComplianceRow,
    ComplianceSummary,
    OfficialSnapshot,
    Vintage,
    alliance_totals,
    compliance,
    summarise,
)

from .models import AggregateClaim, ReportedFigure, TargetList

MATCHES, DIFFERS, NO_OFFICIAL = "matches", "differs", "no_official"
#: The price bases of NATO's totals (``price_basis`` of a check), with the metric holding each
#: and how a detail names it; a total is compared in each, current prices first.
CURRENT_PRICES, CONSTANT_2021_PRICES = "current", "constant_2021"
PRICE_BASES = {
    CURRENT_PRICES: (Metric.SPENDING_USD, "current prices"),
    CONSTANT_2021_PRICES: (Metric.SPENDING_USD_2021, "constant 2021 prices"),
}
USD_MILLION = 1_000_000
# A share given as a whole number ("2%") still has to be within 0.05 pp of NATO's figure.
MAX_PP_TOLERANCE = 0.05


class CheckBasis:
    """The official data under one vintage, loaded once, that claims are checked against."""

    def __init__(self, vintage: Vintage = LATEST):
        self.vintage = vintage
        self.snapshot = OfficialSnapshot(vintage)
        self.sources = {source.code: source for source in Source.objects.all()}
        self.targets = {t.threshold: t for t in Target.objects.filter(metric=Metric.PCT_GDP)}
        in_force = alliance_totals(vintage=vintage)
        #: NATO's totals (US$ million) by price basis and year.
        self.totals: dict[str, dict[int, AggregateFigure]] = {
            basis: {year: f for (year, m), f in in_force.items() if m == metric}
            for basis, (metric, _words) in PRICE_BASES.items()
        }
        self._compliance: dict[tuple[str, int], list[ComplianceRow]] = {}
        self._summaries: dict[tuple[str, int], ComplianceSummary | None] = {}

    def target(self, target_pct: float | Decimal | None) -> Target | None:
        if target_pct is None:
            return None
        return self.targets.get(Decimal(str(target_pct)).quantize(Decimal("0.01")))

    def compliance(self, target: Target, year: int) -> list[ComplianceRow]:
        key = (target.code, year)
        if key not in self._compliance:
            self._compliance[key] = compliance(target, [year], snapshot=self.snapshot)
        return self._compliance[key]

    def summary(self, target: Target, year: int) -> ComplianceSummary | None:
        """Who met ``target`` in ``year`` (:func:`summarise` of :meth:`compliance`), counted
        once per basis: a batch checks the same count against the same year many times
        (each count claim, and its neighbouring years and editions when it differs)."""
        key = (target.code, year)
        if key not in self._summaries:
            rows = self.compliance(target, year)
            self._summaries[key] = summarise(rows)[0] if rows else None
        return self._summaries[key]


class CheckBases:
    """Check bases for a batch of articles, one per set of editions released by a date, plus
    one per edition (for undated articles and for "matches another edition")."""

    def __init__(self):
        self.latest = CheckBasis(LATEST)
        self._by_edition_date: dict[datetime.date, CheckBasis] = {}
        self._editions = list(
            Source.objects.editions()
            .order_by("edition_published", "code")
            .values_list("code", "edition_published")
        )
        self._edition_dates = sorted({d for _code, d in self._editions if d})
        self._single: dict[str, CheckBasis] = {}
        #: Members NATO publishes no figures for (Iceland): they neither meet nor miss.
        self.without_figures = MemberState.objects.filter(reports_figures=False).count()

    def as_published(self, published: datetime.date | None) -> CheckBasis | None:
        """What NATO had released by ``published`` (an edition released that day included);
        None when undated or before any edition."""
        if published is None:
            return None
        known = [d for d in self._edition_dates if d <= published]
        if not known:
            return None
        if known[-1] not in self._by_edition_date:
            self._by_edition_date[known[-1]] = CheckBasis(Vintage(as_of=known[-1]))
        return self._by_edition_date[known[-1]]

    def editions(self, released_by: datetime.date | None = None) -> list[CheckBasis]:
        """One basis per NATO edition (oldest first), those released by a date if given."""
        out = []
        for code, released in self._editions:
            if released_by is not None and (released is None or released > released_by):
                continue
            if code not in self._single:
                self._single[code] = CheckBasis(Vintage(edition=code))
            out.append(self._single[code])
        return out


def tolerance(value: float) -> float:
    """Half a unit of the last significant digit the reporter gave (3.19 → 0.005, 1.3e12 → 5e10)."""
    text = f"{value:.6g}"
    mantissa, _, exponent = text.partition("e")
    decimals = len(mantissa.partition(".")[2])
    scale = 10 ** int(exponent) if exponent else 1
    if not exponent and "." not in mantissa:
        stripped = mantissa.rstrip("0")
        scale = 10 ** (len(mantissa) - len(stripped)) if stripped else 1
    return 0.5 * scale * 10**-decimals


def _result(verdict: str, vintage: Vintage | None, detail: str, **fields) -> dict:
    return {
        "verdict": verdict,
        "as_of": vintage.as_of.isoformat() if vintage and vintage.as_of else None,
        "detail": detail,
        **fields,
    }


def edition_sources(basis: CheckBasis, rows: Iterable[ComplianceRow]) -> list[Source]:
    """The editions the rows' figures come from, newest release first (ties by code)."""
    codes = {row.source_code for row in rows if row.source_code}
    return sorted(
        (basis.sources[code] for code in codes),
        key=lambda s: (-(s.released or datetime.date.min).toordinal(), s.code),
    )


#: Joins the codes, titles and definitions of several editions in a stored check.
EDITIONS_SEPARATOR = "; "


def edition_fields(basis: CheckBasis, rows: Iterable[ComplianceRow]) -> dict:
    """``source_code``, ``source_title`` and ``definition`` of the editions the rows' figures
    come from (joined by :data:`EDITIONS_SEPARATOR`), and ``estimate`` (whether any of those
    figures is a NATO estimate)."""
    rows = list(rows)
    sources = edition_sources(basis, rows)
    if not sources:
        return {}
    return {
        "source_code": EDITIONS_SEPARATOR.join(s.code for s in sources),
        "source_title": EDITIONS_SEPARATOR.join(s.label for s in sources),
        "definition": EDITIONS_SEPARATOR.join(
            dict.fromkeys(s.definition for s in sources if s.definition)
        ),
        "estimate": any(row.estimate for row in rows if row.source_code),
    }


def source_text(source: Source) -> str:
    """ "July 2026 edition, released 10 July 2026; 2026 core definition" for a detail text."""
    text = f"{source.label}, released {source.released_label}"
    short = Definition.short(source.definition)
    return f"{text}; {short}" if short else text


def editions_list(value: str | list[str] | None) -> list[str]:
    """A stored check's ``source_code`` or ``source_title`` as a list, newest edition first:
    stored joined by :data:`EDITIONS_SEPARATOR` (one edition, or several for a count or list),
    an ``alternative``'s as a list already."""
    if isinstance(value, list):
        return value
    return [part for part in (value or "").split(EDITIONS_SEPARATOR) if part]


def _sources_text(basis: CheckBasis, fields: dict) -> str:
    codes = editions_list(fields.get("source_code"))
    return "; ".join(source_text(basis.sources[c]) for c in codes) or basis.vintage.describe()


def check_undated(results: list[dict]) -> dict:
    """The "as published" check of an article without a date: the claim checked against every
    edition, each on its own (``editions``); it matches when it matches one of them."""
    verdicts = [r["verdict"] for r in results]
    verdict = MATCHES if MATCHES in verdicts else DIFFERS if DIFFERS in verdicts else NO_OFFICIAL
    matching = [r["source_title"] for r in results if r["verdict"] == MATCHES]
    differing = [r["source_title"] for r in results if r["verdict"] == DIFFERS]
    detail = "The article's date is unknown: checked against every NATO edition. "
    if matching:
        detail += f"Matches {'; '.join(matching)}."
    elif differing:
        detail += f"Differs from every edition with a figure ({'; '.join(differing)})."
    else:
        detail += "No edition has a figure to compare."
    best = next((r for r in results if r["verdict"] == verdict), {})
    return _result(
        verdict,
        None,
        detail,
        date_unknown=True,
        editions=[
            {
                "source_code": r.get("source_code"),
                "verdict": r["verdict"],
                "official_value": r.get("official_value"),
            }
            for r in results
            if r.get("source_code")
        ],
        **{
            k: best[k]
            for k in ("official_value", "unit", "source_code", "source_title", "estimate")
            if k in best
        },
    )


def no_basis(published: datetime.date | None) -> dict:
    reason = (
        "the article has no publication date"
        if published is None
        else f"NATO had released no edition by {published.isoformat()}"
    )
    return _result(NO_OFFICIAL, None, f"Not checked as published: {reason}.")


def _figure_match(basis: CheckBasis, member: MemberState, year: int, metric: str, value: float):
    """(matches, official value in plain units, the figure row) or None without a figure."""
    figure = basis.snapshot.figure(member.iso3, year, metric)
    if figure is None:
        return None
    is_money = metric == Metric.SPENDING_USD
    official = float(figure.value) * (USD_MILLION if is_money else 1)
    allowed = tolerance(value) if is_money else min(tolerance(value), MAX_PP_TOLERANCE)
    return abs(value - official) <= allowed + 1e-9, official, figure


class Alternative(TypedDict):
    """Where a claim that does not match does match: ``year`` (adjacent, or the claim's in
    another edition), NATO's value there, and the edition(s) that value rests on (a count can
    rest on several: an edition that did not restate every ally), codes and titles in the same
    order, newest first."""

    year: int
    source_code: list[str]
    source_title: list[str]
    official_value: float


def _alternative(
    year: int, others: Iterable[CheckBasis], basis: CheckBasis, matches_in
) -> Alternative | None:
    """The first adjacent year (same editions) or other edition (same year, then adjacent
    years) in which the claim matches: ``matches_in(basis, year)`` gives ``(official, source
    codes)`` when it matches there, else None."""
    candidates = [(basis, year - 1), (basis, year + 1)]
    for other in others:
        if other.vintage != basis.vintage:
            candidates += [(other, year), (other, year - 1), (other, year + 1)]
    for candidate, candidate_year in candidates:
        found = matches_in(candidate, candidate_year)
        if found is None:
            continue
        official, codes = found
        sources = [candidate.sources[c] for c in codes]
        return {
            "year": candidate_year,
            "source_code": [s.code for s in sources],
            "source_title": [s.label for s in sources],
            "official_value": official,
        }
    return None


def _alternative_text(
    alternative: Alternative | None, what: str, year: int, basis: CheckBasis
) -> str:
    """ " It matches NATO's count for 2024 (…): the article probably meant 2024." """
    if alternative is None:
        return ""
    where = "; ".join(source_text(basis.sources[c]) for c in alternative["source_code"])
    if alternative["year"] != year:
        return (
            f" It matches NATO's {what} for {alternative['year']} ({where}): "
            f"the article probably meant {alternative['year']}."
        )
    return f" It matches NATO's {what} for {year} in another edition ({where})."


def check_figure(
    basis: CheckBasis,
    *,
    member: MemberState,
    year: int | None,
    metric: str,
    value: float,
    others: Iterable[CheckBasis] = (),
) -> dict:
    """Compare one reported per-ally figure with the official figure in force.

    ``others``: single-edition bases in which to look for the figure the article may have
    used when it does not match (adjacent years of ``basis`` are always looked at)."""
    vintage = basis.vintage
    if year is None:
        return _result(NO_OFFICIAL, vintage, "The article gives no year for this figure.")
    if metric not in Metric.values:
        return _result(NO_OFFICIAL, vintage, f"NATO publishes no {metric} figures.")
    found = _figure_match(basis, member, year, metric, value)
    if found is None:
        return _result(
            NO_OFFICIAL,
            vintage,
            f"No official {Metric(metric).label} for {member.name_in_text} in {year} "
            f"({vintage.describe()}).",
        )
    matches, official, figure = found
    is_money = metric == Metric.SPENDING_USD
    difference = value - official
    unit = "USD" if is_money else "pp"
    shown = formatting.money(official) if is_money else formatting.share(figure.value, metric)
    gap = formatting.money(difference, signed=True) if is_money else formatting.points(difference)
    source_row = basis.sources[figure.source_code]
    # An estimate is what NATO expected, not what was spent: say so, never "spent".
    kind = "estimate" if figure.estimate else "figure"
    of_what = f"NATO's {kind} of {shown} for {year} ({source_text(source_row)})"
    detail = f"Matches {of_what}." if matches else f"Differs by {gap} from {of_what}."
    alternative = None
    if not matches:
        found_elsewhere = []

        def matches_in(other: CheckBasis, other_year: int):
            hit = _figure_match(other, member, other_year, metric, value)
            if hit is None or not hit[0]:
                return None
            found_elsewhere.append(hit[2])
            return hit[1], [hit[2].source_code]

        alternative = _alternative(year, others, basis, matches_in)
        if alternative is not None:
            # Named as the figure in force is: "NATO's estimate of 2.41% of GDP".
            other = found_elsewhere[-1]
            amount = alternative["official_value"]
            other_shown = (
                formatting.money(amount) if is_money else formatting.share(other.value, metric)
            )
            other_kind = "estimate" if other.estimate else "figure"
            detail += _alternative_text(alternative, f"{other_kind} of {other_shown}", year, basis)
    return _result(
        MATCHES if matches else DIFFERS,
        vintage,
        detail,
        official_value=official,
        difference=round(difference, 6),
        unit=unit,
        source_code=source_row.code,
        source_title=source_row.label,
        figure_id=int(figure.id),
        estimate=bool(figure.estimate),
        definition=source_row.definition or None,
        alternative=alternative,
    )


def _count(basis: CheckBasis, target: Target, year: int):
    """(summary, rows) of who met ``target`` in ``year`` under ``basis``; None without data."""
    rows = basis.compliance(target, year)
    summary = basis.summary(target, year)
    if summary is None or summary.meeting + summary.missing == 0:
        return None
    return summary, rows


def check_count_meeting(
    basis: CheckBasis,
    *,
    target_pct: float | None,
    year: int | None,
    count: int,
    of: int | None,
    others: Iterable[CheckBasis] = (),
) -> dict:
    """Compare "N of M allies met X% in Y" with the official count (see :func:`check_figure`
    for ``others``)."""
    vintage = basis.vintage
    target = basis.target(target_pct)
    if target is None or year is None:
        return _result(NO_OFFICIAL, vintage, "No known target or no year to check against.")
    found = _count(basis, target, year)
    if found is None:
        return _result(
            NO_OFFICIAL, vintage, f"No official figures for {year} ({vintage.describe()})."
        )
    summary, rows = found
    fields = edition_fields(basis, rows)
    counted = "NATO's estimates give" if fields.get("estimate") else "NATO's figures give"
    problems = []
    if count != summary.meeting:
        problems.append(f"{counted} {summary.meeting} allies at or above {target.label} in {year}")
    if of is not None and of != summary.members:
        problems.append(f"NATO had {summary.members} members in {year}, not {of}")
    where = _sources_text(basis, fields)
    if problems:
        detail = "; ".join(problems) + f" ({where})."
    else:
        detail = (
            f"Matches: {summary.meeting} of {summary.members} members at or above "
            f"{target.label} in {year} ({where})."
        )
    alternative = None
    if problems:

        def matches_in(other: CheckBasis, other_year: int):
            hit = _count(other, target, other_year)
            if hit is None or hit[0].meeting != count:
                return None
            if of is not None and hit[0].members != of:
                return None
            return hit[0].meeting, [s.code for s in edition_sources(other, hit[1])]

        alternative = _alternative(year, others, basis, matches_in)
        detail += _alternative_text(alternative, "count", year, basis)
    return _result(
        DIFFERS if problems else MATCHES,
        vintage,
        detail,
        official_value=summary.meeting,
        official_members=summary.members,
        official_no_data=summary.no_data,
        official_not_held=summary.not_held,
        difference=count - summary.meeting,
        unit="allies",
        alternative=alternative,
        **fields,
    )


def _total_matches(
    basis: CheckBasis, year: int, value: float
) -> list[tuple[str, float, AggregateFigure]]:
    """``(price basis, official total in US$, figure)`` for each basis in which NATO's total for
    ``year`` under ``basis`` equals ``value`` to the precision the article gives it."""
    hits = []
    for price_basis, by_year in basis.totals.items():
        figure = by_year.get(year)
        if figure is None:
            continue
        amount = float(figure.value) * USD_MILLION
        if abs(value - amount) <= tolerance(value):
            hits.append((price_basis, amount, figure))
    return hits


def check_total_spending(
    basis: CheckBasis,
    *,
    year: int | None,
    value: float,
    currency: str | None = None,
    others: Iterable[CheckBasis] = (),
) -> dict:
    """Compare a reported alliance total (US$) with NATO's total in both price bases NATO
    publishes: current prices and constant 2021 prices (and exchange rates).

    The check matches when the total matches either; ``price_basis`` names the basis of
    ``official_value`` (the one matched, else current prices), and the detail gives the total in
    the other basis too, so that a reader sees which one the article's figure is in."""
    vintage = basis.vintage
    if year is None or (currency or "USD") != "USD":
        return _result(NO_OFFICIAL, vintage, "Only totals in US$ for a stated year can be checked.")
    held = {pb: by_year[year] for pb, by_year in basis.totals.items() if year in by_year}
    if not held:
        return _result(
            NO_OFFICIAL,
            vintage,
            f"No official NATO total for {year} ({vintage.describe()}).",
            price_basis=None,
        )
    matched = _total_matches(basis, year, value)
    price_basis = matched[0][0] if matched else next(iter(held))
    figure = held[price_basis]
    official = float(figure.value) * USD_MILLION
    difference = value - official
    kind = "estimated total" if figure.estimate else "total"
    words = PRICE_BASES[price_basis][1]
    detail = (
        f"{'Matches' if matched else 'Differs from'} NATO's {kind} in {words} of "
        f"{formatting.money(official)} for {year} ({source_text(figure.source)})"
    )
    others_held = [
        (pb, float(f.value) * USD_MILLION) for pb, f in held.items() if pb != price_basis
    ]
    for other_basis, amount in others_held:
        detail += f"; in {PRICE_BASES[other_basis][1]} it is {formatting.money(amount)}"
    if matched and others_held and len(matched) == 1:
        detail += f": the article's figure is in {words}"
    detail += "."
    alternative = None
    if not matched:

        def matches_in(other: CheckBasis, other_year: int):
            hits = _total_matches(other, other_year, value)
            if not hits:
                return None
            _basis, amount, total = hits[0]
            return amount, [total.source.code]

        alternative = _alternative(year, others, basis, matches_in)
        detail += _alternative_text(alternative, "total", year, basis)
        if len(held) < len(PRICE_BASES):
            missing = [PRICE_BASES[pb][1] for pb in PRICE_BASES if pb not in held]
            detail += (
                f" NATO also gives totals in {' and '.join(missing)}, which the editions "
                "held here do not: the article's figure may be one of those."
            )
    return _result(
        MATCHES if matched else DIFFERS,
        vintage,
        detail,
        official_value=official,
        difference=difference,
        unit="USD",
        source_code=figure.source.code,
        source_title=figure.source.label,
        estimate=figure.estimate,
        definition=figure.source.definition or None,
        price_basis=price_basis,
        alternative=alternative,
    )


def check_target_list(
    basis: CheckBasis,
    *,
    target_pct: float | None,
    year: int | None,
    meets: bool,
    members: Iterable[MemberState],
) -> dict:
    """Check that every listed ally really meets (or misses) the target in that year."""
    vintage = basis.vintage
    target = basis.target(target_pct)
    if target is None or year is None:
        return _result(NO_OFFICIAL, vintage, "No known target or no year to check against.")
    rows = basis.compliance(target, year)
    by_iso3 = {r.iso3: r for r in rows}
    listed = {m.iso3 for m in members}
    wrong = sorted(i for i in listed if by_iso3.get(i) and by_iso3[i].meets is not meets)
    unknown = sorted(i for i in listed if not by_iso3.get(i) or by_iso3[i].meets is None)
    official_side = sorted(i for i, r in by_iso3.items() if r.meets is meets)
    verb = "meet" if meets else "miss"
    if not by_iso3 or len(unknown) == len(listed):
        return _result(NO_OFFICIAL, vintage, f"No official figures for {year}.")
    parts = []
    if wrong:
        parts.append(f"{', '.join(wrong)} did not {verb} {target.label} in {year}")
    unlisted = sorted(set(official_side) - listed)
    if unlisted:
        parts.append(f"also {verb}ing by NATO's figures: {', '.join(unlisted)}")
    detail = "; ".join(parts) if parts else f"Every listed ally did {verb} {target.label}"
    return _result(
        DIFFERS if wrong else MATCHES,
        vintage,
        f"{detail} ({vintage.describe()}).",
        official_value=len(official_side),
        official_countries=official_side,
        wrong_countries=wrong,
        unit="allies",
        **edition_fields(basis, rows),
    )


def consistency_problems(
    claims: list[dict], lists: list[dict], *, without_figures: int = 0
) -> list[str]:
    """Contradictions inside one article, e.g. "22 of 32 met 2%" but 5 allies listed as missing.

    ``claims`` are count_meeting claims and ``lists`` target lists as plain dicts (the extraction's
    serialised form). ``without_figures`` is the number of members NATO publishes no figures for
    (Iceland): those neither meet nor miss, so "22 of 32 met" and 9 listed as missing add up
    (22 + 9 = 31 allies that report figures). Returns human sentences, empty when consistent.
    """
    problems = []
    for claim in claims:
        if claim.get("kind") != "count_meeting" or None in (claim.get("of"), claim.get("count")):
            continue
        # "the target" when the article does not name it ("19 of 32 allies met the target").
        target = "the target" if claim.get("target_pct") is None else f"{claim['target_pct']:g}%"
        for target_list in lists:
            same_target = target_list.get("target_pct") == claim.get("target_pct")
            same_year = target_list.get("year") in (None, claim.get("year"))
            if not (same_target and same_year) or target_list.get("meets"):
                continue
            listed = len(target_list.get("countries") or ())
            total = claim["count"] + listed
            reporting = claim["of"] - without_figures
            if total not in (claim["of"], reporting):
                expected = (
                    f"{claim['of']}"
                    if not without_figures
                    else f"{reporting} (the {claim['of']} allies less {without_figures} that "
                    f"report{'s' if without_figures == 1 else ''} no figures)"
                )
                problems.append(
                    f"The article says {claim['count']} of {claim['of']} allies met "
                    f"{target} but lists {listed} that missed it: "
                    f"{claim['count']} + {listed} = {total}, not {expected}."
                )
    return problems


# --------------------------------------------------------------------------- one article


class StoredCheck(TypedDict, total=False):
    """One check of a claim as ``check_as_published`` / ``check_latest`` store it (JSON). Every
    check has ``verdict`` (:data:`MATCHES`, :data:`DIFFERS` or :data:`NO_OFFICIAL`), ``as_of``
    (the vintage's date, or None) and ``detail`` (what a reader is told); the others are there
    when they apply."""

    verdict: str
    as_of: str | None
    detail: str
    official_value: float | None
    difference: float | None
    source_code: str
    source_title: str
    definition: str
    estimate: bool
    price_basis: str | None
    alternative: Alternative | None
    date_unknown: bool
    editions: list
    inconsistencies: list


@dataclass(frozen=True)
class ClaimChecks:
    """What :class:`ArticleChecker` found for one figure, claim or list: its two checks as
    stored, and the verdict that counts (the check as published; the latest edition's for an
    article dated before any edition)."""

    as_published: StoredCheck
    latest: StoredCheck
    verdict: str

    def apply_to(self, row) -> bool:
        """Store the checks and verdict on ``row`` (not saved); whether anything changed."""
        if (row.check_as_published, row.check_latest, row.verdict) == (
            self.as_published,
            self.latest,
            self.verdict,
        ):
            return False
        row.check_as_published, row.check_latest = self.as_published, self.latest
        row.verdict = self.verdict
        return True


def as_float(value) -> float | None:
    return None if value is None else float(value)


def as_stored(result: dict) -> StoredCheck:
    """The check as the JSON field stores it (tuples become lists), so equal checks compare
    equal."""
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder))


class ArticleChecker:
    """Checks one article's figures, claims and lists, each twice: against the editions NATO
    had released by its date (when it has one; against every edition, each on its own, when it
    has none) and against the latest. One place for both the ingestion and
    ``recheck_claims``."""

    def __init__(self, bases: CheckBases, published: datetime.date | None):
        self.published = published
        self.published_basis = bases.as_published(published)
        self.latest_basis = bases.latest
        self.every_edition = bases.editions()
        self.known_then = bases.editions(released_by=published) if published else []

    def _both(self, check: Callable[[CheckBasis, Iterable[CheckBasis]], dict]) -> tuple[dict, dict]:
        if self.published_basis:
            as_published = check(self.published_basis, self.known_then)
        elif self.published is None:
            as_published = check_undated([check(basis, ()) for basis in self.every_edition])
        else:
            as_published = no_basis(self.published)
        return as_published, check(self.latest_basis, self.every_edition)

    def check(self, row, members=(), inconsistencies=()) -> ClaimChecks:
        """The two checks of a stored or new row (``ReportedFigure``, ``AggregateClaim`` or
        ``TargetList``) and its verdict; :meth:`ClaimChecks.apply_to` stores them on it.

        ``members`` are a target list's allies; ``inconsistencies`` the article's counts and
        lists that do not add up (noted on its counts and lists)."""
        if isinstance(row, ReportedFigure):
            results = self._both(
                lambda basis, others: check_figure(
                    basis,
                    member=row.member,
                    year=row.year,
                    metric=row.metric,
                    value=row.value,
                    others=others,
                )
            )
        elif isinstance(row, TargetList):
            results = self._both(
                lambda basis, others: check_target_list(
                    basis,
                    target_pct=as_float(row.target_pct),
                    year=row.year,
                    meets=row.meets,
                    members=list(members),
                )
            )
        elif row.kind == AggregateClaim.Kind.COUNT_MEETING:
            results = self._both(
                lambda basis, others: check_count_meeting(
                    basis,
                    target_pct=as_float(row.target_pct),
                    year=row.year,
                    count=row.count,
                    of=row.of_total,
                    others=others,
                )
            )
        else:
            results = self._both(
                lambda basis, others: check_total_spending(
                    basis,
                    year=row.year,
                    value=row.value,
                    currency=row.currency or None,
                    others=others,
                )
            )
        counted = isinstance(row, TargetList) or (
            isinstance(row, AggregateClaim) and row.kind == AggregateClaim.Kind.COUNT_MEETING
        )
        if inconsistencies and counted:
            for result in results:
                result["inconsistencies"] = list(inconsistencies)
        as_published, latest = (as_stored(r) for r in results)
        dated_before_any_edition = self.published is not None and not self.published_basis
        verdict = (latest if dated_before_any_edition else as_published)["verdict"]
        return ClaimChecks(as_published, latest, verdict)
