"""Benchmark: ingest generated articles of about 3 KB into PostgreSQL with the real command.

    .venv/bin/python scripts/bench_ingest.py [--articles 1000] [--server postgres://postgres@127.0.0.1:5432]

Creates a scratch database (``nato_tracker_bench``, dropped first), migrates it and loads the
reference data (not timed), writes the articles to a temporary folder, then times
``manage.py ingest_articles FOLDER`` end to end in a child process and reports its wall time
and peak resident memory. Targets (issue 3): 1,000 articles in at most 30 s, peak under 400 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ALLIES = [
    ("Poland", "Polish"), ("Germany", "German"), ("France", "French"), ("Italy", "Italian"),
    ("Spain", "Spanish"), ("Canada", "Canadian"), ("Norway", "Norwegian"),
    ("the Netherlands", "Dutch"), ("Belgium", "Belgian"), ("Estonia", "Estonian"),
    ("Latvia", "Latvian"), ("Lithuania", "Lithuanian"), ("Denmark", "Danish"),
]  # fmt: skip
SPEAKERS = [
    ("NATO Secretary General", "Mark Rutte"),
    ("Defence Minister", "Anna Lindqvist"),
    ("Prime Minister", "Jonas Berg"),
    ("Foreign Minister", "Marta Kowalczyk"),
    ("U.S. Defense Secretary", "Pete Hegseth"),
]
PARAGRAPHS = [
    "{dateline} — {role} {name} said on {day} that allies must do more. “We need to spend "
    "much more on defence, and we need to do it now,” {surname} said at a meeting of ministers.",
    "{country} spent {pct:.2f}% of its GDP on defence in {year}, up from {old:.2f}% in 2014, "
    "according to figures published by the alliance.",
    "“Every ally has to carry its share of the burden,” {surname} added. “The 3.5% target is "
    "not a ceiling but a floor for the years to come.”",
    "Analysts noted that {count} of NATO's 32 members met the alliance's target of spending 2% "
    "of their GDP on defence in {year}. Countries missing the goal include {missing}.",
    "The {demonym} government has promised what officials called “a decisive step forward” "
    "in procurement, with new air defence systems, long-range missiles and ammunition.",
    "Total NATO military expenditure reached around ${total:.1f} trillion last year, the "
    "alliance said, while {country} pledged to reach 5% by 2035.",
    "Critics in {country} argue that the increase comes at the expense of social programmes, "
    "and opposition leaders said the budget was “simply not credible in the long term”.",
]


def make_article(rng: random.Random, index: int) -> str:
    country, demonym = rng.choice(ALLIES)
    role, name = rng.choice(SPEAKERS)
    values = {
        "dateline": rng.choice(["BRUSSELS", "WARSAW", "OSLO", "THE HAGUE", "BERLIN"]),
        "role": role,
        "name": name,
        "surname": name.split()[-1],
        "day": rng.choice(["Monday", "Tuesday", "Thursday"]),
        "country": country,
        "demonym": demonym,
        "pct": rng.uniform(1.0, 4.5),
        "old": rng.uniform(0.8, 2.0),
        "year": rng.choice([2023, 2024]),
        "count": rng.randint(15, 31),
        "missing": ", ".join(c for c, _ in rng.sample(ALLIES, 4)),
        "total": rng.uniform(1.1, 1.6),
    }
    body = []
    while sum(len(p) for p in body) < 2900:
        body.append(rng.choice(PARAGRAPHS).format(**values))
    month = rng.randint(1, 9)
    header = f"---\ntitle: Generated article {index}\npublished: 2025-0{month}-15\n---\n"
    return header + f"Article {index}.\n" + "\n".join(body)


def prepare_database(server: str, name: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (2 cores here)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="nato_tracker_bench")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": prepare_database(args.server, args.database)}
    manage("migrate", "--noinput", env=env)
    manage("load_reference_data", env=env)
    rng = random.Random(2025)
    with tempfile.TemporaryDirectory() as folder:
        sizes = []
        for i in range(args.articles):
            text = make_article(rng, i)
            sizes.append(len(text.encode()))
            Path(folder, f"article_{i:05d}.txt").write_text(text, encoding="utf-8")
        load = os.getloadavg()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = manage("ingest_articles", "--quiet", "--jobs", str(args.jobs), folder, env=env)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip().splitlines()[-1])
    print(f"articles: {args.articles}, mean size {sum(sizes) / len(sizes) / 1024:.1f} KB")
    print(f"wall time: {elapsed:.1f} s ({args.articles / elapsed:.0f} articles/s)")
    print(f"peak memory of the largest child process: {peak_mb:.0f} MB")
    # Wall time depends on what else the machine runs; the command's own CPU time (user +
    # system, every worker; PostgreSQL's server processes not included) depends much less.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"CPU time of the command: {cpu:.1f} s; load average at start: {load[0]:.1f}")
    ok = elapsed <= 30 and peak_mb < 400
    print("targets (<= 30 s, < 400 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
