"""schema.org ``ClaimReview`` for claims whose verdict an editor confirmed (pure functions).

Fact-check aggregators read ``<script type="application/ld+json">`` blocks; one block holds one
``ClaimReview``: the claim (``itemReviewed``: text, author, date, where it appeared), the rating
(``reviewRating``: 1 differs, 2 no official figure, 3 matches, with the verdict in words as
``alternateName``) and the official figure it was checked against (``isBasedOn``: the NATO
edition as a ``Dataset``). Nothing here touches the database.
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from nato_tracker.links import web_url
from spending import formatting

RATINGS = {"differs": 1, "no_official": 2, "matches": 3}
WORST, BEST = 1, 3
SITE_NAME = "NATO defence-spending tracker"

# The characters that could end the <script> element or open a comment, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def official_figure(check: dict | None, metric: str | None = None) -> str:
    """The official value a check compared with, with its unit ("3.19% of GDP"), or "".

    ``metric``: the claim's metric for a per-ally figure, ``None`` for alliance-level claims.
    Written by :mod:`spending.formatting`, like the pages.
    """
    return formatting.check_figures(check, metric)["official"]


def describe_check(verdict: str, check: dict | None, metric: str | None = None) -> str:
    """The verdict in words: "Matches NATO's figure of 3.19% of GDP", "Differs by 0.37 ..."."""
    check = check or {}
    unit = check.get("unit") or ""
    figure = official_figure(check, metric)
    if not figure or verdict == "no_official":
        return "No official figure to check against"
    if verdict == "matches":
        return f"Matches NATO's figure of {figure}"
    difference = check.get("difference")
    if difference is not None and unit == "pp":
        return (
            f"Differs by {abs(float(difference)):.2f} percentage points from NATO's figure of "
            f"{figure}"
        )
    if difference is not None and unit == "USD":
        gap = formatting.money(abs(float(difference)))
        return f"Differs by {gap} from NATO's figure of {figure}"
    if difference is not None:
        return f"Differs by {abs(float(difference)):g} from NATO's figure of {figure}"
    return f"Differs from NATO's figure of {figure}"


def claim_review(
    *,
    claim_text: str,
    review_url: str,
    verdict: str,
    check: dict | None,
    reviewed_at: datetime.datetime | datetime.date,
    author_name: str,
    author_is_person: bool,
    claim_date: datetime.date | None,
    metric: str | None = None,
    appearance_url: str = "",
    appearance_headline: str = "",
    appearance_publisher: str = "",
    note: str = "",
    checked_against_url: str = "",
) -> dict:
    """One ``ClaimReview`` as a dict ready for ``json.dumps``.

    ``author_name`` empty: the claim's author is unknown (an article without a publisher) and
    ``itemReviewed`` has no ``author`` rather than a made-up one. ``metric``: the claim's metric
    for a per-ally figure (gives the official value's unit), ``None`` for alliance-level claims.
    """
    if verdict not in RATINGS:
        raise ValueError(f"Unknown verdict {verdict!r}")
    check = check or {}
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if appearance_url:
        appearance["url"] = appearance_url
    if appearance_headline:
        appearance["headline"] = appearance_headline
    if appearance_publisher:
        appearance["publisher"] = {"@type": "Organization", "name": appearance_publisher}
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if author_name:
        item["author"] = {
            "@type": "Person" if author_is_person else "Organization",
            "name": author_name,
        }
    if claim_date:
        item["datePublished"] = claim_date.isoformat()
    words = describe_check(verdict, check, metric)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url,
        "claimReviewed": claim_text,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": SITE_NAME},
        "datePublished": (
            reviewed_at.date() if isinstance(reviewed_at, datetime.datetime) else reviewed_at
        ).isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[verdict],
            "worstRating": WORST,
            "bestRating": BEST,
            "alternateName": words,
        },
    }
    if note:
        review["reviewBody"] = note
    if check.get("source_code") or check.get("official_value") is not None:
        basis: dict[str, Any] = {
            "@type": "Dataset",
            "name": check.get("source_title") or check.get("source_code") or "NATO figures",
            "creator": {"@type": "Organization", "name": "NATO"},
        }
        if check.get("source_code"):
            basis["identifier"] = check["source_code"]
        if checked_against_url:
            basis["url"] = checked_against_url
        official = formatting.official_amount(check)
        if official is not None:
            basis["description"] = f"NATO's figure: {official_figure(check, metric)}"
            basis["variableMeasured"] = {
                "@type": "PropertyValue",
                "name": "official value",
                "value": official,
                "unitText": formatting.unit_text(check, metric),
            }
        review["isBasedOn"] = basis
    return review


def script_tag(data: dict | list) -> SafeString:
    """``<script type="application/ld+json">`` with the JSON escaped so it cannot end early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def basis_check(claim) -> dict:
    """The check the published verdict rests on.

    The check whose verdict is the editor's (as published first, then the latest edition);
    else the first one with an official value; else the as-published check. So a "differs"
    that only the latest edition can support is not published with an empty basis.
    """
    published = claim.check_as_published or {}
    latest = claim.check_latest or {}
    candidates = [published, latest]
    verdict = claim.editor_verdict or claim.verdict
    for check in candidates:
        if check.get("verdict") == verdict and check.get("official_value") is not None:
            return check
    for check in candidates:
        if check.get("official_value") is not None:
            return check
    return published or latest


def is_published_check(claim) -> bool:
    """An editor confirmed or overrode the verdict: the claim carries a ClaimReview."""
    return bool(claim.editor_verdict and claim.confirmed_at)


def claim_author(article, statement=None) -> tuple[str, bool]:
    """Who made a claim, and whether a person: the speaker of the quote it lies in, else the
    article's publisher (an organisation), else the site the article was published on; ``""``
    when none is known (never the headline)."""
    if statement is not None and statement.speaker is not None:
        return statement.speaker.name, True
    if statement is not None and statement.speaker_as_written:
        return statement.speaker_as_written, True
    if article.publisher:
        return article.publisher, False
    host = urlsplit(article.url or "").hostname or ""
    return host.removeprefix("www."), False


def review_for_claim(claim, *, review_url: str, statement=None, figure_url: str = "") -> dict:
    """The ClaimReview of a confirmed claim (a ReportedFigure, AggregateClaim or TargetList).

    The claim's author is the statement's speaker when the claim lies in a quote, else the
    article's publisher (see :func:`claim_author`). Uses only the objects given (no query when
    relations are loaded).
    """
    article = claim.article
    author, person = claim_author(article, statement)
    # A per-ally figure (ReportedFigure) has a metric; alliance-level claims have none.
    metric = getattr(claim, "metric", None) if hasattr(claim, "member_id") else None
    return claim_review(
        claim_text=(claim.sentence or str(claim)).strip(),
        review_url=review_url,
        verdict=claim.editor_verdict,
        check=basis_check(claim),
        reviewed_at=claim.confirmed_at,
        author_name=author,
        author_is_person=person,
        claim_date=article.published,
        appearance_url=web_url(article.url),
        appearance_headline=article.title,
        appearance_publisher=article.publisher,
        note=claim.editor_note,
        checked_against_url=figure_url,
        metric=metric,
    )
