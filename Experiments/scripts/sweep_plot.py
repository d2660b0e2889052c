#!/usr/bin/env python3
"""Drive a RetailSim sweep from Python and plot one metric against one parameter.

The example for script users, on the Python package (`pip install ./python`):
`retailsim.sweep` runs the sweep with the command-line tool (so the same
folder can be resumed or sharded by hand) and returns its tables as pandas
DataFrames; the plot is the metric's mean and 95 % interval at each value.

    pip install ./python -r Experiments/scripts/requirements.txt
    python3 Experiments/scripts/sweep_plot.py --vary amazon.prime.monthlyFee=7.99:21.99:8 \\
        --metric primeShare --replicates 5 --out sweeps/prime-fee

Every option after `--` goes to `retailsim sweep` unchanged (a scenario file,
--set, --shoppers, --weeks, --seed).
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import retailsim  # noqa: E402  (the installed package, or the repository's own)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vary", required=True, help="path=lo:hi:n or path=a,b,c, as retailsim sweep takes it")
    parser.add_argument("--metric", default="amazonShareOfOnline", help="a metric of `retailsim metrics` (default: %(default)s)")
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--out", required=True, help="the sweep's folder; the plot goes beside its tables")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="after --: more arguments for retailsim sweep")
    args = parser.parse_args()
    extra = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    path, spec = args.vary.split("=", 1)
    if args.metric not in set(retailsim.metrics()["name"]):
        sys.exit(f"error: --metric {args.metric}: not a metric; `retailsim metrics` lists them")

    print(f"retailsim.sweep(vary={{{path!r}: {spec!r}}}, replicates={args.replicates}, out={args.out!r}, arguments={extra!r})", flush=True)
    try:
        result = retailsim.sweep(vary={path: spec}, replicates=args.replicates, out=args.out, arguments=extra)
    except retailsim.RetailSimError as error:
        sys.exit(f"error: {error.message}")
    rows = result.summary[result.summary["metric"] == args.metric].sort_values(path)
    xs, means = rows[path].astype(float), rows["mean"]
    lows, highs = rows["ci95_low"].fillna(rows["mean"]), rows["ci95_high"].fillna(rows["mean"])

    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.fill_between(xs, 100 * lows, 100 * highs, alpha=0.25, label="95 % CI")
    ax.plot(xs, 100 * means, marker="o", label=f"mean of {args.replicates} replicates")
    ax.set_xlabel(path)
    ax.set_ylabel(f"{args.metric} (%)")
    ax.set_title(f"RetailSim {result.plan['version']}: {args.metric} against {path}", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    plot = os.path.join(args.out, f"{args.metric}-vs-{path}.png")
    fig.savefig(plot, dpi=110)
    print(f"plotted {len(rows)} points of {args.metric}: {plot}")
    for x, m, lo, hi in zip(xs, means, lows, highs):
        print(f"  {path} = {x:<10g} {args.metric} = {100 * m:6.2f} %  [{100 * lo:6.2f}, {100 * hi:6.2f}]")


if __name__ == "__main__":
    main()
