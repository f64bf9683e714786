"""Quotations and their speakers.

Quote spans are found per paragraph from curly, straight and guillemet double quotes
(and curly single quotes opened at a word start). A quote left open at the end of a
paragraph that is followed by a paragraph opening with a quote mark continues there
and shares its speaker. Speakers come, in order of preference, from an attribution
right after the quote ("..., Rutte said" / "said Rutte"), the nearest speech cue
before it in the sentence ("Stoltenberg declared, ..."), a cue later in the sentence,
or the previous quote of the paragraph (for a quote that starts a sentence).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from .gazetteer import Gazetteer
from .people import (
    AFTER_AGENT_RE,
    BEFORE_AGENT_RE,
    CLAIMANT_LINE_RE,
    SPEECH_VERB,
    SPEECH_VERB_RE,
    UNNAMED_CLAUSE_RE,
    Mention,
    Person,
    find_mentions,
)
from .text import paragraph_spans, sentence_spans
from .types import SpeakerMention, Statement

OPENING = "\u201c\u201e\u00ab\u201f"
CLOSING = "\u201d\u00bb"
STRAIGHT = '"'
MASK_CHAR = "\x1a"
_MARKS_RE = regex.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")
_SINGLE_RE = regex.compile(
    r"(?<![\p{L}\d])\u2018(?=\p{L})[^\u2018\u2019\n]{3,600}?(?<=\S)\u2019(?![\p{L}\d])"
)
_VERB_FIRST_RE = regex.compile(rf"{SPEECH_VERB}[ ]")
_INTRO_TAIL_RE = regex.compile(
    rf"(?:\b{SPEECH_VERB}|\baccording[ ]to(?:[ ][^ ,]+){{1,6}}|\bin[ ]an?(?:[ ][^ ,]+){{1,4}})"
    r"(?:[ ][\w.\u2019'-]+){0,4}[ ]?[,\u2014]$"
)
_END_PUNCT = ".,!?\u2026;:\u2014\u2013-"


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: marks at ``open_at``/``close_at`` and content ``[start, end)``."""

    open_at: int
    close_at: int
    start: int
    end: int
    continues: bool = False


def _opens(text: str, index: int, current: int | None) -> bool:
    char = text[index]
    if char in OPENING:
        return True
    if char in CLOSING:
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        return current is None and before.isspace() and after.isalnum()
    return current is None


def _paragraph_quotes(text: str, start: int, end: int, next_opens: bool) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    current: int | None = None
    for match in _MARKS_RE.finditer(text, start, end):
        index = match.start()
        if _opens(text, index, current):
            current = index
        elif current is not None:
            spans.append(QuoteSpan(current, index, current + 1, index))
            current = None
    if current is not None and next_opens:
        spans.append(QuoteSpan(current, end, current + 1, end, continues=True))
    return spans


