"""The dataset as a whole, for reuse: its metadata (data version, editions, licence, how to cite)
and the bulk download (one zip: every table as CSV, a Frictionless ``datapackage.json`` with
column types and keys, a README with the citation).

Tables are declared once (:data:`TABLES`): each column names the model field it comes from, and its
Frictionless type is read from that field, so the types cannot drift from the database. The
statements' cells are the statements API's (its flat rows, ``articles.api.rows``). The zip is
built from the database and cached under the data version (``nato_tracker.data_version``): it is
rebuilt on the first download after any change. Public rows only (no rejected statement or article,
no article text, no editor accounts).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, Max, Min

from articles.api.claim_rows import listed_allies
from articles.api.rows import flat_statement_columns, flat_statement_rows
from articles.models import (
    AggregateClaim,
    Article,
    ReportedFigure,
    Speaker,
    SpeakerRole,
    Statement,
    StatementLink,
    TargetList,
)
from nato_tracker.api.renderers import ListCells, list_text, neutralise_formula
from nato_tracker.data_version import cached, data_changed_at, data_version
from spending.api.serializers import official_value_text
from spending.models import AggregateFigure, MemberState, Metric, Source, SpendingFigure, Target

TITLE = "NATO defence-spending tracker"
NAME = "nato-defence-spending-tracker"
DESCRIPTION = (
    "Official NATO defence-expenditure figures for every ally, year and metric, as published in "
    "each NATO edition (every edition kept), the alliance totals, the alliance's spending "
    "targets, and statements about them reported in the press with the checks of their figures."
)
LICENCE = {
    "code": "MIT",
    "data": (
        "NATO's figures are NATO's: each figure names the NATO edition (source) it comes from; "
        "cite NATO for them. Quotations remain their publishers'. The compilation (selection, "
        "checks, links) may be reused with attribution."
    ),
    "url": "https://opensource.org/license/mit",
}
DOCS_URL = "/api/docs/"


def citation(version: str, retrieved: datetime.date | None = None) -> str:
    """How to cite the dataset at ``version`` (NATO is cited for its figures)."""
    changed = data_changed_at(version)
    as_of = changed.date().isoformat() if changed else "unknown date"
    day = (retrieved or datetime.date.today()).isoformat()
    return (
        f"{TITLE}, dataset version {version} (data as of {as_of}); figures from NATO, "
        f"Defence Expenditure / Defence Investment of NATO Countries, the edition named on each "
        f"row. Retrieved on {day}."
    )


# --- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, the ``.values()`` lookup it comes from, what it means, and
    optionally how its value is written given the whole row (``text(value, row)``)."""

    name: str
    lookup: str
    description: str = ""
    text: Callable[[Any, dict], Any] | None = None
    #: The Frictionless type of a column with no model field to read its type from.
    type: str | None = None


@dataclass(frozen=True)
class Table:
    """One CSV file of the bulk download (one Frictionless resource)."""

    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    description: str
    queryset: Callable[[], models.QuerySet]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column there)
    lists: dict[str, Callable[[], dict[int, list[str]]]] = field(default_factory=dict)
    #: Rows made elsewhere, by id: ``flat()`` gives the rows (tuples) and the names of their
    #: cells; each column takes the cell of its name (or of the name ``flat_names`` gives it),
    #: the lookups then only tell the columns' types.
    flat: Callable[[], tuple[Iterable[tuple], list[str]]] | None = None
    flat_names: dict[str, str] = field(default_factory=dict)

    def rows(self) -> Iterable[list]:
        if self.flat is not None:
            flat_rows, names = self.flat()
            at = [names.index(self.flat_names.get(c.name, c.name)) for c in self.columns]
            for flat_row in flat_rows:
                yield [flat_row[i] for i in at]
            return
        listed = {name: build() for name, build in self.lists.items()}
        plain = [c for c in self.columns if c.name not in listed]
        lookups = dict.fromkeys(c.lookup for c in plain)
        for values in self.queryset().order_by("pk").values("pk", *lookups):
            row = []
            for column in self.columns:
                if column.name in listed:
                    row.append(list_text(sorted(listed[column.name].get(values["pk"], []))))
                elif column.text is not None:
                    row.append(column.text(values[column.lookup], values))
                else:
                    row.append(values[column.lookup])
            yield row


def _official_value(value, row: dict) -> str | None:
    """An official value as the API writes it (US$ million as integers: ``967707``)."""
    return official_value_text(value, row["metric"])


