"""The calibration's benchmark solved by an independent tool (issue 26):
RetailSim's history matching, emulators and chains on the gaussian-linear
task (`retailsim calibrate --benchmark`), against pyabc's ABC-SMC with
stochastic acceptance (exact for a Gaussian error, Wilkinson 2013) on the
same task read from benchmark.json, and both against the closed form."""
import numpy as np
import pytest
import pyabc  # a test dependency: pip install './python[test]'

import retailsim


def weighted(values, weights):
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    mean = np.sum(w * values)
    return mean, np.sqrt(np.sum(w * (values - mean) ** 2)), 1 / np.sum(w ** 2)


def solve_with_pyabc(task, database):
    """ABC-SMC on the task: each fitted figure simulated as the tool's run
    makes it (A x plus the run's noise), accepted with the figures' Gaussian
    error as the kernel, the temperature lowered to 1 (the exact posterior)."""
    held = set(i - 1 for i in task["heldOut"])
    rows = np.array([r for i, r in enumerate(task["matrix"]) if i not in held])
    observed = np.array([z for i, z in enumerate(task["observed"]) if i not in held])
    noise = task["runNoiseSd"]
    generator = np.random.default_rng(task["seed"])

    def model(p):
        return {"z": rows @ np.array([p["x1"], p["x2"]]) + generator.normal(0, noise, len(rows))}

    prior = pyabc.Distribution(x1=pyabc.RV("uniform", 0, 1), x2=pyabc.RV("uniform", 0, 1))
    kernel = pyabc.IndependentNormalKernel(var=[task["observationSd"] ** 2] * len(rows))
    abc = pyabc.ABCSMC(model, prior, kernel, population_size=1000, eps=pyabc.Temperature(),
                       acceptor=pyabc.StochasticAcceptor(), sampler=pyabc.sampler.SingleCoreSampler())
    np.random.seed(task["seed"])  # pyabc's own proposals draw from numpy's global generator
    abc.new("sqlite:///" + str(database), {"z": observed})
    history = abc.run(max_nr_populations=20)
    frame, weights = history.get_distribution()
    return frame, weights


def test_the_benchmark_posterior_is_the_one_pyabc_finds(tmp_path):
    ours = retailsim.calibrate(out=str(tmp_path / "benchmark"), benchmark="gaussian-linear")
    task = ours.benchmark
    assert task is not None and task["benchmark"] == "gaussian-linear" and task["version"] == retailsim.__version__
    assert list(ours.sample.columns) == ["weight", "x1", "x2"]
    # The held-out figure (z4 = x2) is the posterior's predictive check.
    assert ours.info["heldOut"] == 1 and list(ours.predictive["use"]) == ["calibration"] * 3 + ["validation"]

    frame, weights = solve_with_pyabc(task, tmp_path / "abc.db")
    exact_sd = np.sqrt(np.diag(task["closedFormCovariance"]))
    for k, name in enumerate(["x1", "x2"]):
        mean, sd, ess = weighted(ours.sample[name].to_numpy(), ours.sample["weight"].to_numpy())
        ess = min(ess, ours.info["effectiveSampleSize"])  # the chains' states are correlated
        abc_mean, abc_sd, abc_ess = weighted(frame[name].to_numpy(), weights)
        # Monte Carlo error of the difference of two means, each sd / sqrt(ESS).
        error = np.sqrt(sd ** 2 / ess + abc_sd ** 2 / abc_ess)
        assert abs(mean - abc_mean) < 4 * error, f"{name}: RetailSim {mean:.4f}, pyabc {abc_mean:.4f}, Monte Carlo error {error:.4f}"
        # An sd from n effective draws has relative error about 1 / sqrt(2 n).
        spread = np.sqrt(1 / (2 * ess) + 1 / (2 * abc_ess))
        assert abs(sd / abc_sd - 1) < 4 * spread, f"{name}: sd RetailSim {sd:.4f}, pyabc {abc_sd:.4f}"
        # Both near the closed form (the box holds it beyond 4 sd).
        for who, m, s, n in (("RetailSim", mean, sd, ess), ("pyabc", abc_mean, abc_sd, abc_ess)):
            assert abs(m - task["closedFormMean"][k]) < 4 * s / np.sqrt(n) + 0.05 * exact_sd[k], f"{who} {name} mean {m:.4f}"
            assert abs(s / exact_sd[k] - 1) < 4 / np.sqrt(2 * n) + 0.05, f"{who} {name} sd {s:.4f} against {exact_sd[k]:.4f}"


def test_a_benchmark_runs_its_waves_itself(tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool, pytest.raises(retailsim.RetailSimError) as refused:
        retailsim.calibrate(out=str(tmp_path / "b"), benchmark="gaussian-linear", executor=pool)
    assert refused.value.status == 2 and "executor" in refused.value.message and not (tmp_path / "b").exists()
