"""RetailSim from Python: run scenarios and sweeps with the `retailsim` tool and
read its outputs as pandas DataFrames.

    import retailsim
    result = retailsim.run(set={"amazon.prime.monthlyFee": 12.99}, replicates=3)
    result.summary            # one row a metric: mean, sd, ci95_low, ci95_high

Every function runs the command-line tool (found through RETAILSIM, then PATH,
then the repository's release build) and reads the files it writes, so a
result from Python is the same bytes as one from the shell. An error of the
tool becomes a RetailSimError with its message.
"""
import decimal
import json
import re
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Dict, Optional

import pandas as pd

__all__ = ["run", "sweep", "calibrate", "read_run", "read_sweep", "read_posterior", "verify", "parameters", "metrics",
           "salib_problem", "RunResult", "SweepResult", "PosteriorResult", "Verification", "RetailSimError", "binary"]
__version__ = "0.23.0"


class RetailSimError(Exception):
    """The tool refused or failed: `message` is what it printed, `status` its
    exit status (2 for bad input, 1 for other failures)."""

    def __init__(self, message: str, status: int, command=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.command = command


def binary() -> str:
    """The retailsim executable: $RETAILSIM, else `retailsim` on PATH, else the
    release build of the repository this package sits in (or of the current folder)."""
    named = os.environ.get("RETAILSIM")
    if named:
        if not (os.path.isfile(named) and os.access(named, os.X_OK)):
            raise RetailSimError(f"RETAILSIM={named}: not an executable file", 2)
        return named
    found = shutil.which("retailsim")
    if found:
        return found
    here = os.path.dirname(os.path.abspath(__file__))
    for root in (os.path.join(here, "..", ".."), os.getcwd()):
        candidate = os.path.normpath(os.path.join(root, ".build", "release", "retailsim"))
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise RetailSimError("retailsim not found: set RETAILSIM, put it on PATH, or run `make build` in the repository", 2)


def _call(arguments, input_text: Optional[str] = None, timeout: Optional[float] = None, ok=(0,)) -> str:
    command = [binary(), *arguments]
    try:
        done = subprocess.run(command, input=input_text, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RetailSimError(f"retailsim did not finish within {timeout} s (timeout=); it was stopped", 1, command) from None
    except OSError as e:
        raise RetailSimError(f"{command[0]}: cannot run it: {e.strerror or e}", 2, command) from None
    if done.returncode < 0:
        # A crash: its signal, and the first line the tool printed, not its whole backtrace.
        first = next((line for line in done.stderr.splitlines() if line.strip()), "")
        raise RetailSimError(f"retailsim crashed (signal {-done.returncode})" + (f": {first[:300]}" if first else ""),
                             done.returncode, command)
    if done.returncode not in ok:
        message = done.stderr.strip()
        if message.startswith("error: "):
            message = message[len("error: "):]
        raise RetailSimError(message or f"retailsim exited with status {done.returncode}", done.returncode, command)
    return done.stdout


def _dated(frame):
    """The `date` column (each week's first day) as datetime64; folders
    written before 0.21.0 have none."""
    if "date" in frame.columns:
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame


def _plain(value):
    """A numpy scalar, Decimal or other number as the JSON value it stands for
    (SALib and pandas hand out numpy values); anything else is refused."""
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise RetailSimError(f"{value!r}: a value must be a number, true/false or text, not {type(value).__name__}", 2)


def _timeline(changes):
    """A timeline as the tool's JSON reads it: each change a (when, path,
    value) tuple, `when` a week (an integer) or a date ("2020-03-16", a
    datetime.date or a pandas Timestamp), or a {"week" or "date", "path",
    "value"} dict."""
    def when(w):
        if hasattr(w, "strftime"):
            return {"date": w.strftime("%Y-%m-%d")}
        if isinstance(w, str):
            return {"date": w}
        return {"week": w if isinstance(w, int) and not isinstance(w, bool) else _plain(w)}
    entries = []
    for change in changes:
        if isinstance(change, dict):
            entries.append({key: change[key].strftime("%Y-%m-%d") if key == "date" and hasattr(change[key], "strftime") else change[key]
                            for key in change})
        elif isinstance(change, (list, tuple)) and len(change) == 3:
            entries.append({**when(change[0]), "path": change[1], "value": change[2]})
        else:
            raise RetailSimError(f"timeline: {change!r}: each change is (week or date, path, value) or a dict of them", 2)
    return entries


def _facilities(entries):
    """Facility changes as the tool's JSON reads them: each a dict of week,
    action, kind and the place (latitude and longitude, or xKm and yKm)."""
    if not all(isinstance(e, dict) for e in entries):
        raise RetailSimError(f"facilities: {entries!r}: each change is a dict of week, action, kind and the place", 2)
    return [{key: value if isinstance(value, (str, bool, int, float)) else _plain(value) for key, value in e.items()} for e in entries]


def _scenario_arguments(scenario, set, replicates, seed, shoppers, weeks, timeline=None, facilities=None):
    """The options every scenario-taking command shares; `set`, `timeline`
    and `facilities` go in as --params (typed JSON values), the shorthands after it."""
    arguments = [str(scenario)] if scenario is not None else []
    stdin = None
    if set or timeline or facilities:
        arguments += ["--params", "-"]
        params = dict(set or {})
        if timeline:
            params["timeline"] = _timeline(timeline)
        if facilities:
            params["facility"] = _facilities(facilities)
        stdin = json.dumps(params, default=_plain)
    for flag, value in (("--replicates", replicates), ("--seed", seed), ("--shoppers", shoppers), ("--weeks", weeks)):
        if value is not None:
            arguments += [flag, str(value)]
    return arguments, stdin


def _made(command, stdin, out, threads, read, timeout=None):
    """Runs `command` into `out` (a temporary folder, removed once read, when
    None) and returns `read(folder)`; a result read from a temporary folder has
    folder None."""
    # threads=0 goes to the tool, which refuses it, rather than meaning "all cores" in silence.
    return _in_folder(out, lambda folder: _call([*command, "--quiet", "--out", folder]
                                                + (["--threads", str(threads)] if threads is not None else []), stdin, timeout), read)


def _in_folder(out, make, read):
    """`make(folder)` then `read(folder)`, in `out` or in a temporary folder removed once read."""
    scratch = tempfile.mkdtemp(prefix="retailsim-") if out is None else None
    folder = os.path.join(scratch, "out") if scratch else out
    try:
        make(folder)
        result = read(folder)
        if scratch:
            result.folder = None
        return result
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class RunResult:
    """A run's files as DataFrames (the columns are those of the files; see
    docs/MODEL.md section 11 and docs/METRICS.md)."""
    folder: str
    weekly: pd.DataFrame
    members: pd.DataFrame
    retailers: pd.DataFrame
    waits: pd.DataFrame
    summary: pd.DataFrame
    info: Dict = field(default_factory=dict)
    scenario: Dict = field(default_factory=dict)
    # By state, density class and income class at each replicate's end
    # (docs/GEOGRAPHY.md section 5); None for runs made before 0.7.0.
    regions: Optional[pd.DataFrame] = None
    # Every facility, with `retailsim run --write-facilities`; else None.
    facilities: Optional[pd.DataFrame] = None
    # By ZCTA at each replicate's end, with `run(zctas=True)` (`--write-zctas`):
    # regions' columns, then state, latitude, longitude, kmToPlace; else None.
    zctas: Optional[pd.DataFrame] = None


@dataclass
class SweepResult:
    """A sweep's tables as DataFrames: `results` (one row a run), `summary`
    (point, varied paths, metric, replicates, mean, sd, ci95_low, ci95_high),
    `points` (the design) and, with record="weekly", `weekly` (long form)."""
    folder: str
    results: pd.DataFrame
    summary: pd.DataFrame
    points: pd.DataFrame
    weekly: Optional[pd.DataFrame] = None
    plan: Dict = field(default_factory=dict)


def _summary_frame(summary: Dict) -> pd.DataFrame:
    rows = []

    def add(name, stat):
        ci = stat.get("ci95") or [None, None]
        rows.append({"metric": name, "mean": stat["mean"], "sd": stat.get("sd"), "ci95_low": ci[0], "ci95_high": ci[1]})

    for code, stats in summary.get("options", {}).items():
        add(f"spendShare.{code}", stats["spendShare"])
    for code, stats in summary.get("options", {}).items():
        add(f"tripShare.{code}", stats["tripShare"])
    for name, stat in summary.items():
        if isinstance(stat, dict) and "mean" in stat:
            add(name, stat)
    return pd.DataFrame(rows, columns=["metric", "mean", "sd", "ci95_low", "ci95_high"])


def _reading(folder: str, read):
    """`read()`, with a broken or missing file reported as RetailSimError naming it."""
    try:
        return read()
    except (OSError, ValueError, KeyError, pd.errors.ParserError) as e:
        where = getattr(e, "filename", None) or folder
        raise RetailSimError(f"{where}: cannot read it: {e}", 2) from None


def read_run(folder: str) -> RunResult:
    """Reads a run's folder (as `retailsim run --out` writes it)."""
    return _reading(folder, lambda: _read_run(folder))


def _read_run(folder: str) -> RunResult:
    def path(name):
        return os.path.join(folder, name)
    if not os.path.isfile(path("summary.json")):
        raise RetailSimError(f"{folder}: no summary.json; not a finished run folder", 2)
    with open(path("summary.json")) as f:
        summary = json.load(f)
    with open(path("scenario.json")) as f:
        scenario = json.load(f)
    info = {k: v for k, v in summary.items() if not isinstance(v, dict)}

    def optional(name, dtype={"state": str}):
        # keep_default_na=False: a region named "NA" would otherwise read as missing.
        return pd.read_csv(path(name), keep_default_na=False, dtype=dtype) if os.path.isfile(path(name)) else None
    def weekly(name):
        return _dated(pd.read_csv(path(name)))
    return RunResult(folder=folder, weekly=weekly("weekly.csv"), members=weekly("members.csv"),
                     retailers=weekly("retailers.csv"), waits=weekly("waits.csv"),
                     summary=_summary_frame(summary), info=info, scenario=scenario,
                     regions=optional("regions.csv"), facilities=optional("facilities.csv"),
                     # A ZCTA's code keeps its leading zeros; kmToPlace is empty without a place.
                     zctas=optional("zctas.csv", {"state": str, "region": str, "kmToPlace": float}))


def run(scenario=None, set: Optional[Dict] = None, replicates: Optional[int] = None, seed: Optional[int] = None,
        shoppers: Optional[int] = None, weeks: Optional[int] = None, out: Optional[str] = None,
        threads: Optional[int] = None, timeout: Optional[float] = None, timeline: Optional[list] = None,
        facilities: Optional[list] = None, save_state: Optional[tuple] = None, from_state: Optional[str] = None,
        zctas: bool = False) -> RunResult:
    """Runs a scenario (a file, or the built-in baseline) with `set` = {path:
    value} changes, and returns its outputs. `timeline` = [(week, path,
    value), ...] or [("2020-03-16", path, value), ...] changes parameters
    during the run, each from the start of its week (a date's: the week that
    holds it, from `run.start`). The weekly frames carry each week's first
    day in a `date` column (datetime64). `facilities` = [{"week": 13, "action": "open", "kind": "store",
    "latitude": 36.37, "longitude": -94.21}, ...] opens, closes or watches
    facilities at places (regions has the distance bands around each); `zctas`
    also reads each ZCTA's figures at the end (real country). Without `out` the files go to a temporary folder that is removed
    once read. `timeout` (seconds) stops a run that takes longer and raises
    RetailSimError. `save_state` = (week, path) also saves every replicate's
    market after that week; `from_state` = path continues a saved run (no
    `scenario`; `set`, `timeline` and `facilities` fork it from the week
    after the save), writing the same files as the straight run when nothing
    is changed."""
    if from_state is not None and scenario is not None:
        raise RetailSimError("from_state: the state holds its scenario; change it with set, timeline or facilities", 2)
    arguments, stdin = _scenario_arguments(scenario, set, replicates, seed, shoppers, weeks, timeline, facilities)
    if save_state is not None:
        week, path = save_state
        arguments += ["--save-state", f"{int(week)}:{os.fspath(path)}"]
    if from_state is not None:
        arguments += ["--from-state", os.fspath(from_state)]
    if zctas:
        arguments.append("--write-zctas")
    return _made(["run", *arguments], stdin, out, threads, read_run, timeout)


def state_info(path: str) -> Dict:
    """What a state file (`run --save-state`) says of itself, read without
    restoring it: version, week (weeks done at the save), replicates and the
    scenario as run (a dict, as scenario.json has it)."""
    with open(path, "rb") as f:
        magic = f.read(16)
        if magic != b"RETAILSIM STATE\n":
            raise RetailSimError(f"{path}: not a RetailSim state file", 2)
        length = int.from_bytes(f.read(8), "little")
        if length > 1 << 30:
            raise RetailSimError(f"{path}: its header does not read: cut short or damaged", 2)
        data = f.read(length)
    try:
        header = json.loads(data)
        header["scenario"] = json.loads(header["scenario"])
    except (ValueError, KeyError) as e:
        raise RetailSimError(f"{path}: its header does not read ({e})", 2)
    return header


def read_sweep(folder: str) -> SweepResult:
    """Reads a merged sweep's folder (as `retailsim sweep --out` writes it)."""
    return _reading(folder, lambda: _read_sweep(folder))


def _read_sweep(folder: str) -> SweepResult:
    """Reads a merged sweep's folder."""
    def path(name):
        return os.path.join(folder, name)
    if not os.path.isfile(path("summary.csv")):
        raise RetailSimError(f"{folder}: no summary.csv; merge the sweep first (retailsim sweep merge {folder})", 2)
    with open(path("sweep.json")) as f:
        plan = json.load(f)
    summary = pd.read_csv(path("summary.csv")).rename(columns={"ci95Low": "ci95_low", "ci95High": "ci95_high"})
    weekly = _dated(pd.read_csv(path("weekly.csv"))) if os.path.isfile(path("weekly.csv")) else None
    return SweepResult(folder=folder, results=pd.read_csv(path("results.csv")), summary=summary,
                       points=pd.read_csv(path("points.csv")), weekly=weekly, plan=plan)


def sweep(vary: Optional[Dict[str, str]] = None, design: str = "grid", scenario=None, set: Optional[Dict] = None,
          replicates: Optional[int] = None, seed: Optional[int] = None, shoppers: Optional[int] = None,
          weeks: Optional[int] = None, seeds: str = "common", record: str = "summary", out: Optional[str] = None,
          threads: Optional[int] = None, arguments: Optional[list] = None, timeout: Optional[float] = None,
          timeline: Optional[list] = None, facilities: Optional[list] = None, executor=None,
          shards: Optional[int] = None) -> SweepResult:
    """Runs a sweep: `vary` = {path: "lo:hi:n" | "lo:hi" | "a,b,c" | [a, b, c]}
    over `design` ("grid", "lhs:N", "sobol:N" or "points:FILE.csv"), with
    replicates at each point. Resumes if `out` already holds the same plan.
    Without `out` the folder is temporary and removed once read. `arguments`
    are more command-line arguments for `retailsim sweep`, passed as they are;
    `timeline` and `facilities` as for `run`, the same at every point.

    With `executor` (any concurrent.futures.Executor: a process or thread
    pool, Dask's or mpi4py's), the sweep is planned, its `shards` shards
    (default 8) are submitted to the executor as `retailsim sweep run
    --shard i/n` on one thread each, and merged: the same files as without."""
    extra = list(arguments or [])
    arguments, stdin = _scenario_arguments(scenario, set, replicates, seed, shoppers, weeks, timeline, facilities)
    arguments += extra
    for path, spec in (vary or {}).items():
        if isinstance(spec, (list, tuple)):
            values = [_plain(v) if not isinstance(v, (str, int, float, bool)) else v for v in spec]
            if any("," in str(v) for v in values):
                raise RetailSimError(f"{path}: {spec!r}: a listed value cannot hold a comma (it separates the values)", 2)
            spec = ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)
        arguments += ["--vary", f"{path}={spec}"]
    arguments += ["--design", design, "--seeds", seeds, "--record", record]
    if executor is None:
        return _made(["sweep", *arguments], stdin, out, threads, read_sweep, timeout)
    def make(folder):
        _call(["sweep", "plan", *arguments, "--out", folder], stdin, timeout)
        _run_shards(executor, folder, 8 if shards is None else shards, timeout)
        _call(["sweep", "merge", folder], None, timeout)
    return _in_folder(out, make, read_sweep)


def _sweep_shard(tool: str, folder: str, index: int, count: int, timeout: Optional[float]) -> str:
    """One shard on one thread; module-level, so that a process pool can pickle it."""
    os.environ["RETAILSIM"] = tool
    return _call(["sweep", "run", folder, "--shard", f"{index}/{count}", "--threads", "1", "--quiet"], None, timeout)


def _run_shards(executor, folder: str, count: int, timeout: Optional[float]):
    if not isinstance(count, int) or count < 1:
        raise RetailSimError(f"shards={count!r}: allowed: a whole number of at least 1", 2)
    tool = os.path.abspath(binary())
    futures = [executor.submit(_sweep_shard, tool, os.path.abspath(folder), i, count, timeout) for i in range(count)]
    for f in futures:
        f.result()


@dataclass
class PosteriorResult:
    """A Bayesian calibration's tables (`retailsim calibrate --posterior`;
    docs/REPRODUCE.md, "The posterior"): `sample`, the weighted posterior
    sample (a `weight` column, then each prior's parameter value);
    `predictive`, every figure against its 90 % posterior predictive interval;
    `waves` and `emulators`, the diagnostics; `info`, posterior.json
    (settings, effective sample size, the held-out coverage, seed, version);
    `benchmark`, benchmark.json for a benchmark's posterior (else None)."""
    folder: str
    sample: pd.DataFrame
    predictive: pd.DataFrame
    waves: pd.DataFrame
    emulators: pd.DataFrame
    info: Dict = field(default_factory=dict)
    benchmark: Optional[Dict] = None


def read_posterior(folder: str) -> PosteriorResult:
    """Reads a Bayesian calibration's folder."""
    def read():
        def path(name):
            return os.path.join(folder, name)
        if not os.path.isfile(path("posterior.json")):
            raise RetailSimError(f"{folder}: no posterior.json; run `retailsim calibrate --posterior --out {folder}` to its end", 2)
        with open(path("posterior.json")) as f:
            info = json.load(f)
        benchmark = None
        if os.path.isfile(path("benchmark.json")):
            with open(path("benchmark.json")) as f:
                benchmark = json.load(f)
        return PosteriorResult(folder=folder, sample=pd.read_csv(path("posterior.csv")), predictive=pd.read_csv(path("predictive.csv")),
                               waves=pd.read_csv(path("waves.csv")), emulators=pd.read_csv(path("emulators.csv")), info=info,
                               benchmark=benchmark)
    return _reading(folder, read)


def calibrate(out: str, scenario=None, priors: Optional[str] = None, shoppers: Optional[int] = None,
              replicates: Optional[int] = None, waves: Optional[int] = None, wave_points: Optional[int] = None,
              candidates: Optional[int] = None, near_points: Optional[int] = None, threads: Optional[int] = None, executor=None,
              shards: Optional[int] = None, arguments: Optional[list] = None, timeout: Optional[float] = None,
              chain_steps: Optional[int] = None, benchmark: Optional[str] = None) -> PosteriorResult:
    """The Bayesian calibration (`retailsim calibrate --posterior`) into
    `out`, resumed when `out` holds its waves. Without `executor` the tool
    runs every wave itself; with one (any concurrent.futures.Executor), each
    wave is planned (`--plan-only`), its `shards` shards (default 8) run on
    the executor, and the tool is called again for the next, until the
    posterior is written. With `benchmark` (e.g. "gaussian-linear") the same
    waves, emulators and chains calibrate a problem whose posterior is known
    instead of the model; the result's `benchmark` holds the task and its
    closed-form answer, for another tool to solve. `arguments` go to the
    tool as they are."""
    if benchmark is not None and executor is not None:
        raise RetailSimError("calibrate: a benchmark runs its waves itself (in about a second); leave out executor", 2)
    command = ["calibrate", "--posterior", "--quiet", "--out", out]
    if scenario is not None:
        command.insert(1, str(scenario))
    for flag, value in (("--priors", priors), ("--fit-shoppers", shoppers), ("--fit-replicates", replicates),
                        ("--waves", waves), ("--wave-points", wave_points), ("--candidates", candidates),
                        ("--near-points", near_points), ("--threads", threads), ("--chain-steps", chain_steps),
                        ("--benchmark", benchmark)):
        if value is not None:
            command += [flag, str(value)]
    command += list(arguments or [])
    if executor is None:
        _call(command, None, timeout)
        return read_posterior(out)
    while True:
        printed = _call(command + ["--plan-only"], None, timeout)
        planned = re.search(r"planned wave (\d+) in (.+?)/;", printed)
        if planned is None:
            return read_posterior(out)
        _run_shards(executor, planned.group(2), 8 if shards is None else shards, timeout)


@dataclass
class Verification:
    """`retailsim verify`: `same` is True when every file the recorded command
    writes matches; `files` has one row a file (name, verdict: same, differs,
    missing or unchecked, and detail: where a differing file parts);
    `info` the folder's kind and versions."""
    same: bool
    files: pd.DataFrame
    info: Dict = field(default_factory=dict)


def verify(folder: str, threads: Optional[int] = None, timeout: Optional[float] = None) -> Verification:
    """Re-makes a run, sweep or reproduce folder from what it recorded and
    compares it file by file. A difference is an answer (same=False), not an
    error; a folder that cannot be read raises RetailSimError (status 2)."""
    arguments = ["verify", str(folder), "--format", "json"] + (["--threads", str(threads)] if threads is not None else [])
    report = json.loads(_call(arguments, timeout=timeout, ok=(0, 1)))
    files = pd.DataFrame(report.pop("files"), columns=["name", "verdict", "detail"])
    return Verification(same=report["allSame"], files=files, info=report)


def parameters() -> pd.DataFrame:
    """Every parameter: path, type, value, default, unit, allowed, meaning."""
    return pd.DataFrame(json.loads(_call(["scenario", "show", "--format", "json"])))


def metrics() -> pd.DataFrame:
    """Every metric: name, kind, unit, minimum, maximum, option, weekly, meaning, computation."""
    return pd.DataFrame(json.loads(_call(["metrics", "--format", "json"])))


def salib_problem(vary: Dict[str, tuple]) -> Dict:
    """SALib's problem dictionary for parameters and their (low, high) ranges,
    each path checked against RetailSim's catalogue."""
    known = parameters()
    numbers = known[known["type"].isin(["number", "integer"])].set_index("path")
    for path, bounds in vary.items():
        if path not in numbers.index:
            raise RetailSimError(f"{path}: not a numeric parameter; retailsim.parameters() lists them", 2)
        low, high = (float(_plain(b)) if not isinstance(b, (int, float)) else float(b) for b in bounds)
        if not low < high:
            raise RetailSimError(f"{path}: ({low}, {high}): allowed: low < high", 2)
        # Both ends within what the catalogue allows ("a number in (1e-12, 1000]").
        allowed = numbers.loc[path, "allowed"]
        m = re.search(r"([\[(])(-?[0-9.e+-]+), (-?[0-9.e+-]+)([\])])$", allowed)
        if m:
            lo, hi = float(m.group(2)), float(m.group(3))
            inside = (lambda x: (x >= lo if m.group(1) == "[" else x > lo) and (x <= hi if m.group(4) == "]" else x < hi))
            if not (inside(low) and inside(high)):
                raise RetailSimError(f"{path}: ({low}, {high}): out of range; allowed: {allowed}", 2)
    return {"num_vars": len(vary), "names": list(vary), "bounds": [[float(lo), float(hi)] for lo, hi in vary.values()]}