def _public_articles():
    return Article.objects.public()


def _statement_rows() -> tuple[Iterable[tuple], list[str]]:
    """The public statements by id as the statements API's CSV writes them, flat, and the
    names of their cells (``articles.api.rows``: one row builder for the API's JSON and CSV
    and this table; the role columns the API's, ``articles.roles.RoleColumns``), the allies
    and targets as their codes sorted, each followed by ``;`` (:func:`_sorted_codes`)."""
    statements = Statement.objects.public().order_by("pk")
    return flat_statement_rows(
        statements, None, _sorted_codes, links=False
    ), flat_statement_columns()


def _sorted_codes(rows: Iterable[tuple[int, int]], codes: dict[int, str]) -> ListCells:
    """``{statement id: "DEU;USA;"}``: the codes of ``(statement id, item id)`` rows, each
    statement's sorted, as the API's CSV writes lists
    (:func:`~nato_tracker.api.renderers.list_text`; ``""`` for a statement without any)."""
    listed: dict[int, list[str]] = defaultdict(list)
    for statement_id, item_id in rows:
        listed[statement_id].append(codes[item_id])
    return ListCells((key, list_text(sorted(items))) for key, items in listed.items())


def _target_list_members() -> dict[int, list[str]]:
    """The ISO3 codes of the public target lists' allies, by list id (the claims API's read,
    ``articles.api.claim_rows.listed_allies``)."""
    out: dict[int, list[str]] = defaultdict(list)
    for list_id, iso3 in listed_allies(TargetList.objects.public().values("pk")):
        out[list_id].append(iso3)
    return out


