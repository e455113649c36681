# Sourced by the other scripts: creates .venv with the project and its dev tools.
# Reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "bootstrap: creating $VENV" >&2
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]" >&2
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi
# The system programs real drivers run (Debian packages, installed only when missing):
# the web driver's Chromium and the ocr checks' tesseract. Never a downloaded browser.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
# The dashboard's pages (clients/dashboard, TypeScript) built into the proxy package, again
# only when its sources changed: npm ci from the lockfile, then Vite (Node.js 20.19 or newer).
DASH="$ROOT/clients/dashboard"
BUILT="$ROOT/proxy_service/dashboard/static"
dash_hash="$(cd "$ROOT" && find clients/dashboard -path clients/dashboard/node_modules -prune -o \
    -type f -print | sort | xargs sha256sum clients/typescript/src/schema.d.ts | sha256sum | cut -c1-16)"
if [ ! -f "$BUILT/.built-$dash_hash" ]; then
    command -v npm >/dev/null 2>&1 || { echo "bootstrap: the dashboard needs Node.js 20.19+ and npm" >&2; exit 2; }
    echo "bootstrap: building the dashboard (clients/dashboard)" >&2
    (cd "$DASH" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build) >&2
    touch "$BUILT/.built-$dash_hash"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
