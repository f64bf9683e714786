"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py nato_tracker.wsgi``).

Every value can be overridden from the environment: ``BIND`` (default 127.0.0.1:8000; use
0.0.0.0:8000 in a container), ``WEB_CONCURRENCY`` (worker processes, default 2 x CPU + 1),
``GUNICORN_THREADS`` (1: sync workers), ``GUNICORN_TIMEOUT``, ``GUNICORN_MAX_REQUESTS`` (recycle
workers after that many requests; 0, the default, never does: memory stays flat without it, see
docs/performance.md), ``ACCESS_LOG`` ("-" for stdout), ``TRUSTED_PROXIES`` (whose
X-Forwarded-Proto sets the scheme; as in Django). Sync workers are held by slow clients: put
nginx in front (deploy/nginx/, scripts/proxy.sh). Measured figures: docs/performance.md and
docs/scaling.md.
"""

from __future__ import annotations

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