def _single_quotes(text: str, taken: list[QuoteSpan]) -> list[QuoteSpan]:
    spans = []
    opens = [q.open_at for q in taken]
    for match in _SINGLE_RE.finditer(text):
        index = bisect.bisect_right(opens, match.start()) - 1
        if not (index >= 0 and match.start() <= taken[index].close_at):
            spans.append(
                QuoteSpan(match.start(), match.end() - 1, match.start() + 1, match.end() - 1)
            )
    return spans


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All quotation spans in text order."""
    paragraphs = paragraph_spans(text)
    spans: list[QuoteSpan] = []
    for number, (start, end) in enumerate(paragraphs):
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
        next_opens = bool(following) and text[following[0] : following[1]].lstrip()[:1] in (
            OPENING + STRAIGHT
        )
        spans += _paragraph_quotes(text, start, end, next_opens)
    spans += _single_quotes(text, spans)
    return sorted(spans, key=lambda q: q.open_at)


def mask_quotes(text: str, quotes: list[QuoteSpan]) -> str:
    """Text with quote contents blanked, keeping a final sentence mark, offsets unchanged."""
    chars = list(text)
    for quote in quotes:
        content_end = quote.end
        last = text[quote.start : quote.end].rstrip()
        keep = quote.start + len(last) - 1 if last and last[-1] in ".!?" else -1
        for index in range(quote.start, content_end):
            if index != keep and chars[index] != "\n":
                chars[index] = MASK_CHAR
    return "".join(chars)


def trimmed_content(text: str, quote: QuoteSpan) -> tuple[str, int, int]:
    """Quote text without outer spaces and one trailing comma or full stop, with its offsets."""
    start, end = quote.start, quote.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] in ",.":
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return text[start:end], start, end


class _Attributor:
    """Finds the speaker mention of each quote in the masked text."""

    def __init__(self, mask: str, mentions: list[Mention], sentences: list[tuple[int, int]]):
        self.mask = mask
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self._speech_verbs: dict[tuple[int, int], bool] = {}

    def sentence_of(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        return self.sentences[index] if index >= 0 else (0, len(self.mask))

    def mention_at(self, position: int) -> Mention | None:
        index = bisect.bisect_left(self.starts, position)
        if index < len(self.mentions) and self.mentions[index].start == position:
            return self.mentions[index]
        return None

    def _mentions_between(self, start: int, end: int) -> list[Mention]:
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return self.mentions[low:high]

    def right_after(self, quote: QuoteSpan) -> Mention | None:
        """Attribution directly after the closing mark: "..., Rutte said" / "said Rutte"."""
        position = quote.close_at + 1
        limit = min(len(self.mask), position + 200)
        while position < limit and self.mask[position] in " ,\u2014\u2013-":
            position += 1
        verb = _VERB_FIRST_RE.match(self.mask, position, limit)
        if verb:
            return self.mention_at(verb.end())
        mention = self.mention_at(position)
        if mention and AFTER_AGENT_RE.match(self.mask, mention.end, mention.end + 160):
            return mention
        return None

    def claimant(self, quote: QuoteSpan) -> Mention | None:
        """The person named on a claimant line right after a quote that ends its paragraph
        ("CLAIM: “...”" / "Who said it: Senator Jane Roe, in a debate")."""
        label = CLAIMANT_LINE_RE.match(self.mask, quote.close_at + 1, quote.close_at + 200)
        if label is None or "\n" not in self.mask[quote.close_at : label.end()]:
            return None
        return self.mention_at(label.end())

    def _speaks(self, mention: Mention) -> int | None:
        if mention.kind == "label":
            return mention.end + 1
        if mention.kind == "unnamed":
            clause = UNNAMED_CLAUSE_RE.match(self.mask, mention.end, mention.end + 200)
            return clause.end() if clause else None
        after = AFTER_AGENT_RE.match(self.mask, mention.end, mention.end + 160)
        if after:
            return after.end()
        if BEFORE_AGENT_RE.search(self.mask, max(0, mention.start - 40), mention.start):
            return mention.end
        return None

    def before(self, quote: QuoteSpan) -> Mention | None:
        """Nearest speech cue with an agent earlier in the quote's sentence."""
        sentence_start = self.sentence_of(quote.open_at)[0]
        best, best_at = None, -1
        for mention in self._mentions_between(sentence_start, quote.open_at):
            cue_at = self._speaks(mention)
            if cue_at is not None and best_at < cue_at <= quote.open_at + 1:
                best, best_at = mention, cue_at
        return best

    def later(self, quote: QuoteSpan) -> Mention | None:
        """First speech cue with an agent later in the quote's sentence."""
        sentence_end = self.sentence_of(quote.open_at)[1]
        for mention in self._mentions_between(quote.close_at, sentence_end):
            if self._speaks(mention) is not None:
                return mention
        return None

    def _subject_at(self, start: int, end: int) -> Mention | None:
        """The person mention opening the sentence at ``start`` (its subject), if any."""
        while start < end and self.mask[start] in ' "\u201c\u201d':
            start += 1
        index = bisect.bisect_left(self.starts, start)
        if index < len(self.mentions) and self.mentions[index].start == start:
            mention = self.mentions[index]
            return mention if mention.end <= end else None
        return None

    def _has_speech_verb(self, start: int, end: int) -> bool:
        """Whether mask[start:end] holds a speech verb; once per sentence, not per quote."""
        key = (start, end)
        if key not in self._speech_verbs:
            self._speech_verbs[key] = bool(SPEECH_VERB_RE.search(self.mask, start, end))
        return self._speech_verbs[key]

    def sentence_subject(self, quote: QuoteSpan) -> Mention | None:
        """Speaker of a quote with no speech cue: the person subject of its own sentence
        ("He had a message: “...”"), or, for a quote opening its sentence, of the sentence
        right before it in the same paragraph."""
        start, end = self.sentence_of(quote.open_at)
        if self._has_speech_verb(start, max(end, quote.close_at + 1)):
            return None
        own = self._subject_at(start, quote.open_at)
        if own is not None or self.mask[start : quote.open_at].strip(' "\u201c\u201d'):
            return own
        index = bisect.bisect_right(self.sentence_starts, quote.open_at) - 2
        if index < 0:
            return None
        previous_start, previous_end = self.sentences[index]
        if "\n" in self.mask[previous_start : quote.open_at]:
            return None
        return self._subject_at(previous_start, previous_end)

    def starts_sentence(self, quote: QuoteSpan, previous: QuoteSpan | None) -> bool:
        sentence_start = self.sentence_of(quote.open_at)[0]
        if previous is not None and previous.close_at >= sentence_start:
            sentence_start = previous.close_at + 1
        prefix = self.mask[sentence_start : quote.open_at].strip().lstrip(",").strip()
        if not prefix or prefix.endswith(":"):
            return True
        return bool(_INTRO_TAIL_RE.search(prefix))

    def ends_sentence(self, text: str, quote: QuoteSpan) -> bool:
        content = text[quote.start : quote.end].rstrip()
        if quote.continues or (content and content[-1] in _END_PUNCT):
            return True
        after = self.mask[quote.close_at + 1 : quote.close_at + 80].lstrip(" ")
        return not after or after[0] in ".!?;:)\n" or self.right_after(quote) is not None


