#!/usr/bin/env bash
# The main job: install missing packages, build if needed, run the default sweep and print the
# best configuration per device, network and precision, draw the Pareto fronts to
# build/default_sweep_fronts.svg and write the HTML report to build/default_sweep_report.html.
# Extra arguments go to `lpdla sweep`.
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
    # The fronts as a plot and the whole answer as an HTML report beside it; a --svg or --html
    # among the arguments overrides these (the last wins).
    svg="$build/default_sweep_fronts.svg"
    html="$build/default_sweep_report.html"
    status=0
    "$build/lpdla" sweep --spec examples/default_sweep.json --svg "$svg" --html "$html" "$@" ||
        status=$?
    if [ "$status" -eq 0 ] && [ -f "$svg" ]; then
        echo "Pareto fronts (area cost vs images/s) drawn to $svg: open it in a browser."
    fi
    if [ "$status" -eq 0 ] && [ -f "$html" ]; then
        echo "HTML report (question, answer, fronts, per-layer cycles, roofline, resources," \
            "assumptions) written to $html: open it in a browser or print it."
    fi
    exit "$status"
fi
exec "$build/lpdla" estimate --device arria10_gx1150 --network alexnet --act-bits 2 \
    --weights ternary --k-vec 64 --c-vec 32 --q-vec 4 "$@"
