"""Shared helpers of the operations scripts (bench_http, load_test, fault_test) and tests/ops.

Starts the app under gunicorn with production settings on 127.0.0.1, drives load with wrk when
installed (``apt-get install wrk``) or with a small threaded Python generator otherwise, and
reads worker memory from /proc. Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
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

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable

# What the benchmark and load test ask for: pages and API lists a visitor or client uses.
BASELINE = "/livez"
PAGES = {
    "baseline /livez": BASELINE,
    "dashboard /": "/",
    "ally /countries/poland/": "/countries/poland/",
    "compliance API": "/api/v1/compliance/?target=2&year=2024",
    "statements search": "/statements/?q=spending",
}
ALL_PATHS = [
    "/",
    "/countries/",
    "/countries/poland/",
    "/countries/germany/",
    "/countries/united-states/",
    "/statements/",
    "/statements/?q=spending",
    "/speakers/",
    "/articles/",
    "/methodology/",
    "/api/v1/allies/",
    "/api/v1/targets/",
    "/api/v1/sources/",
    "/api/v1/figures/",
    "/api/v1/figures/?year=2024",
    "/api/v1/compliance/?target=2&year=2024",
    "/api/v1/compliance/?target=3.5&year=2025",
    "/api/v1/claims/",
    "/api/v1/statements/",
    "/api/v1/speakers/",
    "/api/v1/articles/",
    "/healthz",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> list[int]:
    """``count`` different free ports (each held until all are found)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def manage(*args: str, env: dict | None = None, check: bool = True, **kwargs):
    """Run ``manage.py`` with this interpreter (and ``env`` on top of os.environ)."""
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=check,
        capture_output=True,
        text=True,
        **kwargs,
    )


def prepare_database(database_url: str, articles: bool = True) -> None:
    """Migrate and load the reference data (and the sample articles) into ``database_url``."""
    env = {"DATABASE_URL": database_url}
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_reference_data", env=env)
    if articles:
        manage("ingest_articles", str(ROOT / "articles/data/sample_articles"), "--quiet", env=env)


def create_postgres_database(name: str, server: str = "postgres://postgres@127.0.0.1:5432") -> str:
    """(Re)create a scratch database on the local PostgreSQL; returns its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@dataclass
class Server:
    """A gunicorn master started with production settings on 127.0.0.1:port."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        """Stop gunicorn and delete its log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.unlink(missing_ok=True)


def start_server(
    env: dict[str, str],
    port: int | None = None,
    workers: int | None = None,
    production: bool = True,
    timeout: float = 60,
) -> Server:
    """Start gunicorn (via scripts/serve.sh in production mode) and wait for /livez."""
    port = port or free_port()
    server_env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        # Load generators are not abusive clients: lift the API's anonymous throttle.
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "PY": PYTHON,
        **env,
    }
    if workers:
        server_env["WEB_CONCURRENCY"] = str(workers)
    log = Path(tempfile.mkstemp(prefix=f"gunicorn-{port}-", suffix=".log")[1])
    if production:
        command = ["bash", str(ROOT / "scripts/serve.sh")]
    else:
        server_env.setdefault("DEBUG", "false")
        command = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=ROOT, env=server_env, stdout=handle, stderr=subprocess.STDOUT
        )
    server = Server(port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            if get(server.base + "/livez", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    tail = log.read_text()[-3000:]
    server.stop()
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{tail}")


def get(url: str, timeout: float = 10, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One GET (new connection) to an http://127.0.0.1 URL: status, headers, body."""
    assert url.startswith("http://127.0.0.1:"), url
    host, _, path = url[len("http://") :].partition("/")
    conn = http.client.HTTPConnection(host, timeout=timeout)
    try:
        conn.request("GET", "/" + path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- load generation ------------------------------------------------------------------------------

WRK_LUA = r"""
local paths = {}
local counter = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  for _, p in ipairs(args) do table.insert(paths, p) end
  status5xx = 0
  status4xx = 0
  counter = math.random(0, #paths)
end
function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path)
end
function response(status, headers, body)
  if status >= 500 then status5xx = status5xx + 1 end
  if status >= 400 and status < 500 then status4xx = status4xx + 1 end
end
function done(summary, latency, requests)
  local s5, s4 = 0, 0
  for _, t in ipairs(threads) do
    s5 = s5 + t:get("status5xx")
    s4 = s4 + t:get("status4xx")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "status_5xx": %d, "status_4xx": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "bytes": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, s5, s4, e.connect, e.read, e.write, e.timeout,
    summary.bytes))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    status_5xx: int
    status_4xx: int
    connection_errors: int
    timeouts: int = 0
    tool: str = "wrk"
    extra: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    base: str, paths: list[str], connections: int, seconds: float, headers: dict | None = None
) -> Result:
    """wrk with a Lua script rotating over ``paths``; latency percentiles from wrk itself."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        for name, value in (headers or {}).items():
            script.write(f'wrk.headers["{name}"] = "{value}"\n')
        script.write(WRK_LUA)
    threads = max(1, min(connections, 2))
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            base,
            "--",
            *paths,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON ") :])
    # wrk counts socket errors on connections the server closes after each answer (sync workers
    # answer "Connection: close"); a connect error is a real failure.
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        status_5xx=data["status_5xx"],
        status_4xx=data["status_4xx"],
        connection_errors=data["connect_errors"],
        timeouts=data["timeouts"],
        extra={"read_errors": data["read_errors"], "write_errors": data["write_errors"]},
    )


def run_python(
    base: str, paths: list[str], connections: int, seconds: float, headers: dict | None = None
) -> Result:
    """Threaded generator (one thread per connection), for machines without wrk."""
    host = base[len("http://") :]
    latencies: list[float] = []
    counts = {"5xx": 0, "4xx": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(offset: int) -> None:
        local, i = [], offset
        conn = http.client.HTTPConnection(host, timeout=10)
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except OSError:
                conn.close()
                with lock:
                    counts["errors"] += 1
                continue
            local.append(time.perf_counter() - start)
            if status >= 500:
                with lock:
                    counts["5xx"] += 1
            elif status >= 400:
                with lock:
                    counts["4xx"] += 1
        conn.close()
        with lock:
            latencies.extend(local)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(q: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return Result(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=pct(0.50),
        p95_ms=pct(0.95),
        p99_ms=pct(0.99),
        max_ms=latencies[-1] * 1000 if latencies else 0,
        status_5xx=counts["5xx"],
        status_4xx=counts["4xx"],
        connection_errors=counts["errors"],
        tool="python",
    )


def run_load(
    base: str,
    paths: list[str],
    connections: int,
    seconds: float,
    tool: str = "auto",
    headers: dict | None = None,
):
    """Load ``paths`` (rotating) with ``connections`` for ``seconds``; ``headers`` on each."""
    if tool == "wrk" or (tool == "auto" and have_wrk()):
        return run_wrk(base, paths, connections, seconds, headers)
    return run_python(base, paths, connections, seconds, headers)
