#!/usr/bin/env bash
# Install everything (first run) and run every check and test:
#   ruff (lint + format), makemigrations --check, check --deploy under production settings,
#   the pytest suite on SQLite, then again on PostgreSQL.
# PostgreSQL: $TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres. When CI=true
# it is required (and started if it is not running); elsewhere the run is skipped with a warning
# when the server cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/ensure_venv.sh
. scripts/ensure_venv.sh
ensure_venv dev  # pip runs only on the first run or when pyproject.toml changed
PY=.venv/bin/python
export PYTHONDONTWRITEBYTECODE=1

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== migrations and deploy checks"
$PY manage.py makemigrations --check --dry-run
DJANGO_ENV=production SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  ALLOWED_HOSTS=tracker.example.org $PY manage.py check --deploy --fail-level WARNING

echo "== tests on SQLite"
env -u DATABASE_URL .venv/bin/pytest "$@"

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg_up() { $PY -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; }
if ! pg_up && [ "${CI:-}" = "true" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  for _ in $(seq 1 20); do pg_up && break; sleep 1; done
fi
if pg_up; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" .venv/bin/pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL is not reachable: CI requires it." >&2
  exit 1
else
  echo "WARNING: PostgreSQL at $PG_URL is not reachable; the PostgreSQL run was skipped." >&2
fi
