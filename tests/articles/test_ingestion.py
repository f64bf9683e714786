"""Ingestion into the database: stored once, checked against NATO, idempotent, race-safe."""

from __future__ import annotations

import datetime
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from articles.ingestion import IMPORTED, UNCHANGED, Ingestor, content_hash, recheck_all
from articles.inputs import Document, Metadata, read_inputs
from articles.models import AggregateClaim, Article, ReportedFigure, Speaker, Statement, TargetList

SAMPLES = Path(settings.SAMPLE_ARTICLES_DIR)


def documents():
    return [item for item in read_inputs([str(SAMPLES)]) if isinstance(item, Document)]


def doc(text, published=datetime.date(2025, 6, 5), path="t.txt"):
    return Document(path, text, Metadata(title="T", published=published))


@pytest.mark.django_db
def test_sample_articles_are_stored_with_speakers_and_claims():
    ingestor = Ingestor()
    results = [ingestor.ingest(d) for d in documents()]
    assert [r.status for r in results] == [IMPORTED] * 3
    assert Article.objects.count() == 3
    assert Statement.objects.count() == 29
    # One person is one speaker across articles.
    assert set(Speaker.objects.values_list("name", flat=True)) == {
        "Mark Rutte",
        "Pete Hegseth",
        "Jens Stoltenberg",
    }
    rutte = Speaker.objects.get(name="Mark Rutte")
    assert rutte.statements.values("article").distinct().count() == 3
    assert rutte.aliases.filter(alias="Rutte").exists()
    politico = Article.objects.get(publisher="POLITICO")
    assert politico.dateline == "MUNICH"
    hegseth_quote = Statement.objects.get(text__startswith="Every shoulder")
    assert hegseth_quote.speaker.name == "Pete Hegseth"
    assert list(hegseth_quote.targets.values_list("code", flat=True)) == ["5"]


@pytest.mark.django_db
def test_reported_figures_and_claims_are_checked_as_published_and_latest():
    Ingestor().ingest(documents()[2])
    us_2024 = ReportedFigure.objects.get(member__iso3="USA", year=2024)
    assert us_2024.value == 3.19
    assert us_2024.verdict == "matches"  # NATO's April 2025 report said 3.19
    assert us_2024.check_as_published["source_code"] == "NATO_2024REPORT_KNEWS"
    assert us_2024.check_latest["verdict"] == "differs"
    assert us_2024.check_latest["official_value"] == 3.30
    assert us_2024.check_latest["difference"] == pytest.approx(-0.11)

    count = AggregateClaim.objects.get(kind="count_meeting")
    assert (count.count, count.of_total, count.year) == (22, 32, 2023)
    assert count.verdict == "differs"
    assert "31 members in 2023, not 32" in count.check_as_published["detail"]
    # 22 met + 9 missed = 31 allies that report figures (Iceland reports none): consistent.
    assert "inconsistencies" not in count.check_as_published

    missing = TargetList.objects.get()
    assert missing.meets is False
    assert set(missing.members.values_list("iso3", flat=True)) == {
        "BEL", "CAN", "HRV", "ITA", "LUX", "MNE", "PRT", "SVN", "ESP",
    }  # fmt: skip
    assert missing.verdict == "matches"


@pytest.mark.django_db
def test_reingesting_the_same_text_changes_nothing():
    ingestor = Ingestor()
    first = ingestor.ingest(documents()[0])
    counts = (Article.objects.count(), Statement.objects.count(), Speaker.objects.count())
    again = Ingestor().ingest(documents()[0])
    assert (first.status, again.status) == (IMPORTED, UNCHANGED)
    assert again.article_id == first.article_id
    assert (Article.objects.count(), Statement.objects.count(), Speaker.objects.count()) == counts


def test_content_hash_ignores_whitespace_differences():
    assert content_hash("a  b\n c") == content_hash("a b c ")
    assert content_hash("a b") != content_hash("a c")


