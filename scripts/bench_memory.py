"""Time and peak memory of every page and API list, with one adversarial article in the data.

Builds (once; ``--rebuild`` to start again) a data set of 1,000 ordinary articles (3 KB of text,
5 quotes, 2 reported figures each, one alliance-level claim every 10 articles) and **one
adversarial article**: 1.9 MB of text with 6,000 quotes about the United States and Poland and
2,000 reported figures, as an article that mass-produces quotes would give. The rows are written
with the ORM directly (not through ``ingest_articles``, whose speed on such text is another
benchmark, ``scripts/bench_ingest.py``), into a database of its own: an SQLite file (default)
or PostgreSQL with ``--database-url postgres://postgres@127.0.0.1:5432/mem_bench`` (created when
missing). Then every URL is requested through Django's test client (no web server), each in a
fresh forked process with an empty cache (cold: nothing cached from an earlier request; the
middleware loaded and the parent's objects frozen for the garbage collector before forking, as
``gunicorn.conf.py`` starts a server's worker), twice:

- ``ms``, ``cpu ms``, ``rss MB``: wall time of the request, the CPU time of the process during
  it (``time.process_time``, which the machine's other programs add little to), and the growth
  of the process's peak resident set size during it (``ru_maxrss`` after minus ``VmRSS``
  before: everything the request made the process hold, Python objects and the database
  driver's buffers alike);
- ``py MB``: the peak of Python allocations during the request, from ``tracemalloc`` (in a
  second process, since tracing slows the request down).

Each child is capped (``RLIMIT_AS``: its size at start + ``--cap-mb``, default 2,048 MB) and
timed out (``--timeout``, default 60 s), so a request that would exhaust the machine is reported
as ``MemoryError`` / ``timeout`` instead. Goal per request: <= 200 ms and <= 100 MB.

    .venv/bin/python scripts/bench_memory.py                  # SQLite file in /tmp
    .venv/bin/python scripts/bench_memory.py --database-url postgres://postgres@127.0.0.1:5432/mem_bench

Exit status 1 when any request fails or is over the goal, cold (first request, empty cache) or
warm.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_MS, GOAL_MB = 200.0, 100.0
NORMAL_ARTICLES = 1_000
ADVERSARIAL_QUOTES = 6_000
ADVERSARIAL_FIGURES = 2_000
ADVERSARIAL_HASH = "bench-memory-adversarial"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'mem_bench.sqlite3'}",
        help="database of the data set (default: an SQLite file in the temp folder)",
    )
    parser.add_argument("--rebuild", action="store_true", help="drop and build the data again")
    parser.add_argument("--cap-mb", type=int, default=2048, help="address-space cap per request")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per request")
    parser.add_argument(
        "--only", default="", help="only requests whose URL or label contains this text"
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    return parser.parse_args()


def prepare_database(url: str, rebuild: bool) -> None:
    """Create (or, with ``rebuild``, recreate) the benchmark's own database."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if rebuild and path.exists():
            path.unlink()
        return
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --------------------------------------------------------------------------- data set

QUOTE = "“We will spend {pct}% of GDP on defence by {year}, and we will do it fast,” {who} said."
FILLER = (
    " The United States spent 3.{n:02d}% of GDP on defence in 2024, Poland 4.{m:02d}%, according"
    " to the alliance's estimates."
)


