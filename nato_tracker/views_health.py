"""Health checks for load balancers and orchestrators, and the benchmarks' baseline.

``/livez``: the process answers (no database, no cache) — the trivial baseline view.
``/healthz``: the process answers *and* the database does (one ``SELECT 1``); 503 otherwise.
Both are plain text, never cached, and bypass sessions and templates.
"""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)


@never_cache
def livez(request):
    """The process is alive (answers without touching the database)."""
    return _text("ok\n")


@never_cache
def healthz(request):
    """The process and its database answer; 503 with Retry-After when the database does not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = _text("database unavailable\n", status=503)
        response["Retry-After"] = "5"
        return response
    return _text("ok\n")
