#!/usr/bin/env bash
# Parameter recovery (issue 26, item 4; docs/REPRODUCE.md, "Parameter
# recovery"): 40 truths drawn from the priors of
# Experiments/targets/us-priors.toml, each run and recovered on the
# posterior's first wave (its 466 runs of 20,000 households and their
# emulators), into Results/posterior-us-2024 beside the posterior it
# checks: recovery.csv, ranks.csv, pins.csv, recovery.json, recovery.txt
# and truths/. After posterior.sh (whose shard records it reuses when they
# are there) about 40 minutes on 2 cores; alone it runs wave 1 again too.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${RETAILSIM:-.build/release/retailsim}
out=Results/posterior-us-2024
mkdir -p "$out"
"$bin" calibrate --recover 40 --fit-shoppers 20000 --fit-replicates 1 --chain-steps 2000 --out "$out" --quiet > "$out/recovery.txt.partial"
mv "$out/recovery.txt.partial" "$out/recovery.txt"
# The shard records and the per-point summaries are the sweeps' working files; results.csv keeps every run.
rm -rf "$out"/wave-*/shards "$out"/truths/shards "$out"/wave-*/summary.csv "$out"/truths/summary.csv
