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
from .lexicon import THING_TEXT_VERB, UTTERANCE_NOUNS
from .people import (
    ADVERBS,
    AFTER_AGENT_RE,
    BEFORE_AGENT_RE,
    CLAIMANT_LINE_RE,
    FINITE_VERB_AFTER_RE,
    INLINE_SIGNATURE_RE,
    INVERTED_AGENT_END_RE,
    SPEECH_VERB,
    UNNAMED_CLAUSE_RE,
    Mention,
    Person,
    find_mentions,
)
from .speaker_ranker import rank_speakers
from .text import paragraph_spans, sentence_spans
from .types import SpeakerMention, Statement

_THING_TEXT_BEFORE_RE = regex.compile(rf"\b{THING_TEXT_VERB}[ ]?[:,]?[ ]*$")

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
# A possessive and the (up to three) words of what is owned ("Roe's fundraising email").
POSSESSIVE_RE = regex.compile(r"['\u2019]s?((?:[ ][\p{L}-]+){1,3})")
# A preposition before a name, written in lower case or opening the sentence ("Like Roe,
# Doe rejected ...", "In Just the Way You Are, Joel sings").
PREPOSITION_BEFORE_RE = regex.compile(
    r"\b(?:of|for|to|by|with|about|against|from|on|at|(?<=\p{Lu}[\p{L}.'\u2019]*[ ])and|than|"
    r"like|as|into|toward|towards|"
    r"between|among|behind|beside|besides|alongside|without|versus|near|upon|"
    r"Like|Unlike|In|With|For|After|Before|During|Despite|Against|Under|Over|From)[ ]"
    r"(?:(?:the|a|an)[ ])?(?:[\p{L}.-]+(?:['\u2019]s?)?[ ]){0,3}$"
)
# A preposition right before a name: the name is its object, not the agent of a participle
# after it ("wrote in a statement to Wired explaining why ..."). Not "with" or "of": "with
# Trump tweeting", "of Carson saying" name the participle's agent.
_PREPOSITION_RIGHT_BEFORE_RE = regex.compile(r"\b(?:to|at|against|toward|towards|into|than)[ ]$")
# A speech verb in a finite form right after a name ("Spicer said", "Law noted").
_FINITE_SPEECH_RE = regex.compile(rf"{ADVERBS}{{0,2}}[ ](?!\p{{Ll}}+ing\b){SPEECH_VERB}")
# What may stand between a name and the name it modifies, or before the first name after a
# speech verb: a possessive, capitalised words and lower-case role words, one comma before
# the head ("’s deputy campaign manager, "), but no word that starts a clause.
_CLAUSE_WORDS = (
    r"who|whom|whose|when|where|while|after|before|about|asked|and|or|but|to|that|with|at|"
    r"in|on|from|as|by|said|says|told|is|was|has|had"
)
_MODIFIER_RE = regex.compile(
    rf"(?:['\u2019]s)?(?:[ ]*(?!(?:{_CLAUSE_WORDS}|of|for)\b)"
    r"[\p{L}\d][\p{L}\d.'\u2019-]*)*,?[ ]*"
)
# Before the first name of the phrase, a role may hold "of" and "for" ("former secretary of
# state Hillary Clinton"); after a name they open a phrase of their own ("Murray of Christie").
# Two roles may be joined by "and" there ("said former Ohio Gov. and party Chairman Ed Roe").
_LEADING_CLAUSE_WORDS = "|".join(w for w in _CLAUSE_WORDS.split("|") if w != "and")
_LEADING_MODIFIER_RE = regex.compile(
    rf"(?:[ ]*(?!(?:{_LEADING_CLAUSE_WORDS})\b)[\p{{L}}\d][\p{{L}}\d.'\u2019-]*)*,?[ ]*"
)
# Words that make the text between two names a clause, not a role: verbs in -ed or -s,
# prepositions, a comma.
_NOT_MODIFIER_RE = regex.compile(
    r"\b\p{Ll}+(?:ed|s)\b|,|\b(?:against|over|into|than|like|under|toward|towards|per|"
    r"during|since|until|without|within|among|across|behind|beyond|near|will|would|can|"
    r"could|should|may|might|must|did|does|do)\b"
)
# A subordinate or participial clause opening the sentence, up to its comma ("When told Perez
# was in the Cabinet,", "Acknowledging the poll,"): its names are not the sentence's subject.
_OPENING_CLAUSE_RE = regex.compile(
    r"[\s\"\u201c]*(?:(?:When|Whenever|After|Once|Before|While|Although|Though|Because|Since|"
    r"If|Unless|Until)\b|\p{Lu}\p{Ll}+ing\b)[^,;\n]{1,150}?,[ ]"
)
# A sentence after a quote that opens with a preposition ("Of Carson, Roe said, ...") does
# not attribute that quote.
_PREPOSITION_FIRST_RE = regex.compile(
    r"(?:Of|For|From|In|On|At|With|By|To|About|After|Before|Like|Unlike|As|Asked)[ ]"
)
# What ends an attribution on its own after a quote closed by a full stop ('“...” Roe said.',
# '“...” Roe said on Monday'), unlike a new sentence that reports more ('“...” Roe said she
# would ...').
_ATTRIBUTION_END_RE = regex.compile(
    r"[ ]?(?:[.,;:!?)\n\u2014\u2013-]|\Z)|[ ](?:in|at|on|during|of|from|after|before|when|"
    r"while|last|this|earlier|later|to|as|about|with|via|through|since|following|amid|today|"
    r"yesterday|tonight|recently|again|also|\p{Ll}+ly)\b"
)
# What may stand between a possessor's utterance ("Roe's statement") and the quote it gives:
# a copula or "read" with one word after it, then a comma, colon or dash ("Roe's message was
# simple: “...”", "From Roe's post: “...”").
_UTTERANCE_TO_QUOTE_RE = regex.compile(
    r"(?:[ ](?:was|is|were|are|read|reads)(?:[ ]\p{Ll}+)?)?[ ]?[,:\u2014]?[ ]*"
)
# A possessor opening its sentence, after a preposition at most ("In Roe's words, ...").
_OPENING_POSSESSOR_RE = regex.compile(
    r"[\s\"\u201c]*(?:(?:In|From|By|To|For|Of|Per|According[ ]to)[ ])?"
)
# A possessive right before a quote, and the words after the quote up to its noun ("Roe's
# “...” promise").
_POSSESSIVE_BEFORE_QUOTE_RE = regex.compile(r"['\u2019]s?[ ]?[\"\u201c]?")
_WORDS_AFTER_QUOTE_RE = regex.compile(r"[\"\u201d]?((?:[ ][\p{L}-]+){1,3})")
_WORD_ONLY_RE = regex.compile(r"[\p{L}\d]+")
_OWN_PARTICIPLE_RE = regex.compile(rf"{ADVERBS}{{0,2}}[ ]\p{{Ll}}+ing")
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


