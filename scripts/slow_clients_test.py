"""Slow-client (slowloris) test: do a few stalled connections take the app away from everyone?

For each setup it starts a scratch app (SQLite with the reference data, gunicorn with production
settings and ``--workers`` sync workers) and, for the ``proxied`` setup, nginx in front of it
with the repository's configuration (``scripts/proxy.sh``, ``deploy/nginx/``). Then for
``--seconds`` it holds ``--slow`` connections that send the headers of a request one line every
``--interval`` seconds and never finish them (reconnecting whenever the server closes one), while
a prober requests ``--path`` one after the other with a 5 s timeout. Reports how many probes
were answered, their latency, and how often the server cut a slow client off.

Only ever connects to 127.0.0.1; stops by itself (a setup takes about ``--seconds`` plus the
app's start) and stops everything it started. Exits 1 when fewer than 95% of the probes were
answered in the last setup run (``--setup direct`` fails: that is the problem nginx solves).

    .venv/bin/python scripts/slow_clients_test.py                   # direct, then proxied
    .venv/bin/python scripts/slow_clients_test.py --setup proxied --slow 200

Ports: gunicorn ``--port`` (8138), nginx ``--proxy-port`` (8139). Figures: docs/scaling.md.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import ROOT, get, prepare_database, start_server

PROBE_TIMEOUT = 5.0


@dataclass
class Outcome:
    probes: int = 0
    answered: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    slow_connections: int = 0
    cut_off: int = 0

    def summary(self) -> str:
        lat = sorted(self.latencies)

        def pct(q: float) -> str:
            return f"{lat[min(len(lat) - 1, int(q * len(lat)))] * 1000:.0f}" if lat else "-"

        share = 100 * self.answered / self.probes if self.probes else 0
        return (
            f"probes {self.probes}, answered {self.answered} ({share:.0f}%), latency ms p50 "
            f"{pct(0.5)} p95 {pct(0.95)} max {pct(1.0)}, failures {self.failures or 0}; "
            f"slow connections opened {self.slow_connections}, cut off by the server "
            f"{self.cut_off}"
        )


def slow_client(port: int, stop_at: float, interval: float, outcome: Outcome, lock) -> None:
    """Open a connection, send a request's headers one line per ``interval``, never finish."""
    while time.monotonic() < stop_at:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=interval + 5)
        except OSError:
            time.sleep(0.2)
            continue
        with lock:
            outcome.slow_connections += 1
        try:
            sock.sendall(b"GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            n = 0
            while time.monotonic() < stop_at:
                time.sleep(interval)
                n += 1
                sock.sendall(f"X-Slow-{n}: {'a' * 8}\r\n".encode())
        except OSError:
            with lock:
                outcome.cut_off += 1
        finally:
            sock.close()


def probe(port: int, path: str, stop_at: float, outcome: Outcome) -> None:
    while time.monotonic() < stop_at:
        started = time.monotonic()
        outcome.probes += 1
        try:
            status = get(f"http://127.0.0.1:{port}{path}", timeout=PROBE_TIMEOUT)[0]
        except OSError as exc:
            key = type(exc).__name__
            outcome.failures[key] = outcome.failures.get(key, 0) + 1
            continue
        if status == 200:
            outcome.answered += 1
            outcome.latencies.append(time.monotonic() - started)
        else:
            outcome.failures[str(status)] = outcome.failures.get(str(status), 0) + 1
        time.sleep(0.05)


def attack(port: int, slow: int, seconds: float, interval: float, path: str) -> Outcome:
    outcome = Outcome()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=slow_client, args=(port, stop_at, interval, outcome, lock))
        for _ in range(slow)
    ]
    for thread in threads:
        thread.start()
    time.sleep(min(2.0, seconds / 4))  # the slow clients are in place first
    probe(port, path, stop_at, outcome)
    for thread in threads:
        thread.join(interval + 10)
    return outcome


def start_proxy(listen_port: int, upstream_port: int) -> subprocess.Popen:
    env = {
        "LISTEN": f"127.0.0.1:{listen_port}",
        "UPSTREAM": f"127.0.0.1:{upstream_port}",
        "PATH": "/usr/sbin:/usr/bin:/bin",
    }
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts/proxy.sh")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(100):
        try:
            if get(f"http://127.0.0.1:{listen_port}/livez", timeout=2)[0] == 200:
                return process
        except OSError:
            time.sleep(0.1)
        if process.poll() is not None:
            raise RuntimeError(f"nginx did not start: {process.stderr.read()}")
    process.terminate()
    raise RuntimeError("nginx did not answer")


def run_setup(setup: str, args, database_url: str) -> Outcome:
    env = {"DATABASE_URL": database_url, "REDIS_URL": ""}
    if setup == "proxied":
        env["TRUSTED_PROXIES"] = "127.0.0.1"
    server = start_server(env, port=args.port, workers=args.workers, timeout=240)
    proxy = None
    try:
        target = args.port
        if setup == "proxied":
            proxy = start_proxy(args.proxy_port, args.port)
            target = args.proxy_port
        return attack(target, args.slow, args.seconds, args.interval, args.path)
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(15)
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", choices=["direct", "proxied", "both"], default="both")
    parser.add_argument("--slow", type=int, default=8, help="stalled connections (8)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=2, help="seconds between header lines")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--path", default="/livez")
    parser.add_argument("--port", type=int, default=8138)
    parser.add_argument("--proxy-port", type=int, default=8139)
    args = parser.parse_args()
    # A SIGTERM (e.g. from `timeout`) still stops everything started (the finally clauses).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not 1 <= args.seconds <= 300:
        parser.error("--seconds must be between 1 and 300")
    workdir = Path(tempfile.mkdtemp(prefix="slow-clients-"))
    try:
        url = f"sqlite:///{workdir / 'db.sqlite3'}"
        prepare_database(url, articles=False)
        setups = ["direct", "proxied"] if args.setup == "both" else [args.setup]
        for setup in setups:
            outcome = run_setup(setup, args, url)
            print(
                f"{setup:8} {args.slow} slow clients, {args.workers} sync workers, "
                f"{args.seconds:g} s: {outcome.summary()}",
                flush=True,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    # The check: in the last setup run, the slow clients took (almost) nothing from the others.
    return 0 if outcome.probes and outcome.answered >= 0.95 * outcome.probes else 1


if __name__ == "__main__":
    sys.exit(main())
