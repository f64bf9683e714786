"""Fault test: restart PostgreSQL in the middle of a load run, and kill an ingestion mid-batch.

1. A scratch PostgreSQL database (``ops_fault``) gets the reference data; gunicorn (production
   settings) serves it; 16 client threads request pages and API lists without pause (fresh
   answers: the answer cache is off) while an ingestion of a batch of articles runs.
2. PostgreSQL is restarted (``pg_ctlcluster ... restart``). Passes when every failed request is
   a clean 503 (no traceback) answered while the database was down or within 5 s of it coming
   back, there are no connection errors, and the answers are 200 again after that.
3. The ingestion (which fails the articles it was storing while the database was down) is run
   again, then a second batch is ingested and killed with SIGKILL in the middle, and run again:
   every article is stored exactly once, with exactly the statements a dry run finds in it.

    .venv/bin/python scripts/fault_test.py        # needs root (pg_ctlcluster) and 127.0.0.1:5432

Restarting PostgreSQL interrupts every other client of that server for ~1-2 s. Figures:
docs/performance.md.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import (
    PYTHON,
    ROOT,
    create_postgres_database,
    manage,
    prepare_database,
    start_server,
)

PATHS = [
    "/",
    "/countries/poland/",
    "/statements/?q=spending",
    "/api/v1/compliance/?target=2&year=2024",
    "/api/v1/statements/",
    "/api/v1/figures/",
    "/healthz",
]
RECOVERY_LIMIT = 5.0


def make_batch(directory: Path, count: int, tag: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text() for p in sorted((ROOT / "articles/data/sample_articles").glob("*.txt"))]
    for n in range(count):
        text = texts[n % len(texts)]
        (directory / f"{tag}-{n:03}.txt").write_text(f"{text}\n{tag} copy {n}.\n")
    return directory


def expected_statements(batch: Path, env: dict) -> dict[str, int]:
    done = manage("ingest_articles", str(batch), "--dry-run", "--format", "json", env=env)
    data = json.loads(done.stdout)
    return {Path(a["path"]).name: len(a.get("statements", [])) for a in data["articles"]}


def stored(database_url: str, batch: Path) -> dict[str, tuple[int, int]]:
    """{file name: (copies of the article, statements)} for the batch's articles."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT a.source_path, COUNT(DISTINCT a.id), COUNT(s.id) FROM articles_article a "
            "LEFT JOIN articles_statement s ON s.article_id = a.id "
            "WHERE a.source_path LIKE %s GROUP BY a.source_path",
            (f"{batch}%",),
        ).fetchall()
    return {Path(path).name: (copies, statements) for path, copies, statements in rows}


def check_batch(database_url: str, batch: Path, env: dict, label: str) -> bool:
    expected = expected_statements(batch, env)
    found = stored(database_url, batch)
    exact = all(found.get(name) == (1, n) for name, n in expected.items())
    print(
        f"{label}: {len(expected)} articles expected, {len(found)} stored, each exactly once "
        f"with its statements: {exact}"
    )
    return exact and len(found) == len(expected)


def main() -> int:
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    database_url = create_postgres_database("ops_fault")
    prepare_database(database_url, articles=False)
    env = {"DATABASE_URL": database_url, "RESPONSE_CACHE_SECONDS": "0"}
    tmp = Path(tempfile.mkdtemp(prefix="fault-test-"))
    batch1 = make_batch(tmp / "during-restart", 60, "restart")
    batch2 = make_batch(tmp / "killed", 60, "killed")

    server = start_server(env, workers=3)
    log: list[tuple[float, int | str, bool]] = []  # (time, status or error, clean answer)
    stop = threading.Event()

    def client(offset: int) -> None:
        i = offset
        while not stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            conn = http.client.HTTPConnection(f"127.0.0.1:{server.port}", timeout=15)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read().decode("utf-8", "replace")
                # A clean failure: a 503 with Retry-After and our own text, never a traceback.
                clean = "Traceback" not in body and (
                    response.status != 503
                    or (
                        response.getheader("Retry-After") == "5" and ("unavailable" in body.lower())
                    )
                )
                log.append((time.monotonic(), response.status, clean))
            except OSError as exc:
                log.append((time.monotonic(), type(exc).__name__, False))
            finally:
                conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    ingest = subprocess.Popen(
        [PYTHON, "manage.py", "ingest_articles", str(batch1), "--quiet"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    time.sleep(5)
    down_at = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True
    )
    up_at = time.monotonic()  # pg_ctlcluster returns once the server accepts connections
    time.sleep(15)
    stop.set()
    for thread in threads:
        thread.join()
    ingest_output = ingest.communicate()[0].decode()
    server.stop()

    failures = [entry for entry in log if entry[1] != 200]
    unclean = [entry for entry in log if not entry[2]]
    errors = [entry for entry in log if isinstance(entry[1], str)]
    last_failure = max((t for t, *_ in failures), default=down_at)
    recovery = max(0.0, last_failure - up_at)
    outside = [e for e in failures if not (down_at - 0.5 <= e[0] <= up_at + RECOVERY_LIMIT)]
    after = [e for e in log if e[0] > up_at + RECOVERY_LIMIT]
    print(
        f"requests: {len(log)}; non-200: {len(failures)} "
        f"({sorted({str(s) for _, s, _ in failures})}); connection errors: {len(errors)}; "
        f"unclean answers: {len(unclean)}"
    )
    print(
        f"PostgreSQL down for {up_at - down_at:.2f} s (restart command); last failed request "
        f"{recovery:.2f} s after it was back; failures outside the outage: {len(outside)}; "
        f"requests after recovery: {len(after)}, all 200: {all(e[1] == 200 for e in after)}"
    )
    print("ingestion during the restart:", ingest_output.strip().splitlines()[-1:] or "")

    manage("ingest_articles", str(batch1), "--quiet", env=env, check=False)
    ok_restart = check_batch(database_url, batch1, env, "batch ingested across the restart, rerun")

    killed = subprocess.Popen(
        [PYTHON, "manage.py", "ingest_articles", str(batch2), "--quiet"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while len(stored(database_url, batch2)) < 10 and killed.poll() is None:
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    print(f"ingestion killed (SIGKILL) after {len(stored(database_url, batch2))} of 60 articles")
    manage("ingest_articles", str(batch2), "--quiet", env=env)
    ok_killed = check_batch(database_url, batch2, env, "batch killed mid-way, rerun")

    ok = (
        not unclean
        and not errors
        and not outside
        and recovery <= RECOVERY_LIMIT
        and bool(after)
        and all(e[1] == 200 for e in after)
        and ok_restart
        and ok_killed
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
