#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. Uses TEST_DATABASE_URL (a local
# PostgreSQL superuser connection) when set, the embedded database otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Chromium is needed for the browser tests: apt-get install -y chromium (or set CHROMIUM_PATH)." >&2
  exit 1
fi

step "Type check";              npm run -s typecheck
step "Lint";                    npm run -s lint
step "Migrations match schema"; npm run -s db:migration:check
if docker compose version >/dev/null 2>&1; then
  step "docker-compose.yml is valid"; docker compose config -q
elif command -v docker-compose >/dev/null 2>&1; then
  step "docker-compose.yml is valid"; docker-compose config -q
fi
step "Unit and integration tests"; npx vitest run
step "Production build";        npx next build
step "Browser tests";           npx playwright test
