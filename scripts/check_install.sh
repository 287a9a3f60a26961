#!/usr/bin/env bash
# Installs lpdla from an existing build into a temporary prefix and builds the example program
# against it with find_package(lpdla), then runs it on the installed data.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$root/examples/consumer" -B "$prefix/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/consumer-build" -j"$(nproc)" >/dev/null
"$prefix/consumer-build/estimate_example" "$prefix/share/lpdla"
"$prefix/bin/lpdla" --data-dir "$prefix/share/lpdla" devices >/dev/null
echo "install check: find_package(lpdla) consumer built and ran"