def _speaker_fields(mention: Mention | None) -> tuple[Person | None, str | None]:
    if mention is None or mention.person is None:
        return None, None
    return mention.person, mention.written


@dataclass
class _Draft:
    quote: QuoteSpan
    person: Person | None
    written: str | None
    partial: bool
    sentence_initial: bool
    unnamed: bool = False  # the text gives a speaker it does not name ("a spokeswoman said")


def _attribute(text: str, quotes: list[QuoteSpan], att: _Attributor) -> list[_Draft]:
    drafts: list[_Draft] = []
    previous: QuoteSpan | None = None
    for quote in quotes:
        initial = att.starts_sentence(quote, previous)
        partial = not (initial and att.ends_sentence(text, quote))
        # A quote that closes its sentence with a full stop belongs to the speech cue before
        # it ("X said the deal showed “...”."), not to the next sentence's subject.
        closes = att.mask[quote.start : quote.close_at].rstrip().endswith(".")
        mention = (
            (att.before(quote) if closes else None)
            or att.right_after(quote)
            or att.before(quote)
            or att.later(quote)
            or att.claimant(quote)
        )
        person, written = _speaker_fields(mention)
        unnamed = mention is not None and mention.person is None
        drafts.append(_Draft(quote, person, written, partial, initial, unnamed))
        previous = quote
    _carry_speakers(text, drafts, att)
    for draft in drafts:
        if draft.person is None and not draft.unnamed:
            draft.person, draft.written = _speaker_fields(att.sentence_subject(draft.quote))
    return drafts


def _carry_speakers(text: str, drafts: list[_Draft], att: _Attributor) -> None:
    for index in range(len(drafts) - 2, -1, -1):
        draft, following = drafts[index], drafts[index + 1]
        if draft.quote.continues and draft.person is None and not draft.unnamed:
            draft.person, draft.written = following.person, following.written
            draft.unnamed = following.unnamed
    for index, draft in enumerate(drafts[1:], start=1):
        previous = drafts[index - 1]
        if draft.person is not None or draft.unnamed or not draft.sentence_initial:
            continue
        if previous.person is None:
            continue
        gap = att.mask[previous.quote.close_at + 1 : draft.quote.open_at]
        same_paragraph = "\n" not in gap
        quote_only_paragraph = gap.strip(" ,.\n") == "" and previous.quote.continues
        if same_paragraph or quote_only_paragraph:
            draft.person, draft.written = previous.person, previous.written


def extract_statements(
    text: str, gazetteer: Gazetteer
) -> tuple[list[Statement], tuple[SpeakerMention, ...], str, list[QuoteSpan]]:
    """Statements of 3+ words, the speakers quoted, the masked text and all quote spans."""
    quotes = find_quote_spans(text)
    mask = mask_quotes(text, quotes)
    sentences = sentence_spans(mask)
    mentions, _ = find_mentions(mask, gazetteer, sentences, text)
    drafts = _attribute(text, quotes, _Attributor(mask, mentions, sentences))
    statements: list[Statement] = []
    speakers: dict[str, Person] = {}
    for draft in drafts:
        content, start, end = trimmed_content(text, draft.quote)
        if len(content.split()) < 3:
            continue
        person = draft.person
        if person is not None:
            speakers.setdefault(person.name, person)
        statements.append(
            Statement(
                text=content,
                speaker=person.name if person else None,
                speaker_as_written=draft.written if person else None,
                speaker_role=person.role if person else None,
                partial=draft.partial,
                start=start,
                end=end,
            )
        )
    people = tuple(
        SpeakerMention(p.name, p.role, tuple(sorted(p.aliases)), p.known) for p in speakers.values()
    )
    return statements, people, mask, quotes
