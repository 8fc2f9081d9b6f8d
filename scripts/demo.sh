#!/usr/bin/env bash
# The main job: set-up, build the extension, then the demo (reference portal + Chromium with Reclaim).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build:dev -- --logLevel warn
echo "build: extension (development build) written to $(pwd)/dist"
exec npx tsx scripts/demo.ts "$@"
