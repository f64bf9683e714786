"""End-to-end tests: robustness on arbitrary input, speed, serialisation and the CLI."""

import datetime
import json
import subprocess
import sys
import time
from pathlib import Path

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


def test_empty_and_odd_inputs():
    for text in ["", " ", "\n\n", "“", "”", '"', "\x00\x01\ufffd", "“a b c", "%$€£", "Rutte said"]:
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


def test_one_megabyte_input_is_handled():
    text = (SAMPLE * 3000)[:1_000_000]
    started = time.perf_counter()
    result = check(text)
    assert time.perf_counter() - started < 20
    assert result.statements


def test_three_kilobyte_article_is_fast():
    text = (SAMPLE * 8)[:3000]
    extract_article(text, gazetteer=GAZETTEER)
    started = time.perf_counter()
    for _ in range(50):
        extract_article(text, gazetteer=GAZETTEER)
    assert (time.perf_counter() - started) / 50 < 0.05


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
