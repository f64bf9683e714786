"""The dry run goes through the same checks as the ingestion (issue 16 item 3), and the
consistency check of counts against lists takes any combination of claims."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import checks
from articles.ingestion import CHECKED, IMPORTED, Ingestor
from articles.inputs import Document, Metadata
from articles.models import AggregateClaim, TargetList

# Four lines that crashed the ingestion with a TypeError in consistency_problems (a count
# claim and a list of allies missing a target the article does not name), while the dry run,
# which did not check anything, ran fine.
UNNAMED_TARGET = (
    "Spending news\n"
    "BRUSSELS — Allies met again.\n"
    "19 of 32 allies met the target in 2024.\n"
    "Allies that missed the target: Belgium, Canada and Spain.\n"
)
# Published after the Hague summit, when 2%, 3.5% and 5% were all agreed: "the target" names
# no level (before it, the extraction reads "the target" as 2%, the only one agreed).
AFTER_THE_HAGUE = datetime.date(2026, 1, 10)


def doc(text, published=datetime.date(2025, 1, 10), path="t.txt"):
    return Document(path, text, Metadata(title="T", published=published))


def stored_checks() -> list[tuple]:
    rows = [*AggregateClaim.objects.order_by("start"), *TargetList.objects.order_by("start")]
    return [(row.verdict, row.check_as_published, row.check_latest) for row in rows]


@pytest.mark.django_db
def test_count_and_list_with_an_unnamed_target_are_ingested_and_flagged():
    result = Ingestor().ingest(doc(UNNAMED_TARGET, AFTER_THE_HAGUE))
    assert result.status == IMPORTED, result.error
    claim = AggregateClaim.objects.get()
    assert claim.check_latest["inconsistencies"] == [
        "The article says 19 of 32 allies met the target but lists 3 that missed it: "
        "19 + 3 = 22, not 31 (the 32 allies less 1 that reports no figures)."
    ]


@pytest.mark.django_db
def test_the_dry_run_reports_the_very_checks_the_ingestion_stores():
    dry = Ingestor().dry_run(doc(UNNAMED_TARGET, AFTER_THE_HAGUE))
    assert dry.status == CHECKED
    Ingestor().ingest(doc(UNNAMED_TARGET, AFTER_THE_HAGUE))
    assert [(c["verdict"], c["check_as_published"], c["check_latest"]) for c in dry.data["checks"]]
    assert [
        (c["verdict"], c["check_as_published"], c["check_latest"]) for c in dry.data["checks"]
    ] == stored_checks()
    assert [c["row"] for c in dry.data["checks"]] == ["count_meeting", "target_list"]


@pytest.mark.django_db
def test_the_dry_run_fails_where_the_ingestion_fails(monkeypatch):
    """One code path: a check that raises makes the dry run fail too, not pass silently."""

    def broken(*args, **kwargs):
        raise TypeError("broken check")

    monkeypatch.setattr(checks, "consistency_problems", broken)
    with pytest.raises(TypeError):
        Ingestor().dry_run(doc(UNNAMED_TARGET, AFTER_THE_HAGUE))


TARGETS = st.sampled_from([None, 2.0, 3.0, 3.5, 5.0])
YEARS = st.sampled_from([None, 2023, 2024])
COUNTS = st.one_of(st.none(), st.integers(min_value=0, max_value=40))
CLAIMS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["count_meeting", "total_spending"]),
        "target_pct": TARGETS,
        "year": YEARS,
        "count": COUNTS,
        "of": COUNTS,
    }
)
LISTS = st.fixed_dictionaries(
    {
        "target_pct": TARGETS,
        "year": YEARS,
        "meets": st.booleans(),
        "countries": st.lists(st.sampled_from(["BEL", "CAN", "ESP", "ITA"]), max_size=6),
    }
)


@settings(max_examples=300)
@given(st.lists(CLAIMS, max_size=4), st.lists(LISTS, max_size=4))
def test_consistency_problems_take_any_combination_of_claims(claims, lists):
    problems = checks.consistency_problems(claims, lists)
    expected = [
        (claim, target_list)
        for claim in claims
        for target_list in lists
        if claim["kind"] == "count_meeting"
        and None not in (claim["count"], claim["of"])
        and not target_list["meets"]
        and target_list["target_pct"] == claim["target_pct"]
        and target_list["year"] in (None, claim["year"])
        and claim["count"] + len(target_list["countries"]) != claim["of"]
    ]
    assert len(problems) == len(expected)
    for problem, (claim, target_list) in zip(problems, expected, strict=True):
        assert f"{claim['count']} + {len(target_list['countries'])} = " in problem


COUNT_SENTENCES = st.builds(
    "{} of {} allies met {} in {}.".format,
    st.integers(min_value=1, max_value=32),
    st.sampled_from([30, 31, 32]),
    st.sampled_from(["the target", "the 2% target", "the guideline", "3.5% of GDP"]),
    st.sampled_from(["2023", "2024", "last year"]),
)
LIST_SENTENCES = st.builds(
    "Allies that {} {}: {}.".format,
    st.sampled_from(["missed", "met", "fell short of"]),
    st.sampled_from(["the target", "the 2% target", "it", "the goal in 2024"]),
    st.sampled_from(["Belgium, Canada and Spain", "Italy and Portugal", "Poland, Estonia"]),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(COUNT_SENTENCES, LIST_SENTENCES), min_size=1, max_size=4))
def test_any_mix_of_counts_and_lists_is_dry_run_and_checked(sentences):
    text = "Spending news\nBRUSSELS — Allies met.\n" + "\n".join(sentences) + "\n"
    result = Ingestor().dry_run(doc(text))
    assert result.status == CHECKED
    extraction_rows = len(result.data["aggregate_claims"]) + len(result.data["target_lists"])
    assert len(result.data["checks"]) == extraction_rows
    for check in result.data["checks"]:
        assert check["verdict"] in {checks.MATCHES, checks.DIFFERS, checks.NO_OFFICIAL}
