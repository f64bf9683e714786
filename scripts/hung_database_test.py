"""Hung-database test: pause a PostgreSQL the test owns (SIGSTOP) under a running gunicorn and
measure how long requests take to get their 503.

Starts its own PostgreSQL (``initdb`` into a temporary directory, run as the ``postgres`` OS user
when started as root, on 127.0.0.1:``--pg-port``, default 8134; never the server on 5432) with
the reference data, and gunicorn with production settings (``--port``, default 8135, 2 workers,
answer cache off so every request reads the database). Then:

1. warm-up: every path answers 200 (the workers hold persistent connections);
2. every process of that PostgreSQL is paused with SIGSTOP (the kernel still accepts connections
   and acknowledges queries; nothing answers), and each path is requested in turn — twice: first
   on the workers' reused connections, then on fresh connection attempts;
3. the processes are resumed (SIGCONT) and the time until the paths answer 200 again is taken.

Prints each request's status and seconds; exits 1 unless every request during the pause was
answered in less than ``--limit`` seconds (default 15; gunicorn would kill the worker at 30) with
a 503 (``/healthz``) or a 503 or a 200 from the data cache (pages, API).
Everything it starts is stopped at the end.

    .venv/bin/python scripts/hung_database_test.py          # about a minute
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import get, prepare_database, start_server

PATHS = ["/healthz", "/countries/poland/", "/api/v1/allies/", "/api/v1/figures/?ally=POL"]


def postgres_bin() -> Path | None:
    """The directory of PostgreSQL's server programs (Debian layout first), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class ScratchPostgres:
    """A throw-away PostgreSQL cluster in a temporary directory, on 127.0.0.1:port."""

    def __init__(self, port: int) -> None:
        bindir = postgres_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL server programs (initdb, pg_ctl) are not installed")
        self.bindir = bindir
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="ops-pg-"))
        self.data = self.directory / "data"
        # As root, PostgreSQL must run as an ordinary user.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.directory, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if not self.data.exists():
            self._run(
                str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"
            )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.directory / "log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def pids(self) -> list[int]:
        """The postmaster and every process under it."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        found, todo = [], [postmaster]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            todo += [int(child) for child in children]
        return found

    def pause(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.resume()
                pg_ctl = str(self.bindir / "pg_ctl")
                self._run(pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


def timed_get(url: str) -> tuple[int | str, float]:
    started = time.monotonic()
    try:
        status: int | str = get(url, timeout=60)[0]
    except OSError as exc:
        status = type(exc).__name__
    return status, time.monotonic() - started


def run(port: int, pg_port: int, limit: float, production: bool = True) -> tuple[bool, list[str]]:
    """The scenario of the module docstring: (passed, report lines). A page may also answer 200
    while the database hangs, from the data cache (rendered without a query); ``/healthz`` must
    say 503."""
    lines: list[str] = []
    postgres = ScratchPostgres(pg_port)
    server = None
    try:
        postgres.start()
        url = postgres.create_database("ops_hung")
        prepare_database(url, articles=False)
        env = {"DATABASE_URL": url, "RESPONSE_CACHE_SECONDS": "0", "REDIS_URL": ""}
        server = start_server(env, port=port, workers=2, production=production, timeout=240)
        for _ in range(3):  # both workers hold a connection
            for path in PATHS:
                status, _ = timed_get(server.base + path)
                if status != 200:
                    return False, [f"warm-up: {path} answered {status}"]
        postgres.pause()
        passed = True
        for round_name in ("reused connections", "new connections"):
            for path in PATHS:
                status, seconds = timed_get(server.base + path)
                expected = (503,) if path == "/healthz" else (503, 200)
                passed &= status in expected and seconds < limit
                lines.append(f"paused, {round_name}: {path} -> {status} in {seconds:.1f} s")
        postgres.resume()
        resumed = time.monotonic()
        while time.monotonic() - resumed < 30:
            if all(timed_get(server.base + path)[0] == 200 for path in PATHS):
                break
            time.sleep(0.2)
        else:
            passed = False
        lines.append(f"resumed: every path 200 again after {time.monotonic() - resumed:.1f} s")
        return passed, lines
    finally:
        if server is not None:
            server.stop()
        postgres.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8135)
    parser.add_argument("--pg-port", type=int, default=8134)
    parser.add_argument("--limit", type=float, default=15.0)
    args = parser.parse_args()
    # A SIGTERM (e.g. from `timeout`) still stops everything started (the finally clauses).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    passed, lines = run(args.port, args.pg_port, args.limit)
    print("\n".join(lines))
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
