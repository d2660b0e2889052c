#!/usr/bin/env python3
"""The distance bands of two runs on one seed, one with a facility change and
one that watches the same place: each band's shares in both arms and their
difference, replicate by replicate (mean and 95 % Student-t interval).

Usage: place_bands.py CHANGED WATCHED OUT  (writes OUT/bands.csv and OUT/table.md)
"""
import csv, math, os, statistics, sys

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
SHARES = [("spendShare.WS", "Walmart-like store"), ("walmartShare", "Walmart-like"), ("onlineShare", "online")]


def bands(folder):
    """{(region, replicate): row} of the run's distance-band rows, and the regions in file order."""
    with open(os.path.join(folder, "regions.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "band"]
    return {(r["region"], int(r["replicate"])): r for r in rows}, list(dict.fromkeys(r["region"] for r in rows))


def interval(xs):
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return m, m, m
    h = T95.get(len(xs) - 1, 1.96) * statistics.stdev(xs) / math.sqrt(len(xs))
    return m, m - h, m + h


def main(changed, watched, out):
    (a, regions), (b, _) = bands(changed), bands(watched)
    if set(a) != set(b) or not a:
        sys.exit(f"{changed} and {watched} do not have the same distance bands and replicates")
    replicates = sorted({rep for _, rep in a})
    rows = []
    for region in regions:
        households = statistics.fmean(float(a[(region, r)]["represented"]) for r in replicates)
        row = {"band": region, "represented": round(households)}
        for column, _ in SHARES:
            with_, without = ([float(x[(region, r)][column]) for r in replicates] for x in (a, b))
            m, lo, hi = interval([100 * (p - q) for p, q in zip(with_, without)])
            row.update({f"{column}.changed": statistics.fmean(with_), f"{column}.watched": statistics.fmean(without),
                        f"{column}.effect": m, f"{column}.ci95Low": lo, f"{column}.ci95High": hi})
        rows.append(row)
    with open(os.path.join(out, "bands.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    lines = ["| band | households | " + " | ".join(f"{name} share: watched, changed, effect (points) [95 % CI]" for _, name in SHARES) + " |",
             "|---|---|" + "---|" * len(SHARES)]
    for row in rows:
        cells = [f"{100 * row[f'{c}.watched']:.2f} %, {100 * row[f'{c}.changed']:.2f} %, "
                 f"{row[f'{c}.effect']:+.2f} [{row[f'{c}.ci95Low']:+.2f}, {row[f'{c}.ci95High']:+.2f}]" for c, _ in SHARES]
        lines.append(f"| {row['band'].split(' at ')[-1]} | {row['represented']:,} | " + " | ".join(cells) + " |")
    open(os.path.join(out, "table.md"), "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
