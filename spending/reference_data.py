"""Load the reference data shipped in ``spending/data/`` into the database.

Two steps: :func:`read_reference_data` parses and validates every file (pure Python, no
database) and collects every bad row with its file and line number; :func:`load_reference_data`
writes everything in one transaction, so a bad file loads nothing. Loading twice leaves the same
rows (upserts on natural keys). A reload that would remove figures no longer in the files (a
truncated file removes hundreds) is refused unless removals are allowed, naming them; figures
that editors linked statements to are never removed (the reload is refused, naming the links).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from nato_tracker.links import web_url_problem

from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    MONEY_METRICS,
    AggregateFigure,
    CountryAlias,
    Definition,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
    Target,
)

MEMBERS_FILE = "members.csv"
ALIASES_FILE = "country_aliases.csv"
TARGETS_FILE = "targets.csv"
SOURCES_FILE = "sources.csv"
ALLY_FIGURE_FILES = (
    "nato_defence_expenditure.csv",
    "nato_defence_expenditure_2026e.csv",
    "nato_defence_expenditure_other_editions.csv",
)
AGGREGATE_FIGURE_FILES = ("nato_defence_expenditure_aggregates.csv",)
FIGURE_COLUMNS = {
    "pct_gdp": Metric.PCT_GDP,
    "usd_million_current": Metric.SPENDING_USD,
    "equipment_pct": Metric.EQUIPMENT_SHARE,
}
#: Columns a figures file may have (the aggregates file: NATO's totals at constant 2021 prices).
OPTIONAL_FIGURE_COLUMNS = {"usd_million_constant_2021": Metric.SPENDING_USD_2021}
ALLIES_WITHOUT_FIGURES = {"ISL"}  # Iceland has no armed forces and no NATO figures.


class ReferenceDataError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class RemovalRefused(Exception):
    """Raised when a reload would remove figures it may not; nothing has been written."""

    SHOWN = 5

    def __init__(self, message: str, removed: list[str]):
        self.removed = removed
        super().__init__(message)


def some(items: list[str], shown: int = RemovalRefused.SHOWN) -> str:
    """The first few items, joined, and how many more there are."""
    more = f", and {len(items) - shown:,} more" if len(items) > shown else ""
    return "; ".join(items[:shown]) + more


@dataclass
class FigureRow:
    code: str
    year: int
    metric: str
    value: Decimal
    estimate: bool
    source_code: str


@dataclass
class ReferenceData:
    members: list[dict] = field(default_factory=list)
    aliases: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    ally_figures: list[FigureRow] = field(default_factory=list)
    aggregate_figures: list[FigureRow] = field(default_factory=list)


@dataclass
class LoadReport:
    members: int
    aliases: int
    targets: int
    sources: int
    figures: int
    aggregate_figures: int
    figures_removed: int
    removed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.members} allies, {self.aliases} aliases, {self.targets} targets, "
            f"{self.sources} sources, {self.figures} ally figures, "
            f"{self.aggregate_figures} aggregate figures ({self.figures_removed} stale removed)"
        )


class _RowReader:
    """Reads one CSV file and records errors as ``file:line: message``."""

    def __init__(self, path: Path, required: set[str], errors: list[str]):
        self.path, self.required, self.errors = path, required, errors

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            with self.path.open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                missing = self.required - set(reader.fieldnames or [])
                if missing:
                    self.error(1, f"missing column(s): {', '.join(sorted(missing))}")
                    return
                for row in reader:
                    yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except FileNotFoundError:
            self.errors.append(f"{self.path}: file not found")
        except UnicodeDecodeError as exc:
            self.errors.append(f"{self.path}: not UTF-8 ({exc.reason})")

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"{self.path.name}:{line}: {message}")

    def parse(self, line: int, column: str, raw: str, convert: Callable):
        try:
            return convert(raw)
        except (ValueError, InvalidOperation):
            self.error(line, f"{column}: invalid value {raw!r}")
            return None


def _date(raw: str) -> datetime.date:
    return datetime.date.fromisoformat(raw)


def _partial_date(raw: str) -> tuple[datetime.date | None, str]:
    """'2025-08-28' → day, '2025-08' → month, '2025' → year, '' → undated."""
    if not raw:
        return None, Source.DatePrecision.DAY
    parts = raw.split("-")
    if len(parts) == 3:
        return _date(raw), Source.DatePrecision.DAY
    if len(parts) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), Source.DatePrecision.MONTH
    return datetime.date(int(parts[0]), 1, 1), Source.DatePrecision.YEAR


def _bool(raw: str) -> bool:
    if raw.lower() in {"true", "1", "yes"}:
        return True
    if raw.lower() in {"false", "0", "no", ""}:
        return False
    raise ValueError(raw)


def _year(raw: str) -> int:
    year = int(raw)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(raw)
    return year


def read_reference_data(data_dir: Path) -> ReferenceData:
    """Parse and validate every reference file; raise :class:`ReferenceDataError` on any fault."""
    errors: list[str] = []
    data = ReferenceData()
    _read_members(data_dir, data, errors)
    member_codes = {m["iso3"] for m in data.members}
    _read_aliases(data_dir, data, errors, member_codes)
    _read_targets(data_dir, data, errors)
    _read_sources(data_dir, data, errors)
    source_codes = {s["code"] for s in data.sources}
    for name in ALLY_FIGURE_FILES:
        data.ally_figures += _read_figures(data_dir / name, errors, member_codes, source_codes)
    aggregate_codes = {a.value for a in AggregateFigure.Area}
    for name in AGGREGATE_FIGURE_FILES:
        data.aggregate_figures += _read_figures(
            data_dir / name, errors, aggregate_codes, source_codes
        )
    _check_unique_figures(data.ally_figures + data.aggregate_figures, errors)
    if errors:
        raise ReferenceDataError(errors)
    return data


def _read_members(data_dir: Path, data: ReferenceData, errors: list[str]) -> None:
    reader = _RowReader(data_dir / MEMBERS_FILE, {"iso3", "name", "accession_date"}, errors)
    seen: set[str] = set()
    for line, row in reader.rows():
        iso3 = row["iso3"]
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            reader.error(line, f"iso3: {iso3!r} is not an ISO 3166-1 alpha-3 code")
            continue
        if iso3 in seen:
            reader.error(line, f"iso3: {iso3} appears twice")
            continue
        accession = reader.parse(line, "accession_date", row["accession_date"], _date)
        if not row["name"] or accession is None:
            if not row["name"]:
                reader.error(line, "name: empty")
            continue
        seen.add(iso3)
        data.members.append(
            {
                "iso3": iso3,
                "name": row["name"],
                "slug": slugify(row["name"]),
                "accession_date": accession,
                "reports_figures": iso3 not in ALLIES_WITHOUT_FIGURES,
            }
        )


def _read_aliases(data_dir: Path, data: ReferenceData, errors, member_codes: set[str]) -> None:
    reader = _RowReader(data_dir / ALIASES_FILE, {"iso3", "alias", "kind"}, errors)
    kinds = set(CountryAlias.Kind.values)
    seen: set[str] = set()
    for line, row in reader.rows():
        if row["iso3"] not in member_codes:
            reader.error(line, f"iso3: {row['iso3']!r} is not an ally in {MEMBERS_FILE}")
        elif row["kind"] not in kinds:
            reader.error(line, f"kind: {row['kind']!r} is not one of {sorted(kinds)}")
        elif not row["alias"] or row["alias"] in seen:
            reader.error(line, f"alias: {row['alias']!r} is empty or repeated")
        else:
            seen.add(row["alias"])
            data.aliases.append(row)


def _read_targets(data_dir: Path, data: ReferenceData, errors: list[str]) -> None:
    columns = {"code", "name", "metric", "threshold", "status", "decided_at", "decided_on"}
    reader = _RowReader(data_dir / TARGETS_FILE, columns | {"deadline_year"}, errors)
    for line, row in reader.rows():
        threshold = reader.parse(line, "threshold", row["threshold"], Decimal)
        decided_on = reader.parse(line, "decided_on", row["decided_on"], _date)
        deadline = reader.parse(
            line, "deadline_year", row["deadline_year"], lambda v: _year(v) if v else None
        )
        if row["metric"] not in Metric.values:
            reader.error(line, f"metric: {row['metric']!r} unknown")
        elif row["status"] not in Target.Status.values:
            reader.error(line, f"status: {row['status']!r} unknown")
        elif threshold is not None and decided_on is not None:
            data.targets.append(
                {
                    **{k: row[k] for k in ("code", "name", "metric", "status", "decided_at")},
                    "threshold": threshold,
                    "decided_on": decided_on,
                    "deadline_year": deadline,
                    "description": row.get("description", ""),
                    "caveat": row.get("caveat", ""),
                    "display_order": int(row.get("display_order") or 0),
                }
            )


def _read_sources(data_dir: Path, data: ReferenceData, errors: list[str]) -> None:
    """``published`` is the date of the document read; ``edition_published`` the day NATO
    released the edition (required for NATO editions: "known on a date" uses it)."""
    columns = {"source_id", "publisher", "title", "url", "published", "edition_published"}
    reader = _RowReader(data_dir / SOURCES_FILE, columns | {"notes"}, errors)
    definitions = set(Definition.values)
    for line, row in reader.rows():
        parsed = reader.parse(line, "published", row["published"], _partial_date)
        released = None
        if row["edition_published"]:
            released = reader.parse(line, "edition_published", row["edition_published"], _date)
        if parsed is None or (row["edition_published"] and released is None):
            continue
        if not row["source_id"] or not row["title"]:
            reader.error(line, "source_id and title are required")
            continue
        is_edition = row["source_id"].startswith("NATO_")
        definition = row.get("definition", "")
        if is_edition and released is None:
            reader.error(line, "edition_published: a NATO edition needs NATO's release date")
            continue
        if definition and definition not in definitions:
            reader.error(line, f"definition: {definition!r} is not one of {sorted(definitions)}")
            continue
        problem = web_url_problem(row["url"])
        if problem:
            reader.error(line, f"url: {problem}")
            continue
        published, precision = parsed
        data.sources.append(
            {
                "code": row["source_id"],
                "publisher": row["publisher"],
                "title": row["title"],
                "short_title": row.get("short_title", ""),
                "url": row["url"],
                "published": published,
                "published_precision": precision,
                "edition_published": released,
                "definition": definition,
                "notes": row["notes"],
                "is_nato_edition": is_edition,
            }
        )


def _read_figures(
    path: Path, errors: list[str], codes: set[str], source_codes: set[str]
) -> list[FigureRow]:
    required = {"iso3", "year", "estimate", "source_id", *FIGURE_COLUMNS}
    reader = _RowReader(path, required, errors)
    figures: list[FigureRow] = []
    for line, row in reader.rows():
        if row["iso3"] not in codes:
            reader.error(line, f"iso3: {row['iso3']!r} unknown")
            continue
        if row["iso3"] in ALLIES_WITHOUT_FIGURES:
            reader.error(line, f"iso3: {row['iso3']} has no NATO figures")
            continue
        if row["source_id"] not in source_codes:
            reader.error(line, f"source_id: {row['source_id']!r} is not in {SOURCES_FILE}")
            continue
        year = reader.parse(line, "year", row["year"], _year)
        estimate = reader.parse(line, "estimate", row["estimate"], _bool)
        for column, metric in {**FIGURE_COLUMNS, **OPTIONAL_FIGURE_COLUMNS}.items():
            if not row.get(column):
                continue
            value = reader.parse(line, column, row[column], Decimal)
            if value is None or year is None or estimate is None:
                continue
            if value < 0 or (metric not in MONEY_METRICS and value > 100):
                reader.error(line, f"{column}: {value} is out of range")
                continue
            figures.append(FigureRow(row["iso3"], year, metric, value, estimate, row["source_id"]))
    return figures


def _check_unique_figures(figures: list[FigureRow], errors: list[str]) -> None:
    seen: set[tuple] = set()
    for f in figures:
        key = (f.code, f.year, f.metric, f.source_code)
        if key in seen:
            errors.append(f"duplicate figure {key}")
        seen.add(key)


@transaction.atomic
def load_reference_data(data_dir: Path, *, allow_removals: bool = False) -> LoadReport:
    """Validate, then write all reference data in one transaction (idempotent).

    Figures in the database that the files no longer hold are removed only with
    ``allow_removals``; otherwise :class:`RemovalRefused` names them and nothing is written.
    Figures linked from statements are never removed (:class:`RemovalRefused` names the links).
    """
    data = read_reference_data(data_dir)
    stale, stale_aggregates = _stale_figures(data)
    if (stale or stale_aggregates) and not allow_removals:
        labels = [str(f) for f in stale] + [_aggregate_label(f) for f in stale_aggregates]
        raise RemovalRefused(
            f"The files in {data_dir} hold {len(data.ally_figures):,} ally and "
            f"{len(data.aggregate_figures):,} aggregate figures; loading them would remove "
            f"{len(stale):,} of the {SpendingFigure.objects.count():,} ally figures and "
            f"{len(stale_aggregates):,} of the {AggregateFigure.objects.count():,} aggregate "
            f"figures in the database: {some(labels)}. Nothing was loaded. If a file is "
            "truncated, restore it; if the figures really were withdrawn, run again with "
            "--allow-removals.",
            labels,
        )
    members = _upsert(
        MemberState,
        data.members,
        unique=["iso3"],
        update=["name", "slug", "accession_date", "reports_figures"],
    )
    by_iso3 = {m.iso3: m for m in MemberState.objects.all()}
    _upsert(
        CountryAlias,
        [
            {"member": by_iso3[a["iso3"]], "alias": a["alias"], "kind": a["kind"]}
            for a in data.aliases
        ],
        unique=["alias"],
        update=["member", "kind"],
    )
    target_fields = [k for k in data.targets[0] if k != "code"] if data.targets else []
    _upsert(Target, data.targets, unique=["code"], update=target_fields)
    source_fields = [k for k in data.sources[0] if k != "code"] if data.sources else []
    _upsert(Source, data.sources, unique=["code"], update=source_fields)
    sources = {s.code: s for s in Source.objects.all()}

    ally_rows = [
        SpendingFigure(
            member=by_iso3[f.code],
            year=f.year,
            metric=f.metric,
            value=f.value,
            estimate=f.estimate,
            source=sources[f.source_code],
        )
        for f in data.ally_figures
    ]
    SpendingFigure.objects.bulk_create(
        ally_rows,
        update_conflicts=True,
        unique_fields=["member", "year", "metric", "source"],
        update_fields=["value", "estimate"],
        batch_size=500,
    )
    aggregate_rows = [
        AggregateFigure(
            area=f.code,
            year=f.year,
            metric=f.metric,
            value=f.value,
            estimate=f.estimate,
            source=sources[f.source_code],
        )
        for f in data.aggregate_figures
    ]
    AggregateFigure.objects.bulk_create(
        aggregate_rows,
        update_conflicts=True,
        unique_fields=["area", "year", "metric", "source"],
        update_fields=["value", "estimate"],
        batch_size=500,
    )
    removed = _remove(stale, stale_aggregates)
    return LoadReport(
        removed=[str(f) for f in stale] + [_aggregate_label(f) for f in stale_aggregates],
        members=members,
        aliases=len(data.aliases),
        targets=len(data.targets),
        sources=len(data.sources),
        figures=len(ally_rows),
        aggregate_figures=len(aggregate_rows),
        figures_removed=removed,
    )


def _upsert(model, rows: list[dict], *, unique: list[str], update: list[str]) -> int:
    model.objects.bulk_create(
        [model(**row) for row in rows],
        update_conflicts=bool(update),
        unique_fields=unique if update else None,
        update_fields=update or None,
        ignore_conflicts=not update,
    )
    return len(rows)


def _stale_figures(data: ReferenceData) -> tuple[list[SpendingFigure], list[AggregateFigure]]:
    """Figures in the database that the files no longer hold (by ally or area, year, metric
    and source)."""
    wanted = {(f.code, f.year, f.metric, f.source_code) for f in data.ally_figures}
    wanted_aggregates = {(f.code, f.year, f.metric, f.source_code) for f in data.aggregate_figures}
    stale = [
        figure
        for figure in SpendingFigure.objects.select_related("member", "source").order_by("pk")
        if (figure.member.iso3, figure.year, figure.metric, figure.source.code) not in wanted
    ]
    stale_aggregates = [
        figure
        for figure in AggregateFigure.objects.select_related("source").order_by("pk")
        if (figure.area, figure.year, figure.metric, figure.source.code) not in wanted_aggregates
    ]
    return stale, stale_aggregates


def _aggregate_label(figure: AggregateFigure) -> str:
    return f"{figure.area} {figure.year} {figure.metric} = {figure.value} ({figure.source.code})"


def _remove(stale: list[SpendingFigure], stale_aggregates: list[AggregateFigure]) -> int:
    """Delete the stale figures; any that something still refers to (an editor's link from a
    statement) stops the whole reload, named with what refers to it."""
    try:
        SpendingFigure.objects.filter(pk__in=[f.pk for f in stale]).delete()
        AggregateFigure.objects.filter(pk__in=[f.pk for f in stale_aggregates]).delete()
    except ProtectedError as exc:
        links = sorted(
            f"{getattr(obj, 'figure', None) or obj} <- {obj._meta.verbose_name} {obj.pk}"
            for obj in exc.protected_objects
        )
        raise RemovalRefused(
            f"Loading would remove {len(links):,} figure link(s) that editors made, which are "
            f"never removed: {some(links)}. Nothing was loaded. Remove or relink those links "
            "in the editor first, or restore the figures in the files.",
            links,
        ) from exc
    return len(stale) + len(stale_aggregates)