_WORD_RE = regex.compile(r"\S+")  # a word as str.split() finds it, with its place


class _Attributor:
    """Finds the speaker mention of each quote in the masked text."""

    def __init__(self, mask: str, mentions: list[Mention], sentences: list[tuple[int, int]]):
        self.mask = mask
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]

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
            return self.head_after(verb.end())
        if _PREPOSITION_FIRST_RE.match(self.mask, position, limit):
            return None  # '“...” Of Carson, Roe said': the next sentence's own quote
        mention = self.mention_at(position)
        if mention is None and self.mask[position : position + 1].isupper():
            # "..., Assistant U.S. Attorney Maya D. Song wrote."
            mention = self.head_after(position, clause_end=False)
        after = mention and AFTER_AGENT_RE.match(self.mask, mention.end, mention.end + 160)
        if not after:
            return None
        if self.mask[quote.start : quote.close_at].rstrip().endswith(".") and not (
            _ATTRIBUTION_END_RE.match(self.mask, after.end())
        ):
            return None  # '“... campaign.” Jane Roe said she would ...': a new sentence
        return mention

    def head_after(self, position: int, *, clause_end: bool = True) -> Mention | None:
        """The person a noun phrase starting at ``position`` names: its last name, past
        the names and role words that modify it ("said Clinton campaign manager Robby
        Mook", "said Rubio's deputy campaign manager, Rich Beeson", "said Army Capt.
        Christian Pardo", "said former secretary of state Hillary Clinton"), not past a
        clause ("Dan Roe when asked about Jane Doe"). With ``clause_end`` the head must end
        its clause (after an inverted verb), else it is followed by its own verb."""
        index = bisect.bisect_left(self.starts, position)
        head, cursor = None, position
        while index < len(self.mentions):
            mention = self.mentions[index]
            between = self.mask[cursor : mention.start]
            modifier = _MODIFIER_RE if head is not None or not clause_end else _LEADING_MODIFIER_RE
            if len(between) > 80 or not modifier.fullmatch(between):
                break
            if "," in between and not regex.search(r"\p{Ll}{3}", between):
                break  # "said Cruz, Rubio and ...": a list, not a role before a name
            if not clause_end and ". " in between:
                break  # the next sentence
            head, cursor = mention, mention.end
            index += 1
        if clause_end and head is not None and not INVERTED_AGENT_END_RE.match(self.mask, head.end):
            return None  # "said one Western Balkans diplomat": the name modifies a noun
        return head

    def claimant(self, quote: QuoteSpan) -> Mention | None:
        """The person named on a claimant line right after a quote that ends its paragraph
        ("CLAIM: “...”" / "Who said it: Senator Jane Roe, in a debate")."""
        label = CLAIMANT_LINE_RE.match(self.mask, quote.close_at + 1, quote.close_at + 200)
        if label is None or "\n" not in self.mask[quote.close_at : label.end()]:
            return None
        return self.mention_at(label.end())

    def signature(self, quote: QuoteSpan) -> Mention | None:
        """The person on a signature line under a quote that ends its paragraph ("“...”"
        then "— Bernie Sanders"), or on the quote's own line after a dash or in brackets
        ("“...” — Bernie Sanders", "“...” (Bernie Sanders)")."""
        inline = INLINE_SIGNATURE_RE.match(self.mask, quote.close_at)
        if inline is not None:
            mention = self.mention_at(inline.start("name"))
            if mention is not None and mention.kind == "signature":
                return mention
        line_end = self.mask.find("\n", quote.close_at)
        if line_end < 0 or self.mask[quote.close_at + 1 : line_end].strip(' .,;:!?\x1a"\u201d'):
            return None
        position = line_end
        while position < len(self.mask) and self.mask[position] in "\n ":
            position += 1
        index = bisect.bisect_left(self.starts, position)
        if index < len(self.mentions) and self.mentions[index].kind == "signature":
            mention = self.mentions[index]
            if "\n" not in self.mask[position : mention.start]:
                return mention
        return None

    def _speaks(self, mention: Mention) -> int | None:
        if mention.kind == "label":
            return mention.end + 1
        if mention.kind == "unnamed":
            clause = UNNAMED_CLAUSE_RE.match(self.mask, mention.end, mention.end + 200)
            return clause.end() if clause else None
        after = AFTER_AGENT_RE.match(self.mask, mention.end, mention.end + 160)
        if after and not self._ends_a_phrase(mention, after.group()):
            return after.end()
        if BEFORE_AGENT_RE.search(
            self.mask, max(0, mention.start - 40), mention.start
        ) and INVERTED_AGENT_END_RE.match(self.mask, mention.end):
            return mention.end
        return None

    def _ends_a_phrase(self, mention: Mention, after: str) -> bool:
        """Whether a name after a preposition and before a participle ("to Wired
        explaining"), or before a bare comma and its speech verb, ends a phrase of the
        sentence ("that Sanders can catch Clinton, said Jane Roe", "a rift for Clinton, said
        Kunin", "Sam Roe, who worked alongside Trump, said") rather than being the agent: it
        is the agent only as an appositive of its own ("her adviser, Jane Roe, said")."""
        name_start = mention.end - len(mention.name)
        if after.endswith("ing") and _PREPOSITION_RIGHT_BEFORE_RE.search(
            self.mask, max(0, mention.start - 12), mention.start
        ):
            return True  # "wrote to Wired explaining", "tweeted back at Trump pointing out"
        return (
            after.startswith(",")
            and after.count(",") == 1
            and not self.mask.startswith(", ", mention.start - 2)
            and not self.mask.startswith(", ", name_start - 2)
        )

    def _participle_cue(self, mention: Mention) -> bool:
        """Whether the name's speech verb is a participle that is not the name's own
        ("went after Bush, calling him", "advising Trump to soften it, saying"): its agent
        is the clause's subject. In "Spicer said, adding" the name has a finite verb of its
        own and is the agent."""
        after = AFTER_AGENT_RE.match(self.mask, mention.end, mention.end + 160)
        if after is None or not after.group().endswith("ing"):
            return False
        if _OWN_PARTICIPLE_RE.fullmatch(after.group()):
            return False  # "..., with Gorka noting “...”": the name is the participle's agent
        return after.group()[:1] == "," or not (
            _FINITE_SPEECH_RE.match(self.mask, mention.end)
            or FINITE_VERB_AFTER_RE.match(self.mask, mention.end)
        )

    def _last_cue(self, start: int, limit: int) -> Mention | None:
        """The agent of the last speech cue in ``[start, limit]``. The agent of a participle
        ("Romney went after Trump, calling it “...”") is the clause's subject."""
        best, best_at = None, -1
        for mention in self._mentions_between(start, limit):
            cue_at = self._speaks(mention)
            if cue_at is None or cue_at > limit + 1:
                continue
            if best_at < cue_at or (cue_at == best_at and self._names_the_agent(mention)):
                best, best_at = mention, cue_at
        if best is not None and self._participle_cue(best):
            return self.clause_subject(start, limit) or best
        return best

    def _names_the_agent(self, mention: Mention) -> bool:
        """Whether a name that shares its speech verb with an earlier one opens a part of
        that name's appositive ("The head of the Roads League, Jane Roe, said", "Of Smith,
        Roe, who backs Doe, said", "to the Herald, her adviser, Jane Roe, said"): it is
        the agent, not a name inside the description ("Dean Roe, a plumber from Dillon,
        South Carolina, says")."""
        name_start = mention.end - len(mention.name)
        return (
            self.mask.startswith(", ", mention.start - 2) and self.mask[mention.start].isupper()
        ) or (mention.kind == "titled" and self.mask.startswith(", ", name_start - 2))

    def possessor(self, quote: QuoteSpan) -> Mention | None:
        """The owner of an utterance noun that gives the quote when no speech verb does:
        right before it ("From Roe's Facebook post: “...”", "Roe's message was simple:
        “...”"), opening its sentence ("In Roe's words, the plan is “...”") or around it
        ("the pull of Roe's “...” promise"). The nearest such owner in the sentence."""
        start = self.sentence_of(quote.open_at)[0]
        for mention in reversed(self._mentions_between(start, quote.open_at)):
            if mention.kind in ("unnamed", "pronoun"):
                continue
            if _POSSESSIVE_BEFORE_QUOTE_RE.fullmatch(self.mask, mention.end, quote.open_at):
                after = _WORDS_AFTER_QUOTE_RE.match(self.mask, quote.close_at)
                if after and {w.lower() for w in after.group(1).split()} & UTTERANCE_NOUNS:
                    return mention
                continue
            owned = POSSESSIVE_RE.match(self.mask, mention.end, quote.open_at)
            if owned is None:
                continue
            noun = next(
                (
                    word
                    for word in _WORD_RE.finditer(self.mask, owned.start(1), owned.end(1))
                    if word.group().lower() in UTTERANCE_NOUNS
                ),
                None,
            )
            if noun is None:
                continue
            noun_end = noun.end()  # the word's own end ("post", not "post" inside "reposted")
            if _UTTERANCE_TO_QUOTE_RE.fullmatch(self.mask, noun_end, quote.open_at):
                return mention
            if self.mask.startswith(",", noun_end) and _OPENING_POSSESSOR_RE.fullmatch(
                self.mask, start, mention.start
            ):
                return mention
        return None

    def before(self, quote: QuoteSpan) -> Mention | None:
        """Nearest speech cue with an agent earlier in the quote's sentence."""
        return self._last_cue(self.sentence_of(quote.open_at)[0], quote.open_at)

    def introduced(self, quote: QuoteSpan) -> Mention | None:
        """For a quote opening its paragraph, the speaker the paragraph before introduces
        with a colon ("Cruz continued:", "Stated Stone:", "Reporter Jane Roe says:"): the
        agent of its last sentence's speech cue, else that sentence's subject."""
        index = bisect.bisect_right(self.sentence_starts, quote.open_at) - 1
        if index < 1 or self.sentences[index][0] < quote.open_at - 1:
            return None  # not the first sentence of its paragraph
        start, end = self.sentences[index - 1]
        colon = self.mask.rfind(":", start, end)
        if (
            colon < 0
            or self.mask[colon + 1 : quote.open_at].strip()
            or ("\n" not in self.mask[end : quote.open_at])
        ):
            return None
        return self._source_of(start, colon)

    def _source_of(self, start: int, end: int) -> Mention | None:
        """Who a sentence (up to ``end``) makes the source of what follows: the agent of
        its last speech cue, else its subject."""
        return (
            self._last_cue(start, end)
            or self._subject_at(start, end)
            or self.clause_subject(start, end)
        )

    def paragraph_before(self, quote: QuoteSpan) -> Mention | None:
        """For a paragraph that is only a quote, the source the paragraph right before
        ends on ("Howard continued his remarks." then "“Eight years ago ...”")."""
        index = bisect.bisect_right(self.sentence_starts, quote.open_at) - 1
        if index < 1 or self.sentences[index][0] < quote.open_at - 1:
            return None
        line_end = self.mask.find("\n", quote.close_at)
        rest = self.mask[quote.close_at + 1 : line_end if line_end >= 0 else len(self.mask)]
        if rest.strip(' .,;:!?\x1a"\u201d'):
            return None
        start, end = self.sentences[index - 1]
        if self.mask[end : quote.open_at].strip():
            return None
        return self._source_of(start, end)

    def later(self, quote: QuoteSpan) -> Mention | None:
        """First speech cue with an agent later in the quote's sentence."""
        sentence_end = self.sentence_of(quote.open_at)[1]
        agent, agent_at = None, None
        for mention in self._mentions_between(quote.close_at, sentence_end):
            cue_at = self._speaks(mention)
            if cue_at is None:
                continue
            if agent is None:
                agent, agent_at = mention, cue_at
            elif cue_at == agent_at and self._names_the_agent(mention):
                agent = mention
            elif mention.start >= agent_at:
                break
        return agent

    def names_nobody_before(self, quote: QuoteSpan) -> bool:
        """Whether the quote's sentence names nobody before it (no name, pronoun or
        unnamed speaker)."""
        start = self.sentence_of(quote.open_at)[0]
        return not self._mentions_between(start, quote.open_at)

    def thing_text_before(self, quote: QuoteSpan) -> bool:
        """Whether a verb by which a thing shows words comes right before the quote ("a
        banner read “...”"): the words are the thing's, not the last speaker's."""
        start = self.sentence_of(quote.open_at)[0]
        return bool(_THING_TEXT_BEFORE_RE.search(self.mask, start, quote.open_at))

    def candidates(self, quote: QuoteSpan) -> tuple[str, ...]:
        """The people a reader could take for the speaker: everyone mentioned from the
        sentence before the quote's to the end of its own (names as resolved, else as
        written)."""
        index = max(0, bisect.bisect_right(self.sentence_starts, quote.open_at) - 2)
        start = self.sentences[index][0] if self.sentences else 0
        end = self.sentence_of(quote.close_at)[1]
        names = []
        for mention in self._mentions_between(start, max(end, quote.close_at + 1)):
            if mention.person is not None:
                names.append(mention.person.name)
            elif mention.kind != "unnamed":
                names.append(mention.written)
        return tuple(dict.fromkeys(names))

    def _subject_at(self, start: int, end: int) -> Mention | None:
        """The person mention opening the sentence at ``start`` (its subject), if any."""
        while start < end and self.mask[start] in ' "\u201c\u201d':
            start += 1
        index = bisect.bisect_left(self.starts, start)
        if index < len(self.mentions) and self.mentions[index].start == start:
            mention = self.mentions[index]
            if mention.end <= end and not self._possessor(mention):
                return self._modified(mention, end)
        return None

    def _possessor(self, mention: Mention) -> bool:
        """A possessor that is not a speaker: "Clinton's aides", but not "Merz's promise"."""
        match = POSSESSIVE_RE.match(self.mask, mention.end)
        return match is not None and not (
            {word.lower() for word in match.group(1).split()} & UTTERANCE_NOUNS
        )

    def clause_subject(self, start: int, limit: int) -> Mention | None:
        """The first person named in ``[start, limit)`` (a sentence up to its quote) who is
        not a possessor or in a prepositional phrase ("Last year, Fiorina routinely called
        herself a “change warrior”"; not "with Clinton", not "Clinton's aides"), past an
        opening clause ("When told Perez was in the Cabinet, Bush thought ... and said
        “...”" is Bush's), else in it."""
        opening = _OPENING_CLAUSE_RE.match(self.mask, start, limit)
        if opening is not None:
            subject = self._first_subject(opening.end(), limit)
            if subject is not None:
                return subject
        return self._first_subject(start, limit)

    def _first_subject(self, start: int, limit: int) -> Mention | None:
        for mention in self._mentions_between(start, limit):
            if mention.person is None or self._possessor(mention):
                continue
            if PREPOSITION_BEFORE_RE.search(
                self.mask, max(start, mention.start - 12), mention.start
            ):
                continue
            return self._modified(mention, limit)
        return None

    def _modified(self, mention: Mention, limit: int) -> Mention:
        """The name a subject modifies, if any: "Clinton campaign manager Robby Mook
        released a memo" is Mook's sentence, not Clinton's."""
        index = bisect.bisect_right(self.starts, mention.start)
        if index < len(self.mentions):
            head = self.mentions[index]
            between = self.mask[mention.end : head.start]
            if (
                head.start < limit
                and head.person is not None
                and len(between) <= 60
                and _MODIFIER_RE.fullmatch(between)
                and not _NOT_MODIFIER_RE.search(between)
            ):
                return head
        return mention

    def sentence_subject(self, quote: QuoteSpan) -> Mention | None:
        """Speaker of a quote with no speech cue: the person subject of its own sentence
        ("He had a message: “...”"), or, for a quote opening its sentence, of the sentence
        right before it in the same paragraph."""
        start = self.sentence_of(quote.open_at)[0]
        own = self._subject_at(start, quote.open_at) or self.clause_subject(start, quote.open_at)
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
    if mention is None:
        return None, None
    return mention.person, mention.written if mention.kind != "unnamed" else None