C = Column
CLAIM_COLUMNS = (
    C("verdict", "verdict", "Verdict of the automatic check against NATO's figures."),
    C("editor_verdict", "editor_verdict", "An editor's verdict, when one confirmed or overrode."),
)
TABLES: tuple[Table, ...] = (
    Table(
        "allies",
        MemberState,
        (
            C("iso3", "iso3", "ISO 3166-1 alpha-3 code."),
            C("name", "name"),
            C("slug", "slug"),
            C("accession_date", "accession_date", "A member in every year from this one on."),
            C("reports_figures", "reports_figures", "False for Iceland (no NATO figures)."),
        ),
        "The 32 allies.",
        MemberState.objects.all,
        primary_key=("iso3",),
    ),
    Table(
        "targets",
        Target,
        (
            C("code", "code", 'Code used in the API: "2", "3.5", "equipment-20".'),
            C("name", "name"),
            C("metric", "metric", "The metric the threshold applies to."),
            C("threshold", "threshold", "Level to reach (% of GDP or % of defence spending)."),
            C("status", "status"),
            C("decided_at", "decided_at"),
            C("decided_on", "decided_on"),
            C("deadline_year", "deadline_year"),
            C(
                "caveat",
                "caveat",
                "What to keep in mind when comparing NATO's figures with the target (the 5%: "
                "NATO's tables leave out its up to 1.5% of GDP of defence-related spending).",
            ),
        ),
        "The alliance's spending targets.",
        Target.objects.all,
        primary_key=("code",),
    ),
    Table(
        "sources",
        Source,
        (
            C("code", "code"),
            C("publisher", "publisher"),
            C("title", "title"),
            C("short_title", "short_title"),
            C("url", "url"),
            C("published", "published", "Date of the document the numbers were read from."),
            C("published_precision", "published_precision", "day, month or year."),
            C("edition_published", "edition_published", "Day NATO released the edition."),
            C("definition", "definition", "What the edition counts as defence expenditure."),
            C("is_nato_edition", "is_nato_edition", "True for NATO editions."),
            C("notes", "notes"),
        ),
        "Where numbers come from; each NATO edition is its own source.",
        Source.objects.all,
        primary_key=("code",),
    ),
    Table(
        "figures",
        SpendingFigure,
        (
            C("id", "id"),
            C("ally", "member__iso3", "ISO3 code of the ally."),
            C("year", "year", "NATO (fiscal) year."),
            C(
                "metric",
                "metric",
                "pct_gdp, spending_usd (US$ million, current) or equipment_share.",
            ),
            C("value", "value", "As published (US$ million as whole numbers).", _official_value),
            C("estimate", "estimate", "True when NATO marks it as an estimate."),
            C("source", "source__code", "The NATO edition it was published in."),
        ),
        "Every official figure of every edition (an ally, year and metric has one row per "
        "edition that published it; the latest edition's is the current one).",
        SpendingFigure.objects.all,
        primary_key=("id",),
        foreign_keys=(("ally", "allies", "iso3"), ("source", "sources", "code")),
    ),
    Table(
        "aggregate_figures",
        AggregateFigure,
        (
            C("id", "id"),
            C("area", "area", "NATO_TOTAL or NATO_EUROPE_CANADA."),
            C("year", "year"),
            C(
                "metric",
                "metric",
                "pct_gdp, spending_usd (US$ million, current prices) or spending_usd_2021 (US$ "
                "million, constant 2021 prices and exchange rates).",
            ),
            C("value", "value", "As published (US$ million as whole numbers).", _official_value),
            C("estimate", "estimate"),
            C("source", "source__code"),
        ),
        "NATO's own alliance-level figures: the NATO total and NATO Europe and Canada.",
        AggregateFigure.objects.all,
        primary_key=("id",),
        foreign_keys=(("source", "sources", "code"),),
    ),
    Table(
        "articles",
        Article,
        (
            C("id", "id"),
            C("title", "title"),
            C("publisher", "publisher"),
            C("url", "url"),
            C("published", "published"),
        ),
        "The news articles statements were taken from (their text stays with the publisher).",
        _public_articles,
        primary_key=("id",),
    ),
    Table(
        "speakers",
        Speaker,
        (C("slug", "slug"), C("name", "name"), C("role", "role")),
        "People quoted.",
        Speaker.objects.all,
        primary_key=("slug",),
    ),
    Table(
        "statements",
        Statement,
        (
            C("id", "id"),
            C("article_id", "article_id"),
            C("speaker", "speaker__slug", "The speaker's slug (empty when unattributed)."),
            C("speaker_as_written", "speaker_as_written"),
            C(
                "speaker_role_as_written",
                "speaker_role",
                "The speaker's role as the article wrote it, word for word (may be out of date).",
            ),
            C(
                "role_on_date_role",
                "",
                "The role the speaker held on the article's date, from the app's dated, sourced "
                "roles (speaker_roles.csv); empty when unknown, unattributed or undated.",
                type="string",
            ),
            C("role_on_date_start", "", "First day in that role.", type="date"),
            C("role_on_date_end", "", "Day the role ended; empty: still held.", type="date"),
            C("role_on_date_source", "", "Where that role and its dates come from.", type="string"),
            C(
                "role_mismatch",
                "",
                "True when the role as written is one the speaker did not hold on the article's "
                "date; empty when unattributed or undated.",
                type="boolean",
            ),
            C("role_mismatch_detail", "", "The mismatch in words.", type="string"),
            C("text", "text", "The quotation."),
            C("partial", "partial", "True for a fragment of a longer quote."),
            C("allies", "members", "ISO3 codes of the allies it concerns, each followed by ';'."),
            C("targets", "targets", "Codes of the targets it concerns, each followed by ';'."),
            C("review_status", "review_status"),
        ),
        "Quotations reported in the articles.",
        lambda: Statement.objects.public(),
        primary_key=("id",),
        foreign_keys=(("article_id", "articles", "id"), ("speaker", "speakers", "slug")),
        flat=_statement_rows,
        flat_names={"speaker": "speaker_slug"},
    ),
    Table(
        "speaker_roles",
        SpeakerRole,
        (
            C("id", "id"),
            C("speaker", "speaker__slug"),
            C("role", "role"),
            C("start", "start", "First day in the role."),
            C("end", "end", "Day the role passed to someone else; empty: still held."),
            C("source", "source", "Where the role and its dates come from."),
        ),
        "The roles speakers held, with their dates (role_on_date in statements comes from them).",
        SpeakerRole.objects.all,
        primary_key=("id",),
        foreign_keys=(("speaker", "speakers", "slug"),),
    ),
    Table(
        "statement_links",
        StatementLink,
        (
            C("id", "id"),
            C("statement_id", "statement_id"),
            C("figure_id", "figure_id", "The official figure the quote speaks of."),
            C("target", "target__code", "The target the quote speaks of."),
            C("note", "note"),
        ),
        "Editors' links from quotations to official figures and targets.",
        lambda: StatementLink.objects.filter(statement__in=Statement.objects.public()),
        primary_key=("id",),
        foreign_keys=(("statement_id", "statements", "id"), ("figure_id", "figures", "id")),
    ),
    Table(
        "reported_figures",
        ReportedFigure,
        (
            C("id", "id"),
            C("article_id", "article_id"),
            C("ally", "member__iso3"),
            C("year", "year"),
            C("metric", "metric"),
            C("value", "value", "As the article gave it, in plain units."),
            C("currency", "currency"),
            *CLAIM_COLUMNS,
        ),
        "An ally's figure as reported in an article, with the check's verdict.",
        lambda: ReportedFigure.objects.public(),
        primary_key=("id",),
        foreign_keys=(("article_id", "articles", "id"),),
    ),
    Table(
        "aggregate_claims",
        AggregateClaim,
        (
            C("id", "id"),
            C("article_id", "article_id"),
            C("kind", "kind"),
            C("target_pct", "target_pct"),
            C("year", "year"),
            C("count", "count"),
            C("of_total", "of_total"),
            C("value", "value"),
            C("currency", "currency"),
            *CLAIM_COLUMNS,
        ),
        "Alliance-wide claims in articles (counts of allies meeting a target, totals).",
        lambda: AggregateClaim.objects.public(),
        primary_key=("id",),
        foreign_keys=(("article_id", "articles", "id"),),
    ),
    Table(
        "target_lists",
        TargetList,
        (
            C("id", "id"),
            C("article_id", "article_id"),
            C("target_pct", "target_pct"),
            C("year", "year"),
            C("meets", "meets", "True: the article says these allies meet it; false: miss it."),
            C("allies", "members", "ISO3 codes, each followed by ';'."),
            *CLAIM_COLUMNS,
        ),
        "Lists of allies said in articles to meet or miss a target.",
        lambda: TargetList.objects.public(),
        primary_key=("id",),
        foreign_keys=(("article_id", "articles", "id"),),
        lists={"allies": _target_list_members},
    ),
)

