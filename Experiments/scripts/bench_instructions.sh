#!/usr/bin/env bash
# Instructions a shopper-week of the weekly loop, counted by valgrind's
# callgrind on a fixed small run: unlike seconds, the count does not move
# with the load of a shared machine (docs/PERFORMANCE.md).
#
#   bash Experiments/scripts/bench_instructions.sh [BINARY [--set PATH=VALUE ...]]   (make bench-instructions)
#
# The run: `retailsim bench --households 100000 --weeks 26 --threads 1`, the
# baseline with its strategies, memberships every 4 weeks and two quarterly
# strategy steps; one thread, so that every instruction is on the thread
# callgrind follows. Counted: everything inside Market.advanceWeek (the whole
# week), and within it the weekly choice (chooseWeek) and the membership pass
# (Market.updateMemberships, which runs decideMemberships on every chunk). Installs valgrind when it is missing.
set -euo pipefail
bin=${1:-.build/release/retailsim}
shift || true
# Anything after the binary goes to `retailsim bench` (a setting to count, say).
households=100000
weeks=26
months=$((weeks / 4))
[ -x "$bin" ] || { echo "no binary at $bin (make build first)" >&2; exit 2; }
if ! command -v valgrind >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q valgrind >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Valgrind 3.19 cannot read the DWARF 5 that Swift writes; the symbol table
# is all callgrind needs to name functions.
objcopy --strip-debug "$bin" "$work/retailsim"
valgrind --tool=callgrind --callgrind-out-file="$work/out" --toggle-collect='*6Market*advanceWeek*' \
  "$work/retailsim" bench --households $households --weeks $weeks --threads 1 "$@" >"$work/bench.json" 2>"$work/log" \
  || { cat "$work/log" >&2; exit 1; }
callgrind_annotate --inclusive=yes "$work/out" >"$work/annotated" 2>/dev/null
python3 - "$work/annotated" "$work/bench.json" $households $weeks $months <<'PY'
import json, re, sys
annotated, bench, n, weeks, months = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
inclusive = {}
for line in open(annotated):
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(\S+)", line)
    if m:
        inclusive.setdefault(m.group(2), int(m.group(1).replace(",", "")))
def cost(pattern):
    return sum(v for k, v in inclusive.items() if re.search(pattern, k))
week = cost(r"6MarketC11advanceWeek")
choice = cost(r"^\$s11RetailModel10chooseWeek8shoppers")
members = cost(r"6MarketC17updateMembershipsyyF$")
if week == 0 or choice == 0:
    sys.exit("callgrind named none of the weekly loop's functions: was the binary built from this tree?")
version = json.load(open(bench))["version"]
sw = n * weeks
out = {"version": version, "households": n, "weeks": weeks, "threads": 1,
       "instructionsPerHouseholdWeek": round(week / sw, 1),
       "weeklyChoicePerHouseholdWeek": round(choice / sw, 1),
       "membershipPassPerHouseholdWeek": round(members / sw, 1),
       "membershipPassPerHouseholdMonth": round(members / (n * months), 1),
       "restPerHouseholdWeek": round((week - choice - members) / sw, 1)}
print(json.dumps(out))
PY
