"""schema.org ClaimReview: the builder's structure, validated field by field."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles import jsonld
from articles.models import AggregateClaim, ReportedFigure
from spending.models import MemberState
from tests.pages.conftest import make_article_with_quotes

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
#: What ``isBasedOn.variableMeasured.unitText`` may be: the official figure's unit.
UNITS = {"percent of GDP", "percent of defence expenditure", "USD", "EUR", "allies"}


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
    if "author" in item:  # absent only when nobody is known (no speaker, no publisher)
        need(item["author"].get("@type") in ("Person", "Organization"), "claim author")
        need(item["author"].get("name"), "claim author name")
        headline = item.get("appearance", {}).get("headline")
        need(not headline or item["author"]["name"] != headline, "claim author is the headline")
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
        measured = basis.get("variableMeasured")
        if measured is not None:
            need(measured.get("unitText") in UNITS, f"unitText {measured.get('unitText')!r}")
            need(isinstance(measured.get("value"), int | float), "variableMeasured.value")
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
    assert data["isBasedOn"]["variableMeasured"]["unitText"] == "percent of GDP"  # never "pp"
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


def test_unknown_author_is_left_out_not_the_headline():
    data = build(author_name="", author_is_person=False)
    assert "author" not in data["itemReviewed"]
    assert validate_claim_review(data) == []
    assert validate_claim_review(build(author_name="Hegseth urges allies")) == [
        "claim author is the headline"
    ]


def test_money_check_gives_the_currency_and_the_value_in_it():
    check = {
        "verdict": "differs",
        "official_value": 1482905000000.0,
        "difference": -182905000000.0,
        "unit": "USD",
        "source_code": "NATO_DIE2026",
    }
    data = build(check=check)
    assert data["isBasedOn"]["variableMeasured"] == {
        "@type": "PropertyValue",
        "name": "official value",
        "value": 1482905000000.0,
        "unitText": "USD",
    }
    assert data["reviewRating"]["alternateName"] == (
        "Differs by US$183 billion from NATO's figure of US$1.48 trillion"
    )
    # an ally's US$ figure is checked in NATO's US$ million: published in US$
    ally = {**check, "official_value": 38237e6, "difference": -237e6}
    measured = build(check=ally, metric="spending_usd")["isBasedOn"]["variableMeasured"]
    assert measured["value"] == 38237e6 and measured["unitText"] == "USD"


def reviews(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def confirm(claim, verdict: str) -> None:
    claim.editor_verdict = verdict
    claim.confirmed_at = timezone.now()
    claim.save()


@pytest.mark.django_db
@pytest.mark.parametrize("publisher", ["Test Wire", ""])
def test_article_page_claim_review_after_an_editor_confirms(client, publisher):
    """The tester's case: 3.19% of GDP outside any quote, confirmed by an editor."""
    article, (quote,) = make_article_with_quotes(
        "Rutte calls on allies to step up",
        [("Mark Rutte", "We must step up our efforts")],
        published=datetime.date(2025, 4, 25),
        publisher=publisher,
    )
    outside = ReportedFigure.objects.create(
        article=article,
        member=MemberState.objects.get(iso3="USA"),
        year=2024,
        metric="pct_gdp",
        value=3.19,
        sentence="The United States spent 3.19% of its GDP on defense in 2024.",
        start=0,
        end=5,
        check_as_published={
            **CHECK,
            "verdict": "matches",
            "difference": 0.0,
            "as_of": "2025-04-25",
        },
        check_latest={**CHECK, "official_value": 3.3, "difference": -0.11},
        verdict="matches",
    )
    inside = AggregateClaim.objects.create(
        article=article,
        kind="total_spending",
        year=2024,
        value=1.3e12,
        currency="USD",
        sentence="We must step up our efforts",
        start=quote.start,
        end=quote.end,
        check_latest={
            "verdict": "differs",
            "official_value": 1482905000000.0,
            "difference": -182905000000.0,
            "unit": "USD",
            "source_code": "NATO_DIE2026",
            "source_title": "Defence Investment of NATO Countries (2014-2026)",
        },
        verdict="differs",
    )
    confirm(outside, "matches")
    confirm(inside, "differs")
    found = reviews(Client().get(article.get_absolute_url()).content.decode())
    assert len(found) == 2
    for data in found:
        assert validate_claim_review(data) == [], data
    by_claim = {d["url"].rsplit("#", 1)[1]: d for d in found}
    figure = by_claim[f"claim-reportedfigure-{outside.pk}"]
    assert figure["isBasedOn"]["variableMeasured"]["unitText"] == "percent of GDP"
    assert figure["isBasedOn"]["variableMeasured"]["value"] == 3.19
    if publisher:
        assert figure["itemReviewed"]["author"] == {"@type": "Organization", "name": "Test Wire"}
    else:
        assert "author" not in figure["itemReviewed"]  # unknown publisher: not the headline
    total = by_claim[f"claim-aggregateclaim-{inside.pk}"]
    assert total["itemReviewed"]["author"] == {"@type": "Person", "name": "Mark Rutte"}
    assert total["isBasedOn"]["variableMeasured"]["unitText"] == "USD"
    assert total["reviewRating"]["alternateName"].startswith("Differs by US$183 billion")
    # the statement page carries the claim in its quote, by the speaker
    on_statement = reviews(Client().get(quote.get_absolute_url()).content.decode())
    assert [d["itemReviewed"]["author"]["name"] for d in on_statement] == ["Mark Rutte"]