@pytest.mark.django_db
def test_an_article_failing_midway_leaves_nothing(monkeypatch):
    from articles import ingestion

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingestion, "_save_rows", explode)
    with pytest.raises(RuntimeError):
        Ingestor().ingest(documents()[2])
    assert not Article.objects.exists()
    assert not Statement.objects.exists()
    assert not Speaker.objects.filter(name="Jens Stoltenberg").exists()


@pytest.mark.django_db
def test_undated_article_is_checked_against_every_edition():
    text = "The United States spent 3.30% of its GDP on defense in 2024, officials said."
    Ingestor().ingest(doc(text, published=None))
    figure = ReportedFigure.objects.get()
    assert figure.check_as_published["date_unknown"] is True
    assert "date is unknown" in figure.check_as_published["detail"]
    assert figure.verdict == figure.check_latest["verdict"] == "matches"


@pytest.mark.django_db
def test_unknown_speaker_is_created_and_unattributed_quote_keeps_no_speaker():
    text = (
        "HELSINKI — Finnish President Alexander Stubb said “we are ready to spend what it takes” "
        "on Monday. Elsewhere, a banner read “peace through strength for all”."
    )
    Ingestor().ingest(doc(text))
    by_text = {s.text: s for s in Statement.objects.select_related("speaker")}
    assert by_text["we are ready to spend what it takes"].speaker.name == "Alexander Stubb"
    assert by_text["peace through strength for all"].speaker is None


