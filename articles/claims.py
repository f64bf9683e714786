"""The claims articles make that are checked against NATO's figures, as one list of three
kinds (reported figures, alliance-level claims, lists of allies): which claims a query selects,
in which order, loaded a page at a time. One selector for the API's claims list
(``/api/v1/claims/``) and the editors' claims page (``/editor/claims/``), which take the same
filters.
"""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet

from articles.models import AggregateClaim, ReportedFigure, TargetList, public_article, with_article

CLAIM_KIND_ORDER = {"reported_figure": 0, "aggregate_claim": 1, "target_list": 2}


def claim_querysets(params: dict, *, unconfirmed: bool = False) -> dict[str, QuerySet]:
    """The public claims of each kind that ``params`` select (the API's claims filters as
    :class:`articles.api.serializers.ClaimQuerySerializer` validates them: ``kind``, ``ally``,
    ``year``, ``verdict``, ``article``, ``published_after``, ``published_before``), with what
    their rows show (each claim's article without its text); ``unconfirmed``: only those no
    editor has confirmed."""
    kinds = [params["kind"]] if params.get("kind") else list(CLAIM_KIND_ORDER)
    article_filter = public_article("article__")
    if params.get("article"):
        article_filter &= Q(article_id=params["article"])
    if params.get("published_after"):
        article_filter &= Q(article__published__gte=params["published_after"])
    if params.get("published_before"):
        article_filter &= Q(article__published__lte=params["published_before"])
    if params.get("year"):
        article_filter &= Q(year=params["year"])
    if unconfirmed:
        article_filter &= Q(confirmed_at__isnull=True)
    verdict = params.get("verdict")
    if verdict:
        article_filter &= Q(editor_verdict=verdict) | Q(editor_verdict="", verdict=verdict)
    allies = params.get("ally")
    querysets: dict[str, QuerySet] = {}
    if "reported_figure" in kinds:
        qs = with_article(ReportedFigure.objects.filter(article_filter)).select_related("member")
        querysets["reported_figure"] = qs.filter(member__iso3__in=allies) if allies else qs
    if "aggregate_claim" in kinds and not allies:
        querysets["aggregate_claim"] = with_article(AggregateClaim.objects.filter(article_filter))
    if "target_list" in kinds:
        qs = with_article(TargetList.objects.filter(article_filter))
        if allies:
            naming = TargetList.objects.filter(members__iso3__in=allies).values("pk")
            qs = qs.filter(pk__in=naming)
        querysets["target_list"] = qs.prefetch_related("members")
    return querysets


def claim_keys(querysets: dict[str, QuerySet], *, oldest_first: bool = False) -> list[tuple]:
    """``(kind, id)`` of every selected claim, from a few columns only (the claims themselves
    are loaded a page at a time: :func:`load_claims`). By default newest article first (by its
    publication date, undated last), then reading order, kind and id (the API's list);
    ``oldest_first``: by the article's ingestion, oldest first (the editors' queue)."""
    keyed = []
    when = "article__ingested_at" if oldest_first else "article__published"
    for kind, queryset in querysets.items():
        rows = queryset.order_by().values_list("pk", when, "article_id", "start")
        if oldest_first:
            keyed += [
                ((day, article_id, start, kind, pk), kind, pk)
                for pk, day, article_id, start in rows
            ]
        else:
            keyed += [
                (newest_first(day, article_id, start, kind, pk), kind, pk)
                for pk, day, article_id, start in rows
            ]
    keyed.sort()
    return [(kind, pk) for _, kind, pk in keyed]


#: :func:`newest_first` for a query of one kind (the database sorts it so).
NEWEST_FIRST = (F("article__published").desc(nulls_last=True), "-article_id", "start", "pk")


def newest_first(
    published: datetime.date | None, article_id: int, start: int, kind: str, pk: int
) -> tuple:
    """The API list's order of a claim: newest article first (undated last), then reading
    order, kind and id."""
    day = -published.toordinal() if published is not None else 0
    return (published is None, day, -article_id, start, CLAIM_KIND_ORDER[kind], pk)


def load_claims(keys: list[tuple], querysets: dict[str, QuerySet]) -> list[tuple]:
    """``(kind, claim)`` for the claims ``keys`` names, in that order (one query per kind)."""
    wanted: dict[str, list[int]] = {}
    for kind, pk in keys:
        wanted.setdefault(kind, []).append(pk)
    loaded = {
        (kind, claim.pk): claim
        for kind, pks in wanted.items()
        for claim in querysets[kind].filter(pk__in=pks)
    }
    return [(kind, loaded[kind, pk]) for kind, pk in keys if (kind, pk) in loaded]
