"""The committed posterior's calibration, small (issue 26, item 6): the same
command, priors (Experiments/targets/us-priors.toml), scenario and evidence
as Experiments/scripts/posterior.sh, at 2,000 households, two waves of 40
points (and 11 near the committed fit) and short chains: about a minute on
two cores. It checks that the whole path runs and writes a posterior every
figure is checked against, not what the posterior says (too small to say).
Run from the repository, as `make test-python` does: the evidence's files
are named from there."""
import os
import tomllib

import pandas as pd

import retailsim

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def test_the_us_posterior_runs_end_to_end_small(tmp_path):
    with open(os.path.join(ROOT, "Experiments", "targets", "us-priors.toml"), "rb") as f:
        priors = tomllib.load(f)["priors"]
    committed = pd.read_csv(os.path.join(ROOT, "Results", "posterior-us-2024", "predictive.csv"))
    small = retailsim.calibrate(out=str(tmp_path / "posterior"), shoppers=2000, waves=2, wave_points=40, near_points=10,
                                candidates=2000, chain_steps=400)
    assert small.info["version"] == retailsim.__version__ and small.info["shoppers"] == 2000
    assert list(small.waves["points"]) == [51, 40] and small.info["failedRuns"] == 0
    # Every prior a column of the sample, every value inside its prior's box.
    assert list(small.sample.columns) == ["weight"] + list(priors)
    for name, prior in priors.items():
        slack = 1e-9 * max(1, abs(prior["lower"]), abs(prior["upper"]))
        assert small.sample[name].between(prior["lower"] - slack, prior["upper"] + slack).all(), name
    assert abs(small.sample["weight"].sum() + small.info["weightLeftOut"] - 1) < 1e-9
    # Every figure the committed posterior checks is checked, with an ordered interval.
    assert list(small.predictive["figure"]) == list(committed["figure"])
    assert (small.predictive["q05"] <= small.predictive["q95"]).all()
    assert small.info["heldOut"] == (committed["use"] == "validation").sum()
    assert 0 <= small.info["heldOutCovered"] <= small.info["heldOut"]
