"""schema.org ClaimReview: the builder's structure, validated field by field."""

from __future__ import annotations

import datetime
import json
import re

from articles import jsonld

CHECK = {
    "verdict": "differs",
    "official_value": 3.19,
    "difference": -0.31,
    "unit": "pp",
    "source_code": "NATO_DIE2026",
    "source_title": "Defence Expenditure of NATO Countries (2014-2025)",
    "figure_id": 12,
    "as_of": None,
    "detail": "",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def validate_claim_review(data: dict) -> list[str]:
    """Structural checks of a ClaimReview as Google's fact-check guidelines describe it."""
    problems = []

    def need(cond, message):
        if not cond:
            problems.append(message)

    need(data.get("@context") == "https://schema.org", "@context")
    need(data.get("@type") == "ClaimReview", "@type")
    need(isinstance(data.get("url"), str) and data["url"].startswith("http"), "url")
    need(isinstance(data.get("claimReviewed"), str) and data["claimReviewed"], "claimReviewed")
    need(ISO_DATE.match(data.get("datePublished", "")), "datePublished")
    author = data.get("author", {})
    need(author.get("@type") == "Organization" and author.get("name"), "author")
    item = data.get("itemReviewed", {})
    need(item.get("@type") == "Claim", "itemReviewed.@type")
    need(item.get("author", {}).get("@type") in ("Person", "Organization"), "claim author")
    need(item.get("author", {}).get("name"), "claim author name")
    need("datePublished" not in item or ISO_DATE.match(item["datePublished"]), "claim date")
    need(item.get("appearance", {}).get("@type") == "CreativeWork", "appearance")
    rating = data.get("reviewRating", {})
    need(rating.get("@type") == "Rating", "Rating")
    need(
        rating.get("worstRating") <= rating.get("ratingValue") <= rating.get("bestRating"),
        "ratingValue within worst..best",
    )
    need(isinstance(rating.get("alternateName"), str) and rating["alternateName"], "alternateName")
    basis = data.get("isBasedOn")
    if basis is not None:
        need(basis.get("@type") == "Dataset" and basis.get("name"), "isBasedOn")
    return problems


def build(**overrides):
    kwargs = {
        "claim_text": "The United States spent 3.5% of GDP on defence in 2024",
        "review_url": "https://tracker.example/statements/4/#claim-reportedfigure-1",
        "verdict": "differs",
        "check": CHECK,
        "reviewed_at": datetime.datetime(2025, 7, 1, 12, 0, tzinfo=datetime.UTC),
        "author_name": "Pete Hegseth",
        "author_is_person": True,
        "claim_date": datetime.date(2025, 6, 5),
        "appearance_url": "https://news.example/a",
        "appearance_headline": "Hegseth urges allies",
        "appearance_publisher": "Test Wire",
        "note": "NATO's figure is 3.19%.",
        "checked_against_url": "https://tracker.example/countries/united-states/",
    }
    kwargs.update(overrides)
    return jsonld.claim_review(**kwargs)


def test_claim_review_structure_is_valid():
    data = build()
    assert validate_claim_review(data) == []
    assert data["itemReviewed"]["author"] == {"@type": "Person", "name": "Pete Hegseth"}
    assert data["itemReviewed"]["datePublished"] == "2025-06-05"
    assert data["reviewRating"]["ratingValue"] == 1
    assert data["reviewRating"]["alternateName"] == (
        "Differs by 0.31 percentage points from NATO's figure of 3.19% of GDP"
    )
    assert data["isBasedOn"]["identifier"] == "NATO_DIE2026"
    assert data["isBasedOn"]["variableMeasured"]["value"] == 3.19
    json.dumps(data)  # serialisable


def test_every_verdict_gives_a_valid_review():
    for verdict in ("matches", "differs", "no_official"):
        check = {**CHECK, "verdict": verdict}
        if verdict == "no_official":
            check = {"verdict": "no_official", "detail": "no figure"}
        data = build(verdict=verdict, check=check, claim_date=None, note="")
        assert validate_claim_review(data) == [], verdict
    assert build(verdict="matches")["reviewRating"]["alternateName"] == (
        "Matches NATO's figure of 3.19% of GDP"
    )
    assert build(verdict="no_official", check={})["reviewRating"]["alternateName"] == (
        "No official figure to check against"
    )


def test_script_tag_cannot_be_closed_by_the_claim_text():
    tag = str(jsonld.script_tag(build(claim_text="</script><script>alert(1)</script> & more")))
    assert tag.count("</script>") == 1
    body = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body)["claimReviewed"] == "</script><script>alert(1)</script> & more"
