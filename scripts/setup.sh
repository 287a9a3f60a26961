#!/usr/bin/env bash
# Installs the Debian packages lpdla builds, tests and runs kernels with; a no-op when present.
set -euo pipefail
pkgs=(build-essential cmake nlohmann-json3-dev libfmt-dev libeigen3-dev libcli11-dev libgtest-dev
      ocl-icd-opencl-dev opencl-headers pocl-opencl-icd yosys
      pybind11-dev python3-pybind11 python3-dev python3-pytest
      libonnx-dev libprotobuf-dev libonnx-testdata python3-onnx
      clang chromium)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