def build_data_set() -> None:
    """Reference data, 1,000 ordinary articles and the adversarial one (ORM, one transaction)."""
    import datetime
    import hashlib

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from articles.models import (
        AggregateClaim,
        Article,
        ReportedFigure,
        Speaker,
        Statement,
    )
    from spending.models import MemberState, Metric
    from spending.reference_data import load_reference_data

    call_command("migrate", verbosity=0)
    if Article.objects.filter(content_hash=ADVERSARIAL_HASH).exists():
        return
    load_reference_data(settings.REFERENCE_DATA_DIR)
    rng = random.Random(16)
    members = list(MemberState.objects.exclude(iso3="ISL"))
    usa, pol = MemberState.objects.get(iso3="USA"), MemberState.objects.get(iso3="POL")
    check = {"verdict": "matches", "official": 3.19, "source": "NATO_DE2025"}
    start_time = time.perf_counter()
    with transaction.atomic():
        speakers = Speaker.objects.bulk_create(
            Speaker(name=f"Bench Speaker {i}", slug=f"bench-speaker-{i}", role="Minister")
            for i in range(50)
        )
        articles = []
        for i in range(NORMAL_ARTICLES):
            parts = []
            for q in range(5):
                parts.append(QUOTE.format(pct=2 + q, year=2030 + q, who=f"Bench Speaker {q}"))
                parts.append(FILLER.format(n=q, m=i % 100) * 4)
            text = f"Article {i}. " + "".join(parts)
            articles.append(
                Article(
                    title=f"Allies debate spending, part {i}",
                    publisher="Bench Wire",
                    published=datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 700),
                    text=text,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                )
            )
        articles = Article.objects.bulk_create(articles)
        if any(a.pk is None for a in articles):
            articles = list(Article.objects.order_by("pk"))
        statements, figures, claims = [], [], []
        for article in articles:
            cursor = 0
            for q in range(5):
                quote = QUOTE.format(pct=2 + q, year=2030 + q, who=f"Bench Speaker {q}")
                start = article.text.index(quote, cursor)
                cursor = start + len(quote)
                statements.append(
                    Statement(
                        article=article,
                        speaker=speakers[rng.randrange(len(speakers))],
                        speaker_as_written=f"Bench Speaker {q}",
                        text=quote[1 : quote.index("”")],
                        start=start,
                        end=start + quote.index("”") + 1,
                    )
                )
            for f in range(2):
                figures.append(
                    ReportedFigure(
                        article=article,
                        member=rng.choice(members),
                        year=2024,
                        metric=Metric.PCT_GDP,
                        value=2.5,
                        sentence="It spent 2.5% of GDP in 2024.",
                        start=100 + f * 10,
                        end=105 + f * 10,
                        check_as_published=check,
                        check_latest=check,
                        verdict="matches",
                    )
                )
            if article.pk % 10 == 0:
                claims.append(
                    AggregateClaim(
                        article=article,
                        kind=AggregateClaim.Kind.COUNT_MEETING,
                        target_pct=2,
                        year=2024,
                        count=23,
                        of_total=32,
                        sentence="23 of 32 allies met 2% in 2024.",
                        start=200,
                        end=210,
                        check_as_published=check,
                        check_latest=check,
                        verdict="matches",
                    )
                )
        Statement.objects.bulk_create(statements, batch_size=2000)
        ReportedFigure.objects.bulk_create(figures, batch_size=2000)
        AggregateClaim.objects.bulk_create(claims, batch_size=2000)
        stmts = list(Statement.objects.values_list("pk", flat=True))
        through = Statement.members.through
        through.objects.bulk_create(
            (through(statement_id=pk, memberstate_id=rng.choice(members).pk) for pk in stmts),
            batch_size=5000,
        )

        # The adversarial article: 1.9 MB, 6,000 quotes, 2,000 figures, all about USA and Poland.
        parts, spans = [], []
        length = 0
        for q in range(ADVERSARIAL_QUOTES):
            quote = QUOTE.format(pct=2 + q % 4, year=2030 + q % 5, who="Donald Trump")
            spans.append((length, length + quote.index("”") + 1, quote[1 : quote.index("”")]))
            chunk = quote + FILLER.format(n=q % 100, m=q % 97) * 2
            parts.append(chunk)
            length += len(chunk)
        text = "".join(parts)
        adversarial = Article.objects.create(
            title="Adversarial article: thousands of quotes",
            publisher="Bench Wire",
            published=datetime.date(2025, 7, 1),
            text=text,
            content_hash=ADVERSARIAL_HASH,
        )
        trump = Speaker.objects.create(name="Donald Trump", slug="donald-trump", role="President")
        Statement.objects.bulk_create(
            (
                Statement(
                    article=adversarial,
                    speaker=trump,
                    speaker_as_written="Donald Trump",
                    text=quote,
                    start=start,
                    end=end,
                )
                for start, end, quote in spans
            ),
            batch_size=2000,
        )
        ids = list(Statement.objects.filter(article=adversarial).values_list("pk", flat=True))
        through.objects.bulk_create(
            (through(statement_id=pk, memberstate_id=m.pk) for pk in ids for m in (usa, pol)),
            batch_size=5000,
        )
        ReportedFigure.objects.bulk_create(
            (
                ReportedFigure(
                    article=adversarial,
                    member=(usa, pol)[f % 2],
                    year=2024,
                    metric=Metric.PCT_GDP,
                    value=3.19,
                    sentence=FILLER.format(n=f % 100, m=f % 97).strip(),
                    start=spans[f][1] + 1,
                    end=spans[f][1] + 40,
                    check_as_published=check,
                    check_latest=check,
                    verdict="matches",
                )
                for f in range(ADVERSARIAL_FIGURES)
            ),
            batch_size=2000,
        )
        editor = get_user_model().objects.create_user("bench-editor", password="bench-password")
        group = Group.objects.filter(name="Editors").first()
        if group:
            editor.groups.add(group)
    print(
        f"data set built in {time.perf_counter() - start_time:.1f} s: "
        f"{Article.objects.count()} articles ({len(text) / 1e6:.2f} MB adversarial), "
        f"{Statement.objects.count()} statements, {ReportedFigure.objects.count()} figures",
        file=sys.stderr,
    )


