"""HTTP benchmark: each page and API answer's throughput as a ratio to ``/livez``, with the
response cache on and off, in one run.

Starts two gunicorn servers with production settings on 127.0.0.1 (the same database and
Redis): one with the response cache on (``RESPONSE_CACHE_SECONDS=300``), one with it off
(``RESPONSE_CACHE_SECONDS=0``, every request builds its answer; the data caches of
``nato_tracker.data_version`` stay warm, as between two writes). For each server and each connection
count it measures each endpoint right after ``/livez`` (the trivial view of the same server: the
baseline), and prints req/s, p50/p99 and the ratio to that baseline. The two servers run one after
the other, never at the same time.

Then it measures what a write costs: it bumps the data versions as an editor's write does (the
reports version) and as a reference-data change does (every version; see
``nato_tracker.data_version``), and times the first request of each endpoint after each (the
caches under those versions cold), and the second (warm again).

Targets (issue 14 item 7) at 32 connections, each as a ratio to ``/livez``: cached API answers
>= 0.5, uncached API lists >= 0.2, uncached pages >= 0.1, and the full figures CSV >= 100 req/s
uncached. ``--repeat N`` measures every cell N times (each after its own ``/livez``), prints each
repetition and then the median, and judges the targets on the median: one 4-second cell swings
by a quarter on a 2-core machine. ``--check`` exits 1 when one is missed.

    createdb -h 127.0.0.1 -U postgres reuse_bench   # or any name; see docs/performance.md
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reuse_bench \\
    REDIS_URL=redis://127.0.0.1:6379/0 CACHE_KEY_PREFIX=reuse_bench \\
        .venv/bin/python scripts/bench_http.py --seconds 5 --ports 8150,8151

Every request says ``Accept-Encoding: gzip``, as HTTP clients do. Uses wrk when installed
(``apt-get install wrk``), else a threaded Python generator (``--tool python``; less precise,
the client shares the CPU with the server).
Figures measured on the project's machine: docs/performance.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import BASELINE, get, manage, run_load, start_server

# name -> (path, kind); kind decides the target that applies to it.
ENDPOINTS = {
    "dashboard /": ("/", "page"),
    "ally /countries/poland/": ("/countries/poland/", "page"),
    "statements page": ("/statements/", "page"),
    "compliance API": ("/api/v1/compliance/?target=2&year=2024", "api"),
    "figures API (JSON page)": ("/api/v1/figures/", "api"),
    "figures CSV (full)": ("/api/v1/figures/?format=csv", "csv"),
    "statement search API": ("/api/v1/statements/?q=spending", "api"),
}
# As HTTP clients send them (browsers, requests, curl --compressed): JSON and CSV come gzipped.
HEADERS = {"Accept-Encoding": "gzip"}
TARGETS = {  # (cache on?, kind) -> minimum ratio to /livez
    (True, "api"): 0.5,
    (True, "csv"): 0.5,
    (False, "api"): 0.2,
    (False, "csv"): 0.2,
    (False, "page"): 0.1,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="per measurement (default 5)")
    parser.add_argument("--warmup", type=float, default=1, help="warm-up seconds per endpoint")
    parser.add_argument("--connections", default="32", help="comma separated (default 32)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x CPU + 1)")
    parser.add_argument(
        "--ports", default="", help="two ports for the cache-on and cache-off servers"
    )
    parser.add_argument("--modes", default="on,off", help="cache modes to measure (on,off)")
    parser.add_argument("--only", default="", help="comma separated endpoint names (substring)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--repeat", type=int, default=1, help="measurements per cell; targets on the median"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    ports = [int(p) for p in args.ports.split(",") if p.strip()] or [None, None]
    endpoints = {
        name: value
        for name, value in ENDPOINTS.items()
        if not args.only or any(part in name for part in args.only.split(","))
    }
    rows, failures = [], []
    for index, mode in enumerate(m.strip() for m in args.modes.split(",")):
        cache_on = mode == "on"
        env = {"RESPONSE_CACHE_SECONDS": "300" if cache_on else "0"}
        server = start_server(
            env, port=ports[index % len(ports)], workers=args.workers, timeout=300
        )
        try:
            measured = measure(server, cache_on, endpoints, args)
            rows += measured
            failures += missed_targets(measured)
            if not cache_on:
                rows += measure_write_cost(server.base, endpoints)
        finally:
            server.stop()
        if args.json:  # after each mode, so that a failure later keeps what was measured
            args.json.write_text(json.dumps(rows, indent=2))
    print("targets: all met" if not failures else "targets missed:\n  " + "\n  ".join(failures))
    return 1 if failures and args.check else 0


def measure(server, cache_on: bool, endpoints: dict, args) -> list[dict]:
    """Every endpoint at every connection count, each after ``/livez`` on the same server,
    ``args.repeat`` times; then, when more than once, each cell's median."""
    base = server.base
    for path, _ in endpoints.values():  # every endpoint answers 200 before anything is measured
        status = get(base + path, timeout=180, headers=HEADERS)[0]
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    rows = []
    for repetition, connections, (name, (path, kind)) in itertools.product(
        range(1, args.repeat + 1),
        [int(c) for c in args.connections.split(",")],
        endpoints.items(),
    ):
        # /livez right before each endpoint: the ratio compares two measurements taken
        # seconds apart, under the same load from whatever else runs on the machine.
        baseline, livez_cpu = measure_one(server, BASELINE, connections, args)
        result, cpu = measure_one(server, path, connections, args)
        ratio = result.rps / baseline.rps if baseline.rps else float("nan")
        cpu_ratio = livez_cpu / cpu if cpu else float("nan")
        row = {
            "cache": "on" if cache_on else "off",
            "repetition": repetition,
            "kind": kind,
            "endpoint": name,
            "path": path,
            "connections": connections,
            "requests": result.requests,
            "rps": round(result.rps, 1),
            "livez_rps": round(baseline.rps, 1),
            "p50_ms": round(result.p50_ms, 1),
            "p99_ms": round(result.p99_ms, 1),
            "ratio_to_livez": round(ratio, 3),
            "server_cpu_ms_per_request": round(cpu, 2),
            "livez_cpu_ms_per_request": round(livez_cpu, 2),
            "cpu_ratio_to_livez": round(cpu_ratio, 3),
            "non_2xx": result.status_4xx + result.status_5xx,
            "connection_errors": result.connection_errors,
            "tool": result.tool,
        }
        rows.append(row)
        print(row_line(row, args.repeat > 1), flush=True)
    for row in medians(rows):
        rows.append(row)
        print(row_line(row, True), flush=True)
    return rows


