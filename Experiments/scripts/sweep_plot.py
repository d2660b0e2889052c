#!/usr/bin/env python3
"""Drive a RetailSim sweep from Python and plot one metric against one parameter.

The example for script users: it calls the command-line tool, so the same
sweep can be run, resumed or sharded by hand; then it reads summary.csv with
nothing but the csv module (pandas reads it as it is, too) and draws the mean
and 95 % confidence interval of the metric at each value of the parameter.

    pip install -r Experiments/scripts/requirements.txt
    python3 Experiments/scripts/sweep_plot.py --vary amazon.prime.monthlyFee=7.99:21.99:8 \
        --metric primeShare --replicates 5 --out sweeps/prime-fee

Every option after `--` goes to `retailsim sweep` unchanged (a scenario file,
--set, --shoppers, --weeks, --seed).
"""
import argparse
import csv
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_tool = os.path.join(here, "..", "..", ".build", "release", "retailsim")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vary", required=True, help="path=lo:hi:n or path=a,b,c, as retailsim sweep takes it")
    parser.add_argument("--metric", default="amazonShareOfOnline", help="a column of results.csv (default: %(default)s)")
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--out", required=True, help="the sweep's folder; the plot goes beside its tables")
    parser.add_argument("--retailsim", default=os.environ.get("RETAILSIM", default_tool), help="the retailsim binary")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="after --: more arguments for retailsim sweep")
    args = parser.parse_args()
    extra = args.rest[1:] if args.rest[:1] == ["--"] else args.rest

    command = [args.retailsim, "sweep", *extra, "--vary", args.vary, "--replicates", str(args.replicates),
               "--out", args.out, "--quiet"]
    # The tool relative to here: a printed command that names no machine's own folders.
    print("$", " ".join([os.path.relpath(command[0])] + command[1:]), flush=True)
    done = subprocess.run(command)
    if done.returncode != 0:
        sys.exit(done.returncode)  # retailsim has said what was wrong

    path = args.vary.split("=", 1)[0]
    xs, means, lows, highs = [], [], [], []
    with open(os.path.join(args.out, "summary.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["metric"] != args.metric:
                continue
            xs.append(float(row[path]))
            means.append(float(row["mean"]))
            lows.append(float(row["ci95Low"] or row["mean"]))
            highs.append(float(row["ci95High"] or row["mean"]))
    if not xs:
        sys.exit(f"error: --metric {args.metric}: not a column of {args.out}/results.csv")
    order = sorted(range(len(xs)), key=xs.__getitem__)
    xs, means, lows, highs = ([v[i] for i in order] for v in (xs, means, lows, highs))

    with open(os.path.join(args.out, "sweep.json")) as f:
        head = f.read(400)
    version = head.split('"version": "', 1)[1].split('"', 1)[0]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.fill_between(xs, [100 * v for v in lows], [100 * v for v in highs], alpha=0.25, label="95 % CI")
    ax.plot(xs, [100 * v for v in means], marker="o", label=f"mean of {args.replicates} replicates")
    ax.set_xlabel(path)
    ax.set_ylabel(f"{args.metric} (%)")
    ax.set_title(f"RetailSim {version}: {args.metric} against {path}", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    plot = os.path.join(args.out, f"{args.metric}-vs-{path}.png")
    fig.savefig(plot, dpi=110)
    print(f"plotted {len(xs)} points of {args.metric}: {plot}")
    for x, m, lo, hi in zip(xs, means, lows, highs):
        print(f"  {path} = {x:<10g} {args.metric} = {100 * m:6.2f} %  [{100 * lo:6.2f}, {100 * hi:6.2f}]")


if __name__ == "__main__":
    main()
