"""Ingest news articles (files, folders, URLs) into statements, speakers, figures and claims."""

from __future__ import annotations

import json
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from articles.ingestion import FAILED, IMPORTED, UNCHANGED, Ingestor, IngestResult
from articles.inputs import InputError, InputProblem, Metadata, parse_date, read_inputs


class Command(BaseCommand):
    help = (
        "Ingest articles from .txt/.md/.html files, folders (recursively) and http(s) URLs. "
        "Each article is stored in its own transaction; re-ingesting the same text changes "
        "nothing. Exits with status 1 when any input failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", help="files, folders or URLs")
        parser.add_argument("--dry-run", action="store_true", help="extract, write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--published", help="publication date, YYYY-MM-DD")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--quiet", action="store_true", help="print only the summary")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="worker processes for large batches (each article still has its own "
            "transaction; use with PostgreSQL, SQLite allows one writer at a time)",
        )

    def handle(self, *args, **options):
        try:
            published = parse_date(options["published"]) if options["published"] else None
        except InputProblem as exc:
            raise CommandError(str(exc)) from exc
        override = Metadata(
            title=options["title"],
            publisher=options["publisher"],
            published=published,
            url=options["url"],
        )
        try:
            ingestor = Ingestor()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        results = self._run(ingestor, list(read_inputs(options["inputs"], override)), options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(_json_document(results), ensure_ascii=False, indent=2))
        else:
            self._summary(results, options)
        failed = [r for r in results if r.status == FAILED]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} input(s) failed", returncode=1)

    def _run(self, ingestor: Ingestor, items: list, options) -> list[IngestResult]:
        show_progress = len(items) > 1 and sys.stderr.isatty() and not options["quiet"]
        mode = "dry_run" if options["dry_run"] else "ingest"
        if options["jobs"] > 1 and len(items) > 1:
            connections.close_all()  # each worker opens its own connection
            context = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(
                max_workers=options["jobs"], mp_context=context, initializer=_start_worker
            )
            outcomes = pool.map(_process, [mode] * len(items), items, chunksize=8)
        else:
            pool = None
            outcomes = (_process(mode, item, ingestor) for item in items)
        results = []
        progress = tqdm(outcomes, total=len(items), disable=not show_progress, file=sys.stderr)
        for result in progress:
            if result.status == FAILED:
                self.stderr.write(f"{result.path}: {result.error}")
            elif options["format"] == "text" and not options["quiet"]:
                self.stdout.write(_line(result))
            results.append(result)
        if pool is not None:
            pool.shutdown()
        return results

    def _summary(self, results: list[IngestResult], options) -> None:
        count = {s: sum(r.status == s for r in results) for s in (IMPORTED, UNCHANGED, FAILED)}
        found = [r for r in results if r.status not in (FAILED, UNCHANGED)]
        verb = "checked" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{len(found)} {verb}, {count[UNCHANGED]} unchanged, {count[FAILED]} failed; "
            f"{sum(r.statements for r in found)} statements, "
            f"{sum(r.figures for r in found)} figures, {sum(r.claims for r in found)} claims found"
        )


_worker_ingestor: Ingestor | None = None


def _start_worker() -> None:
    global _worker_ingestor
    connections.close_all()
    _worker_ingestor = Ingestor()


def _process(mode: str, item, ingestor: Ingestor | None = None) -> IngestResult:
    """Ingest (or dry-run) one input; any failure becomes a FAILED result naming the input."""
    if isinstance(item, InputError):
        return IngestResult(item.path, FAILED, error=item.error)
    ingestor = ingestor or _worker_ingestor
    try:
        return getattr(ingestor, mode)(item)
    except Exception as exc:  # one bad article must not stop the batch
        return IngestResult(item.path, FAILED, error=f"{type(exc).__name__}: {exc}")


def _line(result: IngestResult) -> str:
    if result.status == UNCHANGED:
        return f"{result.path}: unchanged (already ingested as article {result.article_id})"
    return (
        f"{result.path}: {result.status}: {result.statements} statements, "
        f"{result.figures} figures, {result.claims} claims"
    )


def _json_document(results: list[IngestResult]) -> dict:
    return {
        "articles": [r.data for r in results if r.status != FAILED and r.data],
        "results": [
            {"path": r.path, "status": r.status, "article_id": r.article_id}
            for r in results
            if r.status != FAILED
        ],
        "errors": [{"path": r.path, "error": r.error} for r in results if r.status == FAILED],
    }