@dataclass
class _Draft:
    quote: QuoteSpan
    person: Person | None
    written: str | None
    partial: bool
    sentence_initial: bool
    # The text gives a speaker it does not name ("a spokeswoman said") or cannot resolve
    # (an ambiguous "Johnson"): neither the previous speaker nor the subject takes over.
    unnamed: bool = False
    cue: str | None = None  # the rule that found the source (see CUE_RULES)


# The cue rules, in the order they are tried; a quote's ``cue`` names the one that found it.
CUE_RULES = {
    "after": 'an attribution right after the quote ("..., Rutte said", "said Rutte")',
    "before": 'a speech cue with its agent earlier in the sentence ("Rutte said: ...")',
    "later": "a speech cue with its agent later in the sentence",
    "possessive": 'the owner of an utterance noun giving the quote ("In Roe\'s words, ...")',
    "claimant": 'a fact-check\'s claimant line under the quote ("Who said it: ...")',
    "signature": 'a signature line under the quote ("— Bernie Sanders")',
    "introduced": 'a paragraph ending in a colon before the quote\'s ("Cruz continued:")',
    "continued": "the speaker of the paragraph the quote runs on into",
    "carried": "the speaker of the previous quote of the paragraph",
    "subject": "the person subject of the sentence, or of the one before (no speech verb)",
    "paragraph": "for a paragraph that is only a quote, the source of the paragraph before",
    "repeated": "the source of the same words quoted elsewhere in the article with a cue",
    "ranked": "the learned speaker ranker's pick (speaker_ranker.py; off in the shipped model)",
}


