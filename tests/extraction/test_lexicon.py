"""The lexicon's pattern builders: a prefix tree matches what a plain alternation matches, with
the same preference, so the speakers' patterns compiled from it find the same text."""

from __future__ import annotations

import pytest
import regex

from articles.extraction import lexicon
from articles.extraction.lexicon import alternation, inflections, prefix_tree


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        (("say", "says", "said", "saying"), "she was saying it", "saying"),
        (
            ("Sen.", "Se", "Secretary", "Secretary General"),
            "Secretary General Rutte",
            "Secretary General",
        ),
        (("Sen.", "Se", "Secretary", "Secretary General"), "Secretary Rubio", "Secretary"),
        (("Sen.", "Se", "Secretary", "Secretary General"), "Sen. Tester", "Sen."),
        (("point out", "points out", "put it"), "as he put it", "put it"),
        (("a.b", "a+b"), "a+b and axb", "a+b"),
        ((), "anything", None),
    ],
)
def test_prefix_tree_matches_like_an_alternation(words, text, expected):
    tree, plain = regex.compile(prefix_tree(words)), regex.compile(alternation(words) or "(?!x)x")
    found = tree.search(text)
    assert (found.group() if found else None) == expected
    assert found is None or found.span() == plain.search(text).span()


def test_prefix_tree_prefers_the_longest_word_when_the_rest_of_the_pattern_needs_it():
    # Backtracking into the tree tries the longer word first, then the shorter one.
    pattern = regex.compile(rf"(?:{prefix_tree(('Secretary', 'Secretary General'))})[ ](\w+)")
    assert pattern.match("Secretary General Rutte").group(1) == "Rutte"
    assert pattern.match("Secretary General said").group(1) == "said"


@pytest.mark.parametrize(
    "words",
    [
        lexicon.TITLES,
        tuple({form for lemma in lexicon.REPORTING_VERBS for form in inflections(lemma)}),
    ],
    ids=["titles", "reporting verbs"],
)
def test_the_speaker_vocabulary_as_a_tree_matches_every_word_as_the_alternation_does(words):
    tree = regex.compile(rf"(?<![\p{{L}}.])(?:{prefix_tree(words)})(?!\w)")
    plain = regex.compile(rf"(?<![\p{{L}}.])(?:{alternation(words)})(?!\w)")
    for word in words:
        text = f"Then {word} Rutte, {word}."
        assert [m.span() for m in tree.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], word


def test_every_number_word_is_a_count_of_allies():
    from articles.extraction.figures.counts import COUNT_BARE_RE
    from articles.extraction.numbers import NUMBER_WORDS

    for word in NUMBER_WORDS:
        for written in (word, word.capitalize()):
            found = COUNT_BARE_RE.search(f"In 2024 {written} allies met it.")
            assert found is not None and found.group("count") == written, written
