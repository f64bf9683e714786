"""Ingest news articles (files, folders, URLs) into statements, speakers, figures and claims."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from pebble import ProcessExpired, ProcessPool
from tqdm import tqdm

from articles.ingestion import FAILED, IMPORTED, UNCHANGED, Ingestor, IngestResult
from articles.inputs import InputError, InputProblem, Metadata, parse_date, read_inputs
from articles.workers import die_with_parent

DEFAULT_TIMEOUT = 120


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
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="print only the summary (and failures; on a terminal, a progress bar)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="worker processes for large batches (each article still has its own "
            "transaction; use with PostgreSQL, SQLite allows one writer at a time)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help="seconds one article may take; past it the article is reported as failed, "
            f"its worker is replaced and the batch goes on (default {DEFAULT_TIMEOUT}; "
            "0: no limit)",
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
        # A progress bar on a terminal (also with --quiet, which drops the per-article lines).
        show_progress = len(items) > 1 and sys.stderr.isatty()
        mode = "dry_run" if options["dry_run"] else "ingest"
        if _workers_see_the_database():
            timeout = options["timeout"] or None
            outcomes = _in_workers(ingestor, mode, items, max(1, options["jobs"]), timeout)
        else:
            outcomes = (_process(mode, item, ingestor) for item in items)
        results = []
        progress = tqdm(outcomes, total=len(items), disable=not show_progress, file=sys.stderr)
        try:
            with _stop_on_sigterm():
                for result in progress:
                    if result.status == FAILED:
                        self.stderr.write(f"{result.path}: {result.error}")
                    elif options["format"] == "text" and not options["quiet"]:
                        self.stdout.write(_line(result))
                    results.append(result)
        finally:
            outcomes.close()  # stops the workers, also when interrupted
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


def _workers_see_the_database() -> bool:
    """Whether worker processes can work on the caller's database: not an in-memory SQLite
    database, nor a transaction the caller holds open (the tests'), which another process's
    connection cannot join. Otherwise the articles are ingested in this process, without a
    time limit."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return not (in_memory or connection.in_atomic_block)


def _in_workers(
    ingestor: Ingestor, mode: str, items: list, jobs: int, timeout: float | None
) -> Iterator[IngestResult]:
    """Each article in a worker process of a pool (pebble) that stops a task past
    ``timeout`` seconds, kills its worker and starts another; results in input order. The
    workers are stopped when the batch ends or this process is interrupted, and die with it
    if it is killed."""
    global _worker_ingestor
    _worker_ingestor = ingestor  # inherited by the forked workers, with its lookups
    connections.close_all()  # each worker opens its own connection
    context = multiprocessing.get_context("fork")
    pool = ProcessPool(
        max_workers=jobs,
        initializer=_start_worker,
        initargs=(os.getpid(),),
        context=context,
    )
    try:
        futures = [pool.schedule(_process, args=(mode, item), timeout=timeout) for item in items]
        for item, future in zip(items, futures, strict=True):
            yield _outcome(item, future, timeout)
    finally:
        pool.stop()
        pool.join()


def _outcome(item, future, timeout: float | None) -> IngestResult:
    try:
        return future.result()
    except FutureTimeout:
        return IngestResult(item.path, FAILED, error=f"took longer than {timeout:g} s")
    except ProcessExpired as exc:
        return IngestResult(item.path, FAILED, error=f"worker died ({exc})")
    except Exception as exc:  # noqa: BLE001 (a result not sent back: the batch goes on)
        return IngestResult(item.path, FAILED, error=f"{type(exc).__name__}: {exc}")


def _start_worker(parent_pid: int) -> None:
    die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group: the parent alone stops the batch (and us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the batch like Ctrl-C (the workers are stopped on the way out) and
    exits with status 143; the previous handler comes back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _process(mode: str, item, ingestor: Ingestor | None = None) -> IngestResult:
    """Ingest (or dry-run) one input; any failure becomes a FAILED result naming the input."""
    if isinstance(item, InputError):
        return IngestResult(item.path, FAILED, error=item.error)
    ingestor = ingestor or _worker_ingestor
    try:
        return getattr(ingestor, mode)(item)
    except Exception as exc:  # noqa: BLE001 (one bad article must not stop the batch)
        return IngestResult(item.path, FAILED, error=f"{type(exc).__name__}: {exc}")


def _line(result: IngestResult) -> str:
    if result.status == UNCHANGED:
        return f"{result.path}: unchanged (already ingested as article {result.article_id})"
    line = (
        f"{result.path}: {result.status}: {result.statements} statements, "
        f"{result.figures} figures, {result.claims} claims"
    )
    if result.limits_reached:
        cut = ", ".join(
            f"{counts['found']:,} {name.replace('_', ' ')} found, {counts['kept']:,} kept"
            for name, counts in result.limits_reached.items()
        )
        line += f" (limit per article reached: {cut})"
    return line


def _json_document(results: list[IngestResult]) -> dict:
    return {
        "articles": [r.data for r in results if r.status != FAILED and r.data],
        "results": [
            {
                "path": r.path,
                "status": r.status,
                "article_id": r.article_id,
                "limits_reached": r.limits_reached,
            }
            for r in results
            if r.status != FAILED
        ],
        "errors": [{"path": r.path, "error": r.error} for r in results if r.status == FAILED],
    }
