#!/usr/bin/env python3
"""Which membership hazards meet Prime's figures from its launch? (issue 23
item 5; docs/MODEL.md section 13). A search, not a fit: a Latin hypercube of
40 points (seed 7) over innovation, imitation, the two value weights and
Prime's benefit growth, each point `retailsim reproduce prime-launch` at
20,000 households x 2 replicates with word of mouth from the others
(`membership.localScope = "others"`, which does not depend on the households
simulated); then the two points nearest the launch run's calibration figures
again at 100,000 households x 4 replicates, with the others' word of mouth
and with the city's (the default). Writes Results/launch-search/search.csv,
confirm.csv and table.md. About 12 minutes on 2 cores.
Usage: python3 Experiments/scripts/launch_search.py [--bin PATH] [--out FOLDER]"""
import csv, os, random, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else os.environ.get("RETAILSIM", os.path.join(ROOT, ".build/release/retailsim"))
OUT = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else os.path.join(ROOT, "Results/launch-search")
RANGES = [("membership.innovation", 0.0005, 0.006), ("membership.imitation", 0.0, 0.08), ("membership.valueWeight", 0.02, 0.4),
          ("membership.churnValueWeight", 0.005, 0.3), ("trend.primeBenefitGrowthPerYear", 0.0, 0.2)]
FIGURES = ["primeHouseholds_2015-12", "primeHouseholds_2018", "primeHouseholds_2019", "primeShareOfAmazonCustomers_2014-12",
           "primeShareOfAmazonCustomers_2015-12", "onlineShare_2005Q1"]
POINTS = 40


def design():
    rng = random.Random(7)
    columns = {path: rng.sample(range(POINTS), POINTS) for path, _, _ in RANGES}
    return [{path: a + (b - a) * (columns[path][i] + rng.random()) / POINTS for path, a, b in RANGES} for i in range(POINTS)]


def experiment(folder, name, point, scope):
    """prime-launch.toml with the point's settings (its [why] left out)."""
    text = open(os.path.join(ROOT, "Experiments/reproduce/prime-launch.toml")).read().split("\n[why]")[0]
    extra = "".join(f"{path} = {value:.5f}\n" for path, value in point.items()) + f'membership.localScope = "{scope}"\n'
    with open(os.path.join(folder, name + ".toml"), "w") as f:
        f.write(text.replace("run.seed = 2005\n", "run.seed = 2005\n" + extra))


def measured(results, name):
    with open(os.path.join(results, name, "targets.csv"), newline="") as f:
        rows = {r["target"]: r for r in csv.DictReader(f)}
    return rows


def run(folder, results, *size):
    subprocess.run([BIN, "reproduce", "all", "--experiments", folder, "--results", results, *size], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def main():
    points = design()
    work = tempfile.mkdtemp(prefix="launch-search-")
    try:
        exp, res = os.path.join(work, "exp"), os.path.join(work, "res")
        os.makedirs(exp)
        for i, p in enumerate(points):
            experiment(exp, f"p{i:02d}", p, "others")
        run(exp, res, "--households", "20000", "--replicates", "2")
        table = []
        for i, p in enumerate(points):
            rows = measured(res, f"p{i:02d}")
            fitted = [rows[n] for n in rows if rows[n]["use"] == "calibration" and rows[n]["model"]]
            objective = sum(((float(r["model"]) - float(r["published"])) / float(r["tolerance"])) ** 2 for r in fitted)
            table.append((i, p, {n: float(rows[n]["model"]) for n in FIGURES}, objective, sum(r["agrees"] == "yes" for r in fitted), len(fitted)))
        os.makedirs(OUT, exist_ok=True)
        with open(os.path.join(OUT, "search.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["point"] + [p for p, _, _ in RANGES] + FIGURES + ["objective", "withinTolerance", "calibrationFigures"])
            for i, p, m, obj, within, n in table:
                w.writerow([f"p{i:02d}"] + [f"{p[k]:.5f}" for k, _, _ in RANGES] + [f"{m[n]:.4f}" for n in FIGURES] + [f"{obj:.2f}", within, n])
        best = sorted(table, key=lambda t: t[3])[:2]
        exp2, res2 = os.path.join(work, "exp2"), os.path.join(work, "res2")
        os.makedirs(exp2)
        for i, p, *_ in best:
            for scope in ["others", "city"]:
                experiment(exp2, f"p{i:02d}-{scope}", p, scope)
        run(exp2, res2, "--replicates", "4")
        with open(os.path.join(OUT, "confirm.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["point", "localScope"] + FIGURES)
            lines = []
            for i, p, *_ in best:
                for scope in ["others", "city"]:
                    rows = measured(res2, f"p{i:02d}-{scope}")
                    w.writerow([f"p{i:02d}", scope] + [rows[n]["model"] for n in FIGURES])
                    lines.append(f"| p{i:02d} | {scope} | " + " | ".join(f"{float(rows[n]['model']):.3f}" for n in FIGURES) + " |")
        with open(os.path.join(OUT, "table.md"), "w") as f:
            f.write("# Prime from its launch: a search over the membership hazards\n\n"
                    "Made by `python3 Experiments/scripts/launch_search.py` with " + subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
                    + f": {POINTS} points at 20,000 households x 2 replicates (search.csv), the two nearest the calibration figures "
                    "again at 100,000 households x 4 replicates (confirm.csv). Published: 0.33 (2015-12), 0.474 (2018), 0.513 (2019), "
                    "0.45 and 0.47 (CIRP's share of customers, 2014-12 and 2015-12), 0.022 (Census, 2005Q1).\n\n"
                    "| point | " + " | ".join(k.split(".")[-1] for k, _, _ in RANGES) + " |\n|---|" + "---|" * len(RANGES) + "\n")
            for i, p, *_ in best:
                f.write(f"| p{i:02d} | " + " | ".join(f"{p[k]:.5f}" for k, _, _ in RANGES) + " |\n")
            f.write("\n| point | word of mouth | " + " | ".join(FIGURES) + " |\n|---|---|" + "---|" * len(FIGURES) + "\n" + "\n".join(lines) + "\n")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
