#!/usr/bin/env bash
# Makes Results/baseline: the built-in baseline, 5 replicates, seed 1.
# Run from the repository root: bash Experiments/scripts/baseline.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
make build
.build/release/retailsim run --replicates 5 --seed 1 --out Results/baseline --quiet | tee Results/baseline/summary.txt.tmp
mv Results/baseline/summary.txt.tmp Results/baseline/summary.txt
