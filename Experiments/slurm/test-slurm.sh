#!/usr/bin/env bash
# make test-slurm: a real one-node Slurm cluster on this machine (slurmctld and
# slurmd on loopback, munge for authentication), a small sweep submitted as an
# array job through Experiments/slurm/sweep.sbatch, merged, and checked byte
# for byte against the same sweep run unsharded. The cluster is shut down on
# exit, pass or fail. Needs root (it starts daemons); installs slurm-wlm and
# munge from Debian's packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=$root/.build/release/retailsim
shards=4

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    echo "test-slurm: installing slurm-wlm and munge from Debian's packages"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi

work=$(mktemp -d /tmp/retailsim-slurm.XXXXXX)
chmod 755 "$work"
host=$(hostname -s)
export SLURM_CONF=$work/slurm.conf

cleanup() {
    set +e
    scontrol shutdown >/dev/null 2>&1
    sleep 1
    for f in slurmd slurmctld munge/munged; do
        [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null
    done
    sleep 0.5
    for f in slurmd slurmctld munge/munged; do
        [ -f "$work/$f.pid" ] && kill -9 "$(cat "$work/$f.pid")" 2>/dev/null
    done
    if [ "${keep:-0}" = 1 ]; then echo "test-slurm: logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
    echo "test-slurm: FAIL: $*" >&2
    for log in slurmctld.log slurmd.log munge/munged.log; do
        [ -f "$work/$log" ] && { echo "--- $log (last lines)"; tail -n 20 "$work/$log"; } >&2
    done
    keep=1
    exit 1
}

# munge: a key of this test's own, a daemon of its own on a socket of its own.
mkdir -p "$work/munge"
chown munge:munge "$work/munge" 2>/dev/null || true
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$work/munge/munge.key" 2>/dev/null || true
chmod 400 "$work/munge/munge.key"
socket=$work/munge/munge.socket
munge_as=()
id munge >/dev/null 2>&1 && munge_as=(runuser -u munge --)
"${munge_as[@]}" munged --key-file="$work/munge/munge.key" --socket="$socket" \
    --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/munge.seed" --force \
    || fail "munged did not start"

cat > "$SLURM_CONF" <<CONF
ClusterName=retailsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mkdir -p "$work/state" "$work/spool"

slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 1 60); do
    sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
    sleep 1
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || fail "the node did not come up: $(sinfo 2>&1)"
echo "test-slurm: one-node cluster up ($host on 127.0.0.1)"

make build >/dev/null
scenario=(--shoppers 5000 --weeks 20 --set run.warmupWeeks=4 --seed 3 --replicates 3
          --vary amazon.prime.monthlyFee=9.99:19.99:3 --vary walmart.strategy.hubsPerQuarter=0,80)
"$bin" sweep plan "${scenario[@]}" --out "$work/cluster"

# The array job, as a user submits it; the test waits for it to leave the queue.
cd "$work"
job=$(RETAILSIM=$bin sbatch --parsable --export=ALL --array=0-$((shards - 1)) "$root/Experiments/slurm/sweep.sbatch" "$work/cluster") \
    || fail "sbatch refused the job"
echo "test-slurm: submitted array job $job ($shards shards)"
for _ in $(seq 1 300); do
    [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
    sleep 1
done
[ -z "$(squeue -h -j "$job")" ] || fail "job $job still queued after 300 s: $(squeue -j "$job")"
for i in $(seq 0 $((shards - 1))); do
    [ -f "$work/cluster/shards/shard-$i-of-$shards.csv" ] || { cat "$work"/slurm-*.out >&2 || true; fail "shard $i/$shards left no record"; }
done
cd "$root"

"$bin" sweep merge "$work/cluster" >/dev/null || fail "merge refused the cluster's shards"
"$bin" sweep "${scenario[@]}" --out "$work/local" --quiet >/dev/null
cmp "$work/cluster/results.csv" "$work/local/results.csv" || fail "results.csv of the array job differs from the unsharded sweep"
cmp "$work/cluster/summary.csv" "$work/local/summary.csv" || fail "summary.csv differs"
rows=$(($(wc -l < "$work/cluster/results.csv") - 1))
echo "test-slurm: array job of $shards shards merged to $rows runs, byte for byte the unsharded sweep"

# Two posterior waves (issue 26) on the cluster: planned with --plan-only, their
# shards an array job submitted from the repository (the plan names the
# evidence files by their paths from there), then the same command goes on
# to the posterior: byte for byte the one the tool makes alone.
posterior=(calibrate --posterior --priors Tests/Fixtures/two-priors.toml --fit-shoppers 600 --waves 2 --wave-points 8 --candidates 500 --quiet)
for wave in 1 2; do
    "$bin" "${posterior[@]}" --out "$work/posterior-cluster" --plan-only | grep -q "planned wave $wave in" \
        || fail "calibrate --plan-only did not plan wave $wave"
    job=$(RETAILSIM=$bin sbatch --parsable --export=ALL --output="$work/slurm-%A_%a.out" --array=0-$((shards - 1)) \
          "$root/Experiments/slurm/sweep.sbatch" "$work/posterior-cluster/wave-$wave") || fail "sbatch refused the wave's job"
    for _ in $(seq 1 300); do
        [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
        sleep 1
    done
    [ -z "$(squeue -h -j "$job")" ] || fail "wave job $job still queued after 300 s"
    [ -f "$work/posterior-cluster/wave-$wave/shards/shard-0-of-$shards.csv" ] || { cat "$work"/slurm-*.out >&2 || true; fail "wave $wave left no record"; }
done
"$bin" "${posterior[@]}" --out "$work/posterior-cluster" >/dev/null || fail "the posterior after the cluster's waves"
"$bin" "${posterior[@]}" --out "$work/posterior-local" >/dev/null || fail "the posterior made alone"
for f in posterior.csv predictive.csv waves.csv emulators.csv wave-1/results.csv wave-2/results.csv; do
    cmp "$work/posterior-cluster/$f" "$work/posterior-local/$f" || fail "the posterior's $f from the cluster's waves differs"
done
echo "test-slurm: two posterior waves ran as array jobs of $shards shards; the posterior is the one made alone, byte for byte"
echo "slurm: 2 passed, 0 failed"
