"""The package against the real tool, on a small market."""
import json
import os
import subprocess

import pandas as pd
import pytest

import retailsim

SMALL = dict(shoppers=2000, weeks=10, replicates=2)
WARM = {"run.warmupWeeks": 2}


def test_run_returns_the_files_as_frames(tmp_path):
    result = retailsim.run(set={**WARM, "amazon.prime.monthlyFee": 11.5}, out=str(tmp_path / "r"), **SMALL)
    assert list(result.weekly.columns) == ["replicate", "week", "segment", "option", "trips", "revenue", "groceryTrips", "groceryRevenue", "date"]
    # Groceries are part of each row's trips and spend, and some are bought.
    assert (result.weekly["groceryTrips"] <= result.weekly["trips"]).all()
    assert (result.weekly["groceryRevenue"] <= result.weekly["revenue"] + 0.01).all()
    assert result.weekly["groceryTrips"].sum() > 0
    # replicates x weeks x segments x options (A, WS, WO, OS, OO, WP)
    assert len(result.weekly) == 2 * 10 * 3 * 6
    assert sorted(set(result.weekly["option"])) == ["A", "OO", "OS", "WO", "WP", "WS"]
    assert set(result.members["programme"]) == {"prime", "plus"}
    assert list(result.summary.columns) == ["metric", "mean", "sd", "ci95_low", "ci95_high"]
    assert set(result.summary["metric"]) == set(retailsim.metrics()["name"])
    # The same figures as the tool's own summary.json.
    with open(tmp_path / "r" / "summary.json") as f:
        summary = json.load(f)
    prime = result.summary.set_index("metric").loc["primeShare"]
    assert prime["mean"] == summary["primeShare"]["mean"]
    assert prime["ci95_low"] <= prime["mean"] <= prime["ci95_high"]
    assert result.scenario["amazon"]["prime"]["monthlyFee"] == 11.5
    assert result.info["version"] == retailsim.__version__
    # Spend shares of the options add up to one.
    shares = result.summary[result.summary["metric"].str.startswith("spendShare.")]["mean"]
    assert abs(shares.sum() - 1) < 1e-9
    # Where each strategy wins: every state, the density and income classes, each replicate.
    regions = result.regions
    assert set(regions["kind"]) == {"state", "density", "income"}
    states = regions[(regions["kind"] == "state") & (regions["replicate"] == 1)]
    assert len(states) == 51 and "NA" not in set(states["region"])
    assert states["agents"].sum() == SMALL["shoppers"]
    options = regions[[c for c in regions.columns if c.startswith("spendShare.")]].sum(axis=1)
    assert ((options - 1).abs() < 1e-5).all()


def test_run_without_out_leaves_nothing_behind():
    result = retailsim.run(set=WARM, **SMALL)
    assert result.folder is None
    assert len(result.retailers) == 2 * 10 * 2


def test_errors_become_exceptions_with_the_message():
    with pytest.raises(retailsim.RetailSimError) as caught:
        retailsim.run(set={"amazon.prime.fee": 3}, **SMALL)
    assert caught.value.status == 2
    assert "did you mean 'amazon.prime.monthlyFee'" in caught.value.message
    with pytest.raises(retailsim.RetailSimError, match="out of range"):
        retailsim.run(set={"amazon.prime.monthlyFee": -1}, **SMALL)


def test_sweep_with_weekly_records(tmp_path):
    result = retailsim.sweep(vary={"amazon.prime.monthlyFee": [10, 20], "choice.distanceDecay": ["linear", "power"]},
                             set=WARM, record="weekly", out=str(tmp_path / "s"), **SMALL)
    assert len(result.points) == 4
    assert len(result.results) == 4 * 2
    prime = result.summary[result.summary["metric"] == "primeShare"]
    assert list(prime.columns[:3]) == ["point", "amazon.prime.monthlyFee", "choice.distanceDecay"]
    assert prime["mean"].between(0, 1).all() and (prime["replicates"] == 2).all()
    assert list(result.weekly.columns) == ["point", "replicate", "week", "metric", "value", "date"]
    assert result.weekly["week"].max() == 10
    again = retailsim.read_sweep(str(tmp_path / "s"))
    pd.testing.assert_frame_equal(again.results, result.results)