def row_line(row: dict, repeated: bool = False) -> str:
    """One measured cell as a line of the report (with its repetition when ``repeated``)."""
    label = f"cache {row['cache']:3}"
    if repeated:
        repetition = row["repetition"]
        label += f" {repetition if repetition == 'median' else f'#{repetition}':6}"
    return (
        f"{label} {row['endpoint']:26} c={row['connections']:<3} {row['rps']:8.1f} req/s  "
        f"(/livez {row['livez_rps']:7.1f})  p50 {row['p50_ms']:7.1f}  "
        f"p99 {row['p99_ms']:7.1f} ms  x{row['ratio_to_livez']:.3f} of /livez  "
        f"CPU {row['server_cpu_ms_per_request']:6.2f} ms/req "
        f"(/livez {row['livez_cpu_ms_per_request']:5.2f}: x{row['cpu_ratio_to_livez']:.3f})  "
        f"non-2xx {row['non_2xx']} conn-err {row['connection_errors']}"
    )


#: The figures of a cell whose median is taken over its repetitions.
MEDIAN_FIELDS = (
    "rps",
    "livez_rps",
    "p50_ms",
    "p99_ms",
    "ratio_to_livez",
    "server_cpu_ms_per_request",
    "livez_cpu_ms_per_request",
    "cpu_ratio_to_livez",
)


