#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, clang, ASan + UBSan) and runs each for a short,
# bounded time from a seed corpus of the shipped files plus the regression corpus. Fails when a
# harness finds a crash, a leak, a sanitizer report or a hang; the input is left under
# <build>/fuzz-artifacts/ for tests/fuzz/regression/<format>/ (docs/FUZZING.md).
#   scripts/fuzz_smoke.sh [build-dir]     LPDLA_FUZZ_SECONDS=N per harness (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
secs=${LPDLA_FUZZ_SECONDS:-20}
jobs=${LPDLA_FUZZ_BUILD_JOBS:-$(nproc)}
formats=(device network config sweep_spec axis accuracy result cases)

CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLPDLA_FUZZ=ON \
    -DLPDLA_BUILD_TESTS=OFF -DLPDLA_WITH_OPENCL=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target lpdla_fuzzers

# Seeds: the shipped files of each format, the committed seeds and every regression input.
corpus="$build/fuzz-corpus"
rm -rf "$corpus"
for f in "${formats[@]}"; do mkdir -p "$corpus/$f"; done
cp devices/*.json "$corpus/device/"
cp networks/*.json "$corpus/network/"
cp examples/*.json "$corpus/sweep_spec/"
cp validation/cases.json "$corpus/cases/"
for f in "${formats[@]}"; do
    for d in tests/fuzz/seeds/$f tests/fuzz/regression/$f; do
        [ -d "$d" ] && find "$d" -type f -exec cp {} "$corpus/$f/" \;
    done
done

mkdir -p "$build/fuzz-artifacts"
status=0
for f in "${formats[@]}"; do
    echo "== fuzz_$f: ${secs}s"
    log="$build/fuzz-artifacts/$f.log"
    # -timeout: any single input slower than 10 s is a hang; -rss_limit_mb bounds memory.
    if ! "$build/tests/fuzz/fuzz_$f" -max_total_time="$secs" -max_len=32768 -timeout=10 \
        -rss_limit_mb=2048 -dict=tests/fuzz/lpdla.dict -print_final_stats=1 \
        -artifact_prefix="$build/fuzz-artifacts/$f-" "$corpus/$f" >"$log" 2>&1; then
        echo "fuzz_$f FAILED; input and report under $build/fuzz-artifacts/ ($log):" >&2
        tail -40 "$log" >&2
        status=1
    fi
    grep -E '^#[0-9]+.*DONE' "$log" | tail -1 || true
done
exit $status