def test_catalogues_and_salib_problem():
    parameters = retailsim.parameters()
    fee = parameters.set_index("path").loc["amazon.prime.monthlyFee"]
    assert fee["unit"] == "dollars a month"
    assert fee["default"] == 14.99
    metrics = retailsim.metrics()
    assert set(metrics["kind"]) <= {"share", "shareChange", "ratio", "hours", "index", "dollars"}
    problem = retailsim.salib_problem({"amazon.priceIndex": (0.92, 1.08), "membership.imitation": (0, 0.1)})
    assert problem == {"num_vars": 2, "names": ["amazon.priceIndex", "membership.imitation"], "bounds": [[0.92, 1.08], [0.0, 0.1]]}
    with pytest.raises(retailsim.RetailSimError, match="not a numeric parameter"):
        retailsim.salib_problem({"amazon.prime.fee": (0, 1)})


def test_binary_is_found_through_retailsim(monkeypatch, tmp_path):
    monkeypatch.setenv("RETAILSIM", str(tmp_path / "nothing-here"))
    with pytest.raises(retailsim.RetailSimError, match="not an executable"):
        retailsim.binary()


def test_numpy_and_decimal_values_go_in_as_numbers(tmp_path):
    """F21: SALib and pandas hand out numpy values; they are numbers to the tool."""
    import decimal
    import numpy as np
    result = retailsim.run(set={**WARM, "amazon.prime.monthlyFee": np.float32(12.5), "run.seed": np.int64(3),
                                "membership.enabled": np.bool_(True), "walmart.plus.monthlyFee": decimal.Decimal("11.25")},
                           out=str(tmp_path / "n"), **SMALL)
    assert result.scenario["amazon"]["prime"]["monthlyFee"] == 12.5
    assert result.scenario["walmart"]["plus"]["monthlyFee"] == 11.25
    with pytest.raises(retailsim.RetailSimError):
        retailsim.run(set={"amazon.prime.monthlyFee": object()}, **SMALL)


def test_bad_calls_are_retailsim_errors(tmp_path, monkeypatch):
    """F21: threads=0, a listed value with a comma, bounds outside the catalogue,
    a broken folder, a program that is not one, a hang and a crash each raise
    RetailSimError with a message, never another exception or a silent default."""
    with pytest.raises(retailsim.RetailSimError) as e:
        retailsim.run(threads=0, **SMALL)
    assert e.value.status == 2 and "--threads" in e.value.message
    with pytest.raises(retailsim.RetailSimError, match="comma"):
        retailsim.sweep(vary={"amazon.strategy.pricing": ["match", "fixed,learn"]}, **SMALL)
    with pytest.raises(retailsim.RetailSimError, match="out of range"):
        retailsim.salib_problem({"amazon.prime.monthlyFee": (-100, 5000)})
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "summary.json").write_text("{not json")
    with pytest.raises(retailsim.RetailSimError, match="cannot read it"):
        retailsim.read_run(str(broken))
    script = tmp_path / "notaprogram"
    script.write_text("plain text, no interpreter line\n")
    script.chmod(0o755)
    monkeypatch.setenv("RETAILSIM", str(script))
    with pytest.raises(retailsim.RetailSimError, match="cannot run it"):
        retailsim.parameters()
    hang = tmp_path / "hang"
    hang.write_text("#!/bin/sh\nsleep 30\n")
    hang.chmod(0o755)
    monkeypatch.setenv("RETAILSIM", str(hang))
    with pytest.raises(retailsim.RetailSimError, match="did not finish"):
        retailsim.run(timeout=1, **SMALL)
    crash = tmp_path / "crash"
    crash.write_text("#!/bin/sh\necho 'Fatal error: something' >&2\nkill -SEGV $$\n")
    crash.chmod(0o755)
    monkeypatch.setenv("RETAILSIM", str(crash))
    with pytest.raises(retailsim.RetailSimError, match=r"crashed \(signal 11\): Fatal error: something"):
        retailsim.parameters()


