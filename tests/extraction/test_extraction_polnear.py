"""Speaker attribution on real news: PolNeAR dev, per stage and end to end.

``scripts/eval_speakers.py`` computes the figures (docs/ingestion.md has them with their
commands); these thresholds pin them so a change that loses speakers fails here. PolNeAR dev
is only measured, never tuned on. Without ../shared the test fails (never skips).
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.shared_data import ROOT, shared


def _eval_speakers():
    spec = importlib.util.spec_from_file_location(
        "eval_speakers", ROOT / "scripts" / "eval_speakers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_scores():
    return _eval_speakers().evaluate(shared("eval", "polnear", "dev"))


def test_errors_are_listed_for_the_train_split_only():
    with pytest.raises(SystemExit, match="train split only"):
        _eval_speakers().list_errors(shared("eval", "polnear", "dev"), 1)


def test_cue_misses_are_listed_for_the_train_split_only():
    with pytest.raises(SystemExit, match="train split only"):
        _eval_speakers().list_cue_misses(shared("eval", "polnear", "dev"))


@pytest.mark.parametrize(
    ("stage", "minimum"),
    [
        ("quotes_found", 0.99),
        ("cue_found", 0.98),
        ("candidate_recall", 0.97),
        ("resolution_accuracy", 0.95),
        ("named_quote_f1", 0.93),
    ],
)
def test_polnear_dev_scores_do_not_regress(dev_scores, stage, minimum):
    assert dev_scores[stage] >= minimum, dev_scores
