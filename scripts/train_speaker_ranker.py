"""Train the speaker ranker (``articles/extraction/speaker_ranker.py``) on PolNeAR train.

    python scripts/train_speaker_ranker.py                 # cross-validate, train, write the model
    python scripts/train_speaker_ranker.py --dry-run       # cross-validate and report only
    python scripts/train_speaker_ranker.py SPLIT --limit 20 --out /tmp/model.json

Needs scikit-learn, in the ``dev`` extra (``bash scripts/test.sh`` installs it, or
``.venv/bin/python -m pip install -e '.[dev]'``); the model it writes is
plain JSON, read at run time without scikit-learn. Only a split named ``train`` is accepted:
dev is measured with ``scripts/eval_speakers.py``, never trained or tuned on, and PolNeAR's
test split is kept aside.

Every quote of a train article is extracted as ``python -m articles.extraction`` does, up to
the rules' speakers; the ranker's candidates around each quote are collected with their
features, and a quote matched to a named gold quote (by the corpus's own ``score_quotes.py``)
labels each candidate by whether its surname is the gold speaker's (a quote with an unnamed
source that the rules leave unresolved is kept too, every candidate labelled 0). Model
selection is by cross-validation grouped by article: the configurations in :data:`CONFIGS`
are compared by how often their best candidate is the speaker of a named quote; the best is
trained on the whole split. Its ``fill_threshold`` (for quotes the rules leave without a
source) is the lowest probability from which, in cross-validation, its picks there are right
more often than wrong, quotes with an unnamed source counting as wrong (None: never fill);
its ``override_margin`` (for quotes the rules gave a person) is :data:`OVERRIDE_MARGIN`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_SPLIT = ROOT.parent / "shared" / "eval" / "polnear" / "train"

# (name, model kind, parameters, which quotes train it)
CONFIGS = [
    ("logistic C=1", "logistic", {"C": 1.0}, "all"),
    ("trees 100x3", "trees", {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.1}, "all"),
    ("trees 150x4", "trees", {"n_estimators": 150, "max_depth": 4, "learning_rate": 0.05}, "all"),
]
# Cues that name no speech verb: the quotes most like those the ranker acts on.
# The shipped margin: None, the ranker is off. Cross-validation on train chooses 0.4
# (``--override-margin auto``), which changed no dev figure; at 0 (the ranker's pick always
# replaces the rules') dev rose by one quote but seven rule tests of
# tests/extraction/test_extraction_speakers.py failed (docs/ingestion.md lists every run).
OVERRIDE_MARGIN: float | str | None = None
# Margins by which the ranker's pick may have to beat the rules' person to replace it.
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
WEAK_CUES = {None, "carried", "continued", "subject", "paragraph", "introduced"}


@dataclass
class Quote:
    """A gold quote matched to an extracted quote, with its candidates: every named one,
    and those with an unnamed source that the rules leave unresolved (all labels 0)."""

    article: str
    named: bool
    cue: str | None
    rules_correct: bool
    rules_unresolved: bool  # no speaker and no unnamed source: what the ranker acts on
    rules_pick: int  # the index of the rules' speaker among the candidates, else -1
    labels: list[int]
    features: list[dict[str, float]]


def _scorer(split: Path):
    spec = importlib.util.spec_from_file_location("score_quotes", split.parent / "score_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def article_candidates(text: str, gazetteer) -> tuple[str, list, dict[int, list]]:
    """The article's text as extracted, its quotes with the rules' speakers (``quotes``'
    drafts) and each quote's ranker candidates by the quote's index, as
    ``extract_statements`` computes them before the ranker decides."""
    from articles.extraction.quotes import rule_drafts
    from articles.extraction.speaker_ranker import rank_speakers
    from articles.extraction.text import normalize, paragraph_spans

    text = normalize(text)
    drafts, attributor, mask, _ = rule_drafts(text, gazetteer)
    by_draft: dict[int, list] = {}
    rank_speakers(drafts, attributor, paragraph_spans(mask), collect=by_draft.__setitem__)
    return text, drafts, by_draft


def collect(split: Path, limit: int | None = None) -> tuple[list[Quote], int]:
    """The gold quotes of ``split`` matched to extracted quotes (see :class:`Quote`), and how
    many have an unnamed source."""
    from articles.extraction import quotes as q
    from articles.extraction.gazetteer import default_gazetteer
    from articles.extraction.speaker_ranker import _unresolved
    from articles.inputs import InputError, read_inputs

    score = _scorer(split)
    gazetteer = default_gazetteer()
    texts = sorted(str(p) for p in split.glob("*.txt"))[:limit]
    found: list[Quote] = []
    unnamed_acted = 0
    for item in read_inputs(texts):
        if isinstance(item, InputError):
            raise SystemExit(f"{item.path}: {item.error}")
        stem = Path(item.path).stem
        golds = json.loads((split / f"{stem}.gold.json").read_text(encoding="utf-8"))["statements"]
        text, drafts, by_draft = article_candidates(item.text, gazetteer)
        kept = [
            i for i, d in enumerate(drafts) if len(q.trimmed_content(text, d.quote)[0].split()) >= 3
        ]
        predicted = [{"text": q.trimmed_content(text, drafts[i].quote)[0]} for i in kept]
        for i, j, _ in score.match(predicted, golds):
            draft, gold = drafts[kept[i]], golds[j]
            unresolved = _unresolved(draft)
            candidates = by_draft[kept[i]]
            if not gold["named"]:
                if not (unresolved and candidates):
                    continue
                # A quote the rules leave unresolved whose source is not a named person
                # ("the campaign said", a slogan): every pick of the ranker is wrong.
                unnamed_acted += 1
            wanted = score.last_name(gold["speaker"]) if gold["named"] else None
            found.append(
                Quote(
                    article=stem,
                    named=gold["named"],
                    cue=draft.cue,
                    rules_correct=score.speaker_ok(
                        gold["speaker"], draft.person.name if draft.person else None
                    ),
                    rules_unresolved=unresolved,
                    rules_pick=next(
                        (k for k, c in enumerate(candidates) if c.person is draft.person), -1
                    ),
                    labels=[int(score.last_name(c.person.name) == wanted) for c in candidates],
                    features=[c.features for c in candidates],
                )
            )
    return found, unnamed_acted


def _matrix(quotes: list[Quote], names: list[str]):
    import numpy as np

    index = {name: i for i, name in enumerate(names)}
    rows = [features for quote in quotes for features in quote.features]
    x = np.zeros((len(rows), len(names)))
    for r, features in enumerate(rows):
        for name, value in features.items():
            if name in index:
                x[r, index[name]] = value
    y = np.array([label for quote in quotes for label in quote.labels])
    return x, y


def _fit(kind: str, params: dict, x, y):
    if kind == "logistic":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=2000, **params).fit(x, y)
    from sklearn.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(random_state=0, subsample=1.0, **params).fit(x, y)


def _training_quotes(quotes: list[Quote], subset: str) -> list[Quote]:
    chosen = [q for q in quotes if q.features]
    if subset == "weak":
        chosen = [q for q in chosen if q.cue in WEAK_CUES]
    return chosen


def cross_validate(quotes: list[Quote], names: list[str], config, folds: int) -> list[tuple]:
    """(quote, its candidates' probabilities) per quote, each predicted by a model that did
    not see its article."""
    from sklearn.model_selection import GroupKFold

    _, kind, params, subset = config
    articles = sorted({q.article for q in quotes})
    number = {a: i for i, a in enumerate(articles)}
    groups = [number[q.article] for q in quotes]
    results = []
    for train_index, test_index in GroupKFold(n_splits=folds).split(quotes, groups=groups):
        train = _training_quotes([quotes[i] for i in train_index], subset)
        x, y = _matrix(train, names)
        model = _fit(kind, params, x, y)
        tested = [quotes[i] for i in test_index]
        xt, _ = _matrix(tested, names)
        probabilities = model.predict_proba(xt)[:, 1] if len(xt) else []
        offset = 0
        for quote in tested:
            results.append((quote, list(probabilities[offset : offset + len(quote.labels)])))
            offset += len(quote.labels)
    return results


def _best(probabilities: list[float]) -> int:
    return max(range(len(probabilities)), key=probabilities.__getitem__)


def choose_threshold(results: list[tuple]) -> float | None:
    """The lowest probability from which the picks for the quotes the rules leave
    unresolved are right more often than wrong (a quote with an unnamed source is wrong
    whatever the pick), scanning from the most confident down; None if there is none."""
    acted = [(q, p) for q, p in results if q.rules_unresolved and p]
    ranked = sorted(((max(p), bool(q.labels[_best(p)])) for q, p in acted), reverse=True)
    best, best_gain, gain = None, 0, 0
    for probability, right in ranked:
        gain += 1 if right else -1
        if gain > best_gain:
            best, best_gain = round(probability, 4), gain
    return best


def overrides(results: list[tuple], margin: float) -> tuple[int, int, int]:
    """How many quotes the rules gave a person the ranker would give another at ``margin``,
    how many of those it would make right and how many wrong (named quotes only)."""
    count = fixed = broken = 0
    for quote, p in results:
        if not quote.named or quote.rules_pick < 0 or not p:
            continue
        best = _best(p)
        if best != quote.rules_pick and p[best] - p[quote.rules_pick] >= margin:
            count += 1
            fixed += bool(quote.labels[best]) and not quote.rules_correct
            broken += quote.rules_correct and not quote.labels[best]
    return count, fixed, broken


def export(
    kind: str, model, names: list[str], threshold: float | None, margin: float | None
) -> dict:
    """The fitted model as plain data for ``speaker_ranker.Model``."""
    data = {"kind": kind, "features": names, "fill_threshold": threshold, "override_margin": margin}
    if kind == "logistic":
        data |= {
            "intercept": float(model.intercept_[0]),
            "weights": [round(float(w), 6) for w in model.coef_[0]],
        }
        return data
    import numpy as np

    prior = float(model.init_.class_prior_[1])
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(
            {
                "feature": [int(f) if f >= 0 else -1 for f in tree.feature],
                "threshold": [round(float(t), 6) for t in tree.threshold],
                "left": [int(c) for c in tree.children_left],
                "right": [int(c) for c in tree.children_right],
                "value": [round(float(v), 6) for v in tree.value[:, 0, 0]],
            }
        )
    data |= {
        "init": float(np.log(prior / (1 - prior))),
        "learning_rate": float(model.learning_rate),
        "trees": trees,
    }
    return data


def choose_margin(by_margin: dict[float, tuple[int, int, int]]) -> float | None:
    """The margin whose overrides of the rules, in cross-validation, fix the most quotes
    more than they break (the smallest of equals); None if no margin fixes more."""
    gains = [(fixed - broken, -margin) for margin, (_, fixed, broken) in by_margin.items()]
    gain, margin = max(gains)
    return -margin if gain > 0 else None


def _report(name: str, results: list[tuple], threshold: float | None) -> dict:
    named = [(q, p) for q, p in results if q.named]
    acted = [(q, p) for q, p in results if q.rules_unresolved and p]
    picked = [(q, p) for q, p in acted if threshold is not None and max(p) >= threshold]
    right = [(q, p) for q, p in named if p and q.labels[_best(p)]]
    row = {
        "config": name,
        "top1_named": len(right) / len(named) if named else 0.0,
        "rules_named": sum(q.rules_correct for q, _ in named) / len(named) if named else 0.0,
        "threshold": threshold,
        "filled": len(picked),
        "filled_right": sum(bool(q.labels[_best(p)]) for q, p in picked),
        "overrides": {m: overrides(results, m) for m in MARGINS},
    }
    print(
        f"  {name:<24} top-1 on named quotes {row['top1_named']:.3f} (rules "
        f"{row['rules_named']:.3f}); {len(acted)} quotes unresolved by the rules "
        f"({sum(q.named for q, _ in acted)} named): fill threshold {threshold}, "
        f"fills {row['filled']} ({row['filled_right']} right); overrides of the rules' "
        "person (margin: count, fixed, broken) "
        + ", ".join(f"{m}: {c}" for m, c in row["overrides"].items())
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", nargs="?", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--limit", type=int, help="use only the first N articles")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="model file (default: the shipped one)")
    parser.add_argument("--config", help="train this configuration, skipping the comparison")
    parser.add_argument(
        "--override-margin",
        type=lambda v: v if v == "auto" else None if v == "none" else float(v),
        default=OVERRIDE_MARGIN,
        help="how much more probable the ranker's pick must be than the rules' to replace "
        "it, 'none', or 'auto' (chosen by cross-validation, see choose_margin; default "
        f"{OVERRIDE_MARGIN or 'none'})",
    )
    parser.add_argument("--dry-run", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    if args.split.name != "train":
        raise SystemExit("the ranker trains on a train split only (dev is only measured)")
    if importlib.util.find_spec("sklearn") is None:  # before minutes of extraction, not after
        raise SystemExit(
            "scikit-learn is missing: .venv/bin/python -m pip install -e '.[dev]' installs it"
        )
    from articles.extraction.speaker_ranker import MODEL_PATH

    quotes, unnamed_acted = collect(args.split, args.limit)
    names = sorted({name for q in quotes for f in q.features for name in f})
    print(
        f"{sum(q.named for q in quotes)} named gold quotes matched in "
        f"{len({q.article for q in quotes})} articles and {unnamed_acted} with an unnamed "
        f"source left unresolved by the rules; {sum(len(q.labels) for q in quotes)} "
        f"candidates, {len(names)} features"
    )
    configs = [c for c in CONFIGS if args.config in (None, c[0])]
    if not configs:
        raise SystemExit(f"no configuration {args.config!r}: {[c[0] for c in CONFIGS]}")
    folds = max(2, min(args.folds, len({q.article for q in quotes})))
    rows = []
    for config in configs:
        results = cross_validate(quotes, names, config, folds)
        threshold = choose_threshold(results)
        rows.append((config, threshold, _report(config[0], results, threshold)))
    # The best ranks the named quotes best; then the one whose fills gain most.
    config, threshold, row = max(
        rows, key=lambda r: (r[2]["top1_named"], r[2]["filled_right"] * 2 - r[2]["filled"])
    )
    margin = (
        choose_margin(row["overrides"]) if args.override_margin == "auto" else args.override_margin
    )
    print(f"chosen: {config[0]}, fill threshold {threshold}, override margin {margin}")
    if args.dry_run:
        return 0
    _, kind, params, subset = config
    x, y = _matrix(_training_quotes(quotes, subset), names)
    model = _fit(kind, params, x, y)
    data = export(kind, model, names, threshold, margin)
    data["trained_on"] = {
        "split": args.split.name,
        "articles": len({q.article for q in quotes}),
        "named_quotes": sum(q.named for q in quotes),
        "config": config[0],
    }
    out = args.out or MODEL_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
