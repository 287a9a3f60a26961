#!/usr/bin/env bash
# The main job: install missing packages, build if needed, run the default sweep and print the
# best configuration per device, network and precision. Extra arguments go to `lpdla sweep`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
"$root/scripts/setup.sh"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target lpdla_cli >/dev/null
cd "$root"
if "$build/lpdla" sweep --help >/dev/null 2>&1; then
    exec "$build/lpdla" sweep --spec examples/default_sweep.json "$@"
fi
exec "$build/lpdla" estimate --device arria10_gx1150 --network alexnet --act-bits 2 \
    --weights ternary --k-vec 64 --c-vec 32 --q-vec 4 "$@"
