#!/usr/bin/env bash
# The README's sharding recipes, executed: GNU parallel and a Slurm array job (on a one-node
# cluster started here by local_slurm.sh) each sweep examples/cluster_sweep.json in 4 shards, and
# the merge must equal the unsharded run byte for byte (same_result.py). Then the failure paths:
# an array task that fails, the merge naming the missing shard, the resume that re-runs only that
# task, a repeated shard and a shard of another spec. Ends with no Slurm or munge daemon running.
#
#   scripts/cluster/ci_cluster_test.sh BUILD_DIR     (BUILD_DIR holds a built `lpdla`)
#
# Runs as root (local_slurm.sh needs it). Prints one line per check and a closing
# "cluster: N passed, M failed"; exits non-zero when any check failed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ "${1:-}" != "--slurm-checks" ]; then
    (($# == 1)) || { echo "usage: $0 BUILD_DIR" >&2; exit 1; }
    build="$(cd "$1" && pwd)"
    [ -x "$build/lpdla" ] || { echo "ci_cluster_test: no lpdla in $build" >&2; exit 1; }
    "$here/ensure_packages.sh" parallel
fi

# ---- shared by both halves: the work directory carries the results file between them ----
pass() { echo "ok   - $1"; echo "ok" >>"$WORK/checks"; }
fail() { echo "FAIL - $1" >&2; echo "fail" >>"$WORK/checks"; }
# check NAME COMMAND...: runs COMMAND, records the outcome, never stops the script.
check() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}
same() { python3 "$here/same_result.py" "$1" "$2"; }
# expect_refusal OUT_LOG TEXT COMMAND...: COMMAND exits 2 and its stderr contains TEXT.
expect_refusal() {
    local log=$1 text=$2 status=0
    shift 2
    "$@" 2>"$log" >/dev/null || status=$?
    if [ "$status" -ne 2 ]; then
        echo "  exit $status, expected 2: $(cat "$log")" >&2
        return 1
    fi
    grep -qF -- "$text" "$log" || { echo "  stderr lacks '$text': $(cat "$log")" >&2; return 1; }
}

# ---- the Slurm half, run inside local_slurm.sh (SLURM_CONF set) ----
if [ "${1:-}" = "--slurm-checks" ]; then
    WORK=$2
    cd "$WORK"
    # wait_jobs ID...: until none is pending or running (bounded: 180 s).
    wait_jobs() {
        local ids
        ids=$(IFS=,; echo "$*")
        local queued
        for _ in $(seq 360); do
            # A failing squeue (slurmctld gone) is not an empty queue.
            if queued=$(squeue --noheader --jobs="$ids" --format=%i) && [ -z "$queued" ]; then
                return 0
            fi
            sleep 0.5
        done
        echo "  jobs $ids still queued after 180 s:" >&2
        squeue --jobs="$ids" >&2 || true
        return 1
    }
    # states ID: "task state" per array task (or "N/A state" for a plain job), kept by
    # slurmctld for MinJobAge after the end.
    states() { squeue --noheader --states=all --jobs="$1" --format="%K %T" | sort; }
    # submit: runs the shipped submit script, returns "ARRAY_ID MERGE_ID".
    submit() {
        local line
        line=$("$here/submit_sweep.sh" "$@")
        echo "  $line" >&2
        [[ "$line" =~ ^array\ job\ ([0-9]+),\ merge\ job\ ([0-9]+)$ ]] || return 1
        echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
    }

    failed_before=$(grep -c '^fail$' checks || true)
    # 1. The recipe as shipped, N = 4.
    start=$(date +%s)
    read -r array merge < <(submit "$SPEC" 4 slurm)
    wait_jobs "$array" "$merge"
    echo "  slurm: 4 shards + merge in $(($(date +%s) - start)) s" >&2
    check "slurm: every array task and the merge completed" \
        test "$(states "$array" | awk '{print $2}' | sort -u)$(states "$merge" | awk '{print $2}')" \
        = "COMPLETEDCOMPLETED"
    check "slurm: 4 shard files, one per task" \
        test "$(ls slurm/shard_{0,1,2,3}.json 2>/dev/null | wc -l)" -eq 4
    check "slurm: the merged result equals the unsharded run" same slurm/result.json reference.json

    # 2. Task 2 fails (an lpdla that exits 1 for that shard, first on the jobs' PATH): the
    # merge must not run, and merging what is there names the missing shard.
    mkdir -p failing-bin
    cat >failing-bin/lpdla <<WRAPPER
#!/bin/sh
case " \$* " in *" --shard 2/4 "*) echo "injected failure of shard 2/4" >&2; exit 1 ;; esac
exec "$BUILD/lpdla" "\$@"
WRAPPER
    chmod +x failing-bin/lpdla
    read -r array merge < <(PATH="$WORK/failing-bin:$PATH" submit "$SPEC" 4 resume)
    wait_jobs "$array" "$merge"
    echo "  states: $(states "$array" | tr '\n' ' ')| merge $(states "$merge")" >&2
    check "slurm: the failed task is FAILED, the others COMPLETED" \
        test "$(states "$array" | tr '\n' ' ')" = "0 COMPLETED 1 COMPLETED 2 FAILED 3 COMPLETED "
    check "slurm: the afterok merge did not run (no result.json)" \
        test "$(states "$merge" | awk '{print $2}')" = "CANCELLED" -a ! -e resume/result.json
    check "merge of the surviving shards exits 2 naming shard 2/4" \
        expect_refusal missing.log "shard 2/4 is missing" lpdla merge resume/shard_*.json
    # The resume: the same submission with ARRAY set to the index the merge named.
    read -r array merge < <(ARRAY=2 submit "$SPEC" 4 resume)
    wait_jobs "$array" "$merge"
    check "slurm: re-running task 2 alone then the merge gives the full result" \
        same resume/result.json reference.json
    # Non-zero when a check here failed, so local_slurm.sh prints the daemon logs.
    (($(grep -c '^fail$' checks || true) == failed_before))
    exit
