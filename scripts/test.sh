#!/usr/bin/env bash
# The whole test run: set-up, type-check, lint, the development builds (Chromium, Firefox), unit,
# reference-portal and integration, end-to-end (Chromium), the store packages (production
# builds: manifests, web-ext lint, loaded in Chromium), end-to-end (Firefox), and the
# fault-injection suite. Ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

results=.artifacts/test-results
rm -rf "$results" && mkdir -p "$results"
step() { printf '\n== %s\n' "$*"; }
vitest() { npx vitest run --project "$1" --reporter=default --reporter=json --outputFile="$results/$1.json"; }

step "type-check";            npx tsc --noEmit
step "lint and format";       npx biome check .
step "build (development)";   npm run --silent build:dev -- --logLevel warn
                              npm run --silent build:firefox:dev -- --logLevel warn
step "unit tests";            vitest unit
step "portal + integration";  vitest portal
step "end-to-end (Chromium)"; vitest e2e
step "store packages";        npm run --silent package && vitest packages
step "end-to-end (Firefox)";  vitest firefox
step "fault-injection suite"; npx tsx test/faults/run.ts && npx tsx test/faults/invites.ts

# Every step above stops the run on failure, so reaching here means all passed.
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${f}`, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
  }
  passed += 2; // the fault-injection suite: its two scenarios
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
' "$results"
