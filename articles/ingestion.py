"""Ingest articles: extract statements, figures and claims, check them, store them.

The extraction itself is ``articles.extraction`` (no Django). This module builds its gazetteer
from the database, and stores one article per transaction. An article is identified by the hash
of its normalised text: re-ingesting the same text changes nothing, and two ingestions running at
once cannot store it twice (the unique constraint on ``Article.content_hash`` decides; speakers
likewise by their unique name).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from nato_tracker.data_version import bump_data_version
from spending.models import CountryAlias, MemberState, Metric, Target

from . import checks
from .extraction import Extraction, Gazetteer, KnownSpeaker
from .extraction.gazetteer import PLACE_KINDS, known_speakers_from_csv
from .extraction.targets import AllianceTarget
from .inputs import Document, dry_run_dict, extract_document
from .models import (
    AggregateClaim,
    Article,
    ReportedFigure,
    Speaker,
    SpeakerAlias,
    Statement,
    TargetList,
)
from .roles import attach_roles, read_roles

KNOWN_SPEAKERS_CSV = Path(__file__).resolve().parent / "data" / "speakers.csv"

IMPORTED, UNCHANGED, FAILED, CHECKED = "imported", "unchanged", "failed", "dry-run"

# What one article may produce. A real article has a few dozen quotes and figures; a text that
# gives thousands (a transcript, a data dump, an attack) would make every page and list that
# shows them slow. Past a limit the first ones in reading order are kept, and the import report
# and the article's page say how many were found (``Article.limits_reached``).
MAX_STATEMENTS_PER_ARTICLE = 300
MAX_FIGURES_PER_ARTICLE = 300
MAX_CLAIMS_PER_ARTICLE = 100
LIMITS = {
    "statements": MAX_STATEMENTS_PER_ARTICLE,
    "figures": MAX_FIGURES_PER_ARTICLE,
    "aggregate_claims": MAX_CLAIMS_PER_ARTICLE,
    "target_lists": MAX_CLAIMS_PER_ARTICLE,
}


@dataclass
class IngestResult:
    """What happened to one input."""

    path: str
    status: str
    article_id: int | None = None
    title: str = ""
    statements: int = 0
    figures: int = 0
    claims: int = 0
    error: str = ""
    data: dict = field(default_factory=dict)
    limits_reached: dict = field(default_factory=dict)


def apply_limits(extraction: Extraction) -> tuple[Extraction, dict]:
    """The extraction cut to :data:`LIMITS` (the first rows in reading order), and what was cut:
    ``{"statements": {"found": 6121, "kept": 300}}`` (empty when within every limit)."""
    cut, reached = {}, {}
    for name, limit in LIMITS.items():
        rows = getattr(extraction, name)
        if len(rows) > limit:
            cut[name] = tuple(sorted(rows, key=lambda row: row.start)[:limit])
            reached[name] = {"found": len(rows), "kept": limit}
    return (dataclasses.replace(extraction, **cut) if cut else extraction), reached


def content_hash(text: str) -> str:
    """SHA-256 of the text after Unicode (NFC) and whitespace normalisation."""
    normalised = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def build_gazetteer() -> Gazetteer:
    """Allies' names and aliases, and speakers, from the database (plus the shipped people)."""
    countries = [(m.iso3, m.name) for m in MemberState.objects.all()]
    aliases = list(CountryAlias.objects.values_list("member__iso3", "alias", "kind"))
    countries += [(iso3, alias) for iso3, alias, _kind in aliases]
    places = [alias for _iso3, alias, kind in aliases if kind in PLACE_KINDS]
    if not countries:
        raise LookupError("no allies in the database: run `manage.py load_reference_data` first")
    speakers: dict[str, KnownSpeaker] = {
        s.name: s for s in known_speakers_from_csv(KNOWN_SPEAKERS_CSV)
    }
    for speaker in Speaker.objects.prefetch_related("aliases"):
        aliases = tuple(a.alias for a in speaker.aliases.all())
        shipped = speakers.get(speaker.name)
        merged = tuple(dict.fromkeys((*(shipped.aliases if shipped else ()), *aliases)))
        speakers[speaker.name] = KnownSpeaker(speaker.name, speaker.role, merged)
    targets = [
        AllianceTarget(float(t.threshold), t.decided_on.year, t.status == Target.Status.AGREED)
        for t in Target.objects.filter(metric=Metric.PCT_GDP)
    ]
    return Gazetteer.build(countries, speakers.values(), places, targets)


