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

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

RATINGS = {"differs": 1, "no_official": 2, "matches": 3}
WORST, BEST = 1, 3
SITE_NAME = "NATO defence-spending tracker"

# The characters that could end the <script> element or open a comment, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def official_figure(check: dict | None) -> str:
    """The official value a check compared with, with its unit ("3.19% of GDP"), or ""."""
    check = check or {}
    official = check.get("official_value")
    if official is None:
        return ""
    unit = check.get("unit") or ""
    figure = _number(official)
    if unit == "pp":
        return figure + "% of GDP"
    if unit == "USD":
        return f"US${figure}"
    return f"{figure} {unit}".strip()


def describe_check(verdict: str, check: dict | None) -> str:
    """The verdict in words: "Matches NATO's figure of 3.19% of GDP", "Differs by 0.37 ..."."""
    check = check or {}
    unit = check.get("unit") or ""
    figure = official_figure(check)
    if not figure or verdict == "no_official":
        return "No official figure to check against"
    if verdict == "matches":
        return f"Matches NATO's figure of {figure}"
    difference = check.get("difference")
    if difference is not None and unit == "pp":
        return (
            f"Differs by {_number(abs(difference))} percentage points from NATO's figure of "
            f"{figure}"
        )
    if difference is not None:
        return f"Differs by {_number(abs(difference))} from NATO's figure of {figure}"
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
    appearance_url: str = "",
    appearance_headline: str = "",
    appearance_publisher: str = "",
    note: str = "",
    checked_against_url: str = "",
) -> dict:
    """One ``ClaimReview`` as a dict ready for ``json.dumps``."""
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
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": "Person" if author_is_person else "Organization", "name": author_name},
        "appearance": appearance,
    }
    if claim_date:
        item["datePublished"] = claim_date.isoformat()
    words = describe_check(verdict, check)
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
        if check.get("official_value") is not None:
            basis["description"] = f"NATO's figure: {official_figure(check)}"
            basis["variableMeasured"] = {
                "@type": "PropertyValue",
                "name": "official value",
                "value": check["official_value"],
                "unitText": check.get("unit") or "",
            }
        review["isBasedOn"] = basis
    return review


def script_tag(data: dict | list) -> SafeString:
    """``<script type="application/ld+json">`` with the JSON escaped so it cannot end early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def basis_check(claim) -> dict:
    """The check the automatic verdict came from: as published when there was a basis."""
    published = claim.check_as_published or {}
    if published.get("as_of") or published.get("source_code"):
        return published
    return claim.check_latest or published


def is_published_check(claim) -> bool:
    """An editor confirmed or overrode the verdict: the claim carries a ClaimReview."""
    return bool(claim.editor_verdict and claim.confirmed_at)


def review_for_claim(claim, *, review_url: str, statement=None, figure_url: str = "") -> dict:
    """The ClaimReview of a confirmed claim (a ReportedFigure, AggregateClaim or TargetList).

    The claim's author is the statement's speaker when the claim lies in a quote, else the
    article's publisher. Uses only the objects given (no query when relations are loaded).
    """
    article = claim.article
    if statement is not None and statement.speaker is not None:
        author, person = statement.speaker.name, True
    elif statement is not None and statement.speaker_as_written:
        author, person = statement.speaker_as_written, True
    else:
        author, person = article.publisher or article.title, False
    return claim_review(
        claim_text=(claim.sentence or str(claim)).strip(),
        review_url=review_url,
        verdict=claim.editor_verdict,
        check=basis_check(claim),
        reviewed_at=claim.confirmed_at,
        author_name=author,
        author_is_person=person,
        claim_date=article.published,
        appearance_url=article.url,
        appearance_headline=article.title,
        appearance_publisher=article.publisher,
        note=claim.editor_note,
        checked_against_url=figure_url,
    )
