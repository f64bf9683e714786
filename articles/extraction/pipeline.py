"""``extract_article``: run every extractor over one article text."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import replace

import regex

from .figures import (
    BOUND_BEFORE,
    CONTINUED_ALLY,
    IMPLIED_ALLY,
    Sentence,
    build_sentences,
    count_claims,
    is_subject_country,
    sentence_figures,
    sentence_targets,
    target_lists,
    total_claims,
)
from .gazetteer import Gazetteer
from .lexicon import GROUP_NOUNS, spaced_alternation
from .members import CountryMention, find_country_mentions, members_in_order
from .numbers import infer_reference_year
from .quotes import extract_statements
from .text import find_dateline, normalize, sentence_spans
from .types import AggregateClaim, Extraction, ReportedFigure, Statement, TargetList

CONTEXT_SENTENCES = 2
CARRY_SENTENCES = 3
GROUP_SUBJECT = regex.compile(
    rf"\b(?:{spaced_alternation(GROUP_NOUNS)}|NATO|alliance|Europe\w*|they|their|everyone|each)\b",
    regex.IGNORECASE,
)
# NATO named as the source of a number ("according to NATO estimates"), not as its subject.
NATO_AS_SOURCE = regex.compile(
    r"\b(?:(?:according\s+to|under|by|in|on|from)\s+(?:the\s+)?)?(?:NATO|alliance)(?:['\u2019]s)?\s+"
    r"(?:latest\s+|own\s+|official\s+)?(?:estimates?|figures?|data|accounting|numbers|"
    r"definitions?|rules|methodology|tables?)\b",
    regex.IGNORECASE,
)
DEFENCE_WINDOW = 4


def _target_levels(text: str, sentence: Sentence) -> list[float]:
    """Target levels a sentence names, leaving out comparisons ("estimated above 3%")."""
    return [
        p.value
        for p in sentence.percentages
        if sentence.is_target(p.value)
        and not BOUND_BEFORE.search(text, max(0, p.start - 30), p.start)
    ]


def _context(
    sentences: list[Sentence],
    levels: list[list[float]],
    index: int,
    earlier_target: float | None,
) -> tuple[float | None, int | None]:
    """The target and year of the sentences just before: what "the guideline" and an
    undated list refer to. With no target nearby, the last one the article named before
    them (``earlier_target``, kept by the caller so that no sentence is read twice).
    ``levels`` holds each sentence's :func:`_target_levels`, read once per article."""
    target = year = None
    for position in range(max(0, index - CONTEXT_SENTENCES), index):
        sentence, values = sentences[position], levels[position]
        years = [y.year for y in sentence.years if not y.horizon and y.year]
        target = values[-1] if values else target
        year = years[-1] if years else year
    return (earlier_target if target is None else target), year


def _unique(items: list) -> list:
    seen: set = set()
    unique = []
    for item in items:
        key = (item.country, item.year, item.metric, item.value)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _continue_year(
    found: list[ReportedFigure], previous: list[ReportedFigure], sentence: Sentence
) -> list[ReportedFigure]:
    """Figures of a sentence with no year that continues a run of figures for one year
    ("Norway spent 2.2% in 2024. Hungary reported 2.1%, Slovakia 2.0%.") take that year."""
    years = {f.year for f in previous}
    if sentence.years or not found or len(years) != 1 or None in years:
        return found
    (year,) = years
    return [replace(f, year=year) if f.year is None else f for f in found]


def _list_year(found: list[ReportedFigure], introduction: Sentence) -> list[ReportedFigure]:
    """Undated figures opening a list take the one year of the line that introduces it
    ("The top of the table for 2026:" then "1. Lithuania — 5.33%")."""
    years = {y.year for y in introduction.years if not y.horizon and y.year}
    if len(years) != 1:
        return found
    (year,) = years
    return [replace(f, year=year) if f.year is None else f for f in found]


def _default_year(found: list[ReportedFigure], reference: int | None) -> list[ReportedFigure]:
    """A figure with no year that is restated with one elsewhere (a headline and its body)
    is kept once, with that year; any other figure whose sentence and run give no year is
    a current estimate and takes the reference (publication) year ("Poland leads the
    alliance at 4.5% of GDP")."""
    dated = {(f.country, f.metric, f.value) for f in found if f.year is not None}
    kept = [f for f in found if f.year is not None or (f.country, f.metric, f.value) not in dated]
    if reference is None:
        return kept
    return [replace(f, year=reference) if f.year is None else f for f in kept]


def _agree(first: object, second: object) -> bool:
    return first is None or second is None or first == second