class Ingestor:
    """Ingests documents one by one; lookups shared by a whole batch are made once."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or build_gazetteer()
        self.members = {m.iso3: m for m in MemberState.objects.all()}
        self.targets = {t.threshold: t for t in Target.objects.filter(metric=Metric.PCT_GDP)}
        self._check_bases: checks.CheckBases | None = None
        self._speakers: dict[str, Speaker] = {}
        self._shipped_roles: dict | None = None

    @property
    def shipped_roles(self) -> dict:
        """The dated roles shipped for known people (read once per ingestor)."""
        if self._shipped_roles is None:
            self._shipped_roles = read_roles()
        return self._shipped_roles

    @property
    def check_bases(self) -> checks.CheckBases:
        """Official data to check claims against, loaded on first use for the whole batch."""
        if self._check_bases is None:
            self._check_bases = checks.CheckBases()
        return self._check_bases

    def extract(self, document: Document) -> tuple[Extraction, dict]:
        """What the article gives, within the per-article limits (:func:`apply_limits`)."""
        return apply_limits(extract_document(document, self.gazetteer))

    def dry_run(self, document: Document) -> IngestResult:
        """Extract and check exactly as ``ingest`` does, without writing anything; ``data`` is
        the dry-run JSON of the article, with the checks under ``"checks"``."""
        extraction, reached = self.extract(document)
        article = Article(published=document.metadata.published)
        rows = checked_rows(article, extraction, self.members, self.check_bases)
        return _result(document, CHECKED, extraction, rows=rows, limits_reached=reached)

    def ingest(self, document: Document) -> IngestResult:
        """Store one article with everything extracted from it, in one transaction."""
        digest = content_hash(document.text)
        existing = _article_with_hash(digest)
        if existing:
            return IngestResult(document.path, UNCHANGED, article_id=existing)
        extraction, reached = self.extract(document)
        try:
            with transaction.atomic():
                # The reports' data version is bumped by the writes' signals (at the article's
                # save and at commit, nato_tracker.signals); the official data is untouched.
                article, rows = self._store(document, digest, extraction, reached)
        except Exception as exc:
            self._speakers.clear()  # may hold speakers created by the rolled-back transaction
            if not isinstance(exc, IntegrityError):
                raise
            # Another ingestion stored the same text between our check and our insert.
            existing = _article_with_hash(digest)
            if existing is None:
                raise
            return IngestResult(document.path, UNCHANGED, article_id=existing)
        return _result(
            document,
            IMPORTED,
            extraction,
            rows=rows,
            article_id=article.pk,
            limits_reached=reached,
        )

    def _store(
        self, document: Document, digest: str, extraction: Extraction, reached: dict
    ) -> tuple[Article, CheckedRows]:
        meta = document.metadata
        article = Article.objects.create(
            title=meta.title[:500] or document.path[:500],
            publisher=meta.publisher[:200],
            url=meta.url[:1000],
            published=meta.published,
            dateline=(extraction.dateline or "")[:100],
            text=document.text,
            content_hash=digest,
            source_path=document.path[:1000],
            limits_reached=reached,
        )
        self._store_statements(article, extraction)
        rows = checked_rows(article, extraction, self.members, self.check_bases)
        _save_rows(article, rows)
        return article, rows

    def _speaker(self, name: str, role: str) -> Speaker:
        """The one speaker with this name (created on first sight, with the role the text gives).

        Speakers seen in this batch are remembered; the cache is dropped when an article fails,
        since a speaker created in its transaction no longer exists.
        """
        speaker = self._speakers.get(name) or Speaker.objects.filter(name=name).first()
        if speaker is None:
            slug = slugify(name)[:190] or "speaker"
            if Speaker.objects.filter(slug=slug).exists():
                slug = f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"
            speaker, created = Speaker.objects.get_or_create(
                name=name, defaults={"role": role[:300], "slug": slug}
            )
            if created:
                attach_roles([speaker], self.shipped_roles)
        elif role and not speaker.role:
            speaker.role = role[:300]
            speaker.save(update_fields=["role"])
        surname = name.split()[-1]
        if surname != name and name not in self._speakers:
            SpeakerAlias.objects.get_or_create(speaker=speaker, alias=surname)
        self._speakers[name] = speaker
        return speaker

    def _store_statements(self, article: Article, extraction: Extraction) -> None:
        roles = {mention.name: mention.role for mention in extraction.speakers}
        for statement in extraction.statements:
            if statement.speaker and statement.speaker_role:
                roles.setdefault(statement.speaker, statement.speaker_role)
        # Sorted, so that concurrent ingestions take the speakers' row locks in one order.
        names = sorted({s.speaker for s in extraction.statements if s.speaker})
        speakers = {name: self._speaker(name, roles.get(name) or "") for name in names}
        rows = []
        for statement in extraction.statements:
            speaker = speakers[statement.speaker] if statement.speaker else None
            rows.append(
                Statement(
                    article=article,
                    speaker=speaker,
                    speaker_as_written=(statement.speaker_as_written or "")[:300],
                    speaker_role=(statement.speaker_role or "")[:300],
                    text=statement.text,
                    partial=statement.partial,
                    start=statement.start,
                    end=max(statement.end, statement.start + 1),
                )
            )
        if not rows:
            return
        saved, versions = _create_with_history(rows, Statement)
        if any(row.pk is None for row in saved):  # backends that return no primary keys
            saved = list(Statement.objects.filter(article=article).order_by("start"))
        by_start = {row.start: row for row in saved}
        member_links, target_links = [], []
        for statement in extraction.statements:
            row = by_start[statement.start]
            member_links += [
                Statement.members.through(statement_id=row.pk, memberstate_id=self.members[c].pk)
                for c in dict.fromkeys(statement.countries)
                if c in self.members
            ]
            target_links += [
                Statement.targets.through(statement_id=row.pk, target_id=self.targets[t].pk)
                for t in dict.fromkeys(map(_pct, statement.targets))
                if t in self.targets
            ]
        links = {
            "members": Statement.members.through.objects.bulk_create(member_links),
            "targets": Statement.targets.through.objects.bulk_create(target_links),
        }
        _record_m2m_in_first_version(Statement, saved, versions, links)


def _article_with_hash(digest: str) -> int | None:
    return Article.objects.filter(content_hash=digest).values_list("pk", flat=True).first()


def _result(
    document: Document, status: str, extraction: Extraction, rows: CheckedRows, **fields
) -> IngestResult:
    data = dry_run_dict(document, extraction)
    data["checks"] = rows.as_json()
    if fields.get("limits_reached"):
        data["limits_reached"] = fields["limits_reached"]
    return IngestResult(
        data=data,
        path=document.path,
        status=status,
        title=document.metadata.title,
        statements=len(extraction.statements),
        figures=len(extraction.figures),
        claims=len(extraction.aggregate_claims) + len(extraction.target_lists),
        **fields,
    )


def _pct(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _inconsistencies(
    claims: list[AggregateClaim], lists: list[tuple[TargetList, list]], bases: checks.CheckBases
) -> list:
    """Counts and lists of one article that do not add up (from the rows, as stored), counting
    the allies that report figures (Iceland reports none)."""
    return checks.consistency_problems(
        [
            {"kind": c.kind, "target_pct": checks.as_float(c.target_pct), "year": c.year,
             "count": c.count, "of": c.of_total}
            for c in claims
        ],
        [
            {"target_pct": checks.as_float(t.target_pct), "year": t.year, "meets": t.meets,
             "countries": tuple(m.iso3 for m in members)}
            for t, members in lists
        ],
        without_figures=bases.without_figures,
    )  # fmt: skip


@dataclass
class CheckedRows:
    """An article's figures, claims and target lists (with their allies) as rows, checked,
    not yet saved."""

    figures: list[ReportedFigure]
    claims: list[AggregateClaim]
    lists: list[tuple[TargetList, list[MemberState]]]

    def as_json(self) -> list[dict]:
        """Each row's checks, for the command's JSON output (dry run or not)."""
        return [
            {
                "row": "figure" if isinstance(row, ReportedFigure) else _row_kind(row),
                "claim": str(row),
                "verdict": row.verdict,
                "check_as_published": row.check_as_published,
                "check_latest": row.check_latest,
            }
            for row in [*self.figures, *self.claims, *(row for row, _ in self.lists)]
        ]


def _row_kind(row: AggregateClaim | TargetList) -> str:
    return "target_list" if isinstance(row, TargetList) else row.kind


def checked_rows(
    article: Article, extraction: Extraction, members: dict, bases: checks.CheckBases
) -> CheckedRows:
    """The rows an extraction gives, each checked against NATO's figures: the one code path of
    the ingestion and of its dry run (``article`` may be unsaved)."""
    figures = [
        ReportedFigure(
            article=article,
            member=members[figure.country],
            year=figure.year,
            metric=figure.metric,
            value=figure.value,
            currency=figure.currency or "",
            sentence=figure.sentence,
            start=figure.start,
            end=figure.end,
        )
        for figure in extraction.figures
        if figure.country in members
    ]
    claims = [
        AggregateClaim(
            article=article,
            kind=claim.kind,
            target_pct=_pct(claim.target_pct) if claim.target_pct is not None else None,
            year=claim.year,
            count=claim.count,
            of_total=claim.of,
            value=claim.value,
            currency=claim.currency or "",
            sentence=claim.sentence,
            start=claim.start,
            end=claim.end,
        )
        for claim in extraction.aggregate_claims
    ]
    lists = [
        (
            TargetList(
                article=article,
                target_pct=_pct(target_list.target_pct) if target_list.target_pct else None,
                year=target_list.year,
                meets=target_list.meets,
                start=target_list.start,
                end=target_list.end,
            ),
            list(dict.fromkeys(members[c] for c in target_list.countries if c in members)),
        )
        for target_list in extraction.target_lists
    ]
    checker = checks.ArticleChecker(bases, article.published)
    inconsistencies = _inconsistencies(claims, lists, bases)
    for row in [*figures, *claims]:
        checker.check(row, inconsistencies=inconsistencies).apply_to(row)
    for row, listed in lists:
        checker.check(row, listed, inconsistencies).apply_to(row)
    return CheckedRows(figures, claims, lists)


def _save_rows(article: Article, rows: CheckedRows) -> None:
    if rows.figures:
        _create_with_history(rows.figures, ReportedFigure)
    if rows.claims:
        _create_with_history(rows.claims, AggregateClaim)
    if not rows.lists:
        return
    saved, versions = _create_with_history([row for row, _ in rows.lists], TargetList)
    if any(row.pk is None for row in saved):  # backends that return no primary keys
        saved = list(TargetList.objects.filter(article=article).order_by("start"))
    members = TargetList.members.through.objects.bulk_create(
        TargetList.members.through(targetlist_id=row.pk, memberstate_id=member.pk)
        for row, (_, listed) in zip(saved, rows.lists, strict=True)
        for member in listed
    )
    _record_m2m_in_first_version(TargetList, saved, versions, {"members": members})


@functools.cache
def _history_manager(model: type):
    """A model's history manager, made once per process (simple_history makes a manager class
    on every access: 2.4% of a batch's CPU when made for each bulk insert)."""
    return get_history_manager_for_model(model)