def _first_cue(att: _Attributor, quote: QuoteSpan) -> tuple[Mention | None, str | None]:
    # A quote that closes its sentence with a full stop belongs to the speech cue before
    # it ("X said the deal showed “...”."), not to the next sentence's subject.
    closes = att.mask[quote.start : quote.close_at].rstrip().endswith(".")
    rules = [("before", att.before)] if closes else []
    rules += [("after", att.right_after), ("before", att.before), ("later", att.later)]
    rules += [("possessive", att.possessor)]
    rules += [("claimant", att.claimant), ("signature", att.signature)]
    rules += [("introduced", att.introduced)]
    for name, rule in rules:
        mention = rule(quote)
        if mention is not None:
            return mention, name
    return None, None


def _attribute(text: str, quotes: list[QuoteSpan], att: _Attributor) -> list[_Draft]:
    drafts: list[_Draft] = []
    previous: QuoteSpan | None = None
    for quote in quotes:
        initial = att.starts_sentence(quote, previous)
        partial = not (initial and att.ends_sentence(text, quote))
        mention, cue = _first_cue(att, quote)
        person, written = _speaker_fields(mention)
        unnamed = mention is not None and mention.person is None
        drafts.append(_Draft(quote, person, written, partial, initial, unnamed, cue))
        previous = quote
    _carry_speakers(text, drafts, att)
    for draft in drafts:
        if draft.person is None and not draft.unnamed:
            for name, rule in (
                ("subject", att.sentence_subject),
                ("paragraph", att.paragraph_before),
            ):
                source = rule(draft.quote)
                if source is not None:
                    draft.person, draft.written = _speaker_fields(source)
                    draft.unnamed = source.person is None
                    draft.cue = name
                    break
    # Quotes that follow a quote whose speaker only these last rules found go on with it.
    _carry_speakers(text, drafts, att)
    _repeated_quotes(text, drafts)
    return drafts


