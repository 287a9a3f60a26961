#!/usr/bin/env bash
# The install as a user meets it: installs an existing build into a temporary prefix, MOVES the
# prefix elsewhere (so neither the configured prefix nor the staging path exists), and with no
# LPDLA_DATA_DIR: builds examples/ as an outside project with find_package(lpdla 0.1) and runs it
# (an estimate, and a convolution on the OpenCL platform checked against the reference), builds
# and runs the minimal C++ and Python examples of docs/LIBRARY.md, runs the installed CLI, and,
# when the build has -DLPDLA_PYTHON=ON, the Python tests and examples/sweep_plot.py against the
# moved prefix. Every lookup must find the data in the moved prefix, not the source tree.
#   scripts/check_install.sh [build-dir]     LPDLA_REQUIRE_PYTHON=1: fail if the module is absent
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
python="${LPDLA_PYTHON_EXE:-/usr/bin/python3}"
unset LPDLA_DATA_DIR
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/staged" >/dev/null
mv "$work/staged" "$work/moved"
prefix="$work/moved"
data="$prefix/share/lpdla"
fail() { echo "install check: FAILED: $*" >&2; exit 1; }

# The minimal examples of docs/LIBRARY.md, extracted from the document so they cannot drift.
extract() { # $1 = fence language, $2 = heading the block follows
    awk -v lang="$1" -v head="$2" '
        index($0, head) == 1 { armed = 1; next }
        armed && $0 == "```" lang { inside = 1; next }
        inside && $0 == "```" { exit }
        inside { print }' "$root/docs/LIBRARY.md"
}
extract cpp "## Minimal C++ example" >"$work/library_minimal.cpp"
extract python "## Minimal Python example" >"$work/library_minimal.py"
[ -s "$work/library_minimal.cpp" ] && [ -s "$work/library_minimal.py" ] ||
    fail "docs/LIBRARY.md has no minimal C++ / Python example block"

cmake -S "$root/examples/consumer" -B "$work/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DLPDLA_DOC_EXAMPLE="$work/library_minimal.cpp" >/dev/null
cmake --build "$work/consumer-build" -j"$(nproc)" >/dev/null

out="$("$work/consumer-build/estimate_example")"
head -3 <<<"$out" | sed "s/^/  estimate_example: /"
grep -q "device from $data/devices/" <<<"$out" || fail "estimate_example did not read $data"
"$work/consumer-build/library_minimal" | sed 's/^/  LIBRARY.md C++: /'
if [ -x "$work/consumer-build/kernel_check_example" ]; then
    "$work/consumer-build/kernel_check_example" | sed 's/^/  kernel_check_example: /'
fi

# Outputs are captured before grep: with pipefail, `lpdla ... | grep -q` fails at random when grep
# exits on its match while lpdla is still writing (EPIPE, exit 4), as CI saw once.
version="$("$prefix/bin/lpdla" --version)"
grep -qx "lpdla [0-9.]*" <<<"$version" || fail "lpdla --version printed '$version'"
"$prefix/bin/lpdla" devices >/dev/null
estimate_json="$("$prefix/bin/lpdla" estimate --device arria10_gx1150 --network alexnet --json)"
grep -q "\"$data/devices/arria10_gx1150.json\"" <<<"$estimate_json" || fail "the CLI did not read $data"

pydir="$(dirname "$(dirname "$(find "$prefix" -path '*/lpdla/__init__.py' | head -1)")")"
if [ "$pydir" != "." ] && [ -d "$pydir" ]; then
    export PYTHONPATH="$pydir"
    LPDLA_TEST_PREFIX="$prefix" LPDLA_CLI="$prefix/bin/lpdla" \
        "$python" -m pytest -q -p no:cacheprovider "$root/tests/python" >"$work/pytest.log" 2>&1 ||
        { cat "$work/pytest.log"; fail "Python tests"; }
    tail -1 "$work/pytest.log" | sed 's/^/  pytest: /'
    "$python" "$work/library_minimal.py" | sed 's/^/  LIBRARY.md Python: /'
    (cd "$work" && "$python" "$root/examples/sweep_plot.py" "$work/front.png" | sed -n '1p;$p' |
        sed 's/^/  sweep_plot.py: /')
elif [ "${LPDLA_REQUIRE_PYTHON:-0}" = 1 ]; then
    fail "no Python module installed (configure with -DLPDLA_PYTHON=ON)"
else
    echo "  python: skipped (the build has no -DLPDLA_PYTHON=ON)"
fi
echo "install check: moved prefix, no LPDLA_DATA_DIR: consumer, kernels, CLI and Python passed"
