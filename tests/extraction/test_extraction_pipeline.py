"""End-to-end tests: robustness on arbitrary input, speed, serialisation and the CLI."""

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.extraction import (
    Extraction,
    Gazetteer,
    KnownSpeaker,
    extract_article,
    to_dry_run_dict,
)
from articles.extraction.gazetteer import default_gazetteer

GAZETTEER = default_gazetteer()
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (
    "BRUSSELS — NATO Secretary General Mark Rutte urged allies on Thursday to spend more.\n"
    "“We will agree on higher targets,” Rutte said. “Much, much higher than before.”\n"
    "Poland spent 4.12% of GDP on defence in 2024, while 23 of 32 allies met the 2% target.\n"
    "Countries missing the goal include Belgium, Canada and Spain.\n"
    "Total NATO spending reached around $1.3 trillion last year, he wrote in a report.\n"
)
QUOTE_CHARS = st.sampled_from(
    ['"', "“", "”", "«", "»", "\u2018", "\u2019", "'", "\n", " ", ",", "."]
)


def check(text):
    result = extract_article(text, gazetteer=GAZETTEER)
    assert isinstance(result, Extraction)
    for statement in result.statements:
        assert 0 <= statement.start <= statement.end <= len(text)
        assert len(statement.text.split()) >= 3
    return result


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "“", "”", '"', "\x00\x01\ufffd", "“a b c", "%$€£", "Rutte said"],
    ids=ascii,
)
def test_empty_and_odd_inputs(text):
    check(text)


def test_statement_offsets_point_into_the_input():
    text = "  Intro.\r\n“One two three four,” Rutte said.\u00a0"
    (statement,) = check(text).statements
    assert text[statement.start : statement.end] == "One two three four"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_crashes(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            QUOTE_CHARS, st.sampled_from(["Rutte", "said", "he", "2%", "$3bn"]), st.text(max_size=5)
        )
    )
)
def test_unbalanced_quotes_never_crash(parts):
    check(" ".join(parts))


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=10**60))
def test_huge_numbers_never_crash(number):
    check(
        f"Poland spent {number}% of GDP and ${number} trillion in {number}; "
        f"{number} of {number} allies met it."
    )


FRAGMENTS = st.sampled_from(
    [
        "NATO",
        "NATO's",
        "the alliance's",
        "allies",
        "Allies agreed,",
        "Under NATO rules,",
        "a NATO member,",
        "Spain",
        "Madrid",
        "Germany,",
        "Poland's share is",
        "will spend",
        "spent",
        "pledged to reach",
        "expects to spend",
        "rose",
        "the 2% guideline",
        "2%",
        "3.5%",
        "1.28%",
        "of GDP",
        "€33 billion",
        "$1.3 trillion",
        "about",
        "this year",
        "last year",
        "in 2024",
        "by 2030",
        "and",
        ",",
        "Twenty-three of the alliance's 32 members",
        "up from just three allies in 2014",
        "five allies",
        "or more",
        "cleared the 2% bar",
        "“",
        "”",
        "he said.",
        ".",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=25))
def test_sentences_assembled_from_alliance_money_and_percent_fragments_never_crash(parts):
    result = check(" ".join(parts))
    for figure in result.figures:
        assert figure.metric in {"pct_gdp", "spending_usd", "spending_eur", "spending_local"}


SENTENCES = st.tuples(
    st.sampled_from(["", "Under NATO rules,", "Allies agreed, and", "NATO said", "In 2024,"]),
    st.sampled_from(["Spain", "Madrid", "Spain, a NATO member,", "Germany's share", "allies"]),
    st.sampled_from(["will spend", "spent", "pledged to reach NATO's", "is", "rose"]),
    st.sampled_from(["€33 billion", "2%", "about 6%", "18% in real terms", "the 2% guideline"]),
    st.sampled_from(["this year.", "in 2024.", "by 2030.", ".", ", up from three allies in 2014."]),
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(SENTENCES, min_size=1, max_size=4))
def test_structured_alliance_and_money_sentences_never_crash(sentences):
    check(" ".join(sentences))


def test_one_megabyte_input_is_handled():
    """A crash test; its time is measured by scripts/bench_hostile_ingest.py (CPU time), not
    here, where the wall time depends on the machine's other load."""
    text = (SAMPLE * 3000)[:1_000_000]
    result = check(text)
    assert result.statements