def _quote_words(text: str, quote: QuoteSpan) -> str:
    """A quote's words, case and punctuation aside, to recognise it where it is repeated."""
    return " ".join(_WORD_ONLY_RE.findall(text[quote.start : quote.end].casefold()))


def _repeated_quotes(text: str, drafts: list[_Draft]) -> None:
    """A quote that nothing attributes, repeated word for word where a cue gives its source
    (a headline quoting the body, "Roe Says Trump ‘Makes You Want To Retch’", and the
    body's '... Roe said, noting that Trump “makes you want to retch.”'), takes that
    source: the same words, the same speaker."""
    sources: dict[str, _Draft] = {}
    for draft in drafts:
        if draft.cue is not None and not draft.unnamed and draft.person is not None:
            sources.setdefault(_quote_words(text, draft.quote), draft)
    if not sources:
        return
    for draft in drafts:
        if draft.cue is None and not draft.unnamed:
            words = _quote_words(text, draft.quote)
            source = sources.get(words) if len(words.split()) >= 3 else None
            if source is not None:
                draft.person, draft.written = source.person, source.written
                draft.cue = "repeated"


def _carry_speakers(text: str, drafts: list[_Draft], att: _Attributor) -> None:
    for index in range(len(drafts) - 2, -1, -1):
        draft, following = drafts[index], drafts[index + 1]
        if draft.quote.continues and draft.person is None and not draft.unnamed:
            draft.person, draft.written = following.person, following.written
            draft.unnamed = following.unnamed
            draft.cue = "continued" if following.cue else None
    for index, draft in enumerate(drafts[1:], start=1):
        previous = drafts[index - 1]
        if draft.person is not None or draft.unnamed:
            continue
        if previous.person is None:
            continue
        gap = att.mask[previous.quote.close_at + 1 : draft.quote.open_at]
        same_paragraph = "\n" not in gap
        if not draft.sentence_initial:
            # A quote inside a sentence that names nobody and has no speech cue goes on
            # with the paragraph's previous speaker ('“...,” Roe said. But that is not the
            # same as “...”').
            if (
                same_paragraph
                and draft.cue is None
                and att.names_nobody_before(draft.quote)
                and not att.thing_text_before(draft.quote)
            ):
                draft.person, draft.written = previous.person, previous.written
                draft.cue = "carried"
            continue
        quote_only_paragraph = gap.strip(" ,.\n") == "" and previous.quote.continues
        # A paragraph that opens with a quote and names nobody goes on with the speaker
        # of the quote that ended the paragraph before ('..., Carter said.' then '“The
        # United States will remain ...”').
        _, _, opening = gap.partition("\n")
        next_paragraph = "\n" in gap and not opening.strip() and draft.cue is None
        if same_paragraph and draft.cue is None and not att.names_nobody_before(draft.quote):
            continue  # 'Roe resisted: “...”': the sentence's own subject, not the last speaker
        if same_paragraph or quote_only_paragraph or next_paragraph:
            draft.person, draft.written = previous.person, previous.written
            draft.cue = "carried"


