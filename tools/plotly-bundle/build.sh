#!/usr/bin/env bash
# Rebuild wmo_kaart/web/static/plotly-wmo.min.js and its pre-compressed copies (.br, .gz).
# Needs Node.js and npm (registry access) and the project's venv (brotli comes with flask-compress).
# Keep plotly.js at the version plotly.py bundles (python -c "import plotly.offline as o; print(o.get_plotlyjs_version())").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/entry.js" "$here/locale-nl.js" "$here/build.js" "$work/"
(cd "$work" && npm install --no-audit --no-fund --loglevel=error && node build.js entry.js plotly-wmo.min.js)
out="$root/wmo_kaart/web/static"
cp "$work/plotly-wmo.min.js" "$out/plotly-wmo.min.js"
"$root/.venv/bin/python" - "$out/plotly-wmo.min.js" <<'PY'
import brotli, gzip, sys
path = sys.argv[1]
data = open(path, "rb").read()
open(path + ".br", "wb").write(brotli.compress(data, quality=11))
open(path + ".gz", "wb").write(gzip.compress(data, compresslevel=9, mtime=0))
PY
ls -l "$out"
