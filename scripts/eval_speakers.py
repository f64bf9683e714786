"""Per-stage scores of speaker attribution on PolNeAR (../shared/eval/polnear/), and end to end.

    python scripts/eval_speakers.py [SPLIT_DIR] [--json]

SPLIT_DIR defaults to ../shared/eval/polnear/dev. The articles are read and extracted exactly
as ``python -m articles.extraction`` does (``articles.inputs``, the repository gazetteer), and
matched to the gold with the corpus's own scorer (``score_quotes.py`` beside the split). The
stages, so that a failure can be put where it belongs:

- quotes found: gold quotes matched by a statement's text / gold quotes;
- cue found: named gold quotes (matched) whose statement has a cue (a reporting verb, a
  colon, a label, a carried speaker: ``Statement.cue``) / named gold quotes matched;
- candidate recall: named gold quotes (matched) whose speaker is among the people the text
  offers around the quote (``Statement.candidates``) / named gold quotes matched;
- resolution accuracy: correct speakers / named gold quotes whose speaker was a candidate;
- end to end: named-quote F1 as ``score_quotes.py`` computes it (its last line).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_SPLIT = ROOT.parent / "shared" / "eval" / "polnear" / "dev"


def _scorer(split: Path):
    path = split.parent / "score_quotes.py"
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(split: Path) -> dict:
    """Counts and scores per stage for one split folder of ``NAME.txt`` + ``NAME.gold.json``."""
    from articles.extraction.gazetteer import default_gazetteer
    from articles.inputs import InputError, extract_document, read_inputs

    score = _scorer(split)
    gazetteer = default_gazetteer()
    stages = ("gold", "matched", "named", "named_matched", "cue", "candidate")
    counts = dict.fromkeys((*stages, "resolved_of_candidate", "correct"), 0)
    texts = sorted(str(p) for p in split.glob("*.txt"))
    for item in read_inputs(texts):
        if isinstance(item, InputError):
            raise SystemExit(f"{item.path}: {item.error}")
        gold_path = split / f"{Path(item.path).stem}.gold.json"
        golds = json.loads(gold_path.read_text(encoding="utf-8"))["statements"]
        statements = extract_document(item, gazetteer).statements
        predicted = [{"text": s.text, "speaker": s.speaker} for s in statements]
        pairs = {j: i for i, j, _ in score.match(predicted, golds)}
        counts["gold"] += len(golds)
        counts["matched"] += len(pairs)
        for j, gold in enumerate(golds):
            if not gold["named"]:
                continue
            counts["named"] += 1
            if j not in pairs:
                continue
            statement = statements[pairs[j]]
            counts["named_matched"] += 1
            counts["cue"] += statement.cue is not None
            correct = score.speaker_ok(gold["speaker"], statement.speaker)
            counts["correct"] += correct
            wanted = score.last_name(gold["speaker"])
            if wanted in {score.last_name(c) for c in statement.candidates}:
                counts["candidate"] += 1
                counts["resolved_of_candidate"] += correct
    return {"counts": counts, **_scores(counts)}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _scores(c: dict) -> dict:
    precision = _ratio(c["correct"], c["named_matched"])
    recall = _ratio(c["correct"], c["named"])
    return {
        "quotes_found": _ratio(c["matched"], c["gold"]),
        "cue_found": _ratio(c["cue"], c["named_matched"]),
        "candidate_recall": _ratio(c["candidate"], c["named_matched"]),
        "resolution_accuracy": _ratio(c["resolved_of_candidate"], c["candidate"]),
        "named_quote_f1": _ratio(2 * precision * recall, precision + recall),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", nargs="?", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = evaluate(args.split)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    c = result["counts"]
    rows = [
        ("quotes found", result["quotes_found"], f"{c['matched']}/{c['gold']}"),
        ("cue found", result["cue_found"], f"{c['cue']}/{c['named_matched']}"),
        ("candidate recall", result["candidate_recall"], f"{c['candidate']}/{c['named_matched']}"),
        (
            "resolution accuracy",
            result["resolution_accuracy"],
            f"{c['resolved_of_candidate']}/{c['candidate']}",
        ),
        ("named-quote F1 (end to end)", result["named_quote_f1"], f"{c['correct']} correct"),
    ]
    print(f"speaker attribution on {args.split}")
    for name, value, detail in rows:
        print(f"  {name:<28} {value:.3f}  ({detail})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
