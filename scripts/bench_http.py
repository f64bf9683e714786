"""HTTP benchmark: requests/s and p50/p95/p99 latency of the main pages and API lists.

Measures the dashboard, an ally page, the compliance API and a statements search at 1, 8 and 32
concurrent connections over loopback, next to the trivial ``/livez`` view of the same server
(the baseline), and prints each one's throughput as a ratio of the baseline's. Targets (warm):
ratio >= 0.5 and p99 < 200 ms at 32 connections; exit status 1 when one is missed (with
``--check``).

    # starts its own gunicorn (production settings) on a free 127.0.0.1 port:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python scripts/bench_http.py --seconds 10
    # or against a running server:
    .venv/bin/python scripts/bench_http.py --url http://127.0.0.1:8000 --seconds 10

Uses wrk when installed (``apt-get install wrk``), else a threaded Python generator
(``--tool python``; it measures less precisely, the client shares the CPU with the server).
Figures measured on the project's machine: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import BASELINE, PAGES, get, run_load, start_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start gunicorn)")
    parser.add_argument("--seconds", type=float, default=10, help="per measurement (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per endpoint")
    parser.add_argument("--connections", default="1,8,32", help="comma separated (1,8,32)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x CPU + 1)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    server = None if args.url else start_server({}, workers=args.workers)
    base = args.url.rstrip("/") if args.url else server.base
    try:
        return run(base, args)
    finally:
        if server:
            server.stop()


def run(base: str, args) -> int:
    for path in PAGES.values():  # every endpoint answers 200 before anything is measured
        status = get(base + path)[0]
        if status != 200:
            print(f"{path}: HTTP {status}", file=sys.stderr)
            return 2
    rows, failures = [], []
    for connections in [int(c) for c in args.connections.split(",")]:
        baseline_rps = None
        for name, path in PAGES.items():
            if args.warmup:
                run_load(base, [path], connections, args.warmup, args.tool)
            result = run_load(base, [path], connections, args.seconds, args.tool)
            if path == BASELINE:
                baseline_rps = result.rps
            ratio = result.rps / baseline_rps if baseline_rps else float("nan")
            row = {
                "endpoint": name,
                "path": path,
                "connections": connections,
                "requests": result.requests,
                "rps": round(result.rps, 1),
                "p50_ms": round(result.p50_ms, 1),
                "p95_ms": round(result.p95_ms, 1),
                "p99_ms": round(result.p99_ms, 1),
                "ratio_to_baseline": round(ratio, 2),
                "status_5xx": result.status_5xx,
                "non_2xx": result.status_4xx + result.status_5xx,
                "connection_errors": result.connection_errors,
                "tool": result.tool,
            }
            rows.append(row)
            print(
                f"{name:26} c={connections:<3} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:6.1f}"
                f"  p95 {row['p95_ms']:6.1f}  p99 {row['p99_ms']:6.1f} ms  "
                f"x{row['ratio_to_baseline']:.2f} of baseline  "
                f"5xx {row['status_5xx']} conn-err {row['connection_errors']}",
                flush=True,
            )
            if result.status_5xx or result.status_4xx or result.connection_errors:
                failures.append(f"{name} c={connections}: errors")
            if path != BASELINE and ratio < 0.5:
                failures.append(f"{name} c={connections}: {ratio:.2f} of baseline (< 0.5)")
            if connections >= 32 and result.p99_ms >= 200:
                failures.append(f"{name} c={connections}: p99 {result.p99_ms:.0f} ms (>= 200)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    print("targets: all met" if not failures else "targets missed:\n  " + "\n  ".join(failures))
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
