#!/usr/bin/env python3
"""A worker loop for workflow systems (EMEWS, Swift/T, a queue of tasks): each
line of the input is one task, a JSON object of parameter path to value; each
is run with `retailsim run --params - --emit summary` and answered with one
JSON line on stdout: the task and the run's summary (every metric's mean and
95 % interval, the scenario, seed and version).

    printf '%s\\n' '{"amazon.prime.monthlyFee": 9.99}' '{"amazon.prime.monthlyFee": 19.99}' \\
        | python3 Experiments/scripts/worker_loop.py -- --shoppers 20000 --replicates 2

Anything after `--` is passed to every run (a scenario file, --set, --seed ...).
A task that retailsim refuses is answered with {"task": ..., "error": message}
and the loop goes on; the exit status is 1 if any task failed.
"""
import json
import os
import subprocess
import sys
import tempfile


def main(argv):
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    here = os.path.dirname(os.path.abspath(__file__))
    tool = os.environ.get("RETAILSIM") or os.path.join(here, "..", "..", ".build", "release", "retailsim")
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        for k, line in enumerate(sys.stdin):
            if not line.strip():
                continue
            task = json.loads(line)
            out = os.path.join(scratch, f"task-{k}")
            done = subprocess.run([tool, "run", "--params", "-", "--emit", "summary", "--quiet", "--out", out, *extra],
                                  input=json.dumps(task), capture_output=True, text=True)
            if done.returncode == 0:
                print(json.dumps({"task": task, "summary": json.loads(done.stdout)}), flush=True)
            else:
                failed = True
                print(json.dumps({"task": task, "error": done.stderr.strip()}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
