"""Hostile texts (issue 16 item 2): the shapes that once made the extraction quadratic, at
small sizes, as crash tests. Their speed is measured by ``scripts/bench_hostile_ingest.py``
(CPU time asserted there, not here)."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.extraction import Extraction, extract_article
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.numbers import find_money
from articles.extraction.text import MAX_SENTENCE_CHARS, sentence_spans

GAZETTEER = default_gazetteer()


def check(text: str) -> Extraction:
    result = extract_article(text, gazetteer=GAZETTEER)
    for statement in result.statements:
        assert 0 <= statement.start <= statement.end <= len(text)
    return result


def test_many_straight_quotes():
    check("NATO spending. " + " ".join(f'"word{i % 10}' for i in range(3000)))


def test_one_long_line_without_a_sentence_end():
    chunk = "Poland and Germany spend 2.1% of GDP on defence and 3.5% by 2035 while allies "
    result = check("Headline\n" + chunk * 400)
    assert {f.country for f in result.figures} <= {"POL", "DEU"}


def test_many_short_quotes_each_get_their_speaker():
    text = " ".join(f"“We must spend {i % 9}% more now,” Rutte said." for i in range(1000))
    result = check(text)
    assert len(result.statements) == 1000
    assert {s.speaker for s in result.statements} == {"Mark Rutte"}


def test_many_dollar_amounts():
    text = "Poland said it " + ", ".join(f"spent ${i % 97}.5 billion" for i in range(1500)) + "."
    check(text)


def test_many_short_lines():
    result = check("\n".join(f"Poland {i % 5}.1% of GDP" for i in range(3000)))
    assert {f.country for f in result.figures} == {"POL"}


def test_an_endless_sentence_is_cut_at_spaces_and_nothing_is_lost():
    text = "Intro. " + "word " * 1000 + "x" * 2500 + " end."
    spans = sentence_spans(text)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert "".join(text[start:end] for start, end in spans) == text
    # Cut at a space where there is one: no word of the run is split.
    assert all(text[end - 1] == " " for _, end in spans[1:3])


def test_money_found_by_both_patterns_is_kept_once():
    found = find_money("It spent $5 billion, or 5 billion dollars, and €3bn.")
    assert [(m.value, m.currency) for m in found] == [
        (5e9, "USD"),
        (5e9, "USD"),
        (3e9, "EUR"),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


HOSTILE = st.sampled_from(
    [
        '"',
        '"word',
        "“We must spend 2% now,” Rutte said.",
        "$1.5 billion,",
        "€3bn",
        "\n",
        "Poland 2.1% of GDP\n",
        "Germany",
        "3.5% by 2035",
        "22 of 32 allies met the 2% target.",
        "including Belgium, Canada and Spain",
        "said",
        " ",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=400), st.integers(min_value=1, max_value=40))
def test_repeated_hostile_fragments_never_crash(parts, repeat):
    check(" ".join(parts) * repeat)
