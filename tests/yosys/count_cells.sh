#!/usr/bin/env bash
# Synthesises one design of tests/yosys for the Cyclone 10 GX ALM (the Arria 10 ALM) with yosys's
# synth_intel_alm and prints its cell counts as "CELL COUNT" lines (MISTRAL_ALUT_ARITH = one adder
# bit, half an ALM; MISTRAL_ALUTn = one n-input LUT function).
# usage: count_cells.sh FILE.v TOP [PARAM=VALUE ...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
file=$1 top=$2
shift 2
chparam=""
for kv in "$@"; do chparam+=" -set ${kv%%=*} ${kv#*=}"; done
script="read_verilog $here/adders.v $here/$file;"
[ -n "$chparam" ] && script+=" chparam$chparam $top;"
script+=" synth_intel_alm -family cyclone10gx -nodsp -noiopad -noclkbuf -noflatten -top $top;"
script+=" flatten; tee -o /dev/stdout stat"
yosys -q -p "$script" 2>&1 | awk '/MISTRAL_/ { n[$1] = $2 } END { for (c in n) print c, n[c] }'
