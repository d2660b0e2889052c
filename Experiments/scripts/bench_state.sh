#!/usr/bin/env bash
# Restoring a saved state against the warm start it replaces (issue 25,
# item 9): one replicate of HOUSEHOLDS (default 10,000,000) households of
# the baseline run for one week three ways: straight (set-up, 52-week
# burn-in, the week), saving the state after week 0, and continuing from
# that state (set-up without the burn-in, the read, the week). Prints the
# seconds, the state file's bytes a household and checks that the
# continued run wrote the straight run's bytes.
#
#   bash Experiments/scripts/bench_state.sh .build/release/retailsim [HOUSEHOLDS]
set -euo pipefail
binary=$(realpath "$1")
households=${2:-10000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
common=(--households "$households" --weeks 1 --quiet)
straight=$(seconds "$binary" run "${common[@]}" --out "$work/straight")
saving=$(seconds "$binary" run "${common[@]}" --out "$work/saving" --save-state "0:$work/w0.state")
restored=$(seconds "$binary" run --from-state "$work/w0.state" --quiet --out "$work/restored")
bytes=$(stat -c %s "$work/w0.state")
for f in weekly.csv members.csv retailers.csv waits.csv regions.csv summary.json; do
    cmp -s "$work/straight/$f" "$work/restored/$f" || { echo "bench_state: $f differs between the straight and the restored run" >&2; exit 1; }
done
printf 'households %d: straight %.1f s (set-up, burn-in, 1 week); saving after week 0 %.1f s; restored %.1f s (set-up, read, 1 week)\n' \
    "$households" "$straight" "$saving" "$restored"
awk -v b="$bytes" -v n="$households" 'BEGIN { printf "state file %.2f GB, %.1f bytes a household; the whole US (131,000,000 households) %.2f GiB\n", b / 1e9, b / n, b / n * 131e6 / 2^30 }'
echo "restored run = straight run, byte for byte"
