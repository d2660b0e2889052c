#!/usr/bin/env python3
"""Writes Experiments/scenarios/us-history.toml from the published inputs
(Experiments/history/inputs.csv) and the fitted drivers
(Results/backcast-drivers/drivers.toml, when present).

Rules (docs/MODEL.md section 13): a count between two published points moves
linearly, stepped on the first day of each calendar quarter and rounded; before
its first point it holds that point's value; a fee or a programme's launch
steps on its date. Prime's fee is the model's monthly fee scaled by the annual
fee (14.99 x annual / 139: the 2024 calibration's fee at 2024's $139).
Usage: python3 Experiments/scripts/history_scenario.py [--check]
(--check: exit 1 when the committed scenario differs from what this writes)."""
import csv, datetime as dt, math, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START, END, ANCHOR = dt.date(2014, 10, 6), dt.date(2026, 2, 1), dt.date(2024, 1, 1)
WEEKS = (END - START).days // 7
ANCHOR_WEEK = (ANCHOR - START).days // 7 + 1
COUNTS = ["amazon.network.sameDayMetros", "amazon.network.fulfillmentCenters",
          "walmart.network.pickupStores", "walmart.network.deliveryStores"]


def read_inputs():
    points = {}
    with open(os.path.join(ROOT, "Experiments/history/inputs.csv"), newline="") as f:
        for row in csv.DictReader(f):
            points.setdefault(row["path"], []).append((dt.date.fromisoformat(row["date"]), row["value"], row["source"]))
    for p in points.values():
        p.sort()
    return points


def quarter_starts(a, b):
    """First days of calendar quarters strictly between dates a and b."""
    d = dt.date(a.year, 3 * ((a.month - 1) // 3) + 1, 1)
    while d < b:
        if d > a:
            yield d
        d = dt.date(d.year + (d.month + 2) // 12, (d.month + 2) % 12 + 1, 1)


def half_up(x):
    return int(math.floor(x + 0.5))


def drivers():
    path = os.path.join(ROOT, "Results/backcast-drivers/drivers.toml")
    values = {}
    if os.path.exists(path):
        for line in open(path):
            key, _, value = line.partition("=")
            if key.strip().startswith("trend."):
                values[key.strip()] = float(value.split("#")[0])
    return values


def scenario():
    points = read_inputs()
    base, changes = {}, []  # changes: (date, path, value, comment)
    for path in COUNTS:
        pts = points[path]
        base[path] = half_up(float(pts[0][1])) if pts[0][0] > START else None
        for (d0, v0, _), (d1, v1, s1) in zip([(None, None, None)] + pts[:-1], pts):
            if d0 is not None:
                for q in quarter_starts(d0, d1):
                    if q > START:
                        v = float(v0) + (float(v1) - float(v0)) * (q - d0).days / (d1 - d0).days
                        changes.append((q, path, half_up(v), "interpolated"))
            if d1 <= START:
                base[path] = half_up(float(v1))
            else:
                changes.append((d1, path, half_up(float(v1)), s1))
    for d, v, s in points["amazon.prime.annualFee"]:
        fee = round(14.99 * float(v) / 139, 2)
        if d <= START:
            base["amazon.prime.monthlyFee"] = fee
        else:
            changes.append((d, "amazon.prime.monthlyFee", fee, f"annual fee {v} dollars: {s}"))
    for d, v, s in points["walmart.plus.enabled"]:
        changes.append((d, "walmart.plus.enabled", v, s))
    changes += [(ANCHOR, "amazon.strategy.enabled", "true", "the calibrated present: the strategies of the 2024 baseline from here"),
                (ANCHOR, "walmart.strategy.enabled", "true", "the calibrated present")]
    changes.sort(key=lambda c: (c[0], c[1]))
    # A change to the value already in force is no change.
    now, kept = dict(base), []
    for c in changes:
        if str(now.get(c[1])) != str(c[2]):
            kept.append(c)
            now[c[1]] = c[2]
    return base, kept


def text():
    base, changes = scenario()
    d = drivers()
    out = f"""# The US market from late 2014 to January 2026: the published inputs of
# Experiments/history/inputs.csv (fees, networks, Walmart+'s launch) as a
# timeline, the fitted drivers (trend.*), and the 2024 baseline's strategies
# from the calibrated present (2024-01-01) on. Written by
# `python3 Experiments/scripts/history_scenario.py`; edit the inputs or the
# script, not this file (docs/MODEL.md section 13).
name = "us-history"

[run]
start = {START.isoformat()}
weeks = {WEEKS}
replicates = 10

[population]
shoppers = 100000

[amazon.prime]
monthlyFee = {base["amazon.prime.monthlyFee"]}
# Cowen and Company, December 2015: about a third of households; where the burn-in starts.
initialShare.urban = 0.33
initialShare.suburban = 0.33
initialShare.rural = 0.33

[amazon.network]
sameDayMetros = {base["amazon.network.sameDayMetros"]}
fulfillmentCenters = {base["amazon.network.fulfillmentCenters"]}

[amazon.strategy]
# The strategies' moves (prices, rural sites, personalisation) start at the calibrated present.
enabled = false

[walmart.network]
pickupStores = {base["walmart.network.pickupStores"]}
deliveryStores = {base["walmart.network.deliveryStores"]}

[walmart.plus]
enabled = false

[walmart.strategy]
enabled = false
# The associates' AI roll-out at the baseline's date: week 52 of a run from 2024-01-01.
augmentationMidpointWeek = {52 + ANCHOR_WEEK - 1}

[trend]
# Fitted on the history's calibration figures: retailsim reproduce backcast-drivers.
"""
    for key, value in d.items():
        out += f"{key.split('.', 1)[1]} = {value:.6g}\n"
    for date, path, value, comment in changes:
        out += f"\n[[timeline]]\ndate = {date.isoformat()}\npath = \"{path}\"\nvalue = {value}\n# {comment}\n"
    return out


if __name__ == "__main__":
    target = os.path.join(ROOT, "Experiments/scenarios/us-history.toml")
    new = text()
    if "--check" in sys.argv:
        old = open(target).read() if os.path.exists(target) else ""
        sys.exit(0 if old == new else 1)
    with open(target, "w") as f:
        f.write(new)
