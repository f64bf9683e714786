#!/usr/bin/env bash
# Install everything (first run), load the reference data and the sample articles into SQLite,
# and serve the app on http://127.0.0.1:8000/ . Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_reference_data
.venv/bin/python manage.py ingest_articles --quiet articles/data/sample_articles
.venv/bin/python manage.py recheck_claims
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
