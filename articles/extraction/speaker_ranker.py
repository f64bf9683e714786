"""A learned ranker over the people around a quote, beside the cue rules of :mod:`.quotes`.

For each quote, every person of the article's chain mentioned near it (up to three
paragraphs before, to the end of its paragraph after) and the speakers of the quotes just
before are candidates, each with general features: distance in characters, sentences and
paragraphs, the mention's kind and grammatical role (opens its sentence, a possessor, after
a preposition or an object verb, the agent of a speech verb, a name modifying the next
one), mentions in the window and the article, the previous and next quotes' speakers. A
model scores each candidate; it may give a quote the rules found no source for the best
candidate (``fill_threshold``), and replace the rules' person by the best candidate when
that one is more probable by ``override_margin``; the statement's cue is then ``"ranked"``.
A source the text gives but does not name ("a spokeswoman said") or cannot resolve (an
ambiguous "Johnson") is never touched.

The model (gradient-boosted trees or a logistic regression) is trained by
``scripts/train_speaker_ranker.py`` on PolNeAR train and shipped as plain data in
``data/speaker_ranker.json``; it is evaluated here in pure Python, scikit-learn being needed
only to train. The file is read on first use (nothing on import). **The shipped model is
off** (no threshold, no margin): on PolNeAR dev it did not beat the rules without breaking
their tests (docs/ingestion.md, "A learned speaker ranker").
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import regex

MODEL_PATH = Path(__file__).with_name("data") / "speaker_ranker.json"
CUE = "ranked"
# How far around a quote people are candidates: reporter's characters before its opening
# mark (bounded, so that the cost per quote does not grow with the article) and after its
# closing mark within its paragraph.
WINDOW_BEFORE = 1500
WINDOW_AFTER = 400
MAX_PARAGRAPHS_BACK = 3

MENTION_KINDS = (
    "named",
    "surname",
    "titled",
    "known",
    "subject",
    "introduced",
    "reference",
    "label",
    "signature",
    "pronoun",
    "description",
    "author",
)
# Frozen copies, not the rules' (quotes.PREPOSITION_BEFORE_RE, lexicon.OBJECT_VERBS): the
# shipped model was trained on exactly these features; build them from the lexicon only
# together with a retraining (scripts/train_speaker_ranker.py).
_POSSESSIVE_RE = regex.compile(r"['\u2019]s?\b")
_PREPOSITION_RE = regex.compile(
    r"\b(?:of|for|to|by|with|about|against|from|on|at|than|like|as|into|toward|towards|"
    r"between|among|behind|without|versus|near|upon|In|With|For|After|Before|Like|Unlike)"
    r"[ ](?:(?:the|a|an)[ ])?(?:[\p{L}.-]+[ ]){0,2}$"
)
_OBJECT_VERB_RE = regex.compile(
    r"\b(?:called|calls|told|tells|asked|asks|urged|urges|criticized|criticised|attacked|"
    r"praised|thanked|accused|slammed|blasted|mocked|defended|endorsed|met|interviewed)"
    r"[ ](?:[\p{L}.-]+[ ]){0,2}$"
)
_SENTENCE_OPENING = ' "\u201c\u201d\x1a\n'


class _Mention(Protocol):
    start: int
    end: int
    kind: str
    written: str
    person: object | None


class _Draft(Protocol):
    quote: object
    person: object | None
    written: str | None
    unnamed: bool
    cue: str | None


@dataclass
class Candidate:
    """A person who may have said a quote, with the features the model scores."""

    person: object
    written: str
    features: dict[str, float]


def _log(value: float) -> float:
    return math.log1p(max(0.0, value))


class _Article:
    """What the features read of one article: the masked text, its sentences, paragraphs
    and person mentions, with bisectable starts."""

    def __init__(self, att, paragraphs: list[tuple[int, int]]):
        self.att = att
        self.mask: str = att.mask
        self.mentions = [m for m in att.mentions if m.person is not None]
        self.starts = [m.start for m in self.mentions]
        self.sentence_starts: list[int] = att.sentence_starts
        self.paragraphs = paragraphs
        self.paragraph_starts = [s for s, _ in paragraphs]
        counts: dict[int, int] = {}
        first: dict[int, int] = {}
        for index, mention in enumerate(self.mentions):
            key = id(mention.person)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, index)
        self.counts = counts
        self.first = first
        self.people_order = {key: rank for rank, key in enumerate(sorted(first, key=first.get))}

    def sentence_index(self, position: int) -> int:
        return bisect.bisect_right(self.sentence_starts, position) - 1

    def paragraph_index(self, position: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, position) - 1

    def paragraph(self, position: int) -> tuple[int, int]:
        index = self.paragraph_index(position)
        return self.paragraphs[index] if index >= 0 else (0, len(self.mask))

    def between(self, start: int, end: int) -> list:
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return self.mentions[low:high]


def _mention_features(article: _Article, mention, prefix: str) -> dict[str, float]:
    mask = article.mask
    sentence = article.sentence_index(mention.start)
    sentence_start = article.sentence_starts[sentence] if sentence >= 0 else 0
    before = mask[sentence_start : mention.start].strip(_SENTENCE_OPENING)
    features = {
        f"{prefix}kind_{mention.kind}": 1.0,
        f"{prefix}opens_sentence": float(not before),
        f"{prefix}possessor": float(bool(_POSSESSIVE_RE.match(mask, mention.end))),
        f"{prefix}after_preposition": float(
            bool(_PREPOSITION_RE.search(mask, max(0, mention.start - 30), mention.start))
        ),
        f"{prefix}after_object_verb": float(
            bool(_OBJECT_VERB_RE.search(mask, max(0, mention.start - 30), mention.start))
        ),
        f"{prefix}speaks": float(article.att._speaks(mention) is not None),
        # "Roe campaign manager Jane Doe": the name modifies the person named after it.
        f"{prefix}modifies_name": float(
            article.att._modified(mention, min(len(mask), mention.end + 80)) is not mention
        ),
    }
    return features


def candidates(
    article: _Article,
    quote,
    previous: Sequence[object | None],
    following: object | None,
) -> list[Candidate]:
    """The people mentioned around ``quote`` (up to :data:`MAX_PARAGRAPHS_BACK` paragraphs and
    :data:`WINDOW_BEFORE` characters before it, to the end of its paragraph after it), and the
    speakers of the quotes just before it, each with its features. ``previous`` holds the
    speakers (people or None) of the article's earlier quotes, the latest last; ``following``
    the speaker of the next quote, if the rules gave one."""
    mask = article.mask
    open_at, close_at = quote.open_at, quote.close_at
    paragraph = article.paragraph_index(open_at)
    first_paragraph = max(0, paragraph - MAX_PARAGRAPHS_BACK)
    low = max(
        open_at - WINDOW_BEFORE, article.paragraphs[first_paragraph][0] if paragraph >= 0 else 0
    )
    paragraph_end = article.paragraph(close_at)[1]
    high = min(paragraph_end, close_at + WINDOW_AFTER)
    quote_sentence = article.sentence_index(open_at)
    close_sentence = article.sentence_index(close_at)
    before_mentions = article.between(low, open_at)
    after_mentions = article.between(close_at, high)
    by_person: dict[int, dict] = {}
    order: list[int] = []

    def slot(person) -> dict:
        key = id(person)
        if key not in by_person:
            by_person[key] = {"person": person, "before": [], "after": []}
            order.append(key)
        return by_person[key]

    for mention in before_mentions:
        slot(mention.person)["before"].append(mention)
    for mention in after_mentions:
        slot(mention.person)["after"].append(mention)
    recent = [p for p in previous[-3:] if p is not None]
    for person in recent:
        slot(person)
    # People by how recently they were mentioned before the quote (0: the latest).
    latest = sorted(
        (key for key in order if by_person[key]["before"]),
        key=lambda key: -by_person[key]["before"][-1].end,
    )
    recency = {key: rank for rank, key in enumerate(latest)}
    opens_paragraph = not mask[article.paragraph(open_at)[0] : open_at].strip(_SENTENCE_OPENING)
    quote_only = opens_paragraph and not mask[close_at + 1 : paragraph_end].strip(
        ' .,;:!?\x1a"\u201d'
    )
    sentence_start = article.sentence_starts[quote_sentence] if quote_sentence >= 0 else 0
    quote_features = {
        "quote_chars": _log(close_at - open_at),
        "quote_opens_sentence": float(not mask[sentence_start:open_at].strip(_SENTENCE_OPENING)),
        "quote_closes_sentence": float(mask[open_at:close_at].rstrip()[-1:] in (".", "?", "!")),
        "quote_opens_paragraph": float(opens_paragraph),
        "quote_only_paragraph": float(quote_only),
    }
    result = []
    for key in order:
        entry = by_person[key]
        person = entry["person"]
        features: dict[str, float] = {
            **quote_features,
            "candidates": float(len(order)),
            "mentions_in_window": float(len(entry["before"]) + len(entry["after"])),
            "mentions_in_article": _log(article.counts.get(key, 0)),
            "introduced_rank": float(min(article.people_order.get(key, 9), 9)),
            "previous_speaker": float(bool(previous) and previous[-1] is person),
            "earlier_speaker": float(person in recent),
            "next_speaker": float(following is not None and following is person),
            "has_role": float(bool(getattr(person, "role", None))),
            "known": float(bool(getattr(person, "known", False))),
            "full_name": float(" " in getattr(person, "name", "")),
        }
        written = getattr(person, "name", "")
        if entry["before"]:
            nearest = entry["before"][-1]
            named = [m for m in entry["before"] if m.kind not in ("pronoun", "description")]
            sentences_back = quote_sentence - article.sentence_index(nearest.start)
            paragraphs_back = paragraph - article.paragraph_index(nearest.start)
            features |= {
                "before": 1.0,
                "before_chars": _log(open_at - nearest.end),
                "before_sentences": float(min(sentences_back, 10)),
                "before_paragraphs": float(min(paragraphs_back, MAX_PARAGRAPHS_BACK + 1)),
                "before_same_sentence": float(sentences_back == 0),
                "before_same_paragraph": float(paragraphs_back == 0),
                "before_recency": float(min(recency.get(key, 9), 9)),
                "before_speaks_any": float(
                    any(article.att._speaks(m) is not None for m in entry["before"][-3:])
                ),
                **_mention_features(article, nearest, "before_"),
            }
            if named:
                written = named[-1].written
        if entry["after"]:
            nearest = entry["after"][0]
            sentences_on = article.sentence_index(nearest.start) - close_sentence
            features |= {
                "after": 1.0,
                "after_chars": _log(nearest.start - close_at),
                "after_sentences": float(min(sentences_on, 10)),
                "after_same_sentence": float(sentences_on == 0),
                **_mention_features(article, nearest, "after_"),
            }
            if not entry["before"]:
                written = nearest.written
        result.append(Candidate(person, written, features))
    return result


class Model:
    """The shipped model: feature names, its decision thresholds, and either logistic
    weights or regression trees (stored as parallel lists, ``feature`` -1 at a leaf)."""

    def __init__(self, data: dict):
        self.features: list[str] = data["features"]
        self.index = {name: i for i, name in enumerate(self.features)}
        self.fill_threshold: float | None = data.get("fill_threshold")
        self.override_margin: float | None = data.get("override_margin")
        self.kind: str = data["kind"]
        self.data = data
        self._trees: Callable[[list[float]], float] | None = None

    @property
    def enabled(self) -> bool:
        """Whether the model decides anything at run time (a threshold or a margin set)."""
        return self.fill_threshold is not None or self.override_margin is not None

    def _raw(self, x: list[float]) -> float:
        if self.kind == "logistic":
            return self._linear(x)
        if self._trees is None:  # compiled on first use
            data = self.data
            self._trees = _compile_trees(data["trees"], data["init"], data["learning_rate"])
        return self._trees(x)

    def _linear(self, x: list[float]) -> float:
        weights = self.data["weights"]
        return self.data["intercept"] + sum(w * v for w, v in zip(weights, x, strict=True))

    def vector(self, features: dict[str, float]) -> list[float]:
        values = [0.0] * len(self.features)
        for name, value in features.items():
            position = self.index.get(name)
            if position is not None:
                values[position] = value
        return values

    def probability(self, features: dict[str, float]) -> float:
        """Probability that the candidate with these features said the quote."""
        z = self._raw(self.vector(features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _tree_source(tree: dict, node: int = 0) -> str:
    feature = int(tree["feature"][node])
    if feature < 0:
        return repr(float(tree["value"][node]))
    threshold = float(tree["threshold"][node])
    left = _tree_source(tree, int(tree["left"][node]))
    right = _tree_source(tree, int(tree["right"][node]))
    return f"({left} if x[{feature}] <= {threshold!r} else {right})"


def _compile_trees(trees: list[dict], init: float, rate: float) -> Callable[[list[float]], float]:
    """The ensemble's raw score as one Python function of the feature vector: each tree
    written out as nested conditional expressions (from numbers only, so the source holds
    nothing but comparisons), ten times faster than walking the lists."""
    body = " + ".join(_tree_source(tree) for tree in trees) or "0.0"
    source = f"lambda x: {float(init)!r} + {float(rate)!r} * ({body})"
    return eval(compile(source, "<speaker_ranker trees>", "eval"), {"__builtins__": {}})


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The model in ``path``, or None when there is no such file (the rules alone run)."""
    if not path.exists():
        return None
    return Model(json.loads(path.read_text(encoding="utf-8")))


