"""Benchmark: CPU time of the extraction alone over a folder of articles (no database).

    .venv/bin/python scripts/bench_extraction.py ../shared/eval/polnear/train [--repeat 3]

Reads every ``.txt`` file as ``ingest_articles`` does (:func:`articles.inputs.read_inputs`),
then times :func:`articles.inputs.extract_document` over all of them with the process's CPU
clock (``time.process_time``: user + system of this process), which the other programs running
on a shared machine change much less than the wall time. Reading the files and building the
gazetteer are not timed. With ``--repeat N`` the fastest of N passes is reported. The load
average at the start is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from articles.extraction.gazetteer import default_gazetteer
    from articles.inputs import InputError, extract_document, read_inputs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    files = sorted(str(p) for p in Path(args.folder).glob("*.txt"))
    documents = [d for d in read_inputs(files) if not isinstance(d, InputError)]
    gazetteer = default_gazetteer()
    size = sum(len(d.text.encode()) for d in documents)
    load = os.getloadavg()
    best_cpu = best_wall = float("inf")
    for _ in range(args.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        for document in documents:
            extract_document(document, gazetteer)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"articles: {len(documents)}, {size / 1e6:.2f} MB")
    print(
        f"extraction CPU time: {best_cpu:.2f} s ({best_cpu / len(documents) * 1000:.1f} ms per "
        f"article, {best_cpu / (size / 1e6):.2f} s per MB); wall {best_wall:.2f} s"
    )
    print(f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
