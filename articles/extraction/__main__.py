"""CLI: ``python -m articles.extraction [--published YYYY-MM-DD] FILE...`` prints dry-run JSON.

The files are read exactly as ``manage.py ingest_articles`` reads them
(:func:`articles.inputs.read_inputs`: front-matter header, date line under the headline,
HTML through trafilatura, the same refusals) and extracted by the same call
(:func:`articles.inputs.extract_document`); only the gazetteer differs, built here from the
repository's CSV files instead of the database.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from .gazetteer import default_gazetteer


def main(argv: list[str] | None = None) -> int:
    """Extract every file given and print {"articles": [...], "errors": [...]}."""
    from articles.inputs import (
        InputError,
        Metadata,
        dry_run_dict,
        extract_document,
        read_inputs,
    )

    parser = argparse.ArgumentParser(prog="python -m articles.extraction", description=__doc__)
    parser.add_argument("--published", type=datetime.date.fromisoformat, default=None)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    gazetteer = default_gazetteer()
    articles, errors = [], []
    for item in read_inputs(args.files, Metadata(published=args.published)):
        if isinstance(item, InputError):
            errors.append({"path": item.path, "error": item.error})
            continue
        try:
            articles.append(dry_run_dict(item, extract_document(item, gazetteer)))
        except Exception as error:  # noqa: BLE001 (one file's failure is reported, the rest go on)
            errors.append({"path": item.path, "error": f"{type(error).__name__}: {error}"})
    json.dump({"articles": articles, "errors": errors}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 1 if errors and not articles else 0


if __name__ == "__main__":
    sys.exit(main())
