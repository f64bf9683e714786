"""Claim checks that explain themselves, on the sample articles first (issue 12.4).

Seed 004 is the story of 24 April 2025, the day NATO released the report it quotes.
"""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

import pytest
from django.conf import settings

from articles import checks
from articles.ingestion import Ingestor, recheck_all
from articles.inputs import Document, Metadata, read_inputs
from articles.models import AggregateClaim, Article, ReportedFigure, TargetList
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.SAMPLE_ARTICLES_DIR)


@pytest.fixture
def seed_004():
    (document,) = [
        item
        for item in read_inputs([str(SAMPLES / "004_da238c75bddf0ef1.txt")])
        if isinstance(item, Document)
    ]
    assert document.metadata.published == datetime.date(2025, 4, 24)
    Ingestor().ingest(document)
    return Article.objects.get()


def test_us_3_19_in_2024_matches_the_edition_of_24_april_2025(seed_004):
    us = ReportedFigure.objects.get(article=seed_004, member__iso3="USA", year=2024)
    check = us.check_as_published
    assert (us.verdict, check["source_code"]) == ("matches", "NATO_2024REPORT_KNEWS")
    assert check["as_of"] == "2025-04-24"
    # an estimate is said to be one, and never "spent"
    assert check["estimate"] is True
    assert "NATO's estimate of 3.19% of GDP for 2024" in check["detail"]
    assert "spent" not in check["detail"] and "spent" not in us.check_latest["detail"]
    assert check["definition"] == "pre2026" and us.check_latest["definition"] == "core"


def test_22_of_32_in_2023_is_natos_count_for_2024_and_the_check_says_so(seed_004):
    claim = AggregateClaim.objects.get(article=seed_004, kind="count_meeting")
    check = claim.check_as_published
    assert (claim.verdict, check["official_value"]) == ("differs", 11)
    assert check["alternative"]["year"] == 2024
    assert check["alternative"]["official_value"] == 22
    # that count rests on two editions (the report of that day restated only some allies)
    assert check["alternative"]["source_code"] == [
        "NATO_2024REPORT_KNEWS",
        "NATO_DE2024_GRAPHICNEWS",
    ]
    assert len(check["alternative"]["source_title"]) == 2
    assert "It matches NATO's count for 2024" in check["detail"]
    assert "the article probably meant 2024" in check["detail"]
    # against the latest edition too: that report's count, not the 2026 core definition's
    latest = claim.check_latest
    assert latest["alternative"]["source_code"] == ["NATO_2024REPORT_KNEWS"]


def test_allies_without_figures_are_left_out_of_the_consistency_check(seed_004):
    """22 met + 9 listed as missing = 31 allies that report figures: consistent."""
    claim = AggregateClaim.objects.get(article=seed_004, kind="count_meeting")
    listed = TargetList.objects.get(article=seed_004)
    assert "inconsistencies" not in claim.check_latest
    assert "inconsistencies" not in listed.check_as_published
    count = [{"kind": "count_meeting", "target_pct": 2.0, "year": 2023, "count": 22, "of": 32}]
    nine = [{"target_pct": 2.0, "year": 2023, "meets": False, "countries": tuple("ABCDEFGHI")}]
    assert checks.consistency_problems(count, nine, without_figures=1) == []
    eight = [{**nine[0], "countries": tuple("ABCDEFGH")}]
    (problem,) = checks.consistency_problems(count, eight, without_figures=1)
    assert "22 + 8 = 30, not 31 (the 32 allies less 1 that reports no figures)" in problem


def test_an_inconsistency_is_shown_on_the_article_page_editor_page_and_api(client):
    text = (
        "NATO's report says 20 of 32 allies met the 2% target in 2024. Countries missing "
        "the goal include Belgium, Canada, Croatia, Italy, Luxembourg, Montenegro, Portugal, "
        "Slovenia, and Spain."
    )
    Ingestor().ingest(
        Document("odd.txt", text, Metadata(title="Odd", published=datetime.date(2025, 6, 1)))
    )
    article = Article.objects.get(title="Odd")
    claim = AggregateClaim.objects.get(article=article)
    (problem,) = claim.check_latest["inconsistencies"]
    assert "20 + 9 = 29" in problem
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The article does not add up" in page and "20 + 9 = 29" in page
    api = client.get("/api/v1/claims/", {"article": article.pk}).json()
    counted = next(r for r in api["results"] if r["aggregate_kind"] == "count_meeting")
    assert counted["check_latest"]["inconsistencies"] == [problem]
    editor = UserFactory()
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    editor_page = client.get("/editor/claims/").content.decode()
    assert "20 + 9 = 29" in editor_page


def test_totals_are_compared_in_both_price_bases_and_say_which_matched(seed_004, client):
    """Seed 004: "Total NATO military expenditure reached around $1.3 trillion ... last year"
    (2024). NATO's July 2026 edition gives the 2024 total as US$1,482,905 million at current
    prices and US$1,330,026 million at constant 2021 prices (nato_defence_expenditure_
    aggregates.csv): the article's figure is the constant-price one."""
    total = AggregateClaim.objects.get(article=seed_004, kind="total_spending")
    assert (total.year, total.value) == (2024, 1.3e12)
    latest = total.check_latest
    assert latest["verdict"] == "matches"
    assert latest["price_basis"] == "constant_2021"
    assert latest["official_value"] == 1_330_026 * 1e6
    assert latest["source_code"] == "NATO_DIE2026" and latest["definition"] == "core"
    detail = latest["detail"]
    assert "Matches NATO's total in constant 2021 prices of US$1.33 trillion for 2024" in detail
    assert "in current prices it is US$1.48 trillion" in detail
    assert "the article's figure is in constant 2021 prices" in detail
    # The editions NATO had released by 24 April 2025 that we hold give no totals.
    assert total.check_as_published["verdict"] == "no_official"
    # Pages and the API say it.
    page = client.get(seed_004.get_absolute_url()).content.decode()
    assert "in constant 2021 prices" in page
    api = client.get("/api/v1/claims/", {"article": seed_004.pk, "kind": "aggregate_claim"})
    row = next(r for r in api.json()["results"] if r["aggregate_kind"] == "total_spending")
    assert row["check_latest"]["price_basis"] == "constant_2021"


