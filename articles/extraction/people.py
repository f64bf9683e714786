"""Person mentions outside quotations and their resolution to one speaker per person.

A mention is a name ("NATO Secretary General Mark Rutte", "Rutte"), a pronoun ("he",
"she") or a definite description ("the NATO chief"). Names resolve to a full name
introduced earlier in the article or to a known speaker of the gazetteer; pronouns
resolve to the current topic person (the latest person seen as a sentence subject);
descriptions resolve to the person whose role shares their words.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

from . import lexicon
from .gazetteer import Gazetteer, fold
from .lexicon import (
    INVERTED_SPEECH_VERB,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    SPEECH_VERB,
    TITLES,
    UNNAMED_SPEAKER_NOUNS,
    alternation,
)
from .lexicon import _words as _words_of
from .text import paragraph_spans

_TITLE_WORDS = lexicon.prefix_tree(TITLES)
# The last word of an abbreviated title ("Gov" of "Gov.", "Gen" of "Lt. Gen."): a capitalised
# run ending in it, before its full stop, is a role ("Pennsylvania Gov."), not a name.
_TITLE_ABBREVIATIONS = frozenset(title.split()[-1][:-1] for title in TITLES if title.endswith("."))
ROLE_WORDS = lexicon.ROLE_WORDS
NOT_NAMES = lexicon.NOT_NAMES
ORGANISATION_WORD = regex.compile(rf"(?:{alternation(ORGANISATION_WORDS)})")
# An accented letter of a text decoded with the wrong encoding (UTF-8 read as Latin-1, once
# or twice: "FranÃ§ois", "PeÃ±a", "JesÃ\x83Âºs"; "Ã" and "Â" composed or decomposed): a
# lower-case letter of the name.
_MISDECODED_LETTER = r"(?:(?:[\u00c2\u00c3]|A[\u0302\u0303])[\u0080-\u00bf]?)"
# A capitalised word of a name, with an inner capital after a short prefix ("DeSantis",
# "LeVell", "McCain", "VanderSloot", "O'Rourke") and hyphenated parts.
_NAME_TOKEN = (
    rf"(?:Mc|Mac|O['\u2019])?\p{{Lu}}(?:\p{{Ll}}|{_MISDECODED_LETTER})+(?:\p{{Lu}}\p{{Ll}}{{2,}})?"
    r"(?:-\p{Lu}\p{Ll}+|['\u2019]\p{Lu}\p{Ll}+)*(?![\p{L}\d-])"
)
_PARTICLE = r"(?:von|van|der|den|de|da|di|du|del|della|la|le|ten|ter|bin|al|el)"
# Initials before a name: "JD Vance", "J.D. Vance", "J. D. Vance".
_INITIALS = r"(?:\p{Lu}\.[ ]?\p{Lu}\.[ ]|\p{Lu}\.[ ]|\p{Lu}{2}[ ])"
NAME = (
    rf"{_INITIALS}?{_NAME_TOKEN}"
    rf"(?:[ ](?:\p{{Lu}}\.[ ])?(?:{_PARTICLE}[ ]){{0,2}}{_NAME_TOKEN}){{0,3}}"
)
_ROLE_TOKEN = (
    r"(?:\p{Lu}[\p{L}.\u2019'\-]*|of|for|the|and|on|defen[cs]e|foreign|finance|prime|vice|"
    r"deputy|military|armed|forces|affairs|security|economy|interior|top|senior|chief)"
)
TITLED_NAME_RE = regex.compile(
    rf"(?<![\p{{L}}.])(?P<title>(?:{_TITLE_WORDS})(?:[ ](?:of|for)[ ](?:the[ ])?"
    rf"\p{{Lu}}\p{{L}}+(?:[ ](?:and[ ])?\p{{Lu}}\p{{L}}+)??)??)(?P<sep>,)?[ ](?P<name>{NAME})"
    rf"(?(sep)(?=,))"
)
ROLE_PREFIX_RE = regex.compile(
    rf"(?:(?:former|acting|then|deputy|outgoing|incoming|new|top|senior)[ -])?"
    rf"(?:{_ROLE_TOKEN}[ ]){{0,6}}$"
)
SENTENCE_STOP_RE = regex.compile(r"(?<!\b\p{Lu})[.!?][\"\u201d\x1a]*[ ]+")
# A run of up to six capitalised words: role words before a name are cut off afterwards
# ("Republican Presidential Candidate Donald Trump"), so the surname is not split from it.
BARE_NAME_RE = regex.compile(
    rf"(?<![\p{{L}}\d.\u2019'-]){_INITIALS}?{_NAME_TOKEN}"
    rf"(?:[ ](?:\p{{Lu}}\.[ ])?(?:{_PARTICLE}[ ]){{0,2}}{_NAME_TOKEN}){{0,5}}"
)
# The most capitalised words a name keeps, initials aside ("Jorge Antonio Villasenor
# Llamas"); words before them are a role or a place.
MAX_NAME_WORDS = 4
_INITIAL_RE = regex.compile(r"\p{Lu}\.")
PRONOUN_RE = regex.compile(r"\b(?:he|she|He|She)\b")


def _description_title(title: str) -> str:
    """A title of :data:`~.lexicon.DESCRIPTION_TITLES` as a description writes it."""
    if title not in lexicon.DESCRIPTION_TITLES_CAPITALISED:
        written = regex.escape(title).replace(r"\ ", "[ ]")
    else:
        written = "[ -]".join(f"[{w[0]}{w[0].upper()}]{regex.escape(w[1:])}" for w in title.split())
    if title == "general":
        written += rf"(?![ ](?:{alternation(lexicon.GENERAL_NOT_TITLE)}))"
    return written


DESCRIPTION_RE = regex.compile(
    r"\b(?:the|The)[ ](?P<words>(?:(?:former|outgoing|new|top|alliance['\u2019]s|NATO|U\.S\.|US|"
    r"\p{Lu}\p{Ll}+|defen[cs]e|foreign|prime|military)[ ]){0,3}"
    rf"(?:{'|'.join(map(_description_title, lexicon.DESCRIPTION_TITLES))}))\b"
)
SPEECH_VERB_RE = regex.compile(rf"\b{SPEECH_VERB}")
ADVERBS = (
    r"(?:[ ](?:also|later|then|again|further|previously|recently|once|has|had|have|would|will|"
    r"was|is|who|likes[ ]to|liked[ ]to|like[ ]to|used[ ]to|tends[ ]to|tended[ ]to|\p{Ll}+ly))"
)
# An optional appositive may stand between the agent and the verb ("Rutte, the NATO chief, said"),
# in up to four parts ("Dean Roe, a plumber from Dillon, South Carolina, says", "Harry Vole,
# 30, of Durham, N.C., who was polled, said").
# "Trump's said" is "Trump has said"; "Clinton's remarks" is a noun, not the verb "remarks".
# A suffix and a party label may follow the name ("Brent Bozell III", "Jane Roe (D-Ore.)"), and
# an organisation ("Jane Roe of the Center for Arms Control in Washington said").
# A part of an appositive holding a quotation, as the masked text has it, within its sentence
# ("Bill Roe, wearing “Vote Roe” pins, said").
_QUOTING_PART = r"[ ](?:[^,;.\n\x1a\"\u201c\u201d]|[\"\u201c]\x1a+[\"\u201d]){1,100}?,"
# An appositive the writer did not close with a comma before the verb ("Jane Roe, the
# pollster who founded roepolls.com tweeted", "Jane Roe, who chairs Better Roads said").
# Its relative clause has no subject of its own ("who Beck called", "who he noted") and it
# opens no other clause ("who forced me to ... when she called him").
_UNCLOSED_APPOSITIVE = (
    r",[ ](?:who[ ](?=\p{Ll})(?!(?:he|she|they|we|you|it)\b)|the[ ]|a[ ]|an[ ])"
    r"(?:(?!\b(?:when|while|because|after|before|that|if|as|and|but|or)\b)"
    r"(?:[^,;.\n\x1a\"\u201c\u201d]|\.(?=\S))){1,80}?"
    rf"(?={ADVERBS}{{0,2}}[ ]{SPEECH_VERB})"
)
AFTER_AGENT_RE = regex.compile(
    r"(?:,?[ ](?:Jr\.|Sr\.|II|III|IV)(?![\p{L}]))?(?:[ ]\([^()\n]{1,30}\))?"
    rf"(?:['\u2019]s(?![ ]\p{{Ll}}+s\b))?"
    rf"(?:[ ]of[ ](?:the[ ])?\p{{Lu}}[\p{{L}}-]*"
    rf"(?:[ ](?:(?:of|for|on|in|and|the)[ ]){{0,2}}\p{{Lu}}[\p{{L}}-]*){{0,7}}(?=[ ,]))?"
    rf"(?:,(?:[ ][^,;\n\x1a\"\u201c\u201d]{{1,100}}?,|{_QUOTING_PART}){{0,4}}(?=[ ]\p{{Ll}})|"
    rf"{_UNCLOSED_APPOSITIVE})?"
    r"(?:[ ]\p{Ll}+\b[^,;.\n\x1a\"\u201c\u201d]{0,60}?,(?=[ ]\p{Ll}+ing\b))?"
    r"(?:[ ]\p{Ll}+ed\b[^,;.\n\x1a\"\u201c\u201d]{0,50}?[ ](?:but|and))?"
    rf"{ADVERBS}{{0,2}}[ ]{SPEECH_VERB}"
)
# A fact-check's claimant line ("Who said it: Senator X") names the speaker of the claim above.
CLAIMANT_LABEL = (
    r"(?:^|\n)(?i:who[ ](?:said|made|posted)[ ]it|(?:said|claimed|made)[ ]by|claimant):"
)
CLAIMANT_LINE_RE = regex.compile(rf"[\s.,!?\x1a\"\u201d]*{CLAIMANT_LABEL}[ ]")
# A passive speech verb names its speaker after "by" ("Roe was asked by radio host Jane Doe,
# “…”", "by Fox Business moderator Jane Doe").
PASSIVE_SPEECH = rf"(?:{alternation(lexicon.PASSIVE_SPEECH_VERBS)})"
# A text and the "by" or "from" that names its source, past a participle and up to three
# role words ("a statement from Jane Roe", "an email sent out by Roe", "a document filed by
# state attorney Jane Roe").
SOURCED_TEXT = (
    rf"\b(?:{alternation(lexicon.SOURCED_TEXT_NOUNS)})"
    rf"(?:[ ](?:{alternation(lexicon.TEXT_PARTICIPLES)}))?[ ](?:by|from)"
    r"(?:[ ](?!by\b|from\b)\p{Ll}[\p{L}'\u2019.-]*){0,3}"
)
VERB_BEFORE_AGENT_RE = regex.compile(rf"\b{INVERTED_SPEECH_VERB}[ ]$")
# What names the speaker after it: an inverted speech verb ("said Roe"), "according to Roe",
# "per Roe", a text's source, a passive speech verb's "by", a claimant label.
BEFORE_AGENT_RE = regex.compile(
    rf"(?:\b{INVERTED_SPEECH_VERB}|\b(?i:according)[ ]to|\bper|{SOURCED_TEXT}|"
    rf"\b(?:was|were|is|are|been|being)[ ]{PASSIVE_SPEECH}[ ]by(?:[ ][\p{{L}}'\u2019.-]+){{0,3}}|"
    rf"{CLAIMANT_LABEL})[ ]$"
)
# What may follow a speaker named after the verb ("..., said Rutte." / "said Rutte on
# Tuesday" / "according to Rutte, ..." / "comments by Rutte that ..."): the end of the
# clause, a name's next word, a preposition or "that". A verb or a possessive there makes
# the name the subject or owner of the reported clause, not the speaker ("Pataki says
# Kasich has a record", "said Obama's words").
INVERTED_AGENT_END_RE = regex.compile(
    r"(?:[ ]?[,.;:!?)(\[\n\u2014\u2013-]|\Z|[ ]\p{Lu}|[ ](?:in|at|on|during|of|from|after|"
    r"before|when|while|who|whose|last|this|earlier|later|to|as|about|with|via|through|"
    r"since|following|amid|told|that|whether|today|yesterday|tonight|recently)\b)"
)
# Words of a description and the titles that give them ("the senator" is "Sen. Jane Roe").
_SYNONYMS = {
    "chief": {"secretary", "general", "chief", "head"},
    "premier": {"prime", "minister"},
    "senator": {"senator", "sen."},
    "governor": {"governor", "gov."},
    "congressman": {"congressman", "representative", "rep."},
    "congresswoman": {"congresswoman", "representative", "rep."},
    "general": {"general", "gen."},
    "admiral": {"admiral", "adm."},
}
# Titles anyone may hold: they do not tell two people of one surname apart.
_HONORIFICS = {fold(honorific).rstrip(".") for honorific in lexicon.HONORIFICS}
_STOP_ROLE_WORDS = {"the", "former", "new", "top", "outgoing", "of", "for", "and", "alliance's"}


@dataclass
class Person:
    """A person of one article."""

    name: str
    role: str | None = None
    known: bool = False
    aliases: set[str] = field(default_factory=set)
    gazetteer_role: str = ""


def gender_of(person: Person) -> str | None:
    """ "f" or "m" when a title or role word ("Mrs.", "spokeswoman") or the given name
    ("Mary", "Tom") tells it, else None (agrees with "he" and "she" alike)."""
    words = set(fold(f"{person.role or ''} {person.gazetteer_role}").split())
    if words & lexicon.FEMALE_WORDS:
        return "f"
    if words & lexicon.MALE_WORDS:
        return "m"
    given = person.name.split()[0] if " " in person.name else ""
    if given in lexicon.FEMALE_GIVEN_NAMES:
        return "f"
    if given in lexicon.MALE_GIVEN_NAMES:
        return "m"
    return None


_PRONOUN_GENDER = {"he": "m", "she": "f"}


def agrees(person: Person, pronoun: str) -> bool:
    """Whether "he" or "she" may refer to the person (an unknown gender agrees with both)."""
    gender = gender_of(person)
    return gender is None or gender == _PRONOUN_GENDER[pronoun.lower()]


@dataclass
class Mention:
    """A mention of a person in the quote-masked text."""

    start: int
    end: int
    kind: str
    written: str
    name: str = ""
    role: str | None = None
    person: Person | None = None


_DOUBLED_LETTER_RE = regex.compile(r"(\p{L})\1")


def same_person(first: str, second: str) -> bool:
    """Whether two full names with one surname can name one person: one ends the other
    ("Leo Butz", "Norbert Leo Butz"), they share a first name ("Anne Murphy", "Anne Marie
    Murphy"), one first name is the short form of the other ("Ken Starr", "Kenneth Starr",
    "Tom Perez", "Thomas Perez"), one is spelled with a doubled letter ("Hilary", "Hillary"),
    or they share the name before the surname after different title words ("DJ Beverly
    Bond", "Founder Beverly Bond")."""
    a, b = fold(first).split(), fold(second).split()
    short, long_ = sorted((a, b), key=len)
    if long_[-len(short) :] == short or a[0] == b[0]:
        return True
    if len(a[0]) >= 3 and len(b[0]) >= 3 and (a[0].startswith(b[0]) or b[0].startswith(a[0])):
        return True
    if lexicon.NICKNAMES.get(a[0], a[0]) == lexicon.NICKNAMES.get(b[0], b[0]):
        return True  # "Tom Perez", "Thomas Perez"
    if _DOUBLED_LETTER_RE.sub(r"\1", a[0]) == _DOUBLED_LETTER_RE.sub(r"\1", b[0]):
        return True  # a spelling of one name: "Hilary Clinton", "Hillary Clinton"
    return len(a) > 2 and len(b) > 2 and a[-2] == b[-2]


# How far back (in characters of the reporter's text, quotations left out) a person named,
# or referred to by "he", "she" or a description ("the senator"), makes a shared surname theirs.
AMBIGUITY_WINDOW = 400
_MASKED_RUN_RE = regex.compile("\x1a+")


class PersonIndex:
    """The article's chain of people, resolved in reading order.

    Full names are indexed by their folded form and by surname, so that a lookup costs
    the same however many people the article names. A surname shared by two people of the
    chain ("Boris Johnson", "Mike Johnson") is ambiguous: it resolves to the one of them
    named, or referred to by a pronoun or a description, in the last
    :data:`AMBIGUITY_WINDOW` characters of the reporter's text ("Bill Clinton spoke first.
    Clinton said ..."; the quotations between do not count), and otherwise to nobody, left
    for the editor.
    """

    def __init__(self, gazetteer: Gazetteer, mask: str = "") -> None:
        self.gazetteer = gazetteer
        # Where the masked quotations start and how many masked characters come before
        # each: the window counts the reporter's words only, not the quotes between.
        self._masked_starts: list[int] = []
        self._masked_before: list[int] = [0]
        for run in _MASKED_RUN_RE.finditer(mask):
            self._masked_starts.append(run.start())
            self._masked_before.append(self._masked_before[-1] + len(run.group()))
        self.people: list[Person] = []
        self._by_name: dict[str, Person] = {}
        self._by_surname_key: dict[str, list[Person]] = {}
        self.last_seen: dict[int, int] = {}  # id(person) -> position of its latest mention

    def seen(self, person: Person, position: int) -> None:
        """Record a mention of ``person`` at ``position`` (what makes a person salient)."""
        self.last_seen[id(person)] = position

    def _register(self, person: Person) -> Person:
        self.people.append(person)
        self._by_name.setdefault(fold(person.name), person)
        self._index_surname(person, person.name.split()[-1])
        return person

    def _index_surname(self, person: Person, token: str) -> None:
        bucket = self._by_surname_key.setdefault(fold(token), [])
        if person not in bucket:
            bucket.append(person)

    def _known(self, name: str) -> Person | None:
        speaker = self.gazetteer.speaker_named(name)
        if speaker is None:
            return None
        person = self._by_name.get(fold(speaker.name))
        if person is not None:
            return person
        return self._register(Person(speaker.name, known=True, gazetteer_role=speaker.role))

    def is_ambiguous(self, token: str) -> bool:
        """Whether two different people of the chain share this surname ("Leo Butz" and
        "Norbert Leo Butz" are one person, "Bill Clinton" and "Hillary Clinton" two)."""
        full = [p for p in self._by_surname_key.get(fold(token), []) if " " in p.name]
        return any(not same_person(a.name, b.name) for a in full for b in full)

    def _salient(self, token: str, position: int | None) -> Person | None:
        """Of the people sharing a surname, the one named just before ``position``."""
        if position is None:
            return None
        bucket = self._by_surname_key.get(fold(token), [])
        seen = [(self.last_seen.get(id(p), -1), id(p), p) for p in bucket if " " in p.name]
        latest, _, person = max(seen)
        if latest < 0 or position < latest:
            return None
        return person if self._narration(latest, position) <= AMBIGUITY_WINDOW else None

    def _narration(self, start: int, end: int) -> int:
        """Characters of ``[start, end)`` outside quotations (a quote starting in the range
        counts whole: quotes end before the next mention)."""
        first = bisect.bisect_left(self._masked_starts, start)
        last = bisect.bisect_left(self._masked_starts, end)
        return end - start - (self._masked_before[last] - self._masked_before[first])

    def _by_surname(self, token: str) -> Person | None:
        bucket = self._by_surname_key.get(fold(token), [])
        if not bucket:
            return None
        full = [p for p in bucket if " " in p.name]
        return full[0] if full else bucket[-1]

    def _titled(self, token: str, role: str | None) -> Person | None:
        """Of the people sharing a surname, the one whose role holds the title written with
        it ("President Roe" when the chain has President Jane Roe and her son Eric Roe)."""
        if not role:
            return None
        title = {fold(word).rstrip(".") for word in role.split()} - _STOP_ROLE_WORDS - _HONORIFICS
        bucket = self._by_surname_key.get(fold(token), [])
        matching = [
            p
            for p in bucket
            if " " in p.name
            and title & {w.rstrip(".") for w in fold(f"{p.role or ''} {p.gazetteer_role}").split()}
        ]
        return matching[0] if len(matching) == 1 else None

    def resolve(
        self, name: str, *, create: bool, at: int | None = None, role: str | None = None
    ) -> Person | None:
        """The person a name written at ``at`` (with the title ``role``) refers to;
        ``create`` registers unknown names (never an ambiguous surname)."""
        tokens = name.split()
        if len(tokens) == 1:
            if self.is_ambiguous(name):
                return self._titled(name, role) or self._salient(name, at)
            person = self._by_surname(name) or self._known(name)
        else:
            person = self._known(name) or self._by_name.get(fold(name))
        if person is None and create:
            person = self._register(Person(name))
        if person is not None:
            person.aliases.add(name)
            if len(tokens) == 1:
                self._index_surname(person, name)
        return person

    def by_description(self, words: str, recent: list[Person]) -> Person | None:
        """The most recent person whose role shares words with a description."""
        wanted: set[str] = set()
        for word in fold(words).replace("-", " ").split():
            if word not in _STOP_ROLE_WORDS:
                wanted |= _SYNONYMS.get(word, {word})
        best, best_score = None, 0
        for person in reversed(recent):
            role_words = set(fold(f"{person.role or ''} {person.gazetteer_role}").split())
            score = len(wanted & role_words)
            if score > best_score:
                best, best_score = person, score
        return best


_NOT_ROLE_START = lexicon.NOT_ROLE_START


def _clean_role(role: str) -> str | None:
    tokens = role.split()
    while tokens and (tokens[0] in _NOT_ROLE_START or tokens[0].casefold() in {"the", "of", "and"}):
        tokens.pop(0)
    return " ".join(tokens) or None


def _is_name(name: str, gazetteer: Gazetteer) -> bool:
    tokens = [t for t in name.split() if t[0].isupper()]
    if not tokens or tokens[0] in NOT_NAMES or gazetteer.country_of(name):
        return False
    if name in lexicon.US_STATES:
        return False
    return not any(
        t in ROLE_WORDS
        or t in PLACE_WORDS
        or ORGANISATION_WORD.fullmatch(t)
        or gazetteer.country_of(t)
        for t in tokens
    )


@dataclass(frozen=True)
class NameMatch:
    """A capitalised name in the text, without the sentence words before it; ``run_start``
    is where its capitalised run starts when words of a role were cut off ("Chicago
    Alderman ..." before a long name)."""

    start: int
    end: int
    name: str
    run_start: int = -1

    @property
    def span_start(self) -> int:
        """Where the name and the role words written with it start."""
        return self.start if self.run_start < 0 else self.run_start


LOWER_WORD_RE = regex.compile(r"(?<![\p{L}\d])\p{Ll}[\p{L}'\u2019-]*")
# A capitalised word inside a sentence (after a lower-case word): part of a name or a title.
INNER_CAPITAL_RE = regex.compile(
    r"(?<=(?<![\p{L}\d'\u2019.-])\p{Ll}[\p{L}'\u2019-]*,?[ ])\p{Lu}\p{Ll}+(?![\p{L}\d])"
)


def _is_sentence_word(
    mask: str, start: int, word: str, lower_words: set[str], inner_capitals: set[str]
) -> bool:
    """A word opening a sentence that the article otherwise writes in lower case and never
    capitalised inside a sentence ("See Sexton's ...", "Though Kaine ..."), or an -ing word
    or a participle there ("Calling Baltic budgets ...", "Understated Perez raises ..."):
    not a first name."""
    before = mask[max(0, start - 5) : start].removesuffix("(")
    return (
        (
            word.lower() in lower_words
            or word.endswith("ing")
            or word.endswith(lexicon.PARTICIPLE_ENDINGS)
        )
        and word not in inner_capitals
        and bool(SENTENCE_START_BEFORE_RE.search(before))
    )


def _is_common_word(word: str, lower_words: set[str], inner_capitals: set[str]) -> bool:
    """A word after capitalised words that are not names ("Republican Donor Vance") that the
    article otherwise writes in lower case ("a top donor") and never capitalises after a
    lower-case word: a common noun of a headline or a role, not a first name."""
    return word.lower() in lower_words and word not in inner_capitals


# A town written with its US state ("Dayton, Ohio", "Durham, N.C."): a place, not a person.
_STATE_AFTER_RE = regex.compile(
    rf",[ ](?:{alternation(lexicon.US_STATES | lexicon.US_STATE_ABBREVIATIONS)})"
    r"(?=[,.;:!?)\n]|\Z)"
)


def _ends_in_title(mask: str, match: regex.Match, group: int | str = 0) -> bool:
    """A capitalised run ending in an abbreviated title ("Navy Capt.", "former Ohio Gov.
    and ...", "candidate Sen. Jane Roe"): the role of the name after it, not a name."""
    last = match.group(group).rsplit(" ", 1)[-1]
    return mask.startswith(".", match.end(group)) and last in _TITLE_ABBREVIATIONS


def _is_place_before_name(word: str, gazetteer: Gazetteer) -> bool:
    """A US state or a country (or its adjective) opening a capitalised run ("Wisconsin
    Trump rally", "French Le Pen voters"): a place, not a first name, unless it is also a
    given name ("Virginia Foxx", "Jordan Peterson")."""
    return (word in lexicon.US_STATES or gazetteer.country_of(word) is not None) and not (
        word in lexicon.FEMALE_GIVEN_NAMES or word in lexicon.MALE_GIVEN_NAMES
    )


def _leading_place_words(words: list[str], gazetteer: Gazetteer) -> int:
    """How many words opening a run name a US state or a country: one ("Wisconsin Trump"),
    two ("New Hampshire Sanders", "South Carolina Trump") or none."""
    if len(words) > 2 and " ".join(words[:2]) in lexicon.US_STATES:
        return 2
    return 1 if _is_place_before_name(words[0], gazetteer) else 0


def _speaks_at(mask: str, start: int, end: int) -> bool:
    """Whether the words at ``[start, end)`` are the agent of a finite speech verb right
    after ("From said", not "on Facebook writing") or of one right before ("said From")."""
    after = AFTER_AGENT_RE.match(mask, end, end + 160)
    return bool(
        (after and not after.group().endswith("ing"))
        or BEFORE_AGENT_RE.search(mask, max(0, start - 40), start)
    )


def find_names(mask: str, gazetteer: Gazetteer, lower_words: set[str]) -> list[NameMatch]:
    """Every name the text writes ("Then Trump" gives "Trump", "Sir Ed Davey" "Ed Davey").
    A surname that is also a common word or a place ("Al From", "Steve Israel") is a name
    alone too where it has a speech verb of its own ("From said", "said Israel")."""
    names = []
    held: list[regex.Match] = []
    inner_capitals = set(INNER_CAPITAL_RE.findall(mask))
    for match in BARE_NAME_RE.finditer(mask):
        if (
            _ends_in_title(mask, match)
            or _STATE_AFTER_RE.match(mask, match.end())
            or _ORGANISATION_AFTER_RE.match(mask, match.end())
        ):
            continue
        start, words = match.start(), match.group().split(" ")
        place_start = -1
        while len(words) > 1:
            places = _leading_place_words(words, gazetteer)
            if places:
                if place_start < 0:
                    place_start = start  # written with the name: "said German Ortega"
            elif not (
                words[0] in NOT_NAMES
                or words[0] in ROLE_WORDS
                or words[0] in _TITLE_ABBREVIATIONS  # "Mr Farage", "Gov Fallin"
            ):
                break
            for _ in range(places or 1):
                start += len(words.pop(0)) + 1
        if len(words) > 1 and (
            _is_sentence_word(mask, start, words[0], lower_words, inner_capitals)
            or (start > match.start() and _is_common_word(words[0], lower_words, inner_capitals))
        ):
            start += len(words.pop(0)) + 1
        run_start = start if place_start < 0 else place_start
        while sum(not _INITIAL_RE.fullmatch(w) for w in words) > MAX_NAME_WORDS:
            start += len(words.pop(0)) + 1
        name = " ".join(words)
        if _is_name(name, gazetteer):
            names.append(NameMatch(start, match.end(), name, run_start))
        elif len(words) == 1:
            held.append(match)
    surnames = {n.name.rsplit(" ", 1)[-1] for n in names if " " in n.name}
    spoken = [
        NameMatch(m.start(), m.end(), m.group())
        for m in held
        if m.group() in surnames
        and m.group() not in lexicon.CALENDAR_WORDS  # "said Tuesday", not "Super Tuesday"
        and _speaks_at(mask, m.start(), m.end())
    ]
    return sorted(names + spoken, key=lambda n: n.start) if spoken else names


# A capitalised word right after a titled name: the name is part of a longer run ("the
# chairman of the Better Roads PAC"), an organisation's name, not a person's.
_CAPITAL_NEXT_RE = regex.compile(r"[ ]\p{Lu}")
# An organisation word in capitals after a run ("Better Roads PAC"): the run names it.
_ORGANISATION_AFTER_RE = regex.compile(rf"[ ](?:{ORGANISATION_WORD.pattern})(?![\p{{L}}\d])")


def _titled_mentions(mask: str, gazetteer: Gazetteer) -> list[Mention]:
    mentions = []
    position = 0
    while (match := TITLED_NAME_RE.search(mask, position)) is not None:
        name = match.group("name")
        if (
            not _is_name(name, gazetteer)
            or _ends_in_title(mask, match, "name")
            or _CAPITAL_NEXT_RE.match(mask, match.end())
        ):
            # "The host, Polish President Andrzej Duda,": look again inside the match.
            position = match.start("name")
            continue
        position = match.end()
        title_start = match.start("title")
        prefix = ROLE_PREFIX_RE.search(mask, max(0, title_start - 90), title_start)
        role_start = prefix.start() if prefix else title_start
        for stop in SENTENCE_STOP_RE.finditer(mask, role_start, title_start):
            role_start = stop.end()  # "... in June. Secretary General Mark Rutte"
        role = _clean_role(mask[role_start : match.end("title")])
        start = match.start("name") if role is None else match.end("title") - len(role)
        mentions.append(
            Mention(start, match.end(), "titled", mask[start : match.end()], name, role)
        )
    return mentions


def _inside_other_name(names: list[NameMatch], starts: list[int], start: int, end: int) -> bool:
    """Whether a known speaker's spelling ends a longer name that starts before it with a
    first name of its own: "Eric Trump" is not Donald Trump, whatever the surname shares."""
    index = bisect.bisect_right(starts, start) - 1
    if index < 0:
        return False
    name = names[index]
    return name.start < start and name.end >= end


def _bare_mentions(mask: str, gazetteer: Gazetteer, names: list[NameMatch]) -> list[Mention]:
    mentions = []
    name_starts = [n.start for n in names]
    for match in gazetteer.speaker_pattern.finditer(mask):
        if _inside_other_name(names, name_starts, match.start(), match.end()):
            continue
        mentions.append(Mention(match.start(), match.end(), "known", match.group(), match.group()))
    for match in names:
        name = match.name
        speaks_after = AFTER_AGENT_RE.match(mask, match.end, match.end + 160) or _is_speaker_label(
            mask, match
        )
        start = match.span_start
        # The pattern ends in a space (or a space and a line break): most names have none
        # before them worth searching.
        spaced = mask[max(0, start - 2) : start].rstrip("\n")[-1:] == " "
        speaks_before = spaced and BEFORE_AGENT_RE.search(mask, max(0, start - 40), start)
        if speaks_after or speaks_before:
            kind = "named" if len(name.split()) > 1 else "surname"
            mentions.append(Mention(start, match.end, kind, mask[start : match.end], name))
    return mentions


# Someone the text does not name ("a spokeswoman said", "an official ... put it"): a speaker
# of their own, so neither the previous speaker nor a pronoun's antecedent.
UNNAMED_AGENT_RE = regex.compile(
    r"\b(?i:an?|one|another|the|two|some|several)\s+(?:[\p{L}-]+\s+){0,3}?"
    rf"(?i:{'|'.join(UNNAMED_SPEAKER_NOUNS)})\b"
)
# An agent's clause up to its speech verb: "a senior diplomat from one of the Baltic states
# called", "a spokeswoman said".
UNNAMED_CLAUSE_RE = regex.compile(
    rf"(?:,[ ][^,;\n\x1a\"\u201c\u201d]{{1,100}}?,)?(?:[ ][^,;.\n\x1a\"\u201c\u201d]{{0,60}}?)??"
    rf"{ADVERBS}{{0,2}}[ ]{SPEECH_VERB}"
)
# A transcript label in capitals at a paragraph start: "CARNEY: ...", "JOHN HEALEY: ...".
CAPS_LABEL_RE = regex.compile(
    r"(?m)^(?P<name>\p{Lu}[\p{Lu}'\u2019.-]+(?:[ ]\p{Lu}[\p{Lu}'\u2019.-]+){0,3}):[ ]"
)
# Words of labels that are not people ("THE CLAIM:", "RATING:", "EDITOR'S NOTE:").
NOT_LABELS = lexicon.NOT_LABELS
# "By Boris Pistorius" in the first lines: the author an op-ed's "I told ..." refers to.
BYLINE_RE = regex.compile(rf"(?m)^[ ]*(?i:by)[ ]+(?P<name>{NAME})")
FIRST_PERSON_RE = regex.compile(r"\bI\b")
SENTENCE_START_BEFORE_RE = regex.compile(r"(?:\A|[.!?][\"\u201d\x1a]*[ ]+|\n[ ]*)\Z")


def _label_mentions(mask: str, gazetteer: Gazetteer) -> list[Mention]:
    mentions = []
    for match in CAPS_LABEL_RE.finditer(mask):
        written = match.group("name")
        if set(written.split()) & NOT_LABELS or len(written.replace(" ", "")) < 3:
            continue
        name = " ".join(part.capitalize() for part in written.split())
        if not _is_name(name, gazetteer):
            continue
        mentions.append(Mention(match.start(), match.end("name"), "label", written, name))
    return mentions


# A signature line under a quotation: "— Bernie Sanders", "- Sanders.", "― Jane Roe (@jroe)
# July 23, 2016".
SIGNATURE_RE = regex.compile(
    rf"(?m)^[ ]*[-\u2013\u2014\u2015]+[ ]*(?P<name>{NAME})(?![\p{{L}}])[^\n\x1a]{{0,80}}$"
)

# A signature on the quotation's own line, at the closing mark: after a dash, with a title,
# a handle or party (and a date) or a description at most, to the line's end ("“...” — Sen.
# Jane Roe (@jroe) May 3, 2016", "“...” - Jane Roe, on Twitter"), or in brackets ("“...”
# (Jane Roe, Monday)").
INLINE_SIGNATURE_RE = regex.compile(
    rf"(?m)[\"\u201d\u00bb][ .,;:!?]*(?:(?P<dash>[-\u2013\u2014\u2015]+)[ ]*|\()"
    rf"(?:(?:{_TITLE_WORDS})[ ])?(?P<name>{NAME})(?![\p{{L}}\d])"
    r"(?(dash)(?:[ ]?\([^()\n]{0,40}\)[^\n\x1a\"\u201c\u201d]{0,40}"
    r"|,[^\n\x1a\"\u201c\u201d]{0,80})?[ .]*$"
    r"|(?:,[^()\n\x1a]{0,60})?\))"
)


def _signature_mentions(mask: str, gazetteer: Gazetteer) -> list[Mention]:
    mentions = []
    for match in (*SIGNATURE_RE.finditer(mask), *INLINE_SIGNATURE_RE.finditer(mask)):
        name = match.group("name")
        if _is_name(name, gazetteer):
            mentions.append(
                Mention(match.start("name"), match.end("name"), "signature", name, name)
            )
    return mentions


def _unnamed_mentions(mask: str) -> list[Mention]:
    mentions = []
    for match in UNNAMED_AGENT_RE.finditer(mask):
        if UNNAMED_CLAUSE_RE.match(mask, match.end(), match.end() + 200):
            mentions.append(Mention(match.start(), match.end(), "unnamed", match.group()))
    return mentions


def _subject_mentions(mask: str, names: list[NameMatch]) -> list[Mention]:
    """Names opening a sentence without a speech verb ("Crosetto rejects that reading."):
    they change who "he" is once they name someone already known."""
    mentions = []
    for match in names:
        before = mask[max(0, match.start - 4) : match.start]
        if SENTENCE_START_BEFORE_RE.search(before):
            mentions.append(Mention(match.start, match.end, "subject", match.name, match.name))
    return mentions


def _is_lone_surname(lower_words: set[str], word: str) -> bool:
    """A capitalised word the article never writes in lower case ("Viguerie says"): a
    person named by surname only, not a common word opening a sentence."""
    return word.lower() not in lower_words


def _is_opening_adverb(mask: str, mention: Mention) -> bool:
    """A lone capitalised word opening its sentence before a comma ("Overnight, Trump
    ..."): an adverb, not a surname."""
    before = mask[max(0, mention.start - 4) : mention.start]
    return mask.startswith(",", mention.end) and bool(SENTENCE_START_BEFORE_RE.search(before))


def _introduced_mentions(names: list[NameMatch]) -> list[Mention]:
    """Full names anywhere in the text ("Carly Fiorina ran HP"): they enter the article's
    chain of people so that a later surname ("Fiorina said") resolves to them. A lone name
    anywhere ("In her column, Bradley criticized ...") is a reference to a person of the
    chain, if there is one."""
    return [
        Mention(n.start, n.end, "introduced" if " " in n.name else "reference", n.name, n.name)
        for n in names
    ]


def _author_mentions(mask: str) -> list[Mention]:
    byline = BYLINE_RE.search(mask, 0, min(len(mask), 400))
    if byline is None:
        return []
    mentions = [
        Mention(
            byline.start("name"),
            byline.end("name"),
            "byline",
            byline.group("name"),
            byline.group("name"),
        )
    ]
    for match in FIRST_PERSON_RE.finditer(mask):
        if AFTER_AGENT_RE.match(mask, match.end(), match.end() + 160):
            mentions.append(Mention(match.start(), match.end(), "author", "I"))
    return mentions


def _is_speaker_label(mask: str, match: NameMatch) -> bool:
    """A transcript or interview label at a paragraph start ("Støre: Yes. We ...")."""
    return mask.startswith(": ", match.end) and (match.start == 0 or mask[match.start - 1] == "\n")


def _anaphoric_mentions(mask: str) -> list[Mention]:
    mentions = [
        Mention(m.start(), m.end(), "pronoun", m.group()) for m in PRONOUN_RE.finditer(mask)
    ]
    for match in DESCRIPTION_RE.finditer(mask):
        mentions.append(
            Mention(match.start(), match.end(), "description", match.group(), match.group("words"))
        )
    return mentions


def _without_overlaps(candidates: list[Mention]) -> list[Mention]:
    """Keep candidates in priority order, dropping any that overlap one already kept."""
    chosen: list[Mention] = []
    starts: list[int] = []
    for mention in candidates:
        index = bisect.bisect_left(starts, mention.start)
        if index > 0 and chosen[index - 1].end > mention.start:
            continue
        if index < len(chosen) and chosen[index].start < mention.end:
            continue
        chosen.insert(index, mention)
        starts.insert(index, mention.start)
    return chosen


def _is_subject(mask: str, mention: Mention, sentence_start: int) -> bool:
    if mask.startswith(("'s", "\u2019s"), mention.end):
        return False
    prefix = mask[sentence_start : mention.start].rstrip()
    if not prefix or prefix.endswith((",", "\u2014", ":", " and")):
        return True
    if AFTER_AGENT_RE.match(mask, mention.end, mention.end + 160):
        return True
    if FINITE_VERB_AFTER_RE.match(mask, mention.end, mention.end + 60):
        return True  # "the development minister, Anneliese Dodds, had already signalled"
    return bool(VERB_BEFORE_AGENT_RE.search(mask, max(0, mention.start - 40), mention.start))


FINITE_VERB_AFTER_RE = regex.compile(
    r",?[ ](?:(?:has|had|have|was|is|will|would|also|already|then|later|\p{Ll}+ly)[ ])*"
    r"\p{Ll}+(?:ed|s)\b"
)
SUBORDINATE_START_RE = regex.compile(r"[\s\"\u201c]*(?:When|After|Once|Before|Whenever)\b")


def _clause_person(
    mask: str,
    pronoun: Mention,
    sentences: list[tuple[int, int]],
    starts: list[int],
    mentions: list[Mention],
) -> Person | None:
    """A pronoun after an opening time clause with one named person resolves to that person
    ("When I last saw Kallas she told me ...")."""
    position = bisect.bisect_right(starts, pronoun.start) - 1
    start = sentences[position][0] if position >= 0 else 0
    if not SUBORDINATE_START_RE.match(mask, start, pronoun.start):
        return None
    inside = [m for m in mentions if start <= m.start and m.end <= pronoun.start]
    named = [m for m in inside if m.kind != "pronoun" and m.person is not None]
    if len(named) != 1 or len(inside) != 1 or mask.startswith(("'s", "\u2019s"), named[0].end):
        return None
    return named[0].person


# Small words a title-case headline leaves in lower case ("Trump Says He Will Not Back Down
# on Trade" or "Liberal Oscar-Winner Sarandon Backs Sanders in the Primary").
_HEADLINE_SMALL_WORDS = frozenset(
    _words_of("a an and as at but by for from in into nor of on or per the to vs via with")
)
_WORD_RE = regex.compile(r"[\p{L}][\p{L}'\u2019.-]*")


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines of five words or more written in title case (a headline): every word but
    the small ones capitalised, and not in capitals throughout. Their capitalised runs are
    not names ("Understated Perez", "Donor Adelson"), so nobody new enters the chain of
    people from them."""
    spans = []
    for start, end in paragraph_spans(text):
        words = _WORD_RE.findall(text, start, end)
        if (
            len(words) >= 5
            and all(w[0].isupper() or w in _HEADLINE_SMALL_WORDS for w in words)
            and sum(w.isupper() for w in words) * 2 < len(words)
        ):
            spans.append((start, end))
    return spans


def find_mentions(
    mask: str, gazetteer: Gazetteer, sentences: list[tuple[int, int]], text: str | None = None
) -> tuple[list[Mention], PersonIndex]:
    """All person mentions in reading order, each resolved to a person where possible.
    ``text`` is the article before its quotes were masked (for the words it writes in
    lower case)."""
    candidates = _author_mentions(mask) + _label_mentions(mask, gazetteer)
    candidates += _signature_mentions(mask, gazetteer)
    lower_words = set(LOWER_WORD_RE.findall(text if text is not None else mask))
    names = find_names(mask, gazetteer, lower_words)
    candidates += _titled_mentions(mask, gazetteer) + _bare_mentions(mask, gazetteer, names)
    candidates += _unnamed_mentions(mask) + _subject_mentions(mask, names)
    candidates += _introduced_mentions(names)
    mentions = _without_overlaps(candidates + _anaphoric_mentions(mask))
    index = PersonIndex(gazetteer, mask)
    topic: Person | None = None
    topics: list[Person] = []  # the latest subjects, most recent last
    author: Person | None = None
    recent: list[Person] = []
    starts = [s for s, _ in sentences]
    headlines = title_case_lines(mask)
    headline_starts = [s for s, _ in headlines]
    for mention in mentions:
        if mention.kind == "unnamed":
            topic, topics = None, []
            continue
        if mention.kind == "byline":
            author = mention.person = index.resolve(mention.name, create=True)
            continue
        if mention.kind == "author":
            mention.person = author
            continue
        if mention.kind == "pronoun":
            person = _clause_person(mask, mention, sentences, starts, mentions) or topic
            if person is not None and not agrees(person, mention.written):
                # "She" after a man's sentence: the latest subject the pronoun agrees with.
                person = next((p for p in reversed(topics) if agrees(p, mention.written)), None)
            mention.person = person
            if person is not None:
                index.seen(person, mention.start)
            continue
        if mention.kind == "description":
            mention.person = index.by_description(mention.name, recent)
            if mention.person is not None:
                index.seen(mention.person, mention.start)
            continue
        create = mention.kind in ("titled", "named") or (
            mention.kind in ("label", "signature", "subject", "introduced") and " " in mention.name
        )
        headline = bisect.bisect_right(headline_starts, mention.start) - 1
        if (
            headline >= 0
            and mention.start < headlines[headline][1]
            and not mask.startswith(":", mention.end)
        ):
            create = False
        mention.person = index.resolve(
            mention.name, create=create, at=mention.start, role=mention.role
        )
        if mention.person is None:
            continue
        if mention.role and not mention.person.role:
            mention.person.role = mention.role
        index.seen(mention.person, mention.start)
        recent = [p for p in recent if p is not mention.person] + [mention.person]
        position = bisect.bisect_right(starts, mention.start) - 1
        sentence_start = sentences[position][0] if position >= 0 else 0
        if _is_subject(mask, mention, sentence_start):
            topic = mention.person
            topics = [p for p in topics[-5:] if p is not topic] + [topic]
    for mention in mentions:
        # A surname used before the full name appears (a headline's "as Frederiksen urges")
        # refers to the person the article names in full later.
        if mention.person is None and mention.kind in ("surname", "label", "signature"):
            lone = _is_lone_surname(lower_words, mention.name) and not _is_opening_adverb(
                mask, mention
            )
            mention.person = index.resolve(mention.name, create=lone, at=mention.start)
    # A name that resolves to nobody (an ambiguous "Johnson") stays: the text gives a
    # speaker there, one the editor must choose.
    kept = [
        m
        for m in mentions
        if m.person is not None
        or m.kind == "unnamed"
        or (m.kind in ("surname", "label", "signature") and index.is_ambiguous(m.name))
    ]
    return [m for m in kept if m.kind != "byline"], index
