# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # RetailSim quickstart
#
# The baseline, a sweep of the Prime fee, a plot, and the report, from
# Python. Open this file as a notebook with Jupytext (`jupytext --to ipynb`),
# or run it as it is: `python3 python/examples/quickstart.py`. CI runs it.

# %%
import os
import tempfile

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import retailsim

SIZE = dict(shoppers=20000, weeks=52)
work = tempfile.mkdtemp(prefix="retailsim-quickstart-")

# %% [markdown]
# ## The baseline: three replicates, their summary as a DataFrame

# %%
base = retailsim.run(replicates=3, out=os.path.join(work, "baseline"), **SIZE)
print(base.summary.set_index("metric").loc[["onlineShare", "amazonShareOfOnline", "walmartShareOfOnline", "primeShare"]])

# %% [markdown]
# ## Groceries and pickup: each option's spend and its grocery part
#
# `weekly` has every option (WP is Walmart-like pickup) by segment, with
# the grocery part of its trips and spend; the summary has the category's
# levels.

# %%
spend = base.weekly.groupby("option")[["revenue", "groceryRevenue"]].sum()
spend["groceryPart"] = spend["groceryRevenue"] / spend["revenue"]
print(spend)
print(base.summary.set_index("metric").loc[["walmartShareOfGrocery", "onlineShareOfGrocery", "pickupShareOfOnlineGrocery"]])

# %% [markdown]
# ## The Prime fee swept from $7.99 to $21.99, weekly series kept

# %%
fees = retailsim.sweep(vary={"amazon.prime.monthlyFee": "7.99:21.99:5"}, replicates=3, record="weekly",
                       out=os.path.join(work, "fees"), **SIZE)
prime = fees.summary[fees.summary["metric"] == "primeShare"]
print(prime[["amazon.prime.monthlyFee", "mean", "ci95_low", "ci95_high"]])

# %%
figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.errorbar(prime["amazon.prime.monthlyFee"], 100 * prime["mean"],
              yerr=[100 * (prime["mean"] - prime["ci95_low"]), 100 * (prime["ci95_high"] - prime["mean"])], marker="o")
left.set_xlabel("Prime fee, dollars a month")
left.set_ylabel("Prime members, % of shoppers")
paths = fees.weekly[fees.weekly["metric"] == "primeShare"].merge(fees.points, on="point")
for fee, series in paths.groupby("amazon.prime.monthlyFee"):
    weekly = series.groupby("week")["value"].mean()
    right.plot(weekly.index, 100 * weekly.values, label=f"${fee:.2f}")
right.set_xlabel("week")
right.set_ylabel("Prime members, %")
right.legend(title="fee", loc="lower right")
figure.tight_layout()
plot = os.path.join(work, "prime-fee.png")
figure.savefig(plot)
print("plot:", plot)

# %% [markdown]
# ## The report of the sweep, inline in a notebook

# %%
import subprocess
subprocess.run([retailsim.binary(), "report", fees.folder], check=True, capture_output=True)
report = os.path.join(fees.folder, "report.html")
try:
    from IPython import get_ipython
    from IPython.display import HTML, display
    if get_ipython() is None:
        raise ImportError
    display(HTML(open(report).read()))
except ImportError:
    print("report:", report, f"({os.path.getsize(report)} bytes)")
