#!/usr/bin/env bash
# Browser tests: what residents see, in Debian's headless Chromium.
# Installs what they need (Chromium from Debian when missing, npm packages
# from the lockfile), builds guichet, then runs tests/browser/*.test.mjs,
# which build the sample directory and serve it on a loopback port.
# Screenshots for review land in target/browser-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "run.sh: Debian's chromium is missing (apt-get install chromium)" >&2
    exit 2
  fi
fi
npm ci --no-audit --no-fund --loglevel=error
cargo build --quiet
export GUICHET_BIN="${GUICHET_BIN:-$PWD/target/debug/guichet}"
# One file at a time: the machine has two cores.
node --test --test-concurrency=1 tests/browser/
