# Sourced by scripts/test after bootstrap.sh (which installs Chromium and tesseract when
# missing): the TypeScript client's packages, installed only when missing.
if [ -f "$ROOT/clients/typescript/package-lock.json" ] && [ ! -d "$ROOT/clients/typescript/node_modules" ]; then
    echo "test tools: npm ci in clients/typescript" >&2
    (cd "$ROOT/clients/typescript" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
# PostgreSQL: the lab store's tests run against a real server (tests/postgres.py).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "test tools: installing postgresql" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