fi

# ---- the outer half ----
WORK="$(mktemp -d /tmp/lpdla-cluster-test.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export WORK BUILD="$build" PATH="$build:$PATH"
export SPEC="$repo/examples/cluster_sweep.json"
cd "$WORK"
: >checks
t0=$(date +%s)

# The README shows the shipped job scripts exactly, and its GNU parallel recipe is run verbatim.
if python3 - "$repo/README.md" "$here" <<'PY' >readme.log 2>&1
import pathlib, re, sys
readme, here = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2])
section = readme.split("## Sweeps at scale", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"```[a-z]*\n(.*?)```", section, re.S)
for name in ("sweep_array.sbatch", "submit_sweep.sh"):
    if (here / name).read_text() not in blocks:
        sys.exit(f"README 'Sweeps at scale' does not show scripts/cluster/{name} exactly")
recipes = [b for b in blocks if "| parallel" in b]
if len(recipes) != 1:
    sys.exit(f"README 'Sweeps at scale': {len(recipes)} GNU parallel recipes, expected 1")
pathlib.Path("parallel_recipe.sh").write_text(recipes[0])
PY
then :; fi
check "README shows sweep_array.sbatch and submit_sweep.sh as shipped" \
    bash -c 'cat readme.log >&2; [ ! -s readme.log ]'

start=$(date +%s)
lpdla sweep --spec "$SPEC" --quiet --json --out reference.json
echo "  unsharded sweep: $(($(date +%s) - start)) s on $(nproc) threads" >&2
configs=$(python3 -c 'import json; print(json.load(open("reference.json"))["counts"]["configs"])')
check "the spec has at least 1 M configurations ($configs, counted by lpdla)" \
    test "$configs" -ge 1000000

start=$(date +%s)
check "GNU parallel recipe from the README ran, N=4" \
    env N=4 OUT="$WORK/parallel" bash -euo pipefail parallel_recipe.sh
echo "  GNU parallel recipe, N=4: $(($(date +%s) - start)) s" >&2
check "GNU parallel recipe: the merged result equals the unsharded run" \
    same parallel/result.json reference.json

# Refusals at the command line, on the parallel run's shards.
check "merge with a repeated shard exits 2 naming the shard" \
    expect_refusal repeated.log "shard 1/4 is given twice" \
    lpdla merge parallel/shard_0.json parallel/shard_1.json parallel/shard_1.json \
    parallel/shard_2.json parallel/shard_3.json
lpdla sweep --spec "$SPEC" --lanes 1 --quiet --shard 3/4 --json --out other_shard_3.json
check "merge with a shard of another spec exits 2 naming the differing key" \
    expect_refusal foreign.log 'differ in "lanes"' \
    lpdla merge parallel/shard_0.json parallel/shard_1.json parallel/shard_2.json \
    other_shard_3.json

status=0
"$here/local_slurm.sh" "$here/$(basename "$0")" --slurm-checks "$WORK" || status=$?
check "the Slurm half exited 0 (its checks passed, its cluster came up)" test "$status" -eq 0

# Every state but Z: a zombie (exited, not yet reaped by its parent) is no daemon left running.
left=""
for daemon in munged slurmctld slurmd slurmstepd; do
    left+=$(pgrep --runstates D,R,S,T,t,I --exact --list-name "$daemon" || true)
done
check "no munged, slurmctld, slurmd or slurmstepd left running (pgrep)" test -z "$left"
[ -z "$left" ] || echo "  still running: $left" >&2

passed=$(grep -c '^ok$' checks || true)
failed=$(grep -c '^fail$' checks || true)
echo "  took $(($(date +%s) - t0)) s" >&2
echo "cluster: $passed passed, $failed failed"
((failed == 0))
