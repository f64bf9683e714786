"""The ingest_articles command: dry-run JSON, batches with bad inputs, idempotence."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article, Statement
from tests.shared_data import shared

SAMPLES = Path(settings.SAMPLE_ARTICLES_DIR)

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest_articles", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def test_dry_run_json_writes_nothing_and_has_the_documented_fields():
    code, out, _ = run("--dry-run", "--format", "json", str(SAMPLES))
    assert code == 0
    assert not Article.objects.exists()
    document = json.loads(out)
    assert document["errors"] == []
    assert len(document["articles"]) == 3
    article = document["articles"][2]
    assert set(article) >= {
        "path", "title", "published", "statements", "figures", "aggregate_claims",
        "target_lists", "targets_mentioned", "members_mentioned",
    }  # fmt: skip
    assert {"country": "USA", "year": 2024, "metric": "pct_gdp", "value": 3.19}.items() <= (
        article["figures"][0].items()
    )
    total = next(c for c in article["aggregate_claims"] if c["kind"] == "total_spending")
    assert (total["value"], total["currency"], total["year"]) == (1.3e12, "USD", 2024)
    assert article["published"] == "2025-04-24"


def test_dry_run_on_the_shared_seeds_matches_the_gold(tmp_path):
    seeds = shared("seeds")
    code, out, _ = run("--dry-run", "--format", "json", *sorted(map(str, seeds.glob("*.txt"))))
    assert code == 0
    result = tmp_path / "result.json"
    result.write_text(out, encoding="utf-8")
    import subprocess
    import sys

    score = subprocess.run(
        [sys.executable, str(seeds.parent / "eval" / "score.py"), str(result),
         str(seeds.parent / "eval" / "seeds_gold"), "--min-f1", "0.95"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert score.returncode == 0, score.stdout
    assert "figures               1.000  1.000  1.000" in score.stdout


def test_a_bad_input_is_named_and_the_rest_of_the_batch_imports(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    code, out, err = run(str(SAMPLES), str(tmp_path), str(tmp_path / "missing.txt"))
    assert code == 1
    assert f"{tmp_path / 'empty.txt'}: empty article" in err
    assert f"{tmp_path / 'binary.txt'}: binary file" in err
    assert f"{tmp_path / 'missing.txt'}: no such file" in err
    assert "3 imported, 0 unchanged, 3 failed" in out
    assert Article.objects.count() == 3


def test_second_run_says_unchanged_and_changes_nothing():
    run(str(SAMPLES))
    statements = Statement.objects.count()
    code, out, _ = run(str(SAMPLES))
    assert code == 0
    assert out.count("unchanged (already ingested as article") == 3
    assert "0 imported, 3 unchanged, 0 failed" in out
    assert Statement.objects.count() == statements


def test_options_set_the_metadata(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("“We must all spend 2% now,” Rutte said.", encoding="utf-8")
    code, *_ = run(str(path), "--published", "2025-01-02", "--publisher", "Wire", "--title", "T")
    assert code == 0
    article = Article.objects.get()
    assert (article.title, article.publisher, article.published.isoformat()) == (
        "T",
        "Wire",
        "2025-01-02",
    )


def test_malformed_published_option_is_an_error():
    code, _, err = run(str(SAMPLES), "--published", "next week")
    assert code == 1
    assert "not a date" in err


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_store_every_article_once(reference_data, tmp_path):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("worker processes need a server database (the SQLite test db is in memory)")
    for i in range(6):  # articles sharing speakers, so the workers race to create them
        (tmp_path / f"a{i}.txt").write_text(
            f"Story {i}. “We must spend more on defence, now,” Finnish President Alexander "
            f"Stubb said. “Every ally must do its part {i},” said Dutch Prime Minister Dick "
            "Schoof.",
            encoding="utf-8",
        )
    code, out, err = run("--jobs", "2", str(SAMPLES), str(tmp_path))
    assert code == 0, err
    assert "9 imported, 0 unchanged, 0 failed" in out
    assert Article.objects.count() == 9
    from articles.models import Speaker

    assert Speaker.objects.filter(name="Alexander Stubb").count() == 1
    code, out, _ = run("--jobs", "2", str(SAMPLES), str(tmp_path))
    assert "0 imported, 9 unchanged, 0 failed" in out


def test_the_extraction_cli_reads_and_extracts_exactly_as_the_command(tmp_path, capsys):
    """``python -m articles.extraction`` (what the quality tests score) and ``ingest_articles
    --dry-run`` share one reader and one extraction call: same JSON, same refusals."""
    from articles.extraction.__main__ import main

    header = "\ufeff---\ntitle: Allies meet\npublished: 2025-06-05\nurl: https://x.example/a\n---\n"
    body = 'Poland spent 4.1% of GDP on defence in 2024.\n\n"We will do more," Rutte said.\n'
    (tmp_path / "a.txt").write_text(header + body, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("---\npublished: June\n---\nText here.\n", encoding="utf-8")
    inputs = [str(SAMPLES), str(tmp_path / "a.txt"), str(tmp_path / "bad.txt")]
    _, out, _ = run("--dry-run", "--format", "json", *inputs)
    assert main(inputs) == 0
    cli = json.loads(capsys.readouterr().out)
    command = json.loads(out)
    # The command adds the checks against NATO's figures (from the database) to each article.
    without_checks = [{k: v for k, v in a.items() if k != "checks"} for a in command["articles"]]
    assert cli["articles"] == without_checks
    article = cli["articles"][-1]
    assert (article["title"], article["published"]) == ("Allies meet", "2025-06-05")
    assert [e["path"] for e in cli["errors"]] == [str(tmp_path / "bad.txt")]
    assert "is not a date" in cli["errors"][0]["error"]