_FRICTIONLESS_TYPES = (  # most specific first
    (models.BooleanField, "boolean"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.DecimalField, "number"),
    (models.FloatField, "number"),
    (models.IntegerField, "integer"),
    (models.AutoField, "integer"),
    (models.BigAutoField, "integer"),
)


def model_field(model: type[models.Model], lookup: str) -> models.Field:
    """The model field a ``.values()`` lookup ends on (``member__iso3`` → MemberState.iso3)."""
    field_ = None
    for part in lookup.split("__"):
        field_ = model._meta.get_field(part)
        if field_.is_relation and part != lookup.split("__")[-1]:
            model = field_.related_model
    if field_.is_relation and not field_.many_to_many:  # "article_id"-style: the key's type
        field_ = field_.target_field
    return field_


def column_type(table: Table, column: Column) -> str:
    if column.type is not None:
        return column.type
    if column.name in table.lists:
        return "string"
    target = model_field(table.model, column.lookup.removesuffix("_id"))
    for django_type, name in _FRICTIONLESS_TYPES:
        if isinstance(target, django_type):
            return name
    return "string"


def table_schema(table: Table) -> dict:
    """The Frictionless Table Schema of ``table``."""
    fields = []
    for column in table.columns:
        entry = {"name": column.name, "type": column_type(table, column)}
        if column.description:
            entry["description"] = column.description
        if entry["type"] == "boolean":
            entry["trueValues"], entry["falseValues"] = ["true"], ["false"]
        fields.append(entry)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": other, "fields": there}}
            for column, other, there in table.foreign_keys
        ]
    return schema


def _cell(value) -> str:
    """One CSV cell: numbers, dates and booleans as their text; text neutralised against
    formula injection by the rule of the API's CSV (:func:`~nato_tracker.api.renderers.
    neutralise_formula`), so a statement starting with ``=`` opens as text in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return neutralise_formula(value)
    return str(value)


def table_csv(table: Table) -> tuple[bytes, int]:
    """``table`` as UTF-8 CSV with a header line, and its number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    count = 0
    for row in table.rows():
        writer.writerow([_cell(v) for v in row])
        count += 1
    return buffer.getvalue().encode("utf-8"), count


# --- metadata ------------------------------------------------------------------------------------