def _unique_claims(claims: list[AggregateClaim]) -> list[AggregateClaim]:
    """Claims without repeats: a restated count ("19 allies" in a headline, "19 of 32
    allies ... this year" in the text) is kept once, with the year, target and total stated."""
    kept: list[AggregateClaim] = []
    for claim in claims:
        key = (claim.kind, claim.count, claim.value, claim.currency)
        for index, other in enumerate(kept):
            same = (other.kind, other.count, other.value, other.currency) == key
            agree = _agree(other.year, claim.year) and _agree(other.target_pct, claim.target_pct)
            if same and agree:
                kept[index] = replace(
                    other,
                    year=other.year or claim.year,
                    of=other.of or claim.of,
                    target_pct=other.target_pct or claim.target_pct,
                )
                break
        else:
            kept.append(claim)
    return kept


def _carried_ally(
    text: str, sentences: list[Sentence], index: int, previous: list[ReportedFigure]
) -> CountryMention | None:
    """The ally a sentence naming none continues: the previous sentence's figures' ally
    ("Latvia approved its budget ... The plan earmarks €2 billion"), or else the one ally
    the last few sentences name ("Romania offers a case in point. The country spent 2.3%"),
    unless the sentence speaks of the allies as a group."""
    sentence = sentences[index]
    if len({f.country for f in previous}) == 1:
        return CountryMention(previous[0].country, sentence.start, sentence.start, CONTINUED_ALLY)
    words = NATO_AS_SOURCE.sub(" ", text[sentence.start : sentence.end])
    if GROUP_SUBJECT.search(words):
        return None
    for earlier in reversed(sentences[max(0, index - CARRY_SENTENCES) : index]):
        subjects = [c for c in earlier.countries if is_subject_country(text, c)]
        if subjects:
            named = {c.iso3 for c in subjects}
            if len(named) != 1:
                return None
            return CountryMention(named.pop(), sentence.start, sentence.start, IMPLIED_ALLY)
    return None


def _numbers_and_claims(
    text: str, sentences: list[Sentence], reference: int | None
) -> tuple[list[ReportedFigure], list[AggregateClaim], list[TargetList], set[float]]:
    figures: list[ReportedFigure] = []
    claims: list[AggregateClaim] = []
    lists: list[TargetList] = []
    targets: set[float] = set()
    previous: list[ReportedFigure] = []
    run_context = 0
    earlier_target: float | None = None  # the last target named before the context window
    # "the target" with no level named: the one agreed when the article was written.
    standing = sentences[0].targets.in_force(reference) if sentences else None
    levels = [_target_levels(text, sentence) for sentence in sentences]
    for index, sentence in enumerate(sentences):
        if index > CONTEXT_SENTENCES:
            named = levels[index - CONTEXT_SENTENCES - 1]
            earlier_target = named[-1] if named else earlier_target
        context_target, context_year = _context(sentences, levels, index, earlier_target)
        context_start = sentences[max(0, index - DEFENCE_WINDOW)].start
        if previous:
            # A run of figures ("1. Lithuania — 5.33%", "2. Estonia — 5.10%", ...) keeps the
            # defence wording that introduced its first item.
            context_start = min(context_start, run_context)
        else:
            run_context = context_start
        if not sentence.countries:
            carried = _carried_ally(text, sentences, index, previous)
            if carried is not None:
                sentence = replace(sentence, countries=[carried])
        elif len(named := {c.iso3 for c in sentence.countries}) == 1 and named == {
            f.country for f in previous
        }:
            # "That is up from 186.6 billion zł ..., and keeps Poland at the top": the
            # sentence goes on about the previous figures' ally, named only later.
            carried = CountryMention(named.pop(), sentence.start, sentence.start, CONTINUED_ALLY)
            sentence = replace(sentence, countries=[carried, *sentence.countries])
        found = sentence_figures(text, sentence, reference, context_start)
        found = _continue_year(found, previous, sentence)
        opens_list = text[max(0, sentence.start - 20) : sentence.start].rstrip().endswith(":")
        if not previous and index and opens_list:
            found = _list_year(found, sentences[index - 1])
        previous = found
        figures += found
        targets |= sentence_targets(text, sentence, found)
        claims += count_claims(text, sentence, context_target, standing)
        claims += total_claims(text, sentence)
        lists += target_lists(text, sentence, context_target, context_year, standing)
    claims = _unique_claims(claims)
    if reference is not None:
        # An undated alliance claim, like an undated figure, is a current estimate.
        claims = [replace(c, year=reference) if c.year is None else c for c in claims]
    return _unique(_default_year(figures, reference)), claims, lists, targets


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
    levels = {p.value for s in around for p in s.percentages if s.is_target(p.value)}
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
    sentences = build_sentences(
        text, sentence_spans(text), countries, reference.year, gazetteer.targets
    )
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
