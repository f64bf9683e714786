"""Load test: N seconds (default 120) at C connections (default 64) across every page and API list.

Passes when there is no 5xx answer and no connection error, and reports each gunicorn worker's
resident memory at the start (after a warm-up) and at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python scripts/load_test.py --seconds 120 --connections 64

Starts its own gunicorn (production settings, scripts/serve.sh) on a free 127.0.0.1 port. Uses
wrk when installed, else a threaded Python generator. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_common import ALL_PATHS, get, rss_kib, run_load, start_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x CPU + 1)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args(argv)

    server = start_server({}, workers=args.workers)
    try:
        for path in ALL_PATHS:
            status = get(server.base + path)[0]
            if status != 200:
                print(f"{path}: HTTP {status}", file=sys.stderr)
                return 2
        run_load(server.base, ALL_PATHS, args.connections, 10, args.tool)  # warm every worker
        pids = server.worker_pids()
        start_rss = {pid: rss_kib(pid) for pid in pids}
        result = run_load(server.base, ALL_PATHS, args.connections, args.seconds, args.tool)
        end_rss = {pid: rss_kib(pid) for pid in server.worker_pids()}
    finally:
        server.stop()
    print(
        f"{len(ALL_PATHS)} URLs, {args.connections} connections, "
        f"{result.seconds:.0f} s ({result.tool}): {result.requests} requests, "
        f"{result.rps:.0f} req/s; p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
        f"p99 {result.p99_ms:.1f} ms, max {result.max_ms:.0f} ms"
    )
    print(
        f"5xx answers: {result.status_5xx}; 4xx answers: {result.status_4xx}; "
        f"connection errors: {result.connection_errors}; timeouts: {result.timeouts}"
    )
    same_workers = set(start_rss) == set(end_rss)
    for pid, before in start_rss.items():
        after = end_rss.get(pid)
        change = f"{after - before:+} KiB" if after is not None else "(worker gone)"
        print(
            f"worker {pid}: RSS {before / 1024:.1f} MiB -> {(after or 0) / 1024:.1f} MiB {change}"
        )
    ok = (
        result.status_5xx == 0
        and result.connection_errors == 0
        and result.timeouts == 0
        and same_workers
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
