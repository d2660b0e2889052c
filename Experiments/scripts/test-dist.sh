#!/usr/bin/env bash
# The static binary as a cluster node without Swift or GSL sees it: a bare
# Debian root made with debootstrap (minbase: no Swift, no GSL, no compiler),
# the binary copied in, a small scenario run inside it with chroot, and its
# files compared byte for byte with the normal build's. Needs root (chroot,
# mounts); installs debootstrap when missing. The root is kept in
# $RETAILSIM_BARE_ROOT (default /var/tmp/retailsim-bare-root) between runs.
# Run from the repository root: make test-dist (it builds both binaries first).
set -euo pipefail
dist="$1"
bin=.build/release/retailsim
root=${RETAILSIM_BARE_ROOT:-/var/tmp/retailsim-bare-root}
sudo=$([ "$(id -u)" = 0 ] || echo sudo)

echo "== $dist"
# Nothing but the C library, or not dynamic at all.
deps=$(ldd "$dist" 2>&1 || true)
echo "$deps"
if ! grep -q "not a dynamic executable" <<<"$deps"; then
  others=$(grep "=>" <<<"$deps" | grep -vE "lib(c|m|pthread|dl|rt)\.so" || true)
  [ -z "$others" ] || { echo "FAIL: links more than the C library: $others"; exit 1; }
fi
(cd "$(dirname "$dist")" && sha256sum -c "$(basename "$dist").sha256")

if [ ! -x "$root/bin/sh" ]; then
  command -v debootstrap >/dev/null || { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q debootstrap; }
  echo "== making a bare Debian root in $root (debootstrap --variant=minbase bookworm, a few minutes the first time)"
  $sudo rm -rf "$root.tmp"
  $sudo debootstrap --variant=minbase bookworm "$root.tmp" http://deb.debian.org/debian >/dev/null
  $sudo mv "$root.tmp" "$root"
fi
# The root is bare: no Swift runtime, no GSL.
if $sudo chroot "$root" sh -c 'command -v swift || ls /usr/lib/*/libgsl* /usr/lib/*/libswiftCore* 2>/dev/null'; then
  echo "FAIL: the bare root has Swift or GSL"; exit 1
fi

args=(run --shoppers 3000 --weeks 12 --set run.warmupWeeks=2 --replicates 2 --seed 7 --quiet)
$sudo rm -rf "$root/opt/retailsim" "$root/tmp/out"
$sudo mkdir -p "$root/opt/retailsim"
$sudo cp "$dist" "$root/opt/retailsim/retailsim"
$sudo mount -t proc proc "$root/proc"
trap '$sudo umount "$root/proc" 2>/dev/null || true' EXIT
$sudo chroot "$root" /opt/retailsim/retailsim --version
$sudo chroot "$root" /opt/retailsim/retailsim "${args[@]}" --out /tmp/out
expected=$(mktemp -d)
"$bin" "${args[@]}" --out "$expected" >/dev/null
for f in weekly.csv members.csv retailers.csv waits.csv regions.csv summary.json scenario.json; do
  cmp "$root/tmp/out/$f" "$expected/$f" || { echo "FAIL: $f differs from the normal build's"; exit 1; }
done
rm -rf "$expected"

# explore from the static binary: the bare root shares the host's loopback,
# so the host fetches the page and the levers, then Ctrl-C stops the server.
$sudo rm -f "$root/tmp/explore.out"
$sudo chroot "$root" sh -c 'cd /tmp && exec /opt/retailsim/retailsim explore --port 0 > /tmp/explore.out 2>&1' &
server=$!
for _ in $(seq 100); do grep -q "open http" "$root/tmp/explore.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$root/tmp/explore.out" | cut -d: -f2)
[ -n "$port" ] || { echo "FAIL: explore did not start in the bare root: $(cat "$root/tmp/explore.out")"; exit 1; }
python3 - "$port" <<'PY'
import sys, urllib.request
port = sys.argv[1]
urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))
page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
levers = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/levers", timeout=30).read().decode()
assert '<script src="/explore.js">' in page and "amazon.prime.monthlyFee" in levers, (page[:200], levers[:200])
PY
$sudo pkill -INT -f "/opt/retailsim/retailsim explore" || true
wait "$server" || { echo "FAIL: explore did not stop cleanly on Ctrl-C"; exit 1; }
echo "dist: 2 passed, 0 failed (static binary ran in a bare Debian root; its files are the normal build's, byte for byte; its explore serves the page)"
