"""Per-stage scores of speaker attribution on PolNeAR (../shared/eval/polnear/), and end to end.

    python scripts/eval_speakers.py [SPLIT_DIR] [--json]
    python scripts/eval_speakers.py ../shared/eval/polnear/train --errors N
    python scripts/eval_speakers.py ../shared/eval/polnear/train --show cue-misses

The second form lists the train split's speaker errors by category with N examples of each
in context; the third lists every named gold quote of train that the extractor finds but
ties to no cue (``Statement.cue`` is None), with its paragraph and the one before, where
the gold's source span stands, and whether the speaker came out right anyway. Both refuse
any other split: dev is only measured. The summary reports the CPU time the extraction
itself took.

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
import time
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


def _articles(split: Path, cpu: list[float] | None = None):
    """(document, gold statements, extracted statements, gold index -> statement index) per
    article; ``cpu`` gets the CPU seconds spent in the extraction itself."""
    from articles.extraction.gazetteer import default_gazetteer
    from articles.inputs import InputError, extract_document, read_inputs

    score = _scorer(split)
    gazetteer = default_gazetteer()
    texts = sorted(str(p) for p in split.glob("*.txt"))
    for item in read_inputs(texts):
        if isinstance(item, InputError):
            raise SystemExit(f"{item.path}: {item.error}")
        gold_path = split / f"{Path(item.path).stem}.gold.json"
        golds = json.loads(gold_path.read_text(encoding="utf-8"))["statements"]
        started = time.process_time()
        statements = extract_document(item, gazetteer).statements
        if cpu is not None:
            cpu[0] += time.process_time() - started
        predicted = [{"text": s.text, "speaker": s.speaker} for s in statements]
        pairs = {j: i for i, j, _ in score.match(predicted, golds)}
        yield item, golds, statements, pairs


def evaluate(split: Path) -> dict:
    """Counts and scores per stage for one split folder of ``NAME.txt`` + ``NAME.gold.json``,
    and the CPU seconds the extraction took."""
    score = _scorer(split)
    stages = ("gold", "matched", "named", "named_matched", "cue", "candidate")
    counts = dict.fromkeys((*stages, "resolved_of_candidate", "correct"), 0)
    cpu = [0.0]
    for _item, golds, statements, pairs in _articles(split, cpu):
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
    return {"counts": counts, **_scores(counts), "extraction_cpu_seconds": round(cpu[0], 2)}


def _error_category(text: str, gold: dict, statement, score) -> str:
    """Where a named gold quote was lost: the stage, and for a quote with no speaker where
    its speaker is named (the quote's paragraph, an earlier one, nowhere before)."""
    if statement is None:
        return "quote not found"
    surname = score.last_name(gold["speaker"])
    in_candidates = surname in {score.last_name(c) for c in statement.candidates}
    if statement.speaker is None:
        paragraph_start = text.rfind("\n", 0, gold["start"]) + 1
        before = text[:paragraph_start].lower()
        here = text[paragraph_start : gold["start"]].lower()
        where = (
            "named earlier in its paragraph"
            if surname in here
            else "named in an earlier paragraph"
            if surname in before
            else "not named before the quote"
        )
        cue = "no cue" if statement.cue is None else f"cue {statement.cue} but unresolved"
        return f"no speaker ({cue}), {where}"
    found = "right person among candidates" if in_candidates else "right person not a candidate"
    return f"wrong speaker (cue {statement.cue}), {found}"


def list_errors(split: Path, examples: int) -> dict[str, int]:
    """Print the named gold quotes given a wrong or no speaker, by category, with
    ``examples`` of each in context. Only for the train split: dev and test are measured,
    never read quote by quote."""
    if split.name != "train":
        raise SystemExit("error listings are for the train split only (dev is only measured)")
    score = _scorer(split)
    by_category: dict[str, list[str]] = {}
    for item, golds, statements, pairs in _articles(split):
        text = item.text
        for j, gold in enumerate(golds):
            if not gold["named"]:
                continue
            statement = statements[pairs[j]] if j in pairs else None
            if statement is not None and score.speaker_ok(gold["speaker"], statement.speaker):
                continue
            category = _error_category(text, gold, statement, score)
            context = (
                text[max(0, gold["start"] - 300) : gold["start"]]
                + "[["
                + text[gold["start"] : gold["end"]][:80]
                + "]]"
                + text[gold["end"] : gold["end"] + 120]
            ).replace("\n", " \u00b6 ")
            predicted = repr(statement.speaker if statement else None)
            if statement is not None and statement.speaker is None and statement.speaker_as_written:
                predicted = f"None (written {statement.speaker_as_written!r})"
            gold_line = f"gold {gold['speaker']!r} (source {gold['source_span']!r})"
            by_category.setdefault(category, []).append(
                f"  {Path(item.path).stem}: {gold_line}, predicted {predicted}\n    {context}"
            )
    for category, rows in sorted(by_category.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(rows):5d}  {category}")
    for category, rows in sorted(by_category.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {category} ({len(rows)})")
        for row in rows[:examples]:
            print(row)
    return {category: len(rows) for category, rows in by_category.items()}


def _source_place(text: str, gold: dict) -> str:
    """Where the gold's source span stands relative to its quote: in the quote's paragraph
    (before or after it), an earlier or a later paragraph, or not in the text."""
    source = gold.get("source_span") or ""
    paragraph_start = text.rfind("\n", 0, gold["start"]) + 1
    paragraph_end = text.find("\n", gold["end"])
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    if not source:
        return "no source span"
    here = text.rfind(source, paragraph_start, gold["start"])
    if here >= 0:
        return "source before the quote in its paragraph"
    if text.find(source, gold["end"], paragraph_end) >= 0:
        return "source after the quote in its paragraph"
    if text.rfind(source, 0, paragraph_start) >= 0:
        return "source in an earlier paragraph"
    return "source later or not found as written"


def list_cue_misses(split: Path) -> int:
    """Print every named gold quote of the train split that a statement matches but no
    cue rule attaches to, with the paragraph before and its own (the quote in [[...]]), the
    gold speaker and source span, and the predicted speaker. Only for the train split."""
    if split.name != "train":
        raise SystemExit("cue-miss listings are for the train split only (dev is only measured)")
    score = _scorer(split)
    rows: list[tuple[str, str]] = []
    for item, golds, statements, pairs in _articles(split):
        text = item.text
        for j, gold in enumerate(golds):
            if not gold["named"] or j not in pairs:
                continue
            statement = statements[pairs[j]]
            if statement.cue is not None:
                continue
            paragraph_start = text.rfind("\n", 0, gold["start"]) + 1
            previous_start = text.rfind("\n", 0, max(0, paragraph_start - 1)) + 1
            paragraph_end = text.find("\n", gold["end"])
            paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
            context = (
                text[previous_start : gold["start"]]
                + "[["
                + text[gold["start"] : gold["end"]]
                + "]]"
                + text[gold["end"] : paragraph_end]
            ).replace("\n", " \u00b6 ")
            ok = "right" if score.speaker_ok(gold["speaker"], statement.speaker) else "wrong"
            place = _source_place(text, gold)
            rows.append(
                (
                    place,
                    f"  {Path(item.path).stem}: gold {gold['speaker']!r} (source "
                    f"{gold['source_span']!r}), predicted {statement.speaker!r} ({ok})\n"
                    f"    {context}",
                )
            )
    counts: dict[str, int] = {}
    for place, _row in rows:
        counts[place] = counts.get(place, 0) + 1
    print(f"{len(rows)} named gold quotes found with no cue")
    for place, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{count:5d}  {place}")
    for place, row in sorted(rows, key=lambda r: r[0]):
        print(f"\n[{place}]\n{row}")
    return len(rows)


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
    parser.add_argument(
        "--errors",
        type=int,
        metavar="N",
        help="list the train split's speaker errors by category, N examples of each",
    )
    parser.add_argument(
        "--show",
        choices=["cue-misses"],
        help="cue-misses: list the train split's named quotes found with no cue",
    )
    args = parser.parse_args(argv)
    if args.show == "cue-misses":
        list_cue_misses(args.split)
        return 0
    if args.errors is not None:
        list_errors(args.split, args.errors)
        return 0
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
    print(f"  extraction CPU time          {result['extraction_cpu_seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
