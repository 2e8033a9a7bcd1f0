#!/usr/bin/env bash
# Builds and serves the sample directory on http://127.0.0.1:1111/.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -- serve "$@"
