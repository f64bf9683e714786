"""Frozen result types of the article extraction (no Django, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KnownSpeaker:
    """A person the gazetteer knows: canonical name, role and alternative spellings."""

    name: str
    role: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceYear:
    """Year that relative expressions ("last year") are resolved against."""

    year: int | None
    inferred: bool


@dataclass(frozen=True)
class Statement:
    """A quotation of three or more words and the person it is attributed to."""

    text: str
    speaker: str | None
    speaker_as_written: str | None
    speaker_role: str | None
    partial: bool
    start: int
    end: int
    countries: tuple[str, ...] = ()
    targets: tuple[float, ...] = ()
    # How the speaker was found: the cue rule (``quotes.CUE_RULES``) and the people the
    # text offered around the quote (for the per-stage scores, scripts/eval_speakers.py).
    cue: str | None = None
    candidates: tuple[str, ...] = ()


# What a per-ally figure measures (``ReportedFigure.metric``), named here once. The first two
# are metrics NATO publishes, spelled as the database's ``spending.models.Metric`` (a test of
# the ingestion holds them equal); an amount in euros or another currency is kept as written,
# for an editor (the check says NATO publishes no such figures).
PCT_GDP = "pct_gdp"
SPENDING_USD = "spending_usd"
SPENDING_EUR = "spending_eur"
SPENDING_LOCAL = "spending_local"
FIGURE_METRICS = (PCT_GDP, SPENDING_USD, SPENDING_EUR, SPENDING_LOCAL)


@dataclass(frozen=True)
class ReportedFigure:
    """A per-ally figure: share of GDP or absolute spending, for a year if stated."""

    country: str
    year: int | None
    metric: str
    value: float
    currency: str | None
    start: int
    end: int
    sentence: str


@dataclass(frozen=True)
class AggregateClaim:
    """An alliance-level claim: a count of allies meeting a target, or total spending."""

    kind: str
    target_pct: float | None
    year: int | None
    count: int | None
    of: int | None
    value: float | None
    currency: str | None
    start: int
    end: int
    sentence: str


@dataclass(frozen=True)
class TargetList:
    """An explicit enumeration of two or more allies said to meet or miss a target."""

    target_pct: float | None
    year: int | None
    meets: bool
    countries: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class SpeakerMention:
    """A person quoted in the article, with the role the text gives and the spellings seen."""

    name: str
    role: str | None
    aliases: tuple[str, ...] = ()
    known: bool = False


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    dateline: str | None
    reference_year: ReferenceYear
    statements: tuple[Statement, ...] = ()
    figures: tuple[ReportedFigure, ...] = ()
    aggregate_claims: tuple[AggregateClaim, ...] = ()
    target_lists: tuple[TargetList, ...] = ()
    targets_mentioned: tuple[float, ...] = ()
    members_mentioned: tuple[str, ...] = ()
    speakers: tuple[SpeakerMention, ...] = field(default=())
