#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests, then the browser tests
# when their suite is present. Installs what is missing on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-nextest >/dev/null 2>&1; then
  cargo install --locked cargo-nextest
fi
cargo build --locked --all-targets
cargo nextest run --locked --no-fail-fast

if [ -x tests/browser/run.sh ]; then
  tests/browser/run.sh
fi
