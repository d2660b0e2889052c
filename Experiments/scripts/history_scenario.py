#!/usr/bin/env python3
"""Writes Experiments/scenarios/us-history.toml from the published inputs
(Experiments/history/inputs.csv) and the fitted drivers
(Results/backcast-drivers/drivers.toml, when present), and
Experiments/scenarios/us-prime-launch.toml: the same market from Prime's
launch (February 2005) to the end of 2019, its launch decade read from
Experiments/history/launch-inputs.csv.

Rules (docs/MODEL.md section 13): a count between two published points moves
linearly, stepped on the first day of each calendar quarter and rounded; before
its first point it holds that point's value; a fee or a programme's launch
steps on its date. Prime's fee is the model's monthly fee scaled by the annual
fee (14.99 x annual / 139: the 2024 calibration's fee at 2024's $139).
The launch run joins the history at its start: each count moves from its
launch-decade points to the value the history starts from, by the same rule,
and from then on follows the history's own changes.
Usage: python3 Experiments/scripts/history_scenario.py [--check]
(--check: exit 1 when a committed scenario differs from what this writes)."""
import csv, datetime as dt, math, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START, END, ANCHOR = dt.date(2014, 10, 6), dt.date(2026, 2, 1), dt.date(2024, 1, 1)
# Prime's launch run: from the Monday before 2 February 2005 (505 weeks before
# the history's start, so both runs share their weeks) to the end of 2019.
LAUNCH_START, LAUNCH_END = dt.date(2005, 1, 31), dt.date(2020, 1, 6)
WEEKS = (END - START).days // 7
ANCHOR_WEEK = (ANCHOR - START).days // 7 + 1
COUNTS = ["amazon.network.sameDayMetros", "amazon.network.fulfillmentCenters",
          "walmart.network.pickupStores", "walmart.network.deliveryStores"]


def read_inputs(name="inputs.csv"):
    points = {}
    with open(os.path.join(ROOT, "Experiments/history", name), newline="") as f:
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


def count_path(pts, start, path, changes):
    """A count's value at `start`, and its changes after it appended to
    `changes`: linear between published points, stepped on the first day of
    each calendar quarter and rounded; before its first point it holds it."""
    value = half_up(float(pts[0][1])) if pts[0][0] > start else None
    for (d0, v0, _), (d1, v1, s1) in zip([(None, None, None)] + pts[:-1], pts):
        if d0 is not None:
            for q in quarter_starts(d0, d1):
                if q > start:
                    v = float(v0) + (float(v1) - float(v0)) * (q - d0).days / (d1 - d0).days
                    changes.append((q, path, half_up(v), "interpolated"))
        if d1 <= start:
            value = half_up(float(v1))
        else:
            changes.append((d1, path, half_up(float(v1)), s1))
    return value


def monthly_fee(annual):
    return round(14.99 * float(annual) / 139, 2)


def kept_changes(base, changes):
    """Sorted, without a change to the value already in force."""
    changes.sort(key=lambda c: (c[0], c[1]))
    now, kept = dict(base), []
    for c in changes:
        if str(now.get(c[1])) != str(c[2]):
            kept.append(c)
            now[c[1]] = c[2]
    return kept


def scenario():
    points = read_inputs()
    base, changes = {}, []  # changes: (date, path, value, comment)
    for path in COUNTS:
        base[path] = count_path(points[path], START, path, changes)
    for d, v, s in points["amazon.prime.annualFee"]:
        fee = monthly_fee(v)
        if d <= START:
            base["amazon.prime.monthlyFee"] = fee
        else:
            changes.append((d, "amazon.prime.monthlyFee", fee, f"annual fee {v} dollars: {s}"))
    for d, v, s in points["walmart.plus.enabled"]:
        changes.append((d, "walmart.plus.enabled", v, s))
    changes += [(ANCHOR, "amazon.strategy.enabled", "true", "the calibrated present: the strategies of the 2024 baseline from here"),
                (ANCHOR, "walmart.strategy.enabled", "true", "the calibrated present")]
    return base, kept_changes(base, changes)


