"""Benchmark the dashboard and ally pages: server time (median, p95) and query count.

Run after ``manage.py load_reference_data`` against the development database::

    DJANGO_SETTINGS_MODULE=nato_tracker.settings .venv/bin/python scripts/bench_pages.py

Uses Django's test client (no network, no web server): the time measured is the time Django
takes to answer, warm (after a first request has filled the cache), plus the cold first request.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

URLS = [
    "/",
    "/?year=2019",
    "/?as_of=2025-04-30",
    "/countries/poland/",
    "/countries/united-states/",
    "/countries/germany/",
    "/countries/sweden/?as_of=2025-04-30",
    "/countries/iceland/",
    "/countries/",
    "/statements/",
]
RUNS = int(os.environ.get("BENCH_RUNS", "50"))
BUDGET_MS, BUDGET_QUERIES = 50.0, 15


def measure(client: Client, url: str) -> dict:
    cache.clear()
    with CaptureQueriesContext(connection) as cold_queries:
        start = time.perf_counter()
        response = client.get(url)
        cold_ms = (time.perf_counter() - start) * 1000
    cold_count = len(cold_queries)  # now: later requests reset the connection's query log
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(3):  # warm-up
        client.get(url)
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(ctx))
    times.sort()
    return {
        "url": url,
        "cold_ms": cold_ms,
        "cold_queries": cold_count,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "warm_queries": queries,
    }


def main() -> int:
    client = Client()
    rows = [measure(client, url) for url in URLS]
    header = (
        f"| {'page':<40} | cold ms | cold queries | warm median ms | warm p95 ms | warm queries |"
    )
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    failed = False
    for r in rows:
        print(
            f"| {r['url']:<40} | {r['cold_ms']:7.0f} | {r['cold_queries']:12d} | "
            f"{r['median_ms']:14.1f} | {r['p95_ms']:11.1f} | {r['warm_queries']:12d} |"
        )
        if r["median_ms"] > BUDGET_MS or max(r["cold_queries"], r["warm_queries"]) > BUDGET_QUERIES:
            failed = True
    budget = f"median <= {BUDGET_MS:.0f} ms warm, <= {BUDGET_QUERIES} queries"
    print(f"\nruns per page: {RUNS}; budget: {budget}")
    print("over budget" if failed else "all pages within budget")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