def test_verify_says_whether_a_folder_is_what_the_code_makes(tmp_path):
    folder = tmp_path / "r"
    retailsim.run(set=WARM, out=str(folder), **SMALL)
    checked = retailsim.verify(str(folder), threads=1)
    assert checked.same and set(checked.files["verdict"]) == {"same"}
    assert "weekly.csv" in set(checked.files["name"])
    assert checked.info["kind"] == "a run" and checked.info["recordedVersion"] == retailsim.__version__
    # One changed byte is an answer, not an error: which file, and where.
    weekly = folder / "weekly.csv"
    text = weekly.read_text()
    weekly.write_text(text.replace(",", ";", 1))
    changed = retailsim.verify(str(folder))
    assert not changed.same
    row = changed.files.set_index("name").loc["weekly.csv"]
    assert row["verdict"] == "differs" and row["detail"].startswith("line 1:")
    # A folder that is not a run's, sweep's or reproduction's is an error with status 2.
    with pytest.raises(retailsim.RetailSimError) as refused:
        retailsim.verify(str(tmp_path / "absent"))
    assert refused.value.status == 2 and "no such folder" in refused.value.message


def test_a_timeline_changes_a_parameter_from_its_week(tmp_path):
    changed = retailsim.run(set=WARM, timeline=[(4, "amazon.prime.monthlyFee", 30)], out=str(tmp_path / "t"), **SMALL)
    assert changed.scenario["timeline"] == [{"week": 4, "path": "amazon.prime.monthlyFee", "value": 30}]
    same = retailsim.run(set=WARM, out=str(tmp_path / "s"), **SMALL)
    members = lambda r: r.members[r.members["programme"] == "prime"].groupby("week")["members"].sum()
    # The same weeks before the change; fewer Prime members after a fee of $30 has acted.
    assert (members(changed).loc[:3] == members(same).loc[:3]).all()
    assert members(changed).iloc[-1] < members(same).iloc[-1]
    with pytest.raises(retailsim.RetailSimError) as refused:
        retailsim.run(timeline=[(4, "population.shoppers", 10)], **SMALL)
    assert refused.value.status == 2 and "cannot change during a run" in refused.value.message


def test_a_dated_change_acts_from_the_week_that_holds_it_and_frames_carry_dates(tmp_path):
    import datetime
    start = {**WARM, "run.start": "2021-03-01"}
    # 2021-03-24 is in week 4 (from Monday 22 March); the same change as week 4's.
    dated = retailsim.run(set=start, timeline=[(datetime.date(2021, 3, 24), "amazon.prime.monthlyFee", 30)], out=str(tmp_path / "d"), **SMALL)
    weekly = retailsim.run(set=start, timeline=[(4, "amazon.prime.monthlyFee", 30)], out=str(tmp_path / "w"), **SMALL)
    assert dated.scenario["timeline"] == [{"date": "2021-03-24", "path": "amazon.prime.monthlyFee", "value": 30}]
    assert dated.members.equals(weekly.members)
    for frame in (dated.weekly, dated.members, dated.waits, dated.retailers):
        assert str(frame["date"].dtype).startswith("datetime64")
        first = frame.groupby("week")["date"].first()
        assert first.loc[1] == pd.Timestamp("2021-03-01") and (first.diff().dropna() == pd.Timedelta(days=7)).all()
    with pytest.raises(retailsim.RetailSimError) as refused:
        retailsim.run(set=start, timeline=[("2021-02-01", "amazon.prime.monthlyFee", 30)], **SMALL)
    assert refused.value.status == 2 and "outside the run" in refused.value.message and "2021-03-01 (run.start)" in refused.value.message


def test_a_saved_run_continues_as_the_straight_run_and_forks(tmp_path):
    state = tmp_path / "w5.state"
    straight = retailsim.run(set=WARM, save_state=(5, state), out=str(tmp_path / "s"), **SMALL)
    info = retailsim.state_info(str(state))
    assert info["week"] == 5 and info["replicates"] == 2 and info["version"] == retailsim.__version__
    assert info["scenario"]["population"]["shoppers"] == 2000
    continued = retailsim.run(from_state=str(state), out=str(tmp_path / "c"))
    assert continued.weekly.equals(straight.weekly) and continued.members.equals(straight.members)
    fork = retailsim.run(from_state=str(state), set={"amazon.prime.monthlyFee": 40}, out=str(tmp_path / "f"))
    prime = lambda r: r.members[r.members["programme"] == "prime"].groupby("week")["members"].sum()
    assert (prime(fork).loc[:5] == prime(straight).loc[:5]).all() and prime(fork).iloc[-1] < prime(straight).iloc[-1]
    with pytest.raises(retailsim.RetailSimError) as refused:
        retailsim.run(from_state=str(state), set={"population.shoppers": 3000})
    assert refused.value.status == 2 and "cannot change when a run is continued" in refused.value.message