def launch_scenario():
    """Prime's launch run: the launch decade's points, each count joining the
    history's value at its start, then the history's changes to LAUNCH_END."""
    history_base, history_changes = scenario()
    points, published = read_inputs("launch-inputs.csv"), read_inputs()
    base, changes = {}, []
    for path in COUNTS:
        pts = points[path] + [(START, history_base[path], "the history's start")]
        assert pts[0][0] == LAUNCH_START, f"{path}: the launch inputs start at {LAUNCH_START}"
        base[path] = count_path(pts, LAUNCH_START, path, changes)
    (launch, fee, source), = points["amazon.prime.annualFee"]
    base["amazon.prime.monthlyFee"] = monthly_fee(fee)
    for d, v, s in published["amazon.prime.annualFee"]:
        if LAUNCH_START < d <= START:
            changes.append((d, "amazon.prime.monthlyFee", monthly_fee(v), f"annual fee {v} dollars: {s}"))
    base["amazon.prime.enabled"] = "false"
    for d, v, s in points["amazon.prime.enabled"]:
        changes.append((d, "amazon.prime.enabled", v, s))
    changes += [c for c in history_changes if c[0] < LAUNCH_END]
    return base, kept_changes(base, changes), (launch, fee, source)


def run_tables(start, weeks):
    return f"""
[run]
start = {start.isoformat()}
weeks = {weeks}
replicates = 10

[population]
shoppers = 100000
"""


def networks(base, changes, amazon_strategy, walmart_strategy, trend):
    """What both scenarios write after their memberships: the starting
    networks, the strategies off, the drivers and the timeline."""
    out = f"""[amazon.network]
sameDayMetros = {base["amazon.network.sameDayMetros"]}
fulfillmentCenters = {base["amazon.network.fulfillmentCenters"]}

[amazon.strategy]
{amazon_strategy}enabled = false

[walmart.network]
pickupStores = {base["walmart.network.pickupStores"]}
deliveryStores = {base["walmart.network.deliveryStores"]}

[walmart.plus]
enabled = false

[walmart.strategy]
enabled = false
{walmart_strategy}
[trend]
{trend}"""
    for key, value in drivers().items():
        out += f"{key.split('.', 1)[1]} = {value:.6g}\n"
    for date, path, value, comment in changes:
        out += f"\n[[timeline]]\ndate = {date.isoformat()}\npath = \"{path}\"\nvalue = {value}\n# {comment}\n"
    return out


def text():
    base, changes = scenario()
    out = f"""# The US market from late 2014 to January 2026: the published inputs of
# Experiments/history/inputs.csv (fees, networks, Walmart+'s launch) as a
# timeline, the fitted drivers (trend.*), and the 2024 baseline's strategies
# from the calibrated present (2024-01-01) on. Written by
# `python3 Experiments/scripts/history_scenario.py`; edit the inputs or the
# script, not this file (docs/MODEL.md section 13).
name = "us-history"
{run_tables(START, WEEKS)}
[amazon.prime]
monthlyFee = {base["amazon.prime.monthlyFee"]}
# Cowen and Company, December 2015: about a third of households; where the burn-in starts.
initialShare.urban = 0.33
initialShare.suburban = 0.33
initialShare.rural = 0.33

"""
    return out + networks(base, changes,
                          "# The strategies' moves (prices, rural sites, personalisation) start at the calibrated present.\n",
                          "# The associates' AI roll-out at the baseline's date: week 52 of a run from 2024-01-01.\n"
                          f"augmentationMidpointWeek = {52 + ANCHOR_WEEK - 1}\n",
                          "# Fitted on the history's calibration figures: retailsim reproduce backcast-drivers.\n")


def launch_text():
    base, changes, (launch, fee, source) = launch_scenario()
    weeks = (LAUNCH_END - LAUNCH_START).days // 7
    out = f"""# The US market from Prime's launch (2 February 2005) to the end of 2019:
# the launch decade's inputs (Experiments/history/launch-inputs.csv), joining
# the history's own (Experiments/scenarios/us-history.toml) at its start on
# {START.isoformat()}, and the history's drivers (trend.*) carried back to 2005.
# No member at the start: Prime's share comes from its hazards at the fees of
# the time. Both strategies off throughout (the run ends before the
# calibrated present). Written by `python3 Experiments/scripts/history_scenario.py`;
# edit the inputs or the script, not this file (docs/MODEL.md section 13).
name = "us-prime-launch"
{run_tables(LAUNCH_START, weeks)}
[amazon.prime]
# Launched on {launch.isoformat()} at {fee} dollars a year ({source}).
enabled = false
monthlyFee = {base["amazon.prime.monthlyFee"]}

"""
    return out + networks(base, changes, "", "",
                          "# The history's fit (retailsim reproduce backcast-drivers), carried back before its first figure.\n")


if __name__ == "__main__":
    stale = False
    for name, new in [("us-history.toml", text()), ("us-prime-launch.toml", launch_text())]:
        target = os.path.join(ROOT, "Experiments/scenarios", name)
        if "--check" in sys.argv:
            old = open(target).read() if os.path.exists(target) else ""
            stale = stale or old != new
            continue
        with open(target, "w") as f:
            f.write(new)
    sys.exit(1 if stale else 0)
