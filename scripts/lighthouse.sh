#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, Debian's chromium) mobile and desktop scores for the main pages:
# performance, accessibility, best practices and SEO. Starts the app as in production
# (scripts/serve.sh: collectstatic, whitenoise, gunicorn) on BIND unless BASE_URL is given, and
# prints one line per page and form factor. Figures and the command: docs/pages.md.
#   bash scripts/lighthouse.sh                     # own server on 127.0.0.1:8177
#   BASE_URL=http://127.0.0.1:8000 bash scripts/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LH_VERSION=12.8.2
LH_DIR=${LH_DIR:-.cache/lighthouse}
LH="$LH_DIR/node_modules/.bin/lighthouse"
if [ ! -x "$LH" ]; then
  npm install --prefix "$LH_DIR" --no-audit --no-fund --silent "lighthouse@$LH_VERSION"
fi
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
PAGES=${PAGES:-"/ /countries/poland/ /statements/ /compare/ /methodology/"}
OUT=${OUT:-artifacts/lighthouse}
mkdir -p "$OUT"
server=""
if [ -z "${BASE_URL:-}" ]; then
  BIND=${BIND:-127.0.0.1:8177}
  BASE_URL="http://$BIND"
  BIND=$BIND WEB_CONCURRENCY=2 bash scripts/serve.sh >"$OUT/server.log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do curl -fs -o /dev/null "$BASE_URL/livez" && break; sleep 1; done
fi
for page in $PAGES; do
  for form in mobile desktop; do
    name=$(echo "$page" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//')
    file="$OUT/${name:-dashboard}-$form.json"
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    if ! "$LH" "$BASE_URL$page" "${preset[@]}" --quiet --chrome-flags="$FLAGS" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$file"; then
      echo "$page $form: lighthouse failed (see $OUT/server.log)"
      continue
    fi
    python3 - "$file" "$page" "$form" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
print(f"{sys.argv[2]:22} {sys.argv[3]:8} " + "  ".join(f"{k} {v}" for k, v in scores.items()))
PY
  done
done
