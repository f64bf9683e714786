#!/usr/bin/env bash
# Rebuilds the partial plotly.js bundles in static/vendor/plotly/ from npm (pinned versions) with
# esbuild, as ES modules split in two so a page loads the map's geography code only for a map:
#   plotly-cartesian.js  core (scatter) + bar: every chart but the map (a stub importing the chunk)
#   plotly-geo.js        the same Plotly with choropleth registered (imports the same chunk)
#   plotly-core-<hash>.js  the code both share; <hash> is esbuild's hash of its content
# Both entries import the one chunk by its relative name, so a page that loads both runs plotly
# once (one module instance). Each file starts with V8's compile hint `//# allFunctionsCalledOnLoad`
# (Chrome 136+; other browsers read a comment): chromium compiles every function while it
# streams the file, off the main thread, instead of lazily on the main thread when the first
# chart is drawn. Needs node and npm; writes nothing outside a temporary directory
# and static/vendor/plotly/. Why and the figures: docs/pages.md ("How it is built").
#   bash scripts/build_plotly.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PLOTLY_VERSION=4.1.1   # the plotly.js plotly.py 7.1.0 targets
ESBUILD_VERSION=0.28.2
OUT=static/vendor/plotly
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work" --no-audit --no-fund --silent \
  "plotly.js@$PLOTLY_VERSION" "esbuild@$ESBUILD_VERSION"
cat >"$work/plotly-cartesian.js" <<'JS'
// plotly.js core (scatter) + bar: every chart but the map
import Plotly from 'plotly.js/lib/core';
import bar from 'plotly.js/lib/bar';
Plotly.register([bar]);
export default Plotly;
JS
cat >"$work/plotly-geo.js" <<'JS'
// the cartesian bundle's Plotly with choropleth (the map) registered as well
import Plotly from './plotly-cartesian.js';
import choropleth from 'plotly.js/lib/choropleth';
Plotly.register([choropleth]);
export default Plotly;
JS
(cd "$work" && ./node_modules/.bin/esbuild plotly-cartesian.js plotly-geo.js --bundle --minify \
  --splitting --format=esm --chunk-names='plotly-core-[hash]' --target=es2017 \
  --define:global=window --define:define.amd=false --banner:js='//# allFunctionsCalledOnLoad' \
  --log-level=warning --outdir=out)
rm -f "$OUT"/*.js
cp "$work"/out/*.js "$OUT"/   # the maplibre CSS esbuild writes beside them is not used
cp "$work/node_modules/plotly.js/LICENSE" "$OUT/LICENSE"
for f in "$OUT"/*.js; do
  printf '%-48s %9d B  %8d B gzip\n' "$f" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
