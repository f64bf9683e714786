"""Benchmark: extraction time on hostile article texts (issue 16 item 2).

    .venv/bin/python scripts/bench_hostile_ingest.py [--scale 1.0] [--timeout 60] [--no-assert]

Generates five texts of up to 2 MB each that made the extraction quadratic (100,000 straight
quotes, one 1 MB line, 30,000 short quotes, 30,000 dollar amounts, 100,000 short lines) and
times ``extract_article`` on each in a child process, with a per-input CPU-time limit
(``--timeout``) and a 2 GB memory cap, so the benchmark itself always stops. Each input is
timed at half size and at full size: the ratio shows whether the time grows linearly (about
2) or quadratically (about 4).

Asserts (exit status 1 when missed, unless ``--no-assert``): every full-size input (2 MB or
less) extracts in at most ``--limit`` CPU seconds (default 20 s: the 2 s for 200 kB goal,
scaled linearly), and doubling the size costs at most ``--max-ratio`` (default 3) times the
CPU time. CPU time, not wall time, is asserted: on a shared machine the wall time depends on
the other load (both are printed).
``--scale`` shrinks every input (0.1 for a quick look).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMORY_CAP = 2 * 1024**3


def straight_quotes(count: int) -> str:
    """``count`` straight double quotes around short words in one paragraph."""
    return "NATO spending. " + " ".join(f'"word{i % 10}' for i in range(count))


def one_long_line(size: int) -> str:
    """One line of ``size`` characters: words, allies and numbers, no sentence end."""
    chunk = "Poland and Germany spend 2.1% of GDP on defence and 3.5% by 2035 while allies "
    return "Headline\n" + (chunk * (size // len(chunk) + 1))[:size]


def short_quotes(count: int) -> str:
    """``count`` short attributed quotes in one paragraph."""
    return " ".join(f"“We must spend {i % 9}% now,” Rutte said." for i in range(count))


def dollar_amounts(count: int) -> str:
    """``count`` dollar amounts in one paragraph."""
    return "Poland said it " + ", ".join(f"spent ${i % 97}.5 billion" for i in range(count)) + "."


def short_lines(count: int) -> str:
    """``count`` short lines naming an ally and a share of GDP."""
    return "\n".join(f"Poland {i % 5}.1% of GDP" for i in range(count))


INPUTS = {
    "100,000 straight quotes": (straight_quotes, 100_000),
    "one 1 MB line": (one_long_line, 1_000_000),
    "30,000 short quotes": (short_quotes, 30_000),
    "30,000 dollar amounts": (dollar_amounts, 30_000),
    "100,000 short lines": (short_lines, 100_000),
}


def _extract(text: str, queue: multiprocessing.Queue, cpu_limit: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    seconds = int(cpu_limit) + 5  # + gazetteer load
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    from articles.extraction import extract_article
    from articles.extraction.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    started, cpu = time.perf_counter(), time.process_time()
    extract_article(text, gazetteer=gazetteer)
    queue.put((time.perf_counter() - started, time.process_time() - cpu))


def time_extraction(text: str, timeout: float) -> tuple[float, float] | None:
    """(wall, CPU) seconds ``extract_article`` takes on text in a child process; None when
    it needs more than ``timeout`` CPU seconds (the child is stopped by RLIMIT_CPU, or
    killed after 20 times as much wall time on a crowded machine)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_extract, args=(text, queue, timeout))
    process.start()
    process.join(20 * (timeout + 5))
    if process.is_alive():
        process.kill()
        process.join()
        return None
    if process.exitcode == -signal.SIGXCPU:
        return None
    if process.exitcode != 0:
        raise RuntimeError(f"extraction failed with exit code {process.exitcode}")
    wall, cpu = queue.get()
    return (wall, cpu) if cpu <= timeout else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=60.0, help="CPU s per input")
    parser.add_argument("--limit", type=float, default=20.0, help="full size, at most (s)")
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument("--only", help="run only the inputs whose name contains this")
    parser.add_argument("--no-assert", action="store_true")
    args = parser.parse_args()

    failures = []
    print("CPU seconds of extract_article (wall seconds in brackets); ratio = full / half (CPU)")
    print(f"{'input':26} {'size':>9} {'half size':>16} {'full size':>16} {'ratio':>6}")
    for name, (make, count) in INPUTS.items():
        if args.only and args.only not in name:
            continue
        full = make(max(2, int(count * args.scale)))
        half = make(max(1, int(count * args.scale / 2)))
        half_time = time_extraction(half, args.timeout)
        full_time = time_extraction(full, args.timeout) if half_time is not None else None
        ratio = full_time[1] / half_time[1] if full_time and half_time else None

        def show(value: tuple[float, float] | None) -> str:
            if value is None:
                return f"> {args.timeout:.0f} s CPU".rjust(16)
            return f"{value[1]:6.2f}s ({value[0]:5.1f}s)"

        ratio_text = f"{ratio:6.1f}" if ratio else "     -"
        size = f"{len(full.encode()) / 1e6:.2f} MB"
        print(f"{name:26} {size:>9} {show(half_time)} {show(full_time)} {ratio_text}", flush=True)
        if full_time is None or full_time[1] > args.limit:
            failures.append(f"{name}: over {args.limit:.0f} s")
        elif ratio and ratio > args.max_ratio and full_time[1] > 0.5:
            failures.append(f"{name}: doubling the size took {ratio:.1f} times as long")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures and not args.no_assert else 0


if __name__ == "__main__":
    sys.exit(main())
