#!/usr/bin/env bash
# The posterior (issue 26; docs/REPRODUCE.md, "The posterior"): the
# Bayesian calibration of the built-in baseline over the priors of
# Experiments/targets/us-priors.toml, on the levels, responses and history,
# at the committed point fit's size (20,000 households, one replicate an
# evaluation), into Results/posterior-us-2024. About 45 minutes on 2 cores
# (776 runs, then the emulators and the chains).
# Run again, it resumes from the waves' shard records when they are there
# (they are not committed: a fresh clone re-makes every run).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${RETAILSIM:-.build/release/retailsim}
out=Results/posterior-us-2024
mkdir -p "$out"
"$bin" calibrate --posterior --fit-shoppers 20000 --fit-replicates 1 --out "$out" --quiet > "$out/posterior.txt.partial"
mv "$out/posterior.txt.partial" "$out/posterior.txt"
# The shard records and the per-point summaries are the waves' working
# files; each wave's results.csv keeps every run.
rm -rf "$out"/wave-*/shards "$out"/wave-*/summary.csv
