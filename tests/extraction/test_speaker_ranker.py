"""The learned speaker ranker: its features, the shipped model and the training script.

Every passage here is invented for the test (none is from PolNeAR or the real NATO sets).
"""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from articles.extraction import extract_article
from articles.extraction.gazetteer import default_gazetteer
from articles.extraction.speaker_ranker import CUE, MODEL_PATH, Model, load_model
from tests.shared_data import ROOT, shared

GAZETTEER = default_gazetteer()
PASSAGE = (
    "Tom Vick visited the new depot on Monday.\n"
    "Jane Roe, the finance minister, said the plan was late. "
    "Roe added: \u201cIt will cost far more than anyone expected this year.\u201d\n"
)


def _script():
    name = "train_speaker_ranker"
    if name not in sys.modules:  # its dataclass needs its module registered
        spec = importlib.util.spec_from_file_location(
            name, ROOT / "scripts" / "train_speaker_ranker.py"
        )
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def passage_candidates():
    _, drafts, by_draft = _script().article_candidates(PASSAGE, GAZETTEER)
    assert len(drafts) == 1
    return {c.person.name: c for c in by_draft[0]}


def test_candidates_are_the_people_around_the_quote(passage_candidates):
    assert set(passage_candidates) == {"Tom Vick", "Jane Roe"}


def test_features_of_the_speaker_in_the_quotes_sentence(passage_candidates):
    roe = passage_candidates["Jane Roe"].features
    assert roe["before_same_sentence"] == 1.0
    assert roe["before_same_paragraph"] == 1.0
    assert roe["before_speaks"] == 1.0
    assert roe["before_opens_sentence"] == 1.0
    assert roe["before_recency"] == 0.0  # the person named last before the quote
    assert roe["mentions_in_window"] == 2.0
    assert roe["quote_closes_sentence"] == 1.0
    assert roe["quote_opens_paragraph"] == 0.0


def test_features_of_a_person_named_a_paragraph_before(passage_candidates):
    vick = passage_candidates["Tom Vick"].features
    assert vick["before_same_sentence"] == 0.0
    assert vick["before_paragraphs"] == 1.0
    assert vick["before_sentences"] == 2.0
    assert vick["before_recency"] == 1.0
    assert "before_speaks" in vick and vick["before_speaks"] == 0.0
    assert "after" not in vick


def test_the_shipped_model_loads_and_prefers_the_speaker(passage_candidates):
    model = load_model()
    assert model is not None and MODEL_PATH.stat().st_size < 500_000
    roe = model.probability(passage_candidates["Jane Roe"].features)
    vick = model.probability(passage_candidates["Tom Vick"].features)
    assert 0.0 <= vick < 0.5 < roe <= 1.0


def test_the_shipped_model_names_the_features_it_was_trained_on(passage_candidates):
    model = load_model()
    seen = {name for c in passage_candidates.values() for name in c.features}
    assert seen <= set(model.features)
    assert model.fill_threshold is None or 0.0 < model.fill_threshold <= 1.0


def test_trees_are_evaluated_as_stored():
    # One stump on feature 1 and one leaf: raw score 0.5 + 1.0 * (value + 0.25).
    stump = {
        "feature": [1, -1, -1],
        "threshold": [0.5, 0.0, 0.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, -2.0, 3.0],
    }
    leaf = {"feature": [-1], "threshold": [0.0], "left": [-1], "right": [-1], "value": [0.25]}
    model = Model(
        {
            "kind": "trees",
            "features": ["a", "b"],
            "init": 0.5,
            "learning_rate": 1.0,
            "trees": [stump, leaf],
        }
    )
    assert model._raw([0.0, 0.0]) == pytest.approx(0.5 - 2.0 + 0.25)
    assert model._raw([0.0, 1.0]) == pytest.approx(0.5 + 3.0 + 0.25)
    assert model.probability({"b": 1.0, "unknown": 5.0}) > 0.97


def test_a_logistic_model_is_evaluated_from_its_weights():
    model = Model(
        {"kind": "logistic", "features": ["a", "b"], "intercept": -1.0, "weights": [2, 0]}
    )
    assert model.probability({"a": 0.5}) == pytest.approx(0.5)