@pytest.mark.django_db(transaction=True)
def test_two_ingestions_at_once_store_one_article_and_one_speaker(reference_data):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    document = documents()[0]
    barrier = threading.Barrier(2)
    statuses = []

    def run():
        try:
            ingestor = Ingestor()
            barrier.wait()
            statuses.append(ingestor.ingest(document).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [IMPORTED, UNCHANGED]
    assert Article.objects.count() == 1
    assert Speaker.objects.filter(name="Mark Rutte").count() == 1


@pytest.mark.django_db
def test_recheck_restores_stale_checks_keeps_verdicts_and_is_idempotent():
    for document in documents():
        Ingestor().ingest(document)
    figure = ReportedFigure.objects.first()
    claim = AggregateClaim.objects.first()
    fresh = (figure.check_latest, figure.verdict, claim.check_as_published)
    ReportedFigure.objects.filter(pk=figure.pk).update(
        check_latest={}, verdict="no_official", editor_verdict="matches", editor_note="seen"
    )
    AggregateClaim.objects.filter(pk=claim.pk).update(check_as_published={"verdict": "x"})
    articles, changed = recheck_all()
    assert (articles, changed) == (3, 2)
    figure.refresh_from_db()
    claim.refresh_from_db()
    assert (figure.check_latest, figure.verdict, claim.check_as_published) == fresh
    assert (figure.editor_verdict, figure.editor_note) == ("matches", "seen")
    assert recheck_all() == (3, 0)


@pytest.mark.django_db
def test_recheck_claims_command_reports_what_it_did():
    Ingestor().ingest(documents()[0])
    out = io.StringIO()
    call_command("recheck_claims", stdout=out)
    assert out.getvalue().strip() == "Checked 1 articles again: 0 checks changed."


@pytest.mark.django_db
def test_the_gazetteer_takes_its_target_levels_from_the_target_table():
    """Target levels are data: a level added to the table is read as a target, and the shipped
    CSV gazetteer (the CLI's) agrees with the database's."""
    from articles.extraction.gazetteer import default_gazetteer
    from articles.ingestion import build_gazetteer
    from spending.models import Target

    assert build_gazetteer().targets.levels == default_gazetteer().targets.levels
    Target.objects.create(
        code="4", name="4% (proposed)", threshold=4, status=Target.Status.PROPOSED,
        decided_at="A summit", decided_on=datetime.date(2018, 7, 12),
    )  # fmt: skip
    assert build_gazetteer().targets.is_target(4.0)


def test_the_extraction_names_the_metrics_nato_publishes_as_the_database_does():
    """Metric names are not a second list: the extraction's share of GDP and US-dollar amounts
    are the database's metrics (so their checks find NATO's figures), its euro and local
    amounts are not (their checks say NATO publishes none)."""
    from articles.extraction import types
    from spending.models import Metric

    assert (types.PCT_GDP, types.SPENDING_USD) == (Metric.PCT_GDP, Metric.SPENDING_USD)
    assert not {types.SPENDING_EUR, types.SPENDING_LOCAL} & set(Metric.values)


@pytest.mark.django_db
def test_the_first_version_holds_the_allies_and_targets_the_ingestion_set():
    """The history's first version is what the ingestion stored, allies and targets included:
    an editor's later save is not shown as adding them, and a revert to it keeps them."""
    from articles.editing import history_records, history_rows, mark_reviewed, revert_to_version
    from tests.editor.conftest import editors_group
    from tests.factories import UserFactory

    for document in documents():
        Ingestor().ingest(document)
    for model in (Statement, TargetList):
        for row in model.objects.prefetch_related("members"):
            first = row.history.earliest("history_date")
            held = set(first.members.values_list("memberstate_id", flat=True))
            assert held == {m.pk for m in row.members.all()}, row
    quote = Statement.objects.get(text__startswith="Every shoulder")
    first = quote.history.get()
    assert list(first.targets.values_list("target__code", flat=True)) == ["5"]

    editor = UserFactory(username="editor")
    editor.groups.add(editors_group())
    mark_reviewed(statement=quote, user=editor)
    newest = history_rows(history_records(Statement, quote.pk))[0]
    assert [c["field"] for c in newest["changes"]] == ["review_status"]
    revert_to_version(record=first, user=editor)
    assert list(quote.targets.values_list("code", flat=True)) == ["5"]


@pytest.mark.django_db
def test_the_first_versions_are_written_without_reading_back_what_was_just_stored():
    """The ingestion knows the versions and links it just wrote: copying the links into the
    first versions reads neither the history tables nor the link tables back (five queries
    an article less)."""
    from django.test.utils import CaptureQueriesContext

    ingestor = Ingestor()
    with CaptureQueriesContext(connection) as queries:
        for document in documents():
            ingestor.ingest(document)
    reads = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    written = ("historical", "statement_members", "statement_targets", "targetlist_members")
    assert not [sql for sql in reads if any(table in sql for table in written)]
    linked = Statement.objects.filter(members__isnull=False).distinct()
    firsts = [row.history.earliest("history_date") for row in linked]
    assert firsts and all(first.members.exists() for first in firsts)


@pytest.mark.django_db
def test_history_managers_are_made_once_per_model_not_per_article(monkeypatch):
    """simple_history builds a manager class on every access to a model's (or a many-to-many
    field's) history (2.7% of a batch's CPU when done for each article): the ingestion makes
    one per model and keeps it."""
    from simple_history.manager import HistoryDescriptor

    made = []
    build = HistoryDescriptor.__get__

    def counting(self, instance, owner):
        made.append((owner, self.model))  # the model, or a field's history of links
        return build(self, instance, owner)

    monkeypatch.setattr(HistoryDescriptor, "__get__", counting)
    ingestor = Ingestor()
    for document in documents():
        assert ingestor.ingest(document).status == IMPORTED
    assert Article.objects.filter(statements__isnull=False).distinct().count() > 1
    rows = [pair for pair in made if pair[0] is not Speaker]  # a new speaker's first version
    assert len(rows) == len(set(rows))


@pytest.mark.django_db
def test_an_ingested_article_changes_the_reports_version_and_leaves_the_official_one(
    django_capture_on_commit_callbacks,
):
    # An article is reports data: the official parts kept under the official version (the
    # dashboard's tables and charts) stay valid; the reports' caches are abandoned.
    from nato_tracker.data_version import data_version

    official, reports = data_version("official"), data_version("reports")
    with django_capture_on_commit_callbacks(execute=True) as committed:
        Ingestor().ingest(doc("Poland spent 4.1% of its GDP on defence in 2024, officials said."))
    assert committed  # the commit's callbacks ran
    assert data_version("official") == official
    assert data_version("reports") != reports
