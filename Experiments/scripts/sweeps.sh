#!/usr/bin/env bash
# Makes the committed sweep results (see Results/README.md), each folder with
# the printed table as sweep.txt. Run from anywhere: bash Experiments/scripts/sweeps.sh
# About 5 minutes on 2 cores; the plot needs matplotlib (requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
make build
bin=.build/release/retailsim

# The README's grid: Prime fee x hub conversions, 10 replicates, full baseline scale.
rm -rf Results/sweep-fee-x-hubs
mkdir -p Results
$bin sweep Experiments/scenarios/baseline.toml \
    --vary amazon.prime.monthlyFee=9.99:19.99:5 --vary walmart.strategy.hubsPerQuarter=0,40,80 \
    --replicates 10 --out Results/sweep-fee-x-hubs --quiet > Results/sweep-fee-x-hubs.txt
mv Results/sweep-fee-x-hubs.txt Results/sweep-fee-x-hubs/sweep.txt

# Global sensitivity of the online shares to both prices and word of mouth.
rm -rf Results/sensitivity-prices
# Prices as swept: the Amazon-like price rule is fixed, so the swept index is the price (match would move it).
$bin sweep --design sobol:256 --vary amazon.priceIndex=0.92:1.08 --vary walmart.priceIndex=0.9:1.1 \
    --vary membership.imitation=0:0.1 --set amazon.strategy.pricing=fixed --shoppers 20000 --weeks 52 \
    --out Results/sensitivity-prices --quiet > Results/sensitivity-prices.txt
mv Results/sensitivity-prices.txt Results/sensitivity-prices/sweep.txt
for metric in amazonShareOfOnline walmartShareOfOnline primeShare; do
    $bin sensitivity Results/sensitivity-prices --metric $metric >> Results/sensitivity-prices/sensitivity.txt
    echo >> Results/sensitivity-prices/sensitivity.txt
done

# The Python example: Prime membership against the Prime fee, with its plot.
rm -rf Results/sweep-prime-fee
python3 Experiments/scripts/sweep_plot.py --vary amazon.prime.monthlyFee=7.99:21.99:8 --metric primeShare \
    --replicates 5 --out Results/sweep-prime-fee -- --shoppers 50000 --weeks 104 > Results/sweep-prime-fee.txt
mv Results/sweep-prime-fee.txt Results/sweep-prime-fee/sweep.txt
cat Results/*/sweep.txt Results/sensitivity-prices/sensitivity.txt

# README's sweep example is the grid's printed table (DocumentationTests checks it).
python3 - <<'PY'
readme = open("README.md").read()
table = open("Results/sweep-fee-x-hubs/sweep.txt").read().replace("Results/sweep-fee-x-hubs", "sweeps/fee-x-hubs").rstrip("\n")
start = readme.index("```\nRetailSim ", readme.index("· sweep sweeps/fee-x-hubs") - 40)
end = readme.index("```", start + 3)
open("README.md", "w").write(readme[:start] + "```\n" + table + "\n" + readme[end:])
PY