def medians(rows: list[dict]) -> list[dict]:
    """For each cell (cache mode, endpoint, connections) measured more than once, a row of the
    median of each figure (``repetition: "median"``); errors and requests are summed."""
    cells: dict[tuple, list[dict]] = {}
    for row in rows:
        cells.setdefault(_cell(row), []).append(row)
    out = []
    for repeats in cells.values():
        if len(repeats) < 2:
            continue
        median = {**repeats[0], "repetition": "median"}
        for field in MEDIAN_FIELDS:
            median[field] = round(statistics.median(row[field] for row in repeats), 3)
        for field in ("requests", "non_2xx", "connection_errors"):
            median[field] = sum(row[field] for row in repeats)
        out.append(median)
    return out


def _cell(row: dict) -> tuple:
    return row["cache"], row["endpoint"], row["connections"]


def missed_targets(rows: list[dict]) -> list[str]:
    """The targets (:data:`TARGETS`, and 100 req/s for the uncached full CSV) the rows miss, at
    32 connections: judged on each cell's median row when it was measured more than once, else
    on its only row. Any error in any repetition is a miss."""
    failures = []
    with_median = {_cell(row) for row in rows if row["repetition"] == "median"}
    for row in rows:
        label = f"cache {row['cache']:3} {row['endpoint']} c={row['connections']}"
        measured_once = row["repetition"] != "median"
        if measured_once and (row["non_2xx"] or row["connection_errors"]):
            failures.append(f"{label} #{row['repetition']}: errors")
        if row["connections"] != 32 or (measured_once and _cell(row) in with_median):
            continue  # judged on its cell's median
        cache_on = row["cache"] == "on"
        minimum = TARGETS.get((cache_on, row["kind"]))
        if minimum is not None and row["ratio_to_livez"] < minimum:
            failures.append(f"{label}: x{row['ratio_to_livez']:.3f} of /livez (< {minimum})")
        if row["kind"] == "csv" and not cache_on and row["rps"] < 100:
            failures.append(f"{label}: {row['rps']:.0f} req/s (< 100)")
    return failures


def measure_one(server, path: str, connections: int, args):
    """One measurement: wrk's result, and the server's CPU time (master and workers, user and
    system, from /proc) per answered request over it: what the answer costs whatever else
    competes for the CPU."""
    drain(server.base)
    if args.warmup:
        run_load(server.base, [path], connections, args.warmup, args.tool, HEADERS)
    drain(server.base)
    before = server_cpu_seconds(server)
    result = run_load(server.base, [path], connections, args.seconds, args.tool, HEADERS)
    spent = server_cpu_seconds(server) - before  # (+ at most one unfinished answer per worker)
    return result, spent * 1000 / result.requests if result.requests else float("nan")


def server_cpu_seconds(server) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in [server.process.pid, *server.worker_pids()]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def drain(base: str) -> None:
    """Wait until the requests a previous measurement left queued are answered: ``/livez``
    answers only once a worker is free for it (so one cell does not pay for the last)."""
    get(base + BASELINE, timeout=120)


#: What a write bumps (nato_tracker.data_version): an editor's write or an ingestion changes the
#: reports only; a reference-data load or an admin change of NATO's figures changes every scope.
WRITES = {
    "an editor's write": "reports",
    "a reference-data change": None,
}


def measure_write_cost(base: str, endpoints: dict) -> list[dict]:
    """After a write (its data versions bumped: the caches under them cold), the first and
    second request of each endpoint, one at a time: an editor's write (reports version) and a
    change of official data (every version)."""
    rows = []
    drain(base)
    for write, scope in WRITES.items():
        for name, (path, _) in endpoints.items():
            manage(
                "shell",
                "-c",
                "from nato_tracker.data_version import bump_data_version; "
                f"bump_data_version({scope!r})",
            )
            timings = []
            for _ in range(2):
                start = time.perf_counter()
                status = get(base + path, timeout=60, headers=HEADERS)[0]
                timings.append((time.perf_counter() - start) * 1000)
                assert status == 200, (path, status)
            row = {"endpoint": name, "write": write, "after_write_first_ms": round(timings[0], 1)}
            row["after_write_second_ms"] = round(timings[1], 1)
            rows.append(row)
            print(
                f"after {write + ':':25} {name:26} first request {timings[0]:8.1f} ms, "
                f"second {timings[1]:7.1f} ms",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    sys.exit(main())
