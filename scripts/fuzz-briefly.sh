#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a short time (FUZZ_SECONDS, default 20),
# so a parser that panics on some input fails CI. scripts/test.sh calls it; for a
# long session run one target by hand (README, "Fuzzing").
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-20}"
# cargo-fuzz passes nightly-only flags; the stable toolchain accepts them with this.
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install --locked --quiet cargo-fuzz
# No sanitizer: the workspace forbids unsafe code, so what fuzzing finds is panics
# and hangs, and an uninstrumented build is faster to build and to run.
cargo fuzz build -O -s none
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  printf '  %s: ' "$target"
  # seeds/<target> (committed) holds valid inputs to start from, where a target has them.
  seeds=()
  [ -d "seeds/$target" ] && seeds=("seeds/$target")
  cargo fuzz run -O -s none "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 2>&1 | tail -n 1
done
