"""Alias tables for NATO allies and known speakers.

The package never reads files on import: build a :class:`Gazetteer` from plain rows
(``Gazetteer.build``) or, outside Django, from the repository CSVs
(``load_gazetteer_from_csv``).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .targets import NO_TARGETS, AllianceTarget, TargetLevels
from .types import PCT_GDP, KnownSpeaker

PLACE_KINDS = frozenset({"capital", "seat"})


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, strip accents and unify apostrophes, for loose name comparison."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _alternation(words: Iterable[str]) -> str:
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) for w in unique) or r"(?!x)x"


@dataclass(frozen=True)
class Gazetteer:
    """Country aliases (alias -> ISO3), known speakers and the alliance's target levels,
    with compiled matchers."""

    country_aliases: dict[str, str]
    speakers: tuple[KnownSpeaker, ...]
    #: folded spelling → the speaker's name, or None for a spelling two speakers share
    speaker_index: dict[str, str | None] = field(repr=False)
    country_pattern: re.Pattern = field(repr=False, compare=False)
    speaker_pattern: regex.Pattern = field(repr=False, compare=False)
    places: frozenset[str] = frozenset()
    targets: TargetLevels = NO_TARGETS

    @classmethod
    def build(
        cls,
        countries: Iterable[tuple[str, str]],
        speakers: Iterable[KnownSpeaker] = (),
        places: Iterable[str] = (),
        targets: Iterable[AllianceTarget] = (),
    ) -> Gazetteer:
        """Build from ``(iso3, alias)`` pairs, known speakers, the aliases that are
        places (capitals, seats of government: "The Hague", "Washington") and the alliance's
        %-of-GDP targets (without them no level is read as a target)."""
        aliases: dict[str, str] = {}
        for iso3, alias in countries:
            alias = (alias or "").strip()
            if alias and iso3:
                aliases[alias] = iso3.strip().upper()
        speaker_list = tuple(speakers)
        index = index_speakers(speaker_list)
        spellings = [
            spelling.strip()
            for speaker in speaker_list
            for spelling in (speaker.name, *speaker.aliases, speaker.name.split()[-1])
            if spelling.strip()
        ]
        country_re = re.compile(rf"(?<![\w.])(?:{_alternation(aliases)})(?!\w)")
        speaker_re = regex.compile(rf"(?<![\w.])(?:{_alternation(spellings)})(?!\w)")
        place_set = frozenset(p.strip() for p in places if p and p.strip())
        levels = TargetLevels(tuple(targets))
        return cls(aliases, speaker_list, index, country_re, speaker_re, place_set, levels)

    def country_of(self, alias: str) -> str | None:
        """ISO3 code for an alias as written, if known."""
        return self.country_aliases.get(alias)

    def speaker_named(self, name: str) -> KnownSpeaker | None:
        """The known speaker a full name or alias refers to; None for a name no known speaker
        has, or one two of them share (left for an editor to resolve, never guessed)."""
        canonical = self.speaker_index.get(fold(name))
        if canonical is None:
            return None
        return next((s for s in self.speakers if s.name == canonical), None)


def index_speakers(speakers: Iterable[KnownSpeaker]) -> dict[str, str | None]:
    """Folded spelling → the one speaker it names: full names and aliases first, then
    surnames alone where no full name or alias is spelled so. A spelling that names two
    speakers at the same rank ("Johnson" for two Johnsons) maps to None: ambiguous, so the
    statement is left unresolved rather than given to whichever speaker came first (as
    openparliament's ``get_by_name`` refuses to guess)."""
    speakers = list(speakers)
    index: dict[str, str | None] = {}
    ranks = (
        lambda s: (s.name, *s.aliases),  # what the speaker is called
        lambda s: (s.name.split()[-1],),  # the surname alone
    )
    for spellings_of in ranks:
        claimed: dict[str, set[str]] = {}
        for speaker in speakers:
            for spelling in spellings_of(speaker):
                key = fold(spelling.strip())
                if key and key not in index:
                    claimed.setdefault(key, set()).add(speaker.name)
        for key, names in claimed.items():
            index[key] = next(iter(names)) if len(names) == 1 else None
    return index


def _read_rows(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def targets_from_csv(targets_csv: str | Path) -> list[AllianceTarget]:
    """The %-of-GDP targets of a ``targets.csv`` (the columns of the ``Target`` table)."""
    return [
        AllianceTarget(
            float(row["threshold"]),
            int(row["decided_on"][:4]) if row.get("decided_on") else None,
            row.get("status") == "agreed",
        )
        for row in _read_rows(Path(targets_csv))
        if row.get("metric") == PCT_GDP
    ]


def known_speakers_from_csv(speakers_csv: str | Path) -> list[KnownSpeaker]:
    """The people of a ``speakers.csv`` (name, role, aliases separated by ``|``): the one
    reader of that file, for the gazetteer built from files and for the ingestion's."""
    return [
        KnownSpeaker(
            name=row["name"].strip(),
            role=(row.get("role") or "").strip(),
            aliases=tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
        )
        for row in _read_rows(Path(speakers_csv))
        if (row.get("name") or "").strip()
    ]


def load_gazetteer_from_csv(
    members_csv: str | Path,
    aliases_csv: str | Path,
    speakers_csv: str | Path,
    targets_csv: str | Path | None = None,
) -> Gazetteer:
    """Build a gazetteer from the members, country-alias, speaker and target CSV files."""
    countries = [(row["iso3"], row["name"]) for row in _read_rows(Path(members_csv))]
    alias_rows = _read_rows(Path(aliases_csv))
    countries += [(row["iso3"], row["alias"]) for row in alias_rows]
    places = [row["alias"] for row in alias_rows if row.get("kind") in PLACE_KINDS]
    speakers = known_speakers_from_csv(speakers_csv)
    targets = targets_from_csv(targets_csv) if targets_csv else []
    return Gazetteer.build(countries, speakers, places, targets)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """Gazetteer from the repository's data files (for the CLI and tests)."""
    root = Path(__file__).resolve().parents[2]
    return load_gazetteer_from_csv(
        root / "spending/data/members.csv",
        root / "spending/data/country_aliases.csv",
        root / "articles/data/speakers.csv",
        root / "spending/data/targets.csv",
    )
