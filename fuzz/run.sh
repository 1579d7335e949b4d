#!/usr/bin/env bash
# Runs every fuzz target one after another, SECONDS_EACH seconds each (default 600), one job,
# with the stable toolchain (RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's nightly flags).
# Crashes, timeouts and OOMs are kept in fuzz/artifacts/<target>/ and the run goes on.
# Logs: fuzz/logs/<target>.log. Needs `cargo install cargo-fuzz` and ./seed.sh first.
set -uo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
seconds="${SECONDS_EACH:-600}"
targets=("${@:-spec_bytes spec_mutate event_delivery error_body model_json}")
mkdir -p logs
cargo fuzz build -s none -a || exit 1
for target in ${targets[*]}; do
  echo "== $target for ${seconds}s"
  cargo fuzz run "$target" -s none -a -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -fork=1 -ignore_crashes=1 \
    -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1 >"logs/$target${LOG_SUFFIX:-}.log" 2>&1
  echo "   exit $?; $(grep -E '^#[0-9]+' "logs/$target${LOG_SUFFIX:-}.log" | tail -n 1)"
done
