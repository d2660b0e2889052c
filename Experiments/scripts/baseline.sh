#!/usr/bin/env bash
# Makes Results/baseline (the built-in baseline, 5 replicates, seed 1) and puts
# its table into README.md's worked example, so both show what the code prints.
# Run from anywhere: bash Experiments/scripts/baseline.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
make build
mkdir -p Results/baseline
.build/release/retailsim run --replicates 5 --seed 1 --out Results/baseline --quiet > Results/baseline/summary.txt.tmp
mv Results/baseline/summary.txt.tmp Results/baseline/summary.txt
cat Results/baseline/summary.txt
python3 - <<'PY'
readme = open("README.md").read()
table = open("Results/baseline/summary.txt").read().replace("Results/baseline", "runs/baseline").rstrip("\n")
start = readme.index("```\nRetailSim ")
end = readme.index("```", start + 3)
open("README.md", "w").write(readme[:start] + "```\n" + table + "\n" + readme[end:])
PY
