"""CLI: ``python -m articles.extraction [--published YYYY-MM-DD] FILE...`` prints dry-run JSON.

A file may start with a ``---`` front-matter header of ``key: value`` lines (as the
ingestion command reads them); its ``published:`` and ``title:`` are used unless
``--published`` is given, and the header is not part of the article text. With neither,
a date line under the headline ("June 25, 2025, 6:12 PM") gives the publication date.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from pathlib import Path

from .gazetteer import default_gazetteer
from .pipeline import extract_article
from .serialize import to_dry_run_dict
from .text import find_publication_date

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """The body without an optional ``---`` header, and the header's lower-cased fields."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text, {}
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return text[match.end() :], fields


def _published(fields: dict[str, str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(fields.get("published", "").strip()[:10])
    except ValueError:
        return None


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
            raw = path.read_text(encoding="utf-8", errors="replace")
            text, fields = split_front_matter(raw)
            text = text.strip()
            published = args.published or _published(fields) or find_publication_date(text)
            extraction = extract_article(text, gazetteer=gazetteer, published=published)
            title = fields.get("title") or _title(text)
            articles.append(
                to_dry_run_dict(extraction, path=str(path), title=title, published=published)
            )
        except Exception as error:
            errors.append({"path": str(path), "error": f"{type(error).__name__}: {error}"})
    json.dump({"articles": articles, "errors": errors}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 1 if errors and not articles else 0


if __name__ == "__main__":
    sys.exit(main())
