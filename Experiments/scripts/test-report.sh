#!/usr/bin/env bash
# Looks at report.html as a person would: renders a run's and a sweep's report
# in headless Chromium to PNG and checks that each page came out as charts
# (tall, mostly white, with lines and coloured cells in it), not as a blank
# page or an error. Installs chromium from Debian's packages when missing.
# Run from the repository root after `make build`: bash Experiments/scripts/test-report.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v chromium >/dev/null 2>&1; then
    echo "test-report: installing chromium from Debian's packages"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
bin=.build/release/retailsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$bin run --shoppers 5000 --weeks 60 --replicates 3 --write-facilities --out "$work/run" --quiet >/dev/null
$bin sweep --shoppers 3000 --weeks 40 --replicates 2 --vary amazon.prime.monthlyFee=10:20:3 \
    --vary walmart.strategy.hubsPerQuarter=0,60 --out "$work/sweep" --quiet >/dev/null
$bin report "$work/run"
$bin report "$work/sweep"

passed=0; failed=0
for page in run sweep; do
    png="$work/$page.png"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=800,2600 \
        --screenshot="$png" "file://$work/$page/report.html" >/dev/null 2>&1 || true
    # Decode the PNG (8-bit RGB or RGBA, as Chromium writes it) with the
    # standard library and judge what is on it.
    if python3 - "$png" "$page" <<'PY'
import struct, sys, zlib
path, page = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}"
        channels = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * channels
rows, prev = [], bytearray(stride)
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b, c = prev[i], prev[i - channels] if i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
pixels = [(r[i], r[i + 1], r[i + 2]) for r in rows for i in range(0, stride, channels)]
white = sum(1 for p in pixels if p == (255, 255, 255)) / len(pixels)
coloured = sum(1 for (r, g, b) in pixels if max(r, g, b) - min(r, g, b) > 60) / len(pixels)
inked_rows = sum(1 for y in range(height) if any(rows[y][i] < 200 for i in range(0, stride, channels)))
print(f"{page}: {width}x{height}, white {white:.0%}, coloured {coloured:.1%}, rows with ink {inked_rows}")
assert 0.5 < white < 0.995, "a page of charts is mostly white paper, not blank and not a solid colour"
assert coloured > 0.003, "the charts' coloured lines or cells are missing"
assert inked_rows > height * 0.3, "ink on too few rows: the charts did not render"
PY
    then passed=$((passed + 1)); else failed=$((failed + 1)); echo "test-report: $page's page failed"; fi
done
# The run's page draws the US map with every store of facilities.csv, and the regions table.
stores=$(grep -c '^store,' "$work/run/facilities.csv")
marks=$(sed -n '/<g class="stores"/,/<\/g>/p' "$work/run/report.html" | grep -c '<rect ')
if [ "$stores" -gt 4000 ] && [ "$stores" = "$marks" ] && grep -q 'Where each strategy wins' "$work/run/report.html"; then
    passed=$((passed + 1)); echo "map: $marks store marks for $stores stores"
else
    failed=$((failed + 1)); echo "test-report: the map shows $marks store marks for $stores stores, or the regions table is missing"
fi
echo "report: $passed passed, $failed failed"
[ "$failed" = 0 ]
