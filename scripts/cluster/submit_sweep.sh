#!/usr/bin/env bash
# submit_sweep.sh SPEC N OUT [SBATCH_OPTION...]: N array tasks, then a merge once all succeed.
# Shards: OUT/shard_<i>.json, logs: OUT/logs/, merged: OUT/result.json. Resume: ARRAY=<indices
# named by the failed merge> submit_sweep.sh with the same SPEC N OUT re-runs just those.
set -euo pipefail
spec=$1 n=$2 out=$3
shift 3
mkdir -p "$out/logs"
printf -v q %q "$out" # the merge's shell expands the glob when it runs, after every shard exists
array=$(sbatch --parsable --array="${ARRAY:-0-$((n - 1))}" --output="$out/logs/shard_%a.log" \
    --export=ALL,SPEC="$spec",SHARDS="$n",OUT="$out" "$@" "$(dirname "$0")/sweep_array.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"$array" --job-name=lpdla-merge \
    --output="$out/logs/merge.log" "$@" \
    --wrap="lpdla merge $q/shard_*.json --json --out $q/result.json")
echo "array job $array, merge job $merge"