def analyze_statistics() -> None:
    """PostgreSQL: gather the planner's statistics before measuring, as autovacuum does after a
    bulk load on a normal server. Without them (autovacuum off, as on a shared test server)
    the planner guesses row counts and, for example, the statements CSV's allies query ran
    80-200 ms instead of 25-60 ms."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def urls() -> list[tuple[str, str, bool]]:
    """(label, url, as editor) for every page and API list, and the adversarial article's."""
    from articles.models import Article, Speaker, Statement

    adversarial = Article.objects.get(content_hash=ADVERSARIAL_HASH)
    normal = Article.objects.exclude(pk=adversarial.pk).order_by("pk").first()
    quote = Statement.objects.filter(article=adversarial).order_by("start").first()
    busy = Speaker.objects.get(slug="donald-trump")
    return [
        ("dashboard", "/", False),
        ("allies", "/countries/", False),
        ("ally United States", "/countries/united-states/", False),
        ("ally Poland", "/countries/poland/", False),
        ("ally Germany", "/countries/germany/", False),
        ("statements", "/statements/", False),
        ("statements search", "/statements/?q=spend", False),
        ("statements about USA", "/statements/?ally=united-states", False),
        ("adversarial statement", f"/statements/{quote.pk}/", False),
        ("speakers", "/speakers/", False),
        ("speaker of 6,000 quotes", f"/speakers/{busy.slug}/", False),
        ("articles", "/articles/", False),
        ("adversarial article", f"/articles/{adversarial.pk}/", False),
        ("ordinary article", f"/articles/{normal.pk}/", False),
        ("methodology", "/methodology/", False),
        ("feed", "/feeds/statements/", False),
        ("feed USA", "/feeds/allies/USA/", False),
        ("feed speaker", f"/feeds/speakers/{busy.slug}/", False),
        ("editor queue", "/editor/", True),
        ("editor claims", "/editor/claims/", True),
        ("editor adversarial statement", f"/editor/statements/{quote.pk}/", True),
        ("API statements", "/api/v1/statements/", False),
        ("API statements USA", "/api/v1/statements/?ally=USA", False),
        ("API statements CSV", "/api/v1/statements/?format=csv", False),
        ("API claims", "/api/v1/claims/", False),
        ("API claims CSV", "/api/v1/claims/?format=csv", False),
        ("API articles", "/api/v1/articles/", False),
        ("API articles CSV", "/api/v1/articles/?format=csv", False),
        ("API adversarial article", f"/api/v1/articles/{adversarial.pk}/", False),
        ("API speakers", "/api/v1/speakers/", False),
        ("API statement links", "/api/v1/statement-links/", False),
        ("API figures CSV", "/api/v1/figures/?format=csv", False),
        ("API compliance", "/api/v1/compliance/", False),
    ]


# --------------------------------------------------------------------------- measuring


