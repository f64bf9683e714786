"""CLI: ``python -m articles.extraction [--published YYYY-MM-DD] FILE...`` prints dry-run JSON."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from .gazetteer import default_gazetteer
from .pipeline import extract_article
from .serialize import to_dry_run_dict


def _title(text: str) -> str | None:
    first = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return first[:200] if first else None


def main(argv: list[str] | None = None) -> int:
    """Extract every file given and print {"articles": [...], "errors": [...]}."""
    parser = argparse.ArgumentParser(prog="python -m articles.extraction", description=__doc__)
    parser.add_argument("--published", type=datetime.date.fromisoformat, default=None)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    gazetteer = default_gazetteer()
    articles, errors = [], []
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
            extraction = extract_article(text, gazetteer=gazetteer, published=args.published)
            articles.append(
                to_dry_run_dict(
                    extraction, path=str(path), title=_title(text), published=args.published
                )
            )
        except Exception as error:
            errors.append({"path": str(path), "error": f"{type(error).__name__}: {error}"})
    json.dump({"articles": articles, "errors": errors}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 1 if errors and not articles else 0


if __name__ == "__main__":
    sys.exit(main())
