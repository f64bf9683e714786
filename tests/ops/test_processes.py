"""Real processes: two gunicorn servers sharing Redis, static files, a killed ingestion.

Each test starts its own processes on free 127.0.0.1 ports against a scratch SQLite file (a few
seconds each). The Redis test is skipped only when Redis is unreachable and CI is not "true".
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from ops_common import PYTHON, get, manage, prepare_database, run_load, start_server  # noqa: E402

REDIS = "redis://127.0.0.1:6379/3"
SAMPLES = ROOT / "articles/data/sample_articles"
ENDLESS = str(ROOT / "tests/ingest_with_endless_article.py")


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("ops") / "db.sqlite3"
    url = f"sqlite:///{path}"
    prepare_database(url, articles=False)
    return url


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_two_servers_sharing_redis_see_a_change_at_once(sqlite_url):
    if not redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS} is required in CI")
        pytest.skip(f"Redis at {REDIS} is not reachable")
    prefix = f"ops-test-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": sqlite_url,
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": prefix,
        "RESPONSE_CACHE_SECONDS": "300",
        # Not the 1 s default: on a loaded machine a slow Redis answer made a worker (or the
        # shell that saves the change) serve uncached for 5 s and miss the data version.
        "CACHE_TIMEOUT": "10",
    }
    servers = []
    try:
        servers += [start_server(env, workers=2, production=False) for _ in range(2)]
        page = "/countries/poland/"
        for server in servers:  # warm: both have served (and cached) the page
            for _ in range(3):
                status, _, body = get(server.base + page)
                assert status == 200 and b"Poland" in body
        assert get(servers[1].base + page)[1].get("X-Cache") == "hit"
        new_name = f"Poland-{uuid.uuid4().hex[:6]}"
        # The change goes through server 0's code path for writes (a model save, which bumps
        # the shared data version), made here by a management command against the same data.
        manage(
            "shell",
            "-c",
            "from spending.models import MemberState as M; m = M.objects.get(slug='poland'); "
            f"m.name = '{new_name}'; m.save()",
            env=env,
        )
        for server in servers:
            for _ in range(4):  # every worker of both servers
                status, _, body = get(server.base + page)
                assert status == 200 and new_name.encode() in body, server.base
    finally:
        for server in servers:
            server.stop()
        delete_keys(prefix)


def delete_keys(prefix: str) -> None:
    """Delete every key of ``prefix`` from the shared Redis (data versions never expire)."""
    import redis

    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_production_server_serves_hashed_compressed_static_and_keeps_up(sqlite_url, tmp_path):
    # Its own file cache: production's default, /tmp/nato_tracker_cache, is every run's on the
    # machine (answers cached by another run, or a run before, of the same code).
    env = {"DATABASE_URL": sqlite_url, "CACHE_DIR": str(tmp_path / "cache")}
    server = start_server(env, workers=2)
    try:
        status, _, body = get(server.base + "/")
        assert status == 200
        css = next(part for part in body.decode().split('"') if part.endswith(".css"))
        assert css.startswith("/static/css/site.") and css != "/static/css/site.css"
        status, headers, _ = get(server.base + css, headers={"Accept-Encoding": "gzip, br"})
        assert status == 200
        assert headers.get("Content-Encoding") in ("gzip", "br")
        assert "max-age=315360000" in headers["Cache-Control"]
        assert get(server.base + "/healthz")[0] == 200
        # Quick version of scripts/bench_http.py and scripts/load_test.py.
        result = run_load(server.base, ["/livez", "/", "/api/v1/allies/"], 4, 2)
        assert result.requests > 20
        assert result.status_5xx == 0 and result.connection_errors == 0
    finally:
        server.stop()


def test_ingestion_killed_mid_batch_and_rerun_stores_every_article_once(sqlite_url, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    texts = [p.read_text() for p in sorted(SAMPLES.glob("*.txt"))]
    count = 24
    for n in range(count):
        text = texts[n % len(texts)]
        (batch / f"{n:03}.txt").write_text(f"{text}\nCopy {n} for the interruption test.\n")
    env = {**os.environ, "DATABASE_URL": sqlite_url}
    database = sqlite_url.removeprefix("sqlite:///")

    def stored() -> list[tuple[str, int]]:
        with sqlite3.connect(database, timeout=20) as conn:
            return conn.execute(
                "SELECT content_hash, COUNT(*) FROM articles_article "
                "WHERE source_path LIKE ? GROUP BY content_hash",
                (f"{batch}%",),
            ).fetchall()

    # The batch's last article never ends (it waits for the kill), so the kill lands mid-batch
    # however fast the rest goes: polling for a first stored article could see the whole batch
    # done on a loaded machine, where this test process gets the CPU only now and then.
    process = subprocess.Popen(
        [PYTHON, ENDLESS, f"{count - 1:03}.txt", str(batch), "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while len(stored()) < 2:
            assert process.poll() is None, process.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no article stored within 300 s"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    interrupted = len(stored())
    assert 0 < interrupted < count, "the kill did not land in the middle of the batch"
    manage("ingest_articles", str(batch), "--quiet", env={"DATABASE_URL": sqlite_url})
    rows = stored()
    assert len(rows) == count and all(n == 1 for _, n in rows)
    with sqlite3.connect(database) as conn:
        orphans = conn.execute(
            "SELECT COUNT(*) FROM articles_statement s LEFT JOIN articles_article a "
            "ON a.id = s.article_id WHERE a.id IS NULL"
        ).fetchone()[0]
    assert orphans == 0
