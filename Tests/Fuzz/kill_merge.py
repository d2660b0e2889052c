#!/usr/bin/env python3
"""kill -9 `sweep merge` (3,000 runs, ~0.17 s) at 30 random moments, with
results.csv and summary.csv from an earlier merge in place half of the time:
each must be absent, the complete old one or the complete new one."""
import hashlib, json, os, random, shutil, signal, subprocess, sys, time
import os as _os, tempfile as _tf
os = _os
REPO = _os.environ.get("REPO", _os.getcwd())
WORK = _os.environ.get("FUZZ_WORK", _os.path.join(_tf.gettempdir(), "retailsim-fuzz"))
_os.makedirs(WORK, exist_ok=True)
BIN = os.environ.get("RETAILSIM", os.path.join(REPO, ".build/release/retailsim"))
d = WORK + "/mk"
# Added for 0.5.0: the tester made this 3,000-run sweep by hand; make it if it is missing.
if not os.path.exists(f"{WORK}/mk.ref.results"):
    subprocess.run([BIN, "sweep", "--vary", "amazon.priceIndex=0.95:1.05:300", "--replicates", "10", "--shoppers", "200",
                    "--weeks", "8", "--set", "run.warmupWeeks=2", "--quiet", "--out", d], check=True, stdout=subprocess.DEVNULL)
    for n in ("results", "summary"):
        shutil.copy(f"{d}/{n}.csv", f"{WORK}/mk.ref.{n}")
ref = {n: open(f"{WORK}/mk.ref.{n.split('.')[0]}", "rb").read() for n in ("results.csv", "summary.csv")}
rng = random.Random(5)
res = []
for i in range(30):
    keep = i % 2 == 0
    for n in ref:
        p = f"{d}/{n}"
        if keep:
            open(p, "wb").write(b"OLD\n")   # a recognisable old version
        elif os.path.exists(p):
            os.remove(p)
    pr = subprocess.Popen([BIN, "sweep", "merge", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.1, 0.3))  # 0.5.0: merge checks every field (about 0.2 s here), so the window must reach its renames
    fin = pr.poll() is not None
    try: pr.send_signal(signal.SIGKILL)
    except ProcessLookupError: pass
    pr.wait()
    st = {}
    for n in ref:
        p = f"{d}/{n}"
        if not os.path.exists(p): st[n] = "absent"
        else:
            b = open(p, "rb").read()
            st[n] = "old" if b == b"OLD\n" else "new" if b == ref[n] else "OTHER"
    tmp = [x for x in os.listdir(d) if x.endswith(".tmp")]
    res.append({"old_present": keep, "finished": fin, "state": st, "tmp": tmp})
subprocess.run([BIN, "sweep", "merge", d], capture_output=True)
left = [x for x in os.listdir(d) if x.endswith(".tmp")]
import collections
print(json.dumps({"kills": len(res), "states": collections.Counter(f"{r['state']['results.csv']}/{r['state']['summary.csv']}" for r in res),
                  "other": sum("OTHER" in r["state"].values() for r in res), "tmp_after_kill": sum(bool(r["tmp"]) for r in res),
                  "finished_before_kill": sum(r["finished"] for r in res), "tmp_after_next_merge": left}, indent=1))
json.dump(res, open(WORK + "/killsweep/merge_kills.json", "w"), indent=1)