@functools.cache
def _history_models(model: type) -> tuple[type, dict[str, type]]:
    """A model's history model and the history models of its many-to-many fields by name,
    looked up once per process (each lookup goes through a manager made on access)."""
    history = _history_manager(model).model
    copies = {m2m.name: getattr(history, m2m.name).model for m2m in history._history_m2m_fields}
    return history, copies


def _create_with_history(rows: list, model: type) -> tuple[list, dict[int, int]]:
    """Store rows and their first versions, as ``bulk_create_with_history`` does, and return
    the rows with their keys and the versions' ids by row id (empty where the backend returns
    no keys: there the library's own way is taken)."""
    if not connection.features.can_return_rows_from_bulk_insert:
        return bulk_create_with_history(rows, model), {}
    with transaction.atomic(savepoint=False):
        saved = model._default_manager.bulk_create(rows)
        versions = _history_manager(model).bulk_history_create(saved, default_change_reason=None)
    return saved, {version.id: version.history_id for version in versions or ()}


def _record_m2m_in_first_version(
    model: type, saved: list, versions: dict[int, int], links: dict[str, list]
) -> None:
    """Copy the many-to-many rows just stored for ``saved`` into their first version.

    ``bulk_create_with_history`` records each row before its allies and targets can be set, so
    that version held none: the history showed the next editor's save as adding what the
    ingestion had set ("members: — → Finland"), and a revert to it emptied them. ``versions``
    (row id → its first version) and ``links`` (the through rows just stored, by field) are
    what was just written; they are read back only where the backend returned no keys."""
    history, copies = _history_models(model)
    if not versions or any(row.pk not in versions for row in saved):
        versions = dict(
            history.objects.filter(id__in=[row.pk for row in saved], history_type="+").values_list(
                "id", "history_id"
            )
        )
    for m2m in history._history_m2m_fields:
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        stored = links.get(m2m.name)
        if stored is not None and all(link.pk is not None for link in stored):
            found = [(link.pk, getattr(link, own), getattr(link, other)) for link in stored]
        else:
            rows = m2m.remote_field.through.objects.filter(**{f"{own}__in": versions})
            found = list(rows.values_list("id", own, other))
        copy = copies[m2m.name]
        copy.objects.bulk_create(
            copy(id=link_id, history_id=versions[pk], **{own: pk, other: other_pk})
            for link_id, pk, other_pk in found
        )


