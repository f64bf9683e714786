"""Cache outage test: stop, then pause, the Redis that gunicorn uses, and count the answers.

Starts its own redis-server (127.0.0.1, ``--redis-port``, default 8132; never the shared one)
and gunicorn with production settings (``--port``, default 8133) on a scratch SQLite database
with the reference data and the sample articles, then requests every page and API list of
``ops_common.ALL_PATHS`` ``--rounds`` times in each phase:

1. Redis up (the answer cache warms);
2. Redis stopped (SIGTERM);
3. Redis started again, empty;
4. Redis hung (SIGSTOP: connections accepted, no answers), then resumed.

Prints per phase the count of answers by status, the slowest answer and what /healthz says.
Everything it starts is stopped at the end (a few seconds to a minute).

    .venv/bin/python scripts/cache_outage_test.py
"""

from __future__ import annotations

import argparse
import collections
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import ALL_PATHS, get, prepare_database, start_server


def start_redis(port: int) -> subprocess.Popen:
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = subprocess.Popen(
        [*command, "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    for _ in range(100):
        try:
            if client.ping():
                return process
        except redis.RedisError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def phase(base: str, rounds: int) -> dict:
    statuses: collections.Counter = collections.Counter()
    slowest = 0.0
    for _ in range(rounds):
        for path in ALL_PATHS:
            started = time.monotonic()
            try:
                status = get(base + path, timeout=40)[0]
            except OSError as exc:
                status = type(exc).__name__
            slowest = max(slowest, time.monotonic() - started)
            statuses[status] += 1
    status, _, body = get(base + "/healthz", timeout=40)
    return {
        "answers": dict(statuses),
        "slowest_s": round(slowest, 2),
        "healthz": f"{status} {body.decode().strip().splitlines()[0]!r}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8133)
    parser.add_argument("--redis-port", type=int, default=8132)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # A SIGTERM (e.g. from `timeout`) still stops everything started (the finally clauses).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("redis-server") is None:
        print("redis-server is not installed", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="cache-outage-"))
    url = f"sqlite:///{workdir / 'db.sqlite3'}"
    prepare_database(url)
    redis_process = start_redis(args.redis_port)
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "RESPONSE_CACHE_SECONDS": "300",
    }
    server = start_server(env, port=args.port, workers=2, timeout=240)
    results = {}

    def report(name: str, result: dict) -> None:
        results[name] = result
        print(f"{name:16} {result}", flush=True)

    try:
        base = server.base
        report("1 redis up", phase(base, args.rounds))
        redis_process.terminate()
        redis_process.wait(10)
        report("2 redis stopped", phase(base, args.rounds))
        redis_process = start_redis(args.redis_port)
        time.sleep(6)  # past the default CACHE_RETRY_SECONDS
        report("3 redis back", phase(base, args.rounds))
        redis_process.send_signal(signal.SIGSTOP)
        report("4 redis hung", phase(base, args.rounds))
        redis_process.send_signal(signal.SIGCONT)
    finally:
        server.stop()
        if redis_process.poll() is None:
            redis_process.send_signal(signal.SIGCONT)
            redis_process.terminate()
            redis_process.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    failures = sum(
        count
        for result in list(results.values())[1:]
        for status, count in result["answers"].items()
        if not (isinstance(status, int) and status < 500)
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
