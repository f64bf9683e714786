"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py nato_tracker.wsgi``).

Every value can be overridden from the environment: ``BIND`` (default 127.0.0.1:8000; use
0.0.0.0:8000 in a container), ``WEB_CONCURRENCY`` (worker processes, default 2 x CPU + 1),
``GUNICORN_THREADS`` (1: sync workers), ``GUNICORN_TIMEOUT``, ``GUNICORN_MAX_REQUESTS`` (recycle
workers after that many requests; 0, the default, never does: memory stays flat without it, see
docs/performance.md), ``ACCESS_LOG`` ("-" for stdout), ``TRUSTED_PROXIES`` (whose
X-Forwarded-Proto sets the scheme; as in Django). Sync workers are held by slow clients: put
nginx in front (deploy/nginx/, scripts/proxy.sh). Measured figures: docs/performance.md and
docs/scaling.md.

Garbage collection (docs/performance.md, "Garbage collection"): as the Python documentation of
``gc.freeze`` advises for a process that forks without exec, the master collects nothing from
the moment it reads this file (``gc.disable``), imports the URLconf once the app is loaded
(:func:`when_ready`), freezes every object it holds right before each fork (:func:`pre_fork`:
~262,000 objects go to the permanent generation, which no collection scans) and each worker
collects again (:func:`post_fork`). A worker's full collection then scans only what the worker
made (~11,000 objects, ~2 ms), not the whole app (~163,000, 70-140 ms).
"""

from __future__ import annotations

import gc
import multiprocessing
import os

wsgi_app = "nato_tracker.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Load the app once in the master, then fork: faster start, shared memory pages. Django opens
# no database connection at import, so each worker gets its own (persistent) connections.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
backlog = 2048
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-Proto (the wsgi.url_scheme) only from TRUSTED_PROXIES, as Django (docs/scaling.md).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
proc_name = "nato_tracker"


# Python's gc docs: "call gc.disable() early in the parent process, gc.freeze() right before
# fork(), and gc.enable() early in child processes". The master reads this file before it
# loads the app (preload_app), and serves no requests.
gc.disable()


def when_ready(server):
    """In the master, the app loaded, before the first fork: import the URLconf too (every view
    module, DRF, pandas: ~150,000 objects), which Django would otherwise import in each worker
    at its first request, where no freeze would cover it."""
    if server.cfg.preload_app:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 (imported for its side effect)


def pre_fork(server, worker):
    """In the master, right before a worker is forked (also a worker that replaces one)."""
    gc.freeze()


def post_fork(server, worker):
    """In the new worker: collect again (only objects made after the fork are ever scanned)."""
    gc.enable()
