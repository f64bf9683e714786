"""Allies mentioned by name, demonym, shorthand, capital or seat of government.

Not counted: "Brussels" (no alias: it stands for NATO or the EU), datelines, and fixed
phrases that name something else ("Berlin Wall", "Warsaw Pact", "Latin America").
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .gazetteer import Gazetteer

EXCLUDED_PHRASES = regex.compile(
    r"\b(?:Berlin\s+Wall|Warsaw\s+Pact|Washington\s+(?:Post|Times|Consensus)|Paris\s+(?:Agreement|"
    r"Accords?|climate)|Helsinki\s+(?:Accords?|Final\s+Act)|(?:Latin|South|Central|North)\s+"
    r"America(?:n|ns)?|Rome\s+Statute|New\s+Mexico|Turkey\s+Point)\b"
)


@dataclass(frozen=True)
class CountryMention:
    """One mention of an ally in the text."""

    iso3: str
    start: int
    end: int
    alias: str
    place: bool = False


def find_country_mentions(
    text: str,
    gazetteer: Gazetteer,
    start: int = 0,
    end: int | None = None,
    skip: tuple[tuple[int, int], ...] = (),
) -> list[CountryMention]:
    """Ally mentions in text[start:end], minus excluded phrases and ``skip`` spans."""
    end = len(text) if end is None else end
    blocked = list(skip) + [m.span() for m in EXCLUDED_PHRASES.finditer(text, start, end)]
    mentions = []
    for match in gazetteer.country_pattern.finditer(text, start, end):
        if any(b_start < match.end() and match.start() < b_end for b_start, b_end in blocked):
            continue
        iso3 = gazetteer.country_of(match.group())
        if iso3:
            alias = match.group()
            place = alias in gazetteer.places
            mentions.append(CountryMention(iso3, match.start(), match.end(), alias, place))
    return mentions


def members_in_order(mentions: list[CountryMention]) -> tuple[str, ...]:
    """ISO3 codes in order of first mention."""
    seen: dict[str, None] = {}
    for mention in mentions:
        seen.setdefault(mention.iso3, None)
    return tuple(seen)
