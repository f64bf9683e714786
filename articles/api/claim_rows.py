"""Claims as the API shows them, read as plain values: the fast path of the claims list.

``ClaimSerializer`` over :func:`articles.claims.claim_rows` builds each row from model
instances (the claim and its article) and serializes it field by field, its two checks through
a nested serializer each: for the CSV of every claim (4,100 rows in the hostile data set) most
of the time. Here the claims a page or chunk names are read with ``values()`` — one query per
kind of claim, one for the allies of its lists — and shaped into the *same* dicts as the
serializer gives (same keys, order, types and null rules; the checks and the decimal target
through the serializer's own fields; ``tests/api/test_claim_rows.py`` compares them on every
kind of row), so the JSON and CSV answers, their columns and their cells do not change.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from articles.api.rows import article_brief
from articles.api.serializers import CheckSerializer, ClaimSerializer
from articles.models import TargetList

#: What every claim's row reads, joined to its article (never the article's text).
CLAIM_VALUES = (
    "id",
    "article_id",
    "article__title",
    "article__publisher",
    "article__url",
    "article__published",
    "sentence",
    "year",
    "verdict",
    "editor_verdict",
    "check_as_published",
    "check_latest",
)
#: And what each kind adds.
KIND_VALUES = {
    "reported_figure": ("member__iso3", "metric", "value", "currency"),
    "aggregate_claim": ("kind", "target_pct", "count", "of_total", "value", "currency"),
    "target_list": ("target_pct", "meets"),
}

_CHECK_FIELDS = [
    (name, field.to_representation) for name, field in CheckSerializer().fields.items()
]
_TARGET_PCT = ClaimSerializer().fields["target_pct"].to_representation


def claim_list_rows(keys: list[tuple], querysets: dict[str, QuerySet]) -> list[dict]:
    """The rows of the claims ``keys`` (``(kind, id)``, :func:`articles.claims.claim_keys`)
    names, in that order, as ``ClaimSerializer`` gives them for
    :func:`articles.claims.claim_rows`: one query per kind, and one for the allies of the
    lists, whatever the number of rows."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for kind, pk in keys:
        wanted[kind].append(pk)
    loaded: dict[tuple[str, int], dict] = {}
    for kind, pks in wanted.items():
        values = (
            querysets[kind]
            .filter(pk__in=pks)
            .order_by()
            .prefetch_related(None)
            .values(*CLAIM_VALUES, *KIND_VALUES[kind])
        )
        for row in values:
            loaded[kind, row["id"]] = row
    allies: dict[int, list[str]] = defaultdict(list)
    if wanted.get("target_list"):
        for list_id, iso3 in TargetList.members.through.objects.filter(
            targetlist_id__in=wanted["target_list"]
        ).values_list("targetlist_id", "memberstate__iso3"):
            allies[list_id].append(iso3)
    return [_row(kind, loaded[kind, pk], allies) for kind, pk in keys if (kind, pk) in loaded]


def _row(kind: str, row: dict, allies: dict[int, list[str]]) -> dict:
    value = row.get("value")
    target_pct = row.get("target_pct")
    return {
        "kind": kind,
        "id": row["id"],
        "article": article_brief(
            row["article_id"],
            row["article__title"],
            row["article__publisher"],
            row["article__url"],
            row["article__published"],
        ),
        "sentence": row["sentence"],
        "ally": row.get("member__iso3"),
        "allies": sorted(allies.get(row["id"], [])) if kind == "target_list" else [],
        "year": row["year"],
        "metric": row.get("metric"),
        "value": float(value) if value is not None else None,
        "currency": row.get("currency") or None,
        "aggregate_kind": row.get("kind"),
        "target_pct": _TARGET_PCT(target_pct) if target_pct is not None else None,
        "count": row.get("count"),
        "of_total": row.get("of_total"),
        "meets": row.get("meets"),
        "verdict": row["verdict"],
        "editor_verdict": row["editor_verdict"],
        "final_verdict": row["editor_verdict"] or row["verdict"],
        "check_as_published": _check(row["check_as_published"]),
        "check_latest": _check(row["check_latest"]),
    }


def _check(check) -> dict:
    """A stored check as ``CheckSerializer`` gives it: every field, null when missing (the
    serializer's rule for fields that allow null), each through the serializer's own field."""
    if not isinstance(check, dict):  # nothing stored (or not an object): every field null
        check = {}
    return {
        name: None if (value := check.get(name)) is None else represent(value)
        for name, represent in _CHECK_FIELDS
    }
