#!/usr/bin/env bash
# A one-node Slurm cluster on this machine for as long as one command runs:
#
#   scripts/cluster/local_slurm.sh COMMAND [ARG...]
#
# Installs Debian's Slurm (slurm-wlm) and munge when missing, writes a slurm.conf for this host
# (one node with the machine's CPUs and memory, state, spool and logs in a temporary directory),
# starts munged, slurmctld and slurmd directly (CI has no systemd), waits until the node is idle,
# then runs COMMAND with SLURM_CONF exported, so sbatch/squeue/sacct talk to this cluster. On exit,
# whatever happened, a trap stops every daemon it started and removes the directory; the exit
# status is COMMAND's. When the node does not come up within LPDLA_SLURM_TIMEOUT_S seconds (60),
# the daemon logs are printed and the status is 1.
#
# Runs as root (as CI does): slurmd must be root to start jobs as their owner. The ports are
# LPDLA_SLURM_PORT (6817) and the next one, so a second cluster can run beside a first one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
(($# > 0)) || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "local_slurm: must run as root (slurmd starts jobs)" >&2; exit 1; }

"$here/ensure_packages.sh" slurm-wlm munge

timeout_s="${LPDLA_SLURM_TIMEOUT_S:-60}"
port="${LPDLA_SLURM_PORT:-6817}"
dir="$(mktemp -d /tmp/lpdla-slurm.XXXXXX)"
# munged refuses a socket in a directory that others cannot traverse.
chmod 755 "$dir"
mkdir -p "$dir/state" "$dir/spool"
pids=()

show_logs() {
    for log in "$dir"/*.log; do
        [ -f "$log" ] || continue
        echo "---- $(basename "$log")" >&2
        tail -n 40 "$log" >&2
    done
}

teardown() {
    local status=$?
    trap - EXIT INT TERM
    # Jobs first: a step whose slurmd is gone would run on, orphaned. Bounded wait for them to end.
    if [ -n "${SLURM_CONF:-}" ] && ((${#pids[@]} >= 2)); then
        scancel --quiet --full --user=root >/dev/null 2>&1 || true
        for _ in $(seq 100); do
            [ -z "$(squeue --noheader --format=%i 2>/dev/null)" ] && break
            sleep 0.1
        done
    fi
    local pid i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "local_slurm: pid $pid ignored SIGTERM for 5 s; killing it" >&2
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$dir"
    exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The daemons write their pid files after forking; wait for one to appear (bounded).
pid_from() {
    for _ in $(seq 100); do
        if [ -s "$1" ]; then cat "$1"; return 0; fi
        sleep 0.1
    done
    echo "local_slurm: $1 did not appear" >&2
    return 1
}

mungekey --create --keyfile="$dir/munge.key" --bits=1024
munged --socket="$dir/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"
pids+=("$(pid_from "$dir/munged.pid")")

host="$(hostname -s)"
# slurmd -C reports this machine's sockets, cores, threads and memory as Slurm will see them: a
# node configured with more than that would be drained at registration.
node="$(slurmd -C | head -n 1)"
node="${node#NodeName=* }"
cat >"$dir/slurm.conf" <<CONF
ClusterName=lpdla-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# A job whose dependency can no longer be met (afterok on a failed task) is cancelled, not left
# pending forever.
DependencyParameters=kill_invalid_depend
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -f "$SLURM_CONF"
pids+=("$(pid_from "$dir/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
pids+=("$(pid_from "$dir/slurmd.pid")")

state=""
for ((t = 0; t < timeout_s * 2; t++)); do
    state="$(sinfo --noheader --nodes="$host" --format=%T 2>/dev/null || true)"
    [ "$state" = "idle" ] && break
    sleep 0.5
done
if [ "$state" != "idle" ]; then
    echo "local_slurm: node $host is '${state:-unknown}', not idle, after ${timeout_s} s" >&2
    show_logs
    exit 1
fi
echo "local_slurm: node $host idle ($node); SLURM_CONF=$SLURM_CONF" >&2

set +e
"$@"
status=$?
set -e
if ((status != 0)); then show_logs; fi
exit "$status"
