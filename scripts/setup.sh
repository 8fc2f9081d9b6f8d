#!/usr/bin/env bash
# Installs what building, testing and the demo need: npm packages (from the lock file) and,
# when /usr/bin/chromium is missing, Debian's Chromium. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "setup: $CHROMIUM is missing; installing Debian's chromium"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
"$CHROMIUM" --version
