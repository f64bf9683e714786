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


@pytest.mark.parametrize(
    "words",
    [lexicon.TITLES, lexicon.ORGANISATION_WORDS, lexicon.DESCRIPTION_TITLES],
    ids=["titles", "organisation words", "description titles"],
)
def test_each_word_of_a_list_is_written_once(words):
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Later the Prime Minister said so.", "Prime Minister"),
        ("Later the Secretary-General said so.", "Secretary-General"),
        ("Later the former senator said so.", "former senator"),
        ("Later the NATO chief said so.", "NATO chief"),
        ("Later the general said so.", "general"),
        ("Later the general election came.", None),
        ("Later the Senator said so.", None),  # capitalised only for titles of government
    ],
)
def test_a_description_names_a_title_of_the_lexicon(text, expected):
    from articles.extraction.people import DESCRIPTION_RE

    found = DESCRIPTION_RE.search(text)
    assert (found.group("words") if found else None) == expected


def test_honorifics_are_titles_and_gender_words_but_tell_no_role():
    from articles.extraction.people import _HONORIFICS

    assert {"Mr.", "Mrs.", "Ms.", "Dr."} <= set(lexicon.TITLES)
    assert {"mrs", "mrs.", "miss", "dame"} <= lexicon.FEMALE_WORDS
    assert {"mr", "mr.", "sir"} <= lexicon.MALE_WORDS
    assert {"mr", "mrs", "ms", "miss", "dr", "sir", "dame"} == _HONORIFICS
