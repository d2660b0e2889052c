// Written by Experiments/geography/build_regions.py: the sha256 of us-regions.csv.
// Including it makes the embedding rebuild when the file changes.
#define RETAILSIM_US_REGIONS_SHA256 "710d90ec3eb6dd4bb36c631c5077ba29eb56549a274110427d19f3b80a746a64"