def _unresolved(draft: _Draft) -> bool:
    """A quote the rules found no source for (no speaker, no unnamed or ambiguous one)."""
    return draft.person is None and not draft.unnamed and draft.cue is None


def _decide(model: Model, draft: _Draft, found: list[Candidate]) -> None:
    scored = [(model.probability(c.features), c) for c in found]
    best_probability, best = max(scored, key=lambda pair: pair[0])
    if draft.person is None:
        if model.fill_threshold is not None and best_probability >= model.fill_threshold:
            draft.person, draft.written, draft.cue = best.person, best.written, CUE
        return
    if model.override_margin is None or best.person is draft.person:
        return
    rules = next((p for p, c in scored if c.person is draft.person), None)
    if rules is not None and best_probability - rules >= model.override_margin:
        draft.person, draft.written, draft.cue = best.person, best.written, CUE


def rank_speakers(
    drafts: Sequence[_Draft],
    att,
    paragraphs: list[tuple[int, int]],
    model: Model | None = None,
    *,
    collect: Callable[[int, list[Candidate]], None] | None = None,
) -> None:
    """Let the model decide between the people around each quote, in place (``person``,
    ``written``, ``cue``): a quote the rules found no source for takes the best candidate
    when its probability reaches the model's ``fill_threshold``; a quote the rules gave a
    person takes the best candidate instead when its probability exceeds the rules' pick's
    by the model's ``override_margin`` (either None: never). A source the rules found but
    could not name or resolve is left alone. ``collect``, if given, receives every quote's
    index and candidates instead, the drafts unchanged (for training)."""
    if collect is None:
        model = model or load_model()
        if model is None or not model.enabled:
            return
    article = _Article(att, paragraphs)
    speakers: list[object | None] = []
    for index, draft in enumerate(drafts):
        acts = collect is not None or (
            _unresolved(draft) and model.fill_threshold is not None
            if draft.person is None
            else not draft.unnamed and model.override_margin is not None
        )
        if acts:
            following = drafts[index + 1].person if index + 1 < len(drafts) else None
            found = candidates(article, draft.quote, speakers, following)
            if collect is not None:
                collect(index, found)
            elif len(found) > 1 or (found and draft.person is None):
                _decide(model, draft, found)
        speakers.append(draft.person)
