"""Audit: which alternatives of the figure rules' patterns change nothing when removed.

    .venv/bin/python scripts/audit_rules.py [--module articles.extraction.figures.counts ...]
        [--tests tests/extraction/test_rule_audit.py ...]

For every compiled pattern at the top level of the figure modules (``articles/extraction/
figures/*.py`` and ``numbers.py``), each alternative of each group (``a|b|c``) is removed in
turn, the pattern is recompiled with the same flags and put in its module's place, and the
extraction is scored on the seeds, the five invented held-out sets and the real NATO set
(matched, gold and predicted counts of every field, in process, with ../shared/eval/score.py).
An alternative whose removal leaves every count of every set identical changes nothing the
sets can see: it is printed, to be removed or given a unit test (issue 11, item 2). With
``--whole`` each pattern is disabled as a whole instead (it never matches), and every pattern
is printed with whether that changes the scores. With ``--tests``, an alternative that changes
nothing on the sets is also tried on those unit tests (run in process, each test function
called with its parameters): it is printed as ``tested`` with the first test that fails
without it (the pattern is swapped in the test modules too where they import it), as
``lexicon`` when the lexicon's builders wrote it into the pattern (an alternation or a prefix
tree of its words, a verb's or a noun's generated forms: ``lexicon_output``), else as
``UNTESTED``. Patterns
built into other patterns at import time are audited where they are compiled, not where
they are reused. The real NATO held-out set (``real_nato_heldout``) is never read.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODULES = [
    "articles.extraction.numbers",
    *(
        f"articles.extraction.figures.{p.stem}"
        for p in sorted((ROOT / "articles/extraction/figures").glob("*.py"))
        if p.stem != "__init__"
    ),
]
NEVER = r"(?!x)x"  # a pattern that never matches
SETS = {
    "seeds": (ROOT.parent / "shared/seeds", ROOT.parent / "shared/eval/seeds_gold"),
    **{
        name: (ROOT / "tests/extraction" / name,) * 2
        for name in ("heldout", "heldout2", "heldout3", "heldout4", "heldout5", "real_nato")
    },
}


def alternatives(pattern: str) -> list[tuple[int, int]]:
    """Spans of every alternative of every alternation in a pattern: for "(?:a|bc)", the
    spans of "a" and "bc". Escapes and character classes are skipped."""
    spans: list[tuple[int, int]] = []
    stack: list[list[int]] = [[0]]  # per open group: the starts of its alternatives
    bars: list[list[int]] = [[]]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            start = i + 1
            if pattern.startswith("?", start):  # (?:, (?i:, (?P<name>, (?=, (?<!, ...
                close = start + 1
                if pattern.startswith("P<", close):
                    close = pattern.index(">", close) + 1
                elif pattern[close] in "=!":
                    close += 1
                elif pattern.startswith(("<=", "<!"), close):
                    close += 2
                else:
                    while close < len(pattern) and pattern[close] not in ":)":
                        close += 1
                    close += 1
                start = close
            stack.append([start])
            bars.append([])
        elif char == "|":
            bars[-1].append(i)
            stack[-1].append(i + 1)
        elif char == ")" and len(stack) > 1:
            starts, pipes = stack.pop(), bars.pop()
            ends = [*pipes, i]
            if pipes:
                spans += list(zip(starts, ends, strict=True))
        i += 1
    starts, pipes = stack.pop(), bars.pop()
    if pipes:
        spans += list(zip(starts, [*pipes, len(pattern)], strict=True))
    return spans


def without(pattern: str, span: tuple[int, int]) -> str:
    """The pattern with one alternative and one of its bars removed."""
    start, end = span
    if end < len(pattern) and pattern[end] == "|":
        return pattern[:start] + pattern[end + 1 :]
    return pattern[: start - 1] + pattern[end:]


def lexicon_output() -> tuple[list[str], set[str]]:
    """What the lexicon's builders give the rule modules: each module is run once more, apart,
    with the builders recording what they return; the alternations and prefix trees (as
    written into patterns) and the words and forms (``verb_forms``, ``noun_forms``)."""
    from articles.extraction import lexicon

    patterns: list[str] = []
    words: set[str] = set()
    builders = {"alternation", "spaced_alternation", "prefix_tree", "verb_forms", "noun_forms"}
    originals = {name: getattr(lexicon, name) for name in builders}

    def recording(function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            if isinstance(result, str):
                patterns.append(result)
            else:
                words.update(form.casefold() for form in result)
            return result

        return wrapper

    for name, function in originals.items():
        setattr(lexicon, name, recording(function))
    try:
        for module in MODULES:
            path = ROOT / (module.replace(".", "/") + ".py")
            spec = importlib.util.spec_from_file_location(f"{module}__audited", path)
            copy = importlib.util.module_from_spec(spec)
            copy.__package__ = module.rpartition(".")[0]
            sys.modules[spec.name] = copy  # dataclasses look their module up
            try:
                spec.loader.exec_module(copy)
            finally:
                del sys.modules[spec.name]
    finally:
        for name, function in originals.items():
            setattr(lexicon, name, function)
    return [p for p in patterns if p], words


def generated(pattern: str, span: tuple[int, int], output: tuple[list[str], set[str]]) -> bool:
    """Whether an alternative comes from the lexicon: it lies inside an alternation or tree a
    builder returned, or it is one word or form a builder returned."""
    patterns, words = output
    for built in patterns:
        for found in regex.finditer(regex.escape(built), pattern):
            if found.start() <= span[0] and span[1] <= found.end():
                return True
    return literal(pattern[span[0] : span[1]]) in words


TRAILING_LOOKAROUND = regex.compile(r"\(\?<?[!=](?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)$")


def literal(alternative: str) -> str | None:
    """The text an alternative matches when it is a literal word or phrase (a space written
    ``\\s+`` or ``[ ]``, a lookaround at its end ignored), else None."""
    text = TRAILING_LOOKAROUND.sub("", alternative).replace(r"\s+", " ").replace("[ ]", " ")
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            if i + 1 >= len(text) or text[i + 1].isalnum():
                return None
            out.append(text[i + 1])
            i += 2
            continue
        if text[i] in "[](){}?*+|^$.":
            return None
        out.append(text[i])
        i += 1
    return "".join(out).casefold()


def unit_tests(paths: list[str]) -> list[tuple[str, object, dict]]:
    """The test functions of some test files, with their parameters, as pytest collects them."""
    import pytest

    class Collector:
        items: list = []

        def pytest_collection_finish(self, session) -> None:
            self.items = list(session.items)

    collector = Collector()
    pytest.main(["--collect-only", "-qq", "-p", "no:cacheprovider", *paths], plugins=[collector])
    return [
        (item.nodeid, item.obj, item.callspec.params if hasattr(item, "callspec") else {})
        for item in collector.items
    ]


def first_failure(tests: list[tuple[str, object, dict]]) -> str | None:
    """The first of the tests that fails (or errors), or None."""
    for nodeid, function, params in tests:
        try:
            function(**params)
        except Exception:  # noqa: BLE001 - an error without the alternative is a failure too
            return nodeid
    return None


def scorer():
    spec = importlib.util.spec_from_file_location("score", ROOT.parent / "shared/eval/score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    return score


def measure(score, documents, gazetteer) -> dict:
    from articles.inputs import dry_run_dict, extract_document

    counts = {}
    for name, (docs, golds) in documents.items():
        predicted = {
            Path(d.path).stem: dry_run_dict(d, extract_document(d, gazetteer)) for d in docs
        }
        totals = {}
        for stem, gold in golds.items():
            for field, function in score.FIELDS.items():
                found = function(gold, predicted.get(stem, {}))
                totals[field] = [
                    a + b for a, b in zip(totals.get(field, (0, 0, 0)), found, strict=True)
                ]
        counts[name] = totals
    return counts


def main() -> int:
    from articles.extraction.gazetteer import default_gazetteer
    from articles.extraction.lexicon import prefix_tree
    from articles.extraction.numbers import NUMBER_WORDS as number_words
    from articles.inputs import read_inputs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", default=None)
    parser.add_argument(
        "--whole",
        action="store_true",
        help="disable each pattern as a whole (it never matches) instead of each alternative",
    )
    parser.add_argument(
        "--tests",
        action="append",
        default=[],
        help="test files whose unit tests an alternative changing no score is tried on",
    )
    args = parser.parse_args()
    tests = unit_tests(args.tests) if args.tests else []
    output = lexicon_output() if args.tests else ([], set())
    test_modules = [m for name, m in sys.modules.items() if name.rsplit(".", 1)[-1][:5] == "test_"]
    verdicts: dict[str, int] = {}
    score, gazetteer = scorer(), default_gazetteer()
    number_tree = prefix_tree(number_words)
    documents = {}
    for name, (texts, golds) in SETS.items():
        docs = list(read_inputs(sorted(str(p) for p in Path(texts).glob("*.txt"))))
        gold = {
            p.name[: -len(".gold.json")]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(Path(golds).glob("*.gold.json"))
        }
        documents[name] = (docs, gold)
    baseline = measure(score, documents, gazetteer)

    def swapped(module, attribute: str, variant: regex.Pattern, check):
        """``check()`` with ``variant`` in place, in the module and the test modules."""
        value = getattr(module, attribute)
        holders = [module] + [m for m in test_modules if getattr(m, attribute, None) is value]
        for holder in holders:
            setattr(holder, attribute, variant)
        try:
            return check()
        finally:
            for holder in holders:
                setattr(holder, attribute, value)

    def unchanged(module, attribute: str, variant: regex.Pattern) -> bool:
        """Whether every count of every set stays the same with ``variant`` in place."""
        value = getattr(module, attribute)
        setattr(module, attribute, variant)
        try:
            return measure(score, documents, gazetteer) == baseline
        except Exception as error:  # noqa: BLE001 - a variant may break a rule's assumptions
            print(f"# {module.__name__}.{attribute}: {type(error).__name__} without it")
            return False
        finally:
            setattr(module, attribute, value)

    idle = changed = 0
    for module_name in args.module or MODULES:
        module = importlib.import_module(module_name)
        for attribute, value in sorted(vars(module).items()):
            if not isinstance(value, regex.Pattern) or value.pattern == NEVER:
                continue
            if args.whole:
                same = unchanged(module, attribute, regex.compile(NEVER))
                verdict = "changes nothing" if same else "changes scores"
                print(f"{module_name}.{attribute}\t{verdict}")
                idle, changed = idle + same, changed + (not same)
                continue
            # Number words are data (numbers.NUMBER_WORDS), not rules, as a list or a tree.
            words = [
                (start, start + len(number_tree))
                for start in (
                    m.start() for m in regex.finditer(regex.escape(number_tree), value.pattern)
                )
            ]
            for span in alternatives(value.pattern):
                if value.pattern[span[0] : span[1]].casefold() in number_words:
                    continue
                if any(start <= span[0] and span[1] <= end for start, end in words):
                    continue
                variant = without(value.pattern, span)
                try:
                    compiled = regex.compile(variant, value.flags)
                except regex.error:
                    continue
                same = unchanged(module, attribute, compiled)
                alternative = value.pattern[span[0] : span[1]]
                if not same:
                    changed += 1
                    continue
                idle += 1
                verdict = ""
                if tests:
                    failed = swapped(module, attribute, compiled, lambda: first_failure(tests))
                    if failed:
                        verdict = f"\ttested\t{failed}"
                    elif generated(value.pattern, span, output):
                        verdict = "\tlexicon"
                    else:
                        verdict = "\tUNTESTED"
                    kind = verdict.split("\t")[1]
                    verdicts[kind] = verdicts.get(kind, 0) + 1
                print(f"{module_name}.{attribute}\t{alternative!r}{verdict}")
            sys.stdout.flush()
    what = "patterns" if args.whole else "alternatives"
    print(f"# {idle} {what} change nothing on the sets, {changed} change something")
    if verdicts:
        print("# of those: " + ", ".join(f"{n} {kind}" for kind, n in sorted(verdicts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