def test_a_total_at_current_prices_says_so_and_one_matching_neither_gives_both(seed_004):
    from articles.checks import CheckBasis
    from spending.selectors import LATEST

    basis = CheckBasis(LATEST)
    current = checks.check_total_spending(basis, year=2024, value=1.48e12, currency="USD")
    assert (current["verdict"], current["price_basis"]) == ("matches", "current")
    assert "the article's figure is in current prices" in current["detail"]
    assert "in constant 2021 prices it is US$1.33 trillion" in current["detail"]
    neither = checks.check_total_spending(basis, year=2024, value=1.40e12, currency="USD")
    assert (neither["verdict"], neither["price_basis"]) == ("differs", "current")
    assert "US$1.48 trillion" in neither["detail"] and "US$1.33 trillion" in neither["detail"]
    # 2021 is the base year: both bases give US$1,182,761 million, so no basis is named.
    base = checks.check_total_spending(basis, year=2021, value=1.18e12, currency="USD")
    assert base["verdict"] == "matches" and "the article's figure is in" not in base["detail"]
    # Europe and Canada are not the NATO total: a total is the NATO total.
    assert checks.check_total_spending(basis, year=2024, value=4.8e11)["verdict"] == "differs"


def test_an_undated_article_is_checked_against_every_edition():
    text = "The United States spent 3.19% of GDP on defence in 2024, NATO said."
    Ingestor().ingest(Document("undated.txt", text, Metadata(title="Undated", published=None)))
    figure = ReportedFigure.objects.get(article__title="Undated")
    check = figure.check_as_published
    assert check["date_unknown"] is True
    assert check["detail"].startswith("The article's date is unknown")
    by_edition = {e["source_code"]: e["verdict"] for e in check["editions"]}
    assert by_edition["NATO_2024REPORT_KNEWS"] == "matches"
    assert by_edition["NATO_DIE2026"] == "differs"
    assert by_edition["NATO_DE2024_GRAPHICNEWS"] == "differs"
    assert figure.verdict == "matches"


def test_recheck_claims_gives_the_new_verdicts_to_stored_articles(seed_004):
    """Checks stored by an older version (dated by the article we read the edition in, no
    explanation) are rewritten by recheck_claims."""
    us = ReportedFigure.objects.get(article=seed_004, member__iso3="USA", year=2024)
    claim = AggregateClaim.objects.get(article=seed_004, kind="count_meeting")
    ReportedFigure.objects.filter(pk=us.pk).update(
        verdict="differs", check_as_published={"verdict": "differs", "detail": "old"}
    )
    AggregateClaim.objects.filter(pk=claim.pk).update(check_as_published={"verdict": "differs"})
    articles, changed = recheck_all()
    assert (articles, changed) == (1, 2)
    us.refresh_from_db()
    claim.refresh_from_db()
    assert us.verdict == "matches"
    assert claim.check_as_published["alternative"]["year"] == 2024


def test_checks_stored_with_joined_codes_are_rewritten_as_lists(seed_004):
    """Migration 0007: an ``alternative`` stored with ``"; "``-joined codes and titles (before
    they were lists) gets lists; backwards joins them again."""
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0007_alternative_sources_as_lists")
    claim = AggregateClaim.objects.get(article=seed_004, kind="count_meeting")
    lists = claim.check_as_published["alternative"]
    joined = {key: "; ".join(lists[key]) for key in ("source_code", "source_title")}
    old = {**claim.check_as_published, "alternative": {**lists, **joined}}
    AggregateClaim.objects.filter(pk=claim.pk).update(check_as_published=old)
    migration.forwards(apps, None)
    claim.refresh_from_db()
    assert claim.check_as_published["alternative"] == lists
    assert claim.check_latest["alternative"]["source_code"] == ["NATO_2024REPORT_KNEWS"]
    migration.backwards(apps, None)
    claim.refresh_from_db()
    assert claim.check_as_published == old


def test_a_figure_found_in_another_edition_is_named_by_its_value():
    """Not "NATO's Defence expenditure, % of GDP figure for 2024" (the metric's label inside a
    sentence): the value, as in the rest of the detail."""
    text = "HELSINKI — Finland spent 2.41% of its GDP on defence in 2024, the ministry said."
    document = Document(
        "finland.txt", text, Metadata(title="T", published=datetime.date(2025, 7, 2))
    )
    Ingestor().ingest(document)
    figure = ReportedFigure.objects.get(member__iso3="FIN")
    for check in (figure.check_as_published, figure.check_latest):
        assert check["verdict"] == "differs"
        assert check["alternative"]["source_code"] == ["NATO_DE2024_GRAPHICNEWS"]
        assert (
            "It matches NATO's estimate of 2.41% of GDP for 2024 in another edition (Defence "
            "Expenditure of NATO Countries (2014-2024), June 2024 edition" in check["detail"]
        )
        assert "Defence expenditure, % of GDP" not in check["detail"]


def test_the_article_page_writes_the_day_a_check_is_as_of_in_words(client, seed_004):
    html = client.get(seed_004.get_absolute_url()).content.decode()
    assert "as known on 24 April 2025" in html
    assert "as known on 2025-04-24" not in html
