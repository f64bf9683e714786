"""scripts/bench_http.py's verdict: the issue's targets judged on each cell's median when a cell
is measured more than once (``--repeat``), on its only measurement otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from bench_http import medians, missed_targets, row_line


def cell(ratio: float, repetition=1, *, cache="off", kind="api", rps=500.0, errors=0, conns=32):
    return {
        "cache": cache,
        "repetition": repetition,
        "kind": kind,
        "endpoint": f"some {kind}",
        "path": "/x",
        "connections": conns,
        "requests": 1000,
        "rps": rps,
        "livez_rps": 2500.0,
        "p50_ms": 10.0,
        "p99_ms": 20.0,
        "ratio_to_livez": ratio,
        "server_cpu_ms_per_request": 2.0,
        "livez_cpu_ms_per_request": 0.7,
        "cpu_ratio_to_livez": 0.35,
        "non_2xx": errors,
        "connection_errors": 0,
        "tool": "wrk",
    }


def repeated(*ratios: float, **kwargs) -> list[dict]:
    rows = [cell(ratio, index, **kwargs) for index, ratio in enumerate(ratios, 1)]
    return rows + medians(rows)


@pytest.mark.parametrize(
    ("cache", "kind", "ratio", "missed"),
    [
        ("off", "api", 0.21, False),
        ("off", "api", 0.19, True),
        ("off", "page", 0.11, False),
        ("off", "page", 0.09, True),
        ("on", "api", 0.51, False),
        ("on", "csv", 0.49, True),
        ("on", "page", 0.01, False),  # no target for cached pages
    ],
)
def test_one_measurement_is_judged_on_itself(cache, kind, ratio, missed):
    assert bool(missed_targets([cell(ratio, cache=cache, kind=kind)])) is missed


def test_a_repeated_cell_is_judged_on_its_median_not_on_its_worst_or_best():
    rows = repeated(0.19, 0.25, 0.23)
    median = rows[-1]
    assert median["repetition"] == "median"
    assert median["ratio_to_livez"] == 0.23
    assert median["requests"] == 3000
    assert missed_targets(rows) == []
    missed = missed_targets(repeated(0.19, 0.25, 0.18))
    assert missed == ["cache off some api c=32: x0.190 of /livez (< 0.2)"]


def test_an_error_in_any_repetition_is_a_miss():
    rows = repeated(0.3, 0.3, 0.3)
    rows[1]["non_2xx"] = 2
    assert missed_targets(rows) == ["cache off some api c=32 #2: errors"]


def test_the_uncached_full_csv_needs_100_requests_a_second():
    assert missed_targets([cell(0.5, kind="csv", rps=101)]) == []
    assert missed_targets([cell(0.5, kind="csv", rps=99)]) == [
        "cache off some csv c=32: 99 req/s (< 100)"
    ]


def test_only_32_connections_are_judged():
    assert missed_targets([cell(0.01, conns=8)]) == []


def test_the_report_names_each_repetition_and_the_median():
    rows = repeated(0.2, 0.3)
    assert row_line(rows[0]).startswith("cache off some api")
    assert row_line(rows[1], True).startswith("cache off #2     some api")
    assert row_line(rows[2], True).startswith("cache off median some api")
    assert "x0.250 of /livez" in row_line(rows[2], True)