def _vm_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(url: str, as_editor: bool, traced: bool, cap_mb: int, timeout: int) -> dict:
    """Run one request in this (forked) process and describe it."""
    import logging

    from django.core.cache import cache
    from django.test import Client

    logging.disable(logging.CRITICAL)  # a failing request is reported in the table
    cache.clear()  # cold: nothing built by an earlier request
    size = _vm_kb("VmSize") * 1024
    cap = size + cap_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.alarm(timeout)
    client = Client(HTTP_HOST="127.0.0.1")
    client.handler = _LOADED_HANDLER or client.handler  # its middleware loaded by warm_up()
    if as_editor:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="bench-editor"))
    rss_before = _vm_kb("VmRSS")
    if traced:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        status = response.status_code
    except MemoryError:
        elapsed = time.perf_counter() - start
        return {"error": f"MemoryError at the {cap_mb:,} MB cap after {elapsed:.1f} s"}
    elapsed = (time.perf_counter() - start) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    result = {"status": status, "ms": elapsed, "cpu_ms": cpu_ms, "bytes": len(body)}
    if traced:
        result["py_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        return result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["rss_mb"] = max(0, peak - rss_before) / 1024
    start = time.perf_counter()  # again, with what the first request cached
    response = client.get(url)
    if response.streaming:
        b"".join(response)
    result["warm_ms"] = (time.perf_counter() - start) * 1000
    return result


def measure(url: str, as_editor: bool, traced: bool, args) -> dict:
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    # As gunicorn.conf.py's pre_fork does before forking a worker: what the parent holds goes
    # to the permanent generation, so the child's collections scan only what it makes (without
    # it, a request could set off a full collection of the parent's ~200,000 objects, 100 ms
    # and more, that no server's worker pays).
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            result = _child(url, as_editor, traced, args.cap_mb, args.timeout)
        except BaseException as exc:  # noqa: BLE001 (the forked child reports, never raises)
            result = {"error": f"{type(exc).__name__}: {str(exc)[:80]}"}
        os.write(write, json.dumps(result).encode())
        os.close(write)
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
            return {"error": f"timeout after {args.timeout} s"}
        return {"error": f"child died ({status})"}
    return json.loads(b"".join(chunks))


#: The test client's request handler with its middleware loaded (:func:`warm_up`), which the
#: forked children use: a server's worker loads the middleware once, at start-up, not per request.
_LOADED_HANDLER = None


def warm_up() -> None:
    """Import what the first request of a process would (pandas, templates) in the
    parent, and load the middleware (WhiteNoise scans the static files then: 15-17 ms of CPU
    and more of reading the disk), so that the forked children measure the request, not Python's
    imports nor the set-up of the request handler."""
    global _LOADED_HANDLER
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for url in ("/", "/countries/germany/", "/statements/", "/api/v1/figures/?format=csv"):
        client.get(url)
    _LOADED_HANDLER = client.handler
    cache.clear()


def main() -> int:
    args = parse_args()
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")
    os.environ["RESPONSE_CACHE_SECONDS"] = "0"
    os.environ.pop("REDIS_URL", None)  # a per-process memory cache: every request is cold
    prepare_database(args.database_url, args.rebuild)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.DEBUG = False
    build_data_set()
    analyze_statistics()
    warm_up()
    rows, failed = [], False
    print("| request | cold ms | cold CPU ms | warm ms | rss MB | py MB | KB sent | |")
    print("|---|---|---|---|---|---|---|---|")
    for label, url, as_editor in urls():
        if args.only and args.only not in url and args.only not in label:
            continue
        plain = measure(url, as_editor, False, args)
        traced = measure(url, as_editor, True, args) if "error" not in plain else {}
        row = {"label": label, "url": url, **plain, **{"py_mb": traced.get("py_mb")}}
        if "error" not in plain and plain.get("status") != 200:
            row["error"] = f"status {plain['status']}"
        memory = max(row.get("rss_mb", 0), row.get("py_mb") or 0)
        over = "error" in row or max(row["ms"], row["warm_ms"]) > GOAL_MS or memory > GOAL_MB
        row["over"] = over
        failed |= over
        rows.append(row)
        print(_line(row), flush=True)
    if args.json:
        print(json.dumps(rows, indent=1))
    print(
        f"\ngoal: <= {GOAL_MS:.0f} ms and <= {GOAL_MB:.0f} MB per request; database: "
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}"
    )
    print("over the goal" if failed else "every request within the goal")
    return 1 if failed else 0


def _line(row: dict) -> str:
    name = f"{row['label']} `{row['url']}`"
    if "error" in row and "ms" not in row:
        return f"| {name} | {row['error']} | | | | | | |"
    py = f"{row['py_mb']:.1f}" if row.get("py_mb") is not None else "–"
    mark = " **over**" if row["over"] else ""
    return (
        f"| {name} | {row['ms']:.0f} | {row['cpu_ms']:.0f} | {row['warm_ms']:.0f} | "
        f"{row['rss_mb']:.1f} | {py} | "
        f"{row['bytes'] / 1e3:,.0f} |{mark} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
