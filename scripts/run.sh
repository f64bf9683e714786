#!/usr/bin/env bash
# Install everything (first run), load the reference data and the sample articles into SQLite,
# and serve the app on http://127.0.0.1:8000/ . Safe to run again: every step is idempotent, and
# the install is skipped while pyproject.toml is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/ensure_venv.sh
. scripts/ensure_venv.sh
ensure_venv  # pip runs only on the first start or when pyproject.toml changed
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_reference_data
.venv/bin/python manage.py ingest_articles --quiet articles/data/sample_articles  # progress bar on a terminal
.venv/bin/python manage.py load_speaker_roles
.venv/bin/python manage.py recheck_claims
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
