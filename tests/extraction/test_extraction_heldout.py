"""Extraction quality on the held-out article sets, scored with ../shared/eval/score.py.

Each set was written by a reviewer who never saw the extractor, measured unseen, then used
to find general errors (docs/ingestion.md has the figures). The thresholds guard against
regressions. Without ../shared/eval/score.py they fail (never skip).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import ROOT, shared

HERE = Path(__file__).resolve().parent


def overall_f1(folder: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-m", "articles.extraction", *map(str, sorted(folder.glob("*.txt")))],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    document = json.loads(result.stdout)
    assert document["errors"] == []
    spec = importlib.util.spec_from_file_location("score", shared("eval", "score.py"))
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    by_stem = {Path(a["path"]).stem: a for a in document["articles"]}
    totals = [0, 0, 0]
    for gold_path in sorted(folder.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        predicted = by_stem[gold_path.name[: -len(".gold.json")]]
        for field in score.FIELDS.values():
            for i, count in enumerate(field(gold, predicted)):
                totals[i] += count
    return score.prf(*totals)[2]


@pytest.mark.parametrize(
    ("folder", "minimum"),
    [
        ("heldout", 0.98),
        ("heldout2", 0.98),
        ("heldout3", 0.98),
        ("heldout4", 0.92),
        ("heldout5", 0.83),
    ],
)
def test_heldout_quality_does_not_regress(folder, minimum):
    assert overall_f1(HERE / folder) >= minimum
