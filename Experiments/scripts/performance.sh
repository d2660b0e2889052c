#!/usr/bin/env bash
# Makes Results/performance/: bench.jsonl (one `retailsim bench` line a case)
# and table.md, the table docs/PERFORMANCE.md shows. Run from the repository
# root after `make build` (make bench-scale does both); about 5 minutes on
# 2 cores, most of it the whole country: every US household (131 million).
set -euo pipefail
bin=.build/release/retailsim
out=Results/performance
mkdir -p "$out"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for n in 1000000 10000000 100000000; do
  for t in 1 2; do
    "$bin" bench --households "$n" --weeks 52 --threads "$t" | tee -a "$tmp"
  done
done
"$bin" bench --households 131000000 --weeks 52 --threads 2 | tee -a "$tmp"
mv "$tmp" "$out/bench.jsonl"
trap - EXIT
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
rows = [json.loads(line) for line in open(f"{out}/bench.jsonl")]
lines = ["| households | threads | household-weeks per second | set-up seconds | loop seconds | set-up share | peak memory (GiB) | peak bytes per household | state bytes per household |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    lines.append(f"| {r['households']:,} | {r['threads']} | {r['householdWeeksPerSecond'] / 1e6:.1f} M | {r['setupSeconds']:.2f} | "
                 f"{r['loopSeconds']:.1f} | {100 * r['setupShareOfRun']:.1f} % | {r['peakMemoryBytes'] / 2**30:.2f} | "
                 f"{r['peakBytesPerHousehold']:.1f} | {r['stateBytesPerHousehold']} |")
v = rows[0]["version"]
lines.append("")
lines.append(f"Version {v}, 52 weeks of the built-in baseline (the real country), `bash Experiments/scripts/performance.sh` (`make bench-scale`).")
open(f"{out}/table.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
