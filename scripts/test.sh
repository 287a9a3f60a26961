#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds with warnings as errors, runs ctest.
#   scripts/test.sh                 build in build/ and test
#   LPDLA_SANITIZE=1 scripts/test.sh build-asan   the same under ASan + UBSan
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/scripts/setup.sh"
sanitize="${LPDLA_SANITIZE:-0}"
build_type=Release
[ "$sanitize" = 1 ] && build_type=RelWithDebInfo
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="$build_type" -DLPDLA_WERROR=ON \
      -DLPDLA_SANITIZE="$([ "$sanitize" = 1 ] && echo ON || echo OFF)" >/dev/null
cmake --build "$build" -j"$(nproc)"
if [ "$sanitize" = 1 ]; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
fi
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 600
