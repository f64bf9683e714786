"""Integrity and score floors of the real NATO article sets (see each set's README).

Real news excerpts with hand-written gold (GOLD_FORMAT.md in ../shared/eval):
``real_nato`` (31 articles, the set the general fixes of issue 11 were found on) and
``real_nato_heldout`` (10 articles from other publishers, annotated before the extractor ever
ran on them and never tuned on). These tests keep each set whole: enough articles and
publishers, front matter on every file, gold that parses, names its article and quotes only
text that is in it; and they hold the extractor's score above a floor.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import ROOT, shared

HERE = Path(__file__).resolve().parent
SET_DIR = HERE / "real_nato"
HELDOUT_DIR = HERE / "real_nato_heldout"

# What the set held when it was landed; the test fails if files are lost.
MIN_ARTICLES = 31
MIN_PUBLISHERS = 31
PERIODS = {
    "2014-2017": (2014, 2017),
    "2018-2021": (2018, 2021),
    "2022-2024": (2022, 2024),
    "2025-2026": (2025, 2026),
}

FRONT_MATTER = re.compile(r"\A---\n(?P<head>.*?)\n---\n(?P<body>.*)\Z", re.S)
ISO3 = re.compile(r"\A[A-Z]{3}\Z")
GOLD_KEYS = {
    "file", "statements", "figures", "aggregate_claims", "below_target_lists",
    "targets_mentioned", "members_mentioned",
}  # fmt: skip
METRICS = {"pct_gdp", "spending_usd", "spending_eur", "spending_local"}
# real_nato: first, untuned overall F1 0.877; 0.916 after the general fixes of issue 11
# (README). real_nato_heldout: first, untuned 0.862 (0.858 before those fixes). Speaker
# attribution is being changed concurrently, so each floor leaves about 0.03 of margin.
MIN_OVERALL_F1 = {"real_nato": 0.88, "real_nato_heldout": 0.83}
# Each set's size when it was landed (the tests fail if files are lost) and shortest excerpt.
MIN_SIZE = {"real_nato": (31, 31, 120), "real_nato_heldout": (10, 10, 100)}


def articles(folder: Path = SET_DIR) -> list[Path]:
    return sorted(folder.glob("*.txt"))


def every_article() -> list[Path]:
    return articles(SET_DIR) + articles(HELDOUT_DIR)


def split(path: Path) -> tuple[dict[str, str], str]:
    """The front matter (as a dict of strings) and the body of one article file."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no front matter"
    head = {}
    for line in match["head"].splitlines():
        key, sep, value = line.partition(": ")
        assert sep, f"{path.name}: bad front matter line {line!r}"
        head[key] = value.strip()
    return head, match["body"]


def gold_of(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", [SET_DIR, HELDOUT_DIR], ids=lambda p: p.name)
def test_set_size_and_publishers(folder):
    heads = [split(p)[0] for p in articles(folder)]
    least_articles, least_publishers, _ = MIN_SIZE[folder.name]
    assert len(heads) >= least_articles
    assert len({h["publisher"] for h in heads}) >= least_publishers


def test_the_held_out_publishers_are_not_in_the_measured_set():
    measured = {split(p)[0]["publisher"] for p in articles(SET_DIR)}
    assert not measured & {split(p)[0]["publisher"] for p in articles(HELDOUT_DIR)}


def test_set_size_publishers_and_periods():
    heads = [split(p)[0] for p in articles()]
    assert len(heads) >= MIN_ARTICLES
    assert len({h["publisher"] for h in heads}) >= MIN_PUBLISHERS
    years = [int(h["published"][:4]) for h in heads if "published" in h]
    for name, (first, last) in PERIODS.items():
        assert sum(first <= y <= last for y in years) >= 2, f"{name}: under 2 articles"


@pytest.mark.parametrize("folder", [SET_DIR, HELDOUT_DIR], ids=lambda p: p.name)
def test_every_gold_file_has_its_article_and_every_article_its_gold(folder):
    golds = {p.name[: -len(".gold.json")] for p in folder.glob("*.gold.json")}
    assert golds == {p.stem for p in articles(folder)}


@pytest.mark.parametrize("path", every_article(), ids=lambda p: p.stem)
def test_front_matter(path):
    head, body = split(path)
    assert head.get("publisher") and head.get("title")
    assert re.match(r"https?://\S+\Z", head.get("url", "")), "url missing or malformed"
    if "published" in head:
        assert re.match(r"\d{4}-\d{2}-\d{2}\Z", head["published"])
    else:
        assert head.get("note"), "an article without a date says why in a note"
    assert len(body.split()) >= MIN_SIZE[path.parent.name][2], "excerpt too short"


@pytest.mark.parametrize("path", every_article(), ids=lambda p: p.stem)
def test_gold_is_well_formed_and_quotes_occur_in_the_text(path):
    gold = gold_of(path)
    _, body = split(path)
    assert set(gold) == GOLD_KEYS
    assert gold["file"] == path.name
    for statement in gold["statements"]:
        quote = statement["quote"]
        assert len(quote.split()) >= 3, quote
        assert quote in body, f"quote not verbatim in the text: {quote!r}"
        assert not quote.endswith((",", ".")) or quote.endswith("..."), quote
        assert isinstance(statement["partial"], bool)
        assert statement["speaker"] is None or statement["speaker"].strip()
    for figure in gold["figures"]:
        assert ISO3.match(figure["country"]) and figure["metric"] in METRICS
        assert isinstance(figure["value"], (int, float))
    for claim in gold["aggregate_claims"]:
        assert claim["kind"] in {"count_meeting", "total_spending"}
    for listed in gold["below_target_lists"]:
        assert len(listed["countries"]) >= 2 and all(ISO3.match(c) for c in listed["countries"])
    assert all(isinstance(t, (int, float)) for t in gold["targets_mentioned"])
    members = gold["members_mentioned"]
    assert len(members) == len(set(members)) and all(ISO3.match(c) for c in members)


@pytest.mark.parametrize("folder", [SET_DIR, HELDOUT_DIR], ids=lambda p: p.name)
def test_extraction_quality_does_not_regress(tmp_path, folder):
    """Scores the extractor on a set with ../shared/eval/score.py (fails if it is missing)."""
    scorer = shared("eval", "score.py")
    result = subprocess.run(
        [sys.executable, "-m", "articles.extraction", *map(str, articles(folder))],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(result.stdout)["errors"] == []
    output = tmp_path / "extraction.json"
    output.write_text(result.stdout, encoding="utf-8")
    scored = subprocess.run(
        [sys.executable, str(scorer), str(output), str(folder), "--quiet",
         "--min-f1", str(MIN_OVERALL_F1[folder.name])],
        capture_output=True, text=True,
    )  # fmt: skip
    assert scored.returncode == 0, scored.stdout + scored.stderr
