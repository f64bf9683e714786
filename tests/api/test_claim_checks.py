"""Every check in /api/v1/claims/ names the edition(s) it was checked against, for every kind."""

from __future__ import annotations

import datetime

import pytest
from openapi_core import OpenAPI

from articles import checks
from articles.models import AggregateClaim, TargetList
from spending.models import MemberState, Source, Target
from spending.selectors import LATEST, Vintage, compliance
from tests.api.conftest import csv_rows, results
from tests.api.test_openapi_validation import check as validated
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

AS_PUBLISHED = datetime.date(2025, 4, 25)  # NATO_2024REPORT_KNEWS restated only some allies


def editions_of_rows(year: int, vintage: Vintage) -> list[str]:
    """The editions of the figures the selectors use, newest first (what the check must name)."""
    rows = compliance(Target.objects.get(code="2"), [year], vintage=vintage)
    codes = {r.source_code for r in rows if r.source_code}
    sources = Source.objects.filter(code__in=codes).order_by("-published", "code")
    return [s.code for s in sources]


@pytest.fixture
def checked_claims():
    """A count and a list for 2024, checked as a batch ingestion would check them."""
    article = ArticleFactory(published=AS_PUBLISHED)
    bases = checks.CheckBases()
    published_basis = bases.as_published(AS_PUBLISHED)
    listed = list(MemberState.objects.filter(iso3__in=["ESP", "BEL"]))

    def count(basis):
        return checks.check_count_meeting(basis, target_pct=2, year=2024, count=23, of=32)

    def target_list(basis):
        return checks.check_target_list(basis, target_pct=2, year=2024, meets=False, members=listed)

    aggregate = AggregateClaim.objects.create(
        article=article,
        kind="count_meeting",
        target_pct=2,
        year=2024,
        count=23,
        of_total=32,
        check_as_published=count(published_basis),
        check_latest=count(bases.latest),
        verdict="matches",
    )
    tlist = TargetList.objects.create(
        article=article,
        target_pct=2,
        year=2024,
        meets=False,
        check_as_published=target_list(published_basis),
        check_latest=target_list(bases.latest),
        verdict="matches",
    )
    tlist.members.add(*listed)
    return aggregate, tlist


def test_counts_and_lists_carry_the_codes_of_their_editions(client_anon, checked_claims):
    rows = results(client_anon.get("/api/v1/claims/"))
    assert sorted(r["kind"] for r in rows) == ["aggregate_claim", "target_list"]
    latest = editions_of_rows(2024, LATEST)
    as_published = editions_of_rows(2024, Vintage(as_of=AS_PUBLISHED))
    assert latest == ["NATO_DIE2026"]
    assert len(as_published) == 2  # figures from two editions were in force on that day
    for row in rows:
        assert row["check_latest"]["source_code"] == latest, row["kind"]
        assert row["check_as_published"]["source_code"] == as_published, row["kind"]


def test_codes_and_titles_name_the_same_editions_in_the_same_order(client_anon, checked_claims):
    labels = {s.code: s.label for s in Source.objects.all()}
    for row in results(client_anon.get("/api/v1/claims/")):
        for check in (row["check_latest"], row["check_as_published"]):
            codes = check["source_code"]
            assert check["source_title"] == [labels[c] for c in codes]


def test_codes_and_titles_are_lists_in_json_and_list_cells_in_csv(client_anon, checked_claims):
    """A check stores its editions joined by ``"; "``; the API gives lists (as its
    ``alternative`` does) and CSV list cells, each item followed by ``;``."""
    stored = checked_claims[0].check_as_published
    assert stored["source_code"] == "; ".join(editions_of_rows(2024, Vintage(as_of=AS_PUBLISHED)))
    (row,) = (
        r for r in results(client_anon.get("/api/v1/claims/")) if r["kind"] == "aggregate_claim"
    )
    assert row["check_as_published"]["source_code"] == stored["source_code"].split("; ")
    (cells,) = (
        r
        for r in csv_rows(client_anon.get("/api/v1/claims/", {"format": "csv"}))
        if r["kind"] == "aggregate_claim"
    )
    assert cells["check_as_published_source_code"] == stored["source_code"].replace("; ", ";") + ";"
    assert (
        cells["check_latest_source_title"]
        == "Defence Investment of NATO Countries (2014-2026), July 2026 edition;"
    )


def test_no_edition_title_holds_the_separator_of_a_checks_editions():
    """The API splits a stored check's titles on ``"; "`` (:func:`articles.checks.editions_list`):
    an edition's title (its short title when it has one) must not contain it."""
    labels = [s.label for s in Source.objects.filter(is_nato_edition=True)]
    assert labels and not [label for label in labels if checks.EDITIONS_SEPARATOR in label]


def test_checks_without_an_official_figure_name_no_edition():
    basis = checks.CheckBasis(LATEST)
    result = checks.check_count_meeting(basis, target_pct=2, year=1990, count=3, of=16)
    assert result["verdict"] == checks.NO_OFFICIAL
    assert "source_code" not in result and "source_title" not in result


SEED_004_DAY = datetime.date(2025, 4, 24)  # the day NATO released the report on 2024


@pytest.fixture
def count_of_another_year():
    """ "22 of 32 allies met 2% in 2023", as seed 004 wrote on 24 April 2025: NATO's count for
    2024 then, which rests on two editions (the report of that day restated only some allies)."""
    bases = checks.CheckBases()
    basis = bases.as_published(SEED_004_DAY)
    result = checks.check_count_meeting(
        basis,
        target_pct=2,
        year=2023,
        count=22,
        of=32,
        others=bases.editions(released_by=SEED_004_DAY),
    )
    return AggregateClaim.objects.create(
        article=ArticleFactory(published=SEED_004_DAY),
        kind="count_meeting",
        target_pct=2,
        year=2023,
        count=22,
        of_total=32,
        check_as_published=checks.as_stored(result),
        check_latest=checks.as_stored(result),
        verdict="differs",
    )


def test_an_alternative_names_its_editions_as_lists(client_anon, count_of_another_year):
    """A match resting on two editions is a list of two codes and two titles (JSON), a list
    cell in CSV (each code followed by ``;``), as the schema says."""
    openapi = OpenAPI.from_dict(client_anon.get("/api/schema/", {"format": "json"}).json())
    expected = editions_of_rows(2024, Vintage(as_of=SEED_004_DAY))
    assert len(expected) == 2
    labels = {s.code: s.label for s in Source.objects.filter(code__in=expected)}
    (row,) = results(validated(openapi, client_anon, "get", "/api/v1/claims/"))
    alternative = row["check_as_published"]["alternative"]
    assert (alternative["year"], alternative["official_value"]) == (2024, 22)
    assert alternative["source_code"] == expected
    assert alternative["source_title"] == [labels[code] for code in expected]
    answer = validated(openapi, client_anon, "get", "/api/v1/claims/", {"format": "csv"})
    (line,) = csv_rows(answer)
    assert line["check_as_published_alternative_source_code"] == "".join(
        f"{code};" for code in expected
    )
    assert line["check_as_published_alternative_source_title"] == "".join(
        f"{labels[code]};" for code in expected
    )
