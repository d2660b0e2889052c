#!/usr/bin/env python3
"""The distance bands of two runs on one seed, one with a facility change and
one that watches the same place: each band's shares in both arms and their
difference, replicate by replicate (mean and 95 % Student-t interval). When
both runs wrote zctas.csv (`--write-zctas`), the same for each ZCTA within
ZCTA_KM of the place.

Usage: place_bands.py CHANGED WATCHED OUT  (writes OUT/bands.csv and OUT/table.md;
                                            with zctas.csv, OUT/zctas.csv and OUT/zctas.md)
"""
import csv, math, os, statistics, sys

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
SHARES = [("spendShare.WS", "Walmart-like store"), ("walmartShare", "Walmart-like"), ("onlineShare", "online")]


ZCTA_KM = 5


def groups(folder, name, keep):
    """{(region, replicate): row} of the rows of `name` that `keep` keeps, and their regions in file order."""
    with open(os.path.join(folder, name)) as f:
        rows = [r for r in csv.DictReader(f) if keep(r)]
    return {(r["region"], int(r["replicate"])): r for r in rows}, list(dict.fromkeys(r["region"] for r in rows))


def interval(xs):
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return m, m, m
    h = T95.get(len(xs) - 1, 1.96) * statistics.stdev(xs) / math.sqrt(len(xs))
    return m, m - h, m + h


def paired(a, b, regions, label, extra=lambda row: {}):
    """Each region's shares in both runs and the paired effect, over the replicates both have."""
    replicates = sorted({rep for _, rep in a})
    rows = []
    for region in regions:
        households = statistics.fmean(float(a[(region, r)]["represented"]) for r in replicates)
        row = {label: region, **extra(a[(region, replicates[0])]), "represented": round(households)}
        for column, _ in SHARES:
            with_, without = ([float(x[(region, r)][column]) for r in replicates] for x in (a, b))
            m, lo, hi = interval([100 * (p - q) for p, q in zip(with_, without)])
            row.update({f"{column}.changed": statistics.fmean(with_), f"{column}.watched": statistics.fmean(without),
                        f"{column}.effect": m, f"{column}.ci95Low": lo, f"{column}.ci95High": hi})
        rows.append(row)
    return rows


def write(rows, out, name, title, first):
    """OUT/name.csv and OUT/name.md (`first(row)`: the table's first cells)."""
    with open(os.path.join(out, f"{name}.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    lines = [f"| {title} | households | " + " | ".join(f"{name} share: watched, changed, effect (points) [95 % CI]" for _, name in SHARES) + " |",
             "|---|---|" + "---|" * len(SHARES)]
    for row in rows:
        cells = [f"{100 * row[f'{c}.watched']:.2f} %, {100 * row[f'{c}.changed']:.2f} %, "
                 f"{row[f'{c}.effect']:+.2f} [{row[f'{c}.ci95Low']:+.2f}, {row[f'{c}.ci95High']:+.2f}]" for c, _ in SHARES]
        lines.append(f"| {first(row)} | {row['represented']:,} | " + " | ".join(cells) + " |")
    open(os.path.join(out, "table.md" if name == "bands" else f"{name}.md"), "w").write("\n".join(lines) + "\n")


def main(changed, watched, out):
    (a, regions), (b, _) = (groups(x, "regions.csv", lambda r: r["kind"] == "band") for x in (changed, watched))
    if set(a) != set(b) or not a:
        sys.exit(f"{changed} and {watched} do not have the same distance bands and replicates")
    write(paired(a, b, regions, "band"), out, "bands", "band", lambda row: row["band"].split(" at ")[-1])
    if not all(os.path.isfile(os.path.join(x, "zctas.csv")) for x in (changed, watched)):
        return
    # The ZCTAs near the place that hold households in every replicate of both runs (on one seed, the same households).
    near = lambda r: r["kmToPlace"] != "" and float(r["kmToPlace"]) < ZCTA_KM
    (a, regions), (b, _) = (groups(x, "zctas.csv", near) for x in (changed, watched))
    replicates = {rep for _, rep in a} | {rep for _, rep in b}
    regions = [z for z in regions if all((z, r) in a and (z, r) in b for r in replicates)]
    regions.sort(key=lambda z: float(a[(z, min(replicates))]["kmToPlace"]))
    if regions:
        write(paired(a, b, regions, "zcta", lambda row: {"kmToPlace": row["kmToPlace"]}), out, "zctas", "ZCTA (km to the place)",
              lambda row: f"{row['zcta']} ({float(row['kmToPlace']):.1f})")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
