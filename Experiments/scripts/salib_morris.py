#!/usr/bin/env python3
"""Elementary effects (Morris) of three levers on Amazon's share of online
spend, with a design made by SALib and run by RetailSim as it stands:

    pip install -r Experiments/scripts/requirements.txt
    python3 Experiments/scripts/salib_morris.py --out sweeps/morris -- --shoppers 20000 --weeks 52

SALib writes the points; `retailsim sweep --design points:FILE.csv` runs
exactly those points (with replicates, resume, shards and merge as any sweep);
SALib reads the metric back from the sweep's results.csv. Anything after `--`
goes to `retailsim sweep` (a scenario file, --set, --shoppers ...).
"""
import argparse
import csv
import os
import subprocess
import sys

import numpy as np
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

PROBLEM = {
    "num_vars": 3,
    "names": ["amazon.prime.monthlyFee", "walmart.strategy.hubsPerQuarter", "membership.imitation"],
    "bounds": [[7.99, 21.99], [0, 100], [0.0, 0.1]],
}
INTEGER = {"walmart.strategy.hubsPerQuarter"}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="sweeps/morris")
    parser.add_argument("--trajectories", type=int, default=8)
    parser.add_argument("--metric", default="amazonShareOfOnline")
    parser.add_argument("--replicates", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    ours, extra = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    args = parser.parse_args(ours)
    here = os.path.dirname(os.path.abspath(__file__))
    tool = os.environ.get("RETAILSIM") or os.path.join(here, "..", "..", ".build", "release", "retailsim")

    X = morris_sample.sample(PROBLEM, N=args.trajectories, num_levels=4, seed=args.seed)
    os.makedirs(args.out, exist_ok=True)
    design = os.path.join(args.out, "morris-design.csv")
    with open(design, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(PROBLEM["names"])
        for row in X:
            w.writerow([int(round(v)) if name in INTEGER else repr(float(v)) for name, v in zip(PROBLEM["names"], row)])
    command = [tool, "sweep", "--design", f"points:{design}", "--replicates", str(args.replicates), "--seed", str(args.seed),
               "--out", args.out, "--quiet", *extra]
    print("$", " ".join([os.path.relpath(tool)] + command[1:]), flush=True)
    done = subprocess.run(command, stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        return done.returncode

    # The mean over replicates of each point, in the design's order.
    sums, counts = {}, {}
    with open(os.path.join(args.out, "results.csv"), newline="") as f:
        for row in csv.DictReader(f):
            p = int(row["point"])
            sums[p] = sums.get(p, 0.0) + float(row[args.metric])
            counts[p] = counts.get(p, 0) + 1
    Y = np.array([sums[p] / counts[p] for p in range(len(X))])
    Si = morris_analyze.analyze(PROBLEM, X, Y, num_levels=4, seed=args.seed)
    print(f"Morris elementary effects on {args.metric} ({len(X)} points x {args.replicates} replicates)")
    print(f"{'parameter':34} {'mu*':>10} {'sigma':>10}")
    for name, mu_star, sigma in zip(PROBLEM["names"], Si["mu_star"], Si["sigma"]):
        print(f"{name:34} {mu_star:10.5f} {sigma:10.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