def test_gazetteer_from_plain_rows():
    gazetteer = Gazetteer.build(
        [("DEU", "Germany"), ("DEU", "German")],
        [KnownSpeaker("Boris Pistorius", "Minister", ("Pistorius",))],
    )
    result = extract_article(
        "“We must be ready for war by 2029,” Pistorius said in Germany.", gazetteer=gazetteer
    )
    assert result.statements[0].speaker == "Boris Pistorius"
    assert result.members_mentioned == ("DEU",)


def test_dry_run_dict_shape():
    published = datetime.date(2025, 6, 1)
    result = extract_article(SAMPLE, gazetteer=GAZETTEER, published=published)
    data = to_dry_run_dict(result, path="a.txt", title="T", published=published)
    assert list(data) == [
        "path",
        "title",
        "published",
        "dateline",
        "statements",
        "figures",
        "aggregate_claims",
        "target_lists",
        "targets_mentioned",
        "members_mentioned",
    ]
    assert data["published"] == "2025-06-01" and data["dateline"] == "BRUSSELS"
    assert data["statements"][0] == {
        "speaker": "Mark Rutte",
        "text": "We will agree on higher targets",
        "partial": False,
        "speaker_role": "NATO Secretary General",
    }
    assert data["figures"] == [
        {"country": "POL", "year": 2024, "metric": "pct_gdp", "value": 4.12, "currency": None}
    ]
    assert {
        "kind": "total_spending",
        "target_pct": None,
        "year": 2024,
        "count": None,
        "of": None,
        "value": 1.3e12,
        "currency": "USD",
    } in data["aggregate_claims"]
    assert data["target_lists"] == [
        {"target_pct": 2.0, "year": 2024, "meets": False, "countries": ["BEL", "CAN", "ESP"]}
    ]
    json.dumps(data)


def test_cli_prints_articles_and_errors(tmp_path):
    article = tmp_path / "one.txt"
    article.write_text(SAMPLE, encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "articles.extraction",
            "--published",
            "2025-06-01",
            str(article),
            str(tmp_path / "missing.txt"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    output = json.loads(completed.stdout)
    assert [a["path"] for a in output["articles"]] == [str(article)]
    assert output["errors"][0]["path"].endswith("missing.txt")


def test_cli_reads_published_and_title_from_front_matter(tmp_path):
    article = tmp_path / "fm.txt"
    article.write_text(
        "---\ntitle: Budget story\npublished: 2023-03-09\n---\n"
        "Norway will spend 1.6% of GDP on defence this year.\n",
        encoding="utf-8",
    )

    def run(*extra):
        completed = subprocess.run(
            [sys.executable, "-m", "articles.extraction", *extra, str(article)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        (result,) = json.loads(completed.stdout)["articles"]
        return result

    result = run()
    assert (result["published"], result["title"]) == ("2023-03-09", "Budget story")
    assert [(f["country"], f["year"], f["value"]) for f in result["figures"]] == [
        ("NOR", 2023, 1.6)
    ]
    assert run("--published", "2021-01-05")["figures"][0]["year"] == 2021


DOMAIN_WORDS = [
    "Poland", "Spain", "the United States", "Denmark", "Washington", "The Hague", "NATO",
    "allies", "the alliance", "spent", "will spend", "4.1%", "2% of GDP", "3.5 per cent",
    "in 2024", "last year", "this year", "by 2035", "$968 billion", "47 billion lei",
    "(€1.1 trillion)", "kroner", "That is", "up from", "between", "and", ",", ".", ":", "\n",
    "1.", "—", "“We will do it,”", "said", "Rutte", "Mark Rutte", "she said", "CARNEY:",
    "By Kaja Kallas", "I told", "a spokeswoman said", "The country", "each", "23 of 32 allies",
    "met the target", "missing the goal include", "the government's budget", "share", "of",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DOMAIN_WORDS), max_size=80))
def test_sentences_made_of_the_domain_s_words_never_crash(words):
    """Random arrangements of allies, numbers, years, quotes and cue words: the rules that
    look across sentences (carried allies, lists, claims) never fail on any of them."""
    result = extract_article(" ".join(words), gazetteer=GAZETTEER)
    assert all(f.country and f.metric for f in result.figures)
