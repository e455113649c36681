# Sourced by scripts/test after bootstrap.sh (which installs Chromium and tesseract when
# missing): the TypeScript client's packages, installed only when missing.
if [ -f "$ROOT/clients/typescript/package-lock.json" ] && [ ! -d "$ROOT/clients/typescript/node_modules" ]; then
    echo "test tools: npm ci in clients/typescript" >&2
    (cd "$ROOT/clients/typescript" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
