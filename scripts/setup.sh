#!/usr/bin/env bash
# Installs what building, testing and the demo need: npm packages (from the lock file) and,
# when they are missing, Debian's Chromium (/usr/bin/chromium) and Firefox ESR
# (/usr/bin/firefox-esr, for the Firefox tests). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
FIREFOX="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
missing=()
if [[ ! -x "$CHROMIUM" ]]; then missing+=(chromium fonts-dejavu-core); fi
# The Firefox tests' harness reads the add-on's state from Firefox's privileged scope over
# WebDriver BiDi (test/firefox/harness.ts), which the 153 ESR offers and the 140 ESR does not:
# an older Firefox (a machine whose package lists predate 153) is brought up to date.
FIREFOX_TESTED_MAJOR=153
if [[ ! -x "$FIREFOX" ]]; then
  missing+=(firefox-esr)
elif [[ -z "${FIREFOX_PATH:-}" ]]; then
  major=$("$FIREFOX" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
  if (( major < FIREFOX_TESTED_MAJOR )); then missing+=(firefox-esr); fi
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing Debian's ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
"$CHROMIUM" --version
"$FIREFOX" --version
