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
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from spending import formatting
from spending.models import AggregateFigure, MemberState, Metric, Source, Target
from spending.selectors import (
    LATEST,
    ComplianceRow,
    OfficialSnapshot,
    Vintage,
    alliance_totals,
    compliance,
    summarise,
)

MATCHES, DIFFERS, NO_OFFICIAL = "matches", "differs", "no_official"
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
        self.totals: dict[int, AggregateFigure] = {
            year: figure
            for (year, metric), figure in alliance_totals(vintage=vintage).items()
            if metric == Metric.SPENDING_USD
        }
        self._compliance: dict[tuple[str, int], list[ComplianceRow]] = {}

    def target(self, target_pct: float | Decimal | None) -> Target | None:
        if target_pct is None:
            return None
        return self.targets.get(Decimal(str(target_pct)).quantize(Decimal("0.01")))

    def compliance(self, target: Target, year: int) -> list[ComplianceRow]:
        key = (target.code, year)
        if key not in self._compliance:
            self._compliance[key] = compliance(target, [year], snapshot=self.snapshot)
        return self._compliance[key]


class CheckBases:
    """Check bases for a batch of articles, one per set of editions published by a date."""

    def __init__(self):
        self.latest = CheckBasis(LATEST)
        self._by_edition_date: dict[datetime.date, CheckBasis] = {}
        self._edition_dates = sorted(
            d for d in Source.objects.editions().values_list("edition_published", flat=True) if d
        )

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


def edition_fields(basis: CheckBasis, rows: Iterable[ComplianceRow]) -> dict:
    """``source_code`` and ``source_title`` of the editions the rows' figures come from."""
    codes = {row.source_code for row in rows if row.source_code}
    sources = sorted(
        (basis.sources[code] for code in codes),
        key=lambda s: (-(s.released or datetime.date.min).toordinal(), s.code),
    )
    if not sources:
        return {}
    return {
        "source_code": "; ".join(s.code for s in sources),
        "source_title": "; ".join(s.label for s in sources),
    }


def no_basis(published: datetime.date | None) -> dict:
    reason = (
        "the article has no publication date"
        if published is None
        else f"NATO had released no edition by {published.isoformat()}"
    )
    return _result(NO_OFFICIAL, None, f"Not checked as published: {reason}.")


def check_figure(
    basis: CheckBasis, *, member: MemberState, year: int | None, metric: str, value: float
) -> dict:
    """Compare one reported per-ally figure with the official figure in force."""
    vintage = basis.vintage
    if year is None:
        return _result(NO_OFFICIAL, vintage, "The article gives no year for this figure.")
    if metric not in Metric.values:
        return _result(NO_OFFICIAL, vintage, f"NATO publishes no {metric} figures.")
    figure = basis.snapshot.figure(member.iso3, year, metric)
    if figure is None:
        return _result(
            NO_OFFICIAL,
            vintage,
            f"No official {Metric(metric).label} for {member.name} in {year} "
            f"({vintage.describe()}).",
        )
    is_money = metric == Metric.SPENDING_USD
    official = float(figure.value) * (USD_MILLION if is_money else 1)
    difference = value - official
    allowed = tolerance(value) if is_money else min(tolerance(value), MAX_PP_TOLERANCE)
    matches = abs(difference) <= allowed + 1e-9
    unit = "USD" if is_money else "pp"
    shown = formatting.money(official) if is_money else formatting.share(figure.value, metric)
    gap = formatting.money(difference, signed=True) if is_money else formatting.points(difference)
    source_row = basis.sources[figure.source_code]
    source = f"{source_row.label}, released {source_row.released_label}"
    detail = (
        f"Matches NATO's figure of {shown} ({source})."
        if matches
        else f"Differs by {gap} from NATO's figure of {shown} ({source})."
    )
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
    )


def check_count_meeting(
    basis: CheckBasis, *, target_pct: float | None, year: int | None, count: int, of: int | None
) -> dict:
    """Compare "N of M allies met X% in Y" with the official count."""
    vintage = basis.vintage
    target = basis.target(target_pct)
    if target is None or year is None:
        return _result(NO_OFFICIAL, vintage, "No known target or no year to check against.")
    rows = basis.compliance(target, year)
    summary = summarise(rows)[0] if rows else None
    if summary is None or summary.meeting + summary.missing == 0:
        return _result(
            NO_OFFICIAL, vintage, f"No official figures for {year} ({vintage.describe()})."
        )
    problems = []
    if count != summary.meeting:
        problems.append(f"NATO's figures give {summary.meeting} allies at or above {target.label}")
    if of is not None and of != summary.members:
        problems.append(f"NATO had {summary.members} members in {year}, not {of}")
    detail = (
        "; ".join(problems) + f" ({vintage.describe()})."
        if problems
        else f"Matches: {summary.meeting} of {summary.members} members at or above "
        f"{target.label} in {year} ({vintage.describe()})."
    )
    return _result(
        DIFFERS if problems else MATCHES,
        vintage,
        detail,
        official_value=summary.meeting,
        official_members=summary.members,
        official_no_data=summary.no_data,
        difference=count - summary.meeting,
        unit="allies",
        **edition_fields(basis, rows),
    )


def check_total_spending(
    basis: CheckBasis, *, year: int | None, value: float, currency: str | None
) -> dict:
    """Compare a reported alliance total (US$) with NATO's total."""
    vintage = basis.vintage
    if year is None or (currency or "USD") != "USD":
        return _result(NO_OFFICIAL, vintage, "Only totals in US$ for a stated year can be checked.")
    figure = basis.totals.get(year)
    if figure is None:
        return _result(
            NO_OFFICIAL, vintage, f"No official NATO total for {year} ({vintage.describe()})."
        )
    official = float(figure.value) * USD_MILLION
    difference = value - official
    matches = abs(difference) <= tolerance(value)
    detail = (
        f"{'Matches' if matches else 'Differs from'} NATO's total of "
        f"{formatting.money(official)} for {year} "
        f"({figure.source.label}, released {figure.source.released_label})."
    )
    return _result(
        MATCHES if matches else DIFFERS,
        vintage,
        detail,
        official_value=official,
        difference=difference,
        unit="USD",
        source_code=figure.source.code,
        source_title=figure.source.label,
        estimate=figure.estimate,
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


def consistency_problems(claims: list[dict], lists: list[dict]) -> list[str]:
    """Contradictions inside one article, e.g. "22 of 32 met 2%" but 9 allies listed as missing.

    ``claims`` are count_meeting claims and ``lists`` target lists as plain dicts (the extraction's
    serialised form). Returns human sentences, empty when consistent.
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
            if total != claim["of"]:
                problems.append(
                    f"The article says {claim['count']} of {claim['of']} allies met "
                    f"{target} but lists {listed} that missed it: "
                    f"{claim['count']} + {listed} = {total}, not {claim['of']}."
                )
    return problems
