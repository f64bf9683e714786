#!/usr/bin/env bash
# Production-like local run: production settings, static files collected (hashed, compressed,
# served by whitenoise), gunicorn on 127.0.0.1 (BIND, default 127.0.0.1:8000).
#   bash scripts/serve.sh                       # SQLite db.sqlite3, local file cache
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker REDIS_URL=redis://127.0.0.1:6379/0 \
#     WEB_CONCURRENCY=5 bash scripts/serve.sh
# Local plain HTTP: SECURE_SSL_REDIRECT is off unless set. A throw-away SECRET_KEY is generated
# when none is given (sessions do not survive a restart then); set SECRET_KEY in real deployments.
# More: docs/scaling.md, docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_ENV=production
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
if [ -z "${SECRET_KEY:-}" ]; then
  SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
  export SECRET_KEY
fi
$PY manage.py collectstatic --noinput -v0
if [ "${MIGRATE:-0}" = "1" ]; then
  $PY manage.py migrate --noinput -v0
fi
exec "$(dirname "$PY")/gunicorn" -c gunicorn.conf.py "$@"