def test_facilities_open_a_store_and_report_the_bands_around_it(tmp_path):
    place = {"latitude": 36.37, "longitude": -94.21}
    opened = retailsim.run(facilities=[dict(week=2, action="open", kind="store", **place)], out=str(tmp_path / "o"), **SMALL)
    assert opened.scenario["facility"] == [dict(week=2, action="open", kind="store", **place)]
    bands = opened.regions[opened.regions["kind"] == "band"]
    assert sorted(set(bands["region"])) == sorted(f"place 1 at {b}" for b in ["0-2 km", "2-5 km", "5-10 km", "10-20 km", "20-50 km"])
    with pytest.raises(retailsim.RetailSimError) as refused:
        retailsim.run(facilities=[dict(week=2, action="open", kind="mall", **place)], **SMALL)
    assert refused.value.status == 2 and "mall" in refused.value.message
    assert opened.zctas is None
    by_zcta = retailsim.run(facilities=[dict(week=2, action="open", kind="store", **place)], zctas=True, **SMALL).zctas
    assert (by_zcta.groupby("replicate")["agents"].sum() == SMALL["shoppers"]).all()
    assert by_zcta["region"].str.len().eq(5).all(), "ZCTA codes keep their leading zeros"
    assert by_zcta["kmToPlace"].min() < 100 and by_zcta["kmToPlace"].notna().all()


def test_sweep_on_an_executor_is_the_same_sweep(tmp_path):
    from concurrent.futures import ProcessPoolExecutor
    vary = {"amazon.prime.monthlyFee": [10, 20]}
    alone = retailsim.sweep(vary=vary, set=WARM, out=str(tmp_path / "alone"), **SMALL)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = retailsim.sweep(vary=vary, set=WARM, out=str(tmp_path / "pooled"), executor=pool, shards=3, **SMALL)
    pd.testing.assert_frame_equal(alone.results, pooled.results)
    pd.testing.assert_frame_equal(alone.summary, pooled.summary)
    assert sorted(n for n in os.listdir(tmp_path / "pooled" / "shards") if n.endswith(".csv")) == [f"shard-{i}-of-3.csv" for i in range(3)]
    with pytest.raises(retailsim.RetailSimError, match="shards=0"):
        with ProcessPoolExecutor(max_workers=1) as pool:
            retailsim.sweep(vary=vary, set=WARM, executor=pool, shards=0, **SMALL)


PRIORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "two-priors.toml")


def test_calibrate_on_an_executor_is_the_same_posterior(tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    small = dict(priors=PRIORS, shoppers=600, waves=2, wave_points=8, candidates=500, near_points=3)
    alone = retailsim.calibrate(out=str(tmp_path / "alone"), **small)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = retailsim.calibrate(out=str(tmp_path / "pooled"), executor=pool, shards=2, **small)
    assert list(alone.sample.columns) == ["weight", "constantA", "plusBenefit"]
    assert alone.sample["constantA"].between(-4, 0).all() and alone.sample["plusBenefit"].between(1, 40).all()
    assert abs(alone.sample["weight"].sum() + alone.info["weightLeftOut"] - 1) < 1e-9
    # Wave 1: eight space-filling points, the scenario's own and three around it.
    assert list(alone.waves["points"]) == [12, 8] and alone.info["version"] == retailsim.__version__
    assert set(alone.predictive["use"]) == {"calibration", "validation"}
    assert alone.info["heldOut"] == (alone.predictive["use"] == "validation").sum()
    pd.testing.assert_frame_equal(alone.sample, pooled.sample)
    pd.testing.assert_frame_equal(alone.predictive, pooled.predictive)
    assert sorted(n for n in os.listdir(tmp_path / "pooled" / "wave-2" / "shards") if n.endswith(".csv")) == ["shard-0-of-2.csv", "shard-1-of-2.csv"]
    # A wave merges like any sweep, and its table shows figures, not shares.
    merged = subprocess.run([retailsim.binary(), "sweep", "merge", str(tmp_path / "alone" / "wave-2")], capture_output=True, text=True)
    assert merged.returncode == 0, merged.stderr
    assert "level:amazonShareOfOnline" in merged.stdout