def test_the_ranker_leaves_an_unnamed_source_alone():
    text = (
        "Jane Roe spoke to the committee on Monday.\n"
        "A spokeswoman for the ministry said: \u201cWe will not comment on that today.\u201d\n"
    )
    (statement,) = extract_article(text, gazetteer=GAZETTEER).statements
    assert statement.speaker is None and statement.cue != CUE


def test_the_ranker_keeps_the_speaker_of_an_inverted_attribution():
    text = (
        "Tom Vick and Jane Roe met in Vilnius.\n"
        "\u201cThe allies must spend more, and they must spend it soon,\u201d said Roe.\n"
    )
    (statement,) = extract_article(text, gazetteer=GAZETTEER).statements
    assert statement.speaker == "Jane Roe"


def test_the_training_script_runs_on_a_tiny_slice(tmp_path, capsys):
    out = tmp_path / "model.json"
    train = shared("eval", "polnear", "train")
    args = [str(train), "--limit", "12", "--folds", "2", "--config", "logistic C=1"]
    assert _script().main([*args, "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["kind"] == "logistic" and data["trained_on"]["split"] == "train"
    assert len(data["weights"]) == len(data["features"])
    model = Model(data)
    assert 0.0 <= model.probability({"before_same_sentence": 1.0}) <= 1.0
    assert "top-1 on named quotes" in capsys.readouterr().out


def test_the_training_script_refuses_any_split_but_train(tmp_path):
    with pytest.raises(SystemExit, match="train split only"):
        _script().main([str(tmp_path / "dev"), "--out", str(tmp_path / "m.json")])


def _recency_model(**decisions) -> Model:
    """A model that prefers the person named last before the quote."""
    data = {"kind": "logistic", "features": ["before_recency"], "intercept": 2.0, "weights": [-4]}
    return Model(data | decisions)


OVERRIDDEN = (
    "Jane Roe spoke first at the hearing.\n"
    "Roe sat down. Tom Vick nodded: \u201cThe depot will open in the spring next year.\u201d\n"
)


def _ranked(text: str, model: Model) -> tuple[list, list]:
    """The rules' speakers of the text's quotes, and the speakers and cues after the
    ranker decided with ``model``."""
    from articles.extraction.quotes import rule_drafts
    from articles.extraction.speaker_ranker import rank_speakers
    from articles.extraction.text import normalize, paragraph_spans

    text = normalize(text)
    drafts, attributor, mask, _ = rule_drafts(text, GAZETTEER)
    before = [d.person.name if d.person else None for d in drafts]
    rank_speakers(drafts, attributor, paragraph_spans(mask), model)
    return before, [(d.person.name if d.person else None, d.cue) for d in drafts]


def test_a_model_with_neither_threshold_nor_margin_changes_nothing():
    before, after = _ranked(OVERRIDDEN, _recency_model())
    assert [name for name, _ in after] == before == ["Tom Vick"]


def test_the_rules_person_is_replaced_only_beyond_the_margin():
    # The rules give the quote to Vick, the sentence's subject; a model that prefers the
    # person named last before the quote agrees, so nothing changes.
    before, after = _ranked(OVERRIDDEN, _recency_model(override_margin=0.0))
    assert before == ["Tom Vick"] and after[0][0] == "Tom Vick"
    # A model that prefers the person named earlier replaces him at margin 0 only.
    earliest = {"kind": "logistic", "features": ["before_recency"], "intercept": -2.0}
    _, after = _ranked(OVERRIDDEN, Model(earliest | {"weights": [4], "override_margin": 0.0}))
    assert after == [("Jane Roe", CUE)]
    _, after = _ranked(OVERRIDDEN, Model(earliest | {"weights": [4], "override_margin": 0.99}))
    assert after[0][0] == "Tom Vick"


def test_a_quote_without_a_source_is_filled_only_from_the_threshold():
    text = (
        "Jane Roe spoke at length to the committee on Monday.\n"
        "Critics called the plan \u201cthe end of the matter for now and for good.\u201d\n"
    )
    before, after = _ranked(text, _recency_model(fill_threshold=0.5))
    assert before == [None] and after == [("Jane Roe", CUE)]
    _, after = _ranked(text, _recency_model(fill_threshold=0.999))
    assert after == [(None, None)]
