"""``extract_article``: run every extractor over one article text."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import replace

from .figures import (
    Sentence,
    build_sentences,
    count_claim,
    is_target_value,
    sentence_figures,
    sentence_targets,
    target_lists,
    total_claims,
)
from .gazetteer import Gazetteer
from .members import CountryMention, find_country_mentions, members_in_order
from .numbers import infer_reference_year
from .quotes import extract_statements
from .text import find_dateline, normalize, sentence_spans
from .types import AggregateClaim, Extraction, ReportedFigure, Statement, TargetList

CONTEXT_SENTENCES = 2


def _context(sentences: list[Sentence], index: int) -> tuple[float | None, int | None]:
    target = year = None
    for sentence in sentences[max(0, index - CONTEXT_SENTENCES) : index]:
        values = [p.value for p in sentence.percentages if is_target_value(p.value)]
        years = [y.year for y in sentence.years if not y.horizon and y.year]
        target = values[-1] if values else target
        year = years[-1] if years else year
    return target, year


def _unique(items: list) -> list:
    seen: set = set()
    unique = []
    for item in items:
        key = (item.country, item.year, item.metric, item.value)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _numbers_and_claims(
    text: str, sentences: list[Sentence], reference: int | None
) -> tuple[list[ReportedFigure], list[AggregateClaim], list[TargetList], set[float]]:
    figures: list[ReportedFigure] = []
    claims: list[AggregateClaim] = []
    lists: list[TargetList] = []
    targets: set[float] = set()
    for index, sentence in enumerate(sentences):
        context_target, context_year = _context(sentences, index)
        found = sentence_figures(text, sentence, reference)
        figures += found
        targets |= sentence_targets(text, sentence, found)
        claim = count_claim(text, sentence, context_target)
        claims += [claim] if claim else []
        claims += total_claims(text, sentence)
        lists += target_lists(text, sentence, context_target, context_year)
    return _unique(figures), claims, lists, targets


def _annotate_all(
    statements: list[Statement], sentences: list[Sentence], countries: list[CountryMention]
) -> tuple[Statement, ...]:
    sentence_starts = [s.start for s in sentences]
    country_starts = [c.start for c in countries]
    return tuple(
        _annotate(s, sentences, sentence_starts, countries, country_starts) for s in statements
    )


def _annotate(
    statement: Statement,
    sentences: list[Sentence],
    sentence_starts: list[int],
    countries: list[CountryMention],
    starts: list[int],
) -> Statement:
    first = max(0, bisect.bisect_right(sentence_starts, statement.start) - 1)
    around = [s for s in sentences[first : first + 50] if s.start < statement.end]
    around = [s for s in around if statement.start < s.end]
    low = min([statement.start] + [s.start for s in around])
    high = max([statement.end] + [s.end for s in around])
    inside = countries[bisect.bisect_left(starts, low) : bisect.bisect_left(starts, high)]
    iso3 = tuple(dict.fromkeys(c.iso3 for c in inside))
    levels = {p.value for s in around for p in s.percentages if is_target_value(p.value)}
    return replace(statement, countries=iso3, targets=tuple(sorted(levels)))


def extract_article(
    text: str, *, gazetteer: Gazetteer, published: datetime.date | None = None
) -> Extraction:
    """Extract statements, figures, claims, targets and allies from one article text."""
    text = normalize(text if isinstance(text, str) else str(text))
    dateline = find_dateline(text)
    reference = infer_reference_year(text, published)
    statements, speakers, _mask, _quotes = extract_statements(text, gazetteer)
    skip = ((dateline[1], dateline[2]),) if dateline else ()
    countries = find_country_mentions(text, gazetteer, skip=skip)
    sentences = build_sentences(text, sentence_spans(text), countries, reference.year)
    figures, claims, lists, targets = _numbers_and_claims(text, sentences, reference.year)
    return Extraction(
        dateline=dateline[0] if dateline else None,
        reference_year=reference,
        statements=_annotate_all(statements, sentences, countries),
        figures=tuple(figures),
        aggregate_claims=tuple(claims),
        target_lists=tuple(lists),
        targets_mentioned=tuple(sorted(targets)),
        members_mentioned=members_in_order(countries),
        speakers=speakers,
    )