def recheck_article(article: Article, bases: checks.CheckBases) -> int:
    """Check an article's stored figures, claims and lists again against the official data now
    loaded (a new NATO edition changes the check against the latest edition, and may give a
    check where there was none). Editors' verdicts are kept. Returns how many rows changed."""
    figures = list(article.reported_figures.select_related("member"))
    claims = list(article.aggregate_claims.all())
    lists = [(t, list(t.members.all())) for t in article.target_lists.prefetch_related("members")]
    checker = checks.ArticleChecker(bases, article.published)
    inconsistencies = _inconsistencies(claims, lists, bases)
    changed = [
        row for row in [*figures, *claims] if checker.check(row, (), inconsistencies).apply_to(row)
    ]
    changed += [
        row for row, listed in lists if checker.check(row, listed, inconsistencies).apply_to(row)
    ]
    fields = ["check_as_published", "check_latest", "verdict"]
    with transaction.atomic():
        for model in (ReportedFigure, AggregateClaim, TargetList):
            rows = [row for row in changed if isinstance(row, model)]
            if rows:
                model.objects.bulk_update(rows, fields)
    return len(changed)


def recheck_all(bases: checks.CheckBases | None = None) -> tuple[int, int]:
    """``recheck_article`` for every article, one transaction each; (articles, rows changed)."""
    bases = bases or checks.CheckBases()
    articles = changed = 0
    for article in Article.objects.order_by("pk").iterator(chunk_size=200):
        changed += recheck_article(article, bases)
        articles += 1
    if changed:
        bump_data_version()
    return articles, changed
