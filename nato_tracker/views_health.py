"""Health checks for load balancers and orchestrators, and the benchmarks' baseline.

``/livez``: the process answers (no database, no cache) — the trivial baseline view.
``/healthz``: the process answers *and* the database does (one ``SELECT 1``); 503 with
``Retry-After`` otherwise. The shared cache is reported but never fails the check (the app
serves uncached without it, ``nato_tracker.cache_backend``): the first line is ``ok`` or
``degraded`` (200) or ``database unavailable`` (503), then one ``name: state`` line for the
database and one for the cache (``ok``, ``unavailable``, or ``local`` when there is no shared
cache); the header ``X-Cache-State`` carries the cache's. Both are plain text, never cached, and
bypass sessions and templates.
"""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from nato_tracker.cache_backend import cache_state


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)


@never_cache
def livez(request):
    """The process is alive (answers without touching the database)."""
    return _text("ok\n")


def _database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


@never_cache
def healthz(request):
    """The database answers (200, else 503 with Retry-After); the cache's state is reported."""
    database = _database_answers()
    cache = cache_state()
    if not database:
        summary = "database unavailable"
    elif cache == "unavailable":
        summary = "degraded"
    else:
        summary = "ok"
    details = f"database: {'ok' if database else 'unavailable'}\ncache: {cache}"
    if cache == "unavailable":
        details += " (serving uncached)"
    response = _text(f"{summary}\n{details}\n", status=200 if database else 503)
    response["X-Cache-State"] = cache
    if not database:
        response["Retry-After"] = "5"
    return response