def rule_drafts(
    text: str, gazetteer: Gazetteer
) -> tuple[list[_Draft], _Attributor, str, list[QuoteSpan]]:
    """Every quote with the speaker and cue the rules give it (before the speaker ranker),
    the attributor that found them, the masked text and the quote spans: the first half of
    :func:`extract_statements`, shared with the ranker's training
    (``scripts/train_speaker_ranker.py``)."""
    quotes = find_quote_spans(text)
    mask = mask_quotes(text, quotes)
    sentences = sentence_spans(mask)
    mentions, _ = find_mentions(mask, gazetteer, sentences, text)
    attributor = _Attributor(mask, mentions, sentences)
    return _attribute(text, quotes, attributor), attributor, mask, quotes


def extract_statements(
    text: str, gazetteer: Gazetteer
) -> tuple[list[Statement], tuple[SpeakerMention, ...], str, list[QuoteSpan]]:
    """Statements of 3+ words, the speakers quoted, the masked text and all quote spans."""
    drafts, attributor, mask, quotes = rule_drafts(text, gazetteer)
    rank_speakers(drafts, attributor, paragraph_spans(mask))
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
                speaker_as_written=draft.written,
                speaker_role=person.role if person else None,
                partial=draft.partial,
                start=start,
                end=end,
                cue=draft.cue,
                candidates=tuple(
                    dict.fromkeys(
                        [*attributor.candidates(draft.quote), *([person.name] if person else [])]
                    )
                ),
            )
        )
    people = tuple(
        SpeakerMention(p.name, p.role, tuple(sorted(p.aliases)), p.known) for p in speakers.values()
    )
    return statements, people, mask, quotes
