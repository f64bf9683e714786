"""Conversion of an :class:`Extraction` to the dry-run JSON dictionary."""

from __future__ import annotations

import datetime
from typing import Any

from .types import Extraction


def to_dry_run_dict(
    extraction: Extraction, *, path: str, title: str | None, published: datetime.date | None
) -> dict[str, Any]:
    """The dry-run JSON dictionary of one article (field names as score.py expects)."""
    return {
        "path": path,
        "title": title,
        "published": published.isoformat() if published else None,
        "dateline": extraction.dateline,
        "statements": [
            {
                "speaker": s.speaker,
                "text": s.text,
                "partial": s.partial,
                "speaker_role": s.speaker_role,
            }
            for s in extraction.statements
        ],
        "figures": [
            {
                "country": f.country,
                "year": f.year,
                "metric": f.metric,
                "value": f.value,
                "currency": f.currency,
            }
            for f in extraction.figures
        ],
        "aggregate_claims": [
            {
                "kind": c.kind,
                "target_pct": c.target_pct,
                "year": c.year,
                "count": c.count,
                "of": c.of,
                "value": c.value,
                "currency": c.currency,
            }
            for c in extraction.aggregate_claims
        ],
        "target_lists": [
            {
                "target_pct": t.target_pct,
                "year": t.year,
                "meets": t.meets,
                "countries": list(t.countries),
            }
            for t in extraction.target_lists
        ],
        "targets_mentioned": list(extraction.targets_mentioned),
        "members_mentioned": list(extraction.members_mentioned),
    }
