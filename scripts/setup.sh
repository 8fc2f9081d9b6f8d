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
# The versions the tests were written against: Chromium 156 (a headless permission prompt closes
# the action popup, as test/e2e/enable-site.test.ts expects) and Firefox ESR 153 (its privileged
# scope over WebDriver BiDi, test/firefox/harness.ts). A machine whose package lists predate them
# has older ones: those are brought up to date. A browser given by path is left as it is.
CHROMIUM_TESTED_MAJOR=156
FIREFOX_TESTED_MAJOR=153
missing=()
# Adds the Debian package $1 when browser $2 is missing, or older than major version $3 (and $4,
# the variable naming it, is unset).
need() {
  if [[ ! -x "$2" ]]; then
    missing+=("$1")
  elif [[ -z "${!4:-}" ]]; then
    local major
    major=$("$2" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
    if (( major < $3 )); then missing+=("$1"); fi
  fi
}
need chromium "$CHROMIUM" "$CHROMIUM_TESTED_MAJOR" CHROMIUM_PATH
need firefox-esr "$FIREFOX" "$FIREFOX_TESTED_MAJOR" FIREFOX_PATH
if [[ ! -x "$CHROMIUM" ]]; then missing+=(fonts-dejavu-core); fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing Debian's ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
"$CHROMIUM" --version
"$FIREFOX" --version
