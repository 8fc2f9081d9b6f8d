#!/usr/bin/env bash
# The whole test run: set-up, type-check, lint, build, unit, reference-portal and integration,
# end-to-end (Chromium), and the fault-injection suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }
step "type-check";            npx tsc --noEmit
step "lint and format";       npx biome check .
step "build";                 npx vite build --logLevel warn
step "unit tests";            npx vitest run --project unit
step "portal + integration";  npx vitest run --project portal
step "end-to-end (Chromium)"; npx vitest run --project e2e
if [[ -f test/faults/run.ts ]]; then
  step "fault-injection suite"; npx tsx test/faults/run.ts
fi
