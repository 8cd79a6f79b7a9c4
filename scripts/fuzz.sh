#!/usr/bin/env bash
# Feeds generated and mutated inputs to every importer (in-process, release build) and reports
# inputs, ok, errors, errors without a location, panics, hangs and inputs/s. Panicking, hanging
# and unlocated inputs are saved to fuzz-crashes/ with their options.
#
#   scripts/fuzz.sh [COUNT] [SEED]        (default 1000000 inputs, seed 1)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
seed=${2:-1}
cargo build --release --quiet --no-default-features --example fuzz
target=${CARGO_TARGET_DIR:-target}
exec "$target/release/examples/fuzz" "$count" "$seed"
