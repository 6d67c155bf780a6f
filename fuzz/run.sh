#!/usr/bin/env bash
# Runs the fuzz targets, each for SECONDS (default 300), at most two at once.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (all targets when none is named)
#
# Builds the targets first (release, debug assertions and overflow checks
# on, no sanitizer: the code is safe Rust, and without ASan the fuzzers run
# about twice as fast), seeds fuzz/corpus/ with fuzz/seed.sh when it is
# empty, and stops at the first crash, timeout (10 s per input) or OOM. A
# crashing input is saved under fuzz/artifacts/TARGET/; each run's log is in
# fuzz/logs/TARGET.log. Set PARALLEL=1 to run one target at a time.
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
shift || true
all=(front_matter era_date amount mic_blocks query config)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
parallel=${PARALLEL:-2}
export RUSTC_BOOTSTRAP=1
flags=(--sanitizer none)

[ -n "$(ls -A corpus 2>/dev/null)" ] || ./seed.sh
cargo fuzz build "${flags[@]}"
mkdir -p logs

run_one() {
    local t=$1
    local dirs=("corpus/$t")
    [ -d "regressions/$t" ] && dirs+=("regressions/$t")
    mkdir -p "corpus/$t" "artifacts/$t"
    if cargo fuzz run "${flags[@]}" "$t" "${dirs[@]}" -- \
        -max_total_time="$seconds" -timeout=10 -dict="dict/$t.dict" -print_final_stats=1 \
        >"logs/$t.log" 2>&1; then
        echo "$t: ok, $(grep -m1 -o 'Done [0-9]* runs in [0-9]* second(s)' "logs/$t.log")"
    else
        echo "$t: FAILED, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        grep -m3 -E "panicked|ERROR|SUMMARY" "logs/$t.log" || true
        return 1
    fi
}

status=0
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
exit "$status"