def editions() -> list[dict]:
    """Every NATO edition with its release date and what it covers (years, metrics, allies;
    the metrics of its alliance totals apart), newest release first."""
    coverage = {
        row["source_id"]: row
        for row in SpendingFigure.objects.order_by()
        .values("source_id")
        .annotate(
            first_year=Min("year"),
            last_year=Max("year"),
            figures=Count("id"),
            allies=Count("member_id", distinct=True),
        )
    }
    metrics: dict[int, set[str]] = {}
    for source_id, metric in (
        SpendingFigure.objects.order_by().values_list("source_id", "metric").distinct()
    ):
        metrics.setdefault(source_id, set()).add(metric)
    aggregate_metrics: dict[int, set[str]] = {}
    for source_id, metric in (
        AggregateFigure.objects.order_by().values_list("source_id", "metric").distinct()
    ):
        aggregate_metrics.setdefault(source_id, set()).add(metric)
    out = []
    order = (F("edition_published").desc(nulls_last=True), "code")
    for source in Source.objects.editions().order_by(*order):
        cover = coverage.get(source.pk, {})
        out.append(
            {
                "code": source.code,
                "title": source.title,
                "short_title": source.label,
                "publisher": source.publisher,
                "url": source.url,
                "released": source.edition_published,
                "definition": source.definition,
                "document_published": source.published,
                "document_published_precision": source.published_precision,
                "first_year": cover.get("first_year"),
                "last_year": cover.get("last_year"),
                "metrics": [m for m in Metric.values if m in metrics.get(source.pk, set())],
                "aggregate_metrics": [
                    m for m in Metric.values if m in aggregate_metrics.get(source.pk, set())
                ],
                "allies": cover.get("allies", 0),
                "figures": cover.get("figures", 0),
            }
        )
    return out


def last_updated() -> datetime.datetime | None:
    """When the data last changed, as far as the database knows: the latest edition's release,
    article ingestion or editor's link."""
    moments: list[datetime.datetime] = []
    published = Source.objects.editions().aggregate(latest=Max("edition_published"))["latest"]
    if published:
        moments.append(datetime.datetime.combine(published, datetime.time(), tzinfo=datetime.UTC))
    for value in (
        Article.objects.aggregate(latest=Max("ingested_at"))["latest"],
        StatementLink.objects.aggregate(latest=Max("created_at"))["latest"],
    ):
        if value:
            moments.append(value)
    return max(moments) if moments else None


def metadata() -> dict:
    """What the metadata endpoint answers (cached under the data version)."""
    version = data_version()

    def build() -> dict:
        return {
            "title": TITLE,
            "description": DESCRIPTION,
            "data_version": version,
            "data_version_since": data_changed_at(version),
            "last_updated": last_updated(),
            "editions": editions(),
            "licence": LICENCE,
            "citation": citation(version),
            "tables": [
                {"name": t.name, "description": t.description, "rows": t.queryset().count()}
                for t in TABLES
            ],
        }

    return cached("dataset:metadata", build)


# --- bulk download -------------------------------------------------------------------------------


def datapackage(version: str, counts: dict[str, int]) -> dict:
    """The Frictionless Data Package descriptor of the bulk download."""
    return {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": _cell(data_changed_at(version)),
        "licenses": [{"name": LICENCE["code"], "path": LICENCE["url"], "title": "MIT"}],
        "sources": [{"title": "NATO, Defence Expenditure / Defence Investment of NATO Countries"}],
        "citation": citation(version),
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "rows": counts[table.name],
                "schema": table_schema(table),
            }
            for table in TABLES
        ],
    }


def readme(version: str, counts: dict[str, int]) -> str:
    lines = [
        f"# {TITLE}: bulk download",
        "",
        DESCRIPTION,
        "",
        f"Data version {version}.",
        "",
        "## How to cite",
        "",
        citation(version),
        "",
        "## Licence",
        "",
        f"Code: {LICENCE['code']}. {LICENCE['data']}",
        "",
        "## Files",
        "",
        "`datapackage.json` describes every file (Frictionless Data Package: column types, keys).",
        "Empty cells are missing values; booleans are `true`/`false`; lists have each item "
        "followed by `;` (`USA;DEU;`), as in the API's CSV, so that no list reads as a number.",
        "",
    ]
    lines += [f"- `{t.name}.csv` ({counts[t.name]} rows): {t.description}" for t in TABLES]
    return "\n".join(lines) + "\n"


def build_bulk_zip() -> bytes:
    """The zip of every table, ``datapackage.json`` and ``README.md``, from the database now."""
    version = data_version()
    buffer = io.BytesIO()
    counts = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            content, counts[table.name] = table_csv(table)
            archive.writestr(f"{table.name}.csv", content)
        descriptor = datapackage(version, counts)
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        archive.writestr("README.md", readme(version, counts))
    return buffer.getvalue()


def bulk_zip() -> bytes:
    """The bulk download, built once per data version (rebuilt after any change)."""
    return cached("dataset:bulk-zip", build_bulk_zip, timeout=24 * 60 * 60)
