# RetailSim: every target installs what is missing first (GSL and pkg-config
# from Debian's packages), so `make run` and `make test` work on a fresh machine.

SWIFT ?= swift
BIN := .build/release/retailsim
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test test-slurm test-report bench bench-sweep clean

all: build

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists gsl; then \
		echo "make: installing libgsl-dev and pkg-config from Debian's packages"; \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y libgsl-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --product retailsim

# The main job: the built-in baseline, 5 replicates, summary table on stdout.
run: build
	$(BIN) run --replicates 5 --out runs/baseline

# Every test, in release mode (the model tests simulate real populations).
test: deps
	$(SWIFT) test -c release --disable-swift-testing

# A real one-node Slurm cluster on this machine runs a small sweep as an array
# job; its merged table must equal the unsharded sweep's byte for byte. Starts
# daemons, so it needs root; installs slurm-wlm and munge when missing.
test-slurm: build
	$(SUDO) bash Experiments/slurm/test-slurm.sh

# The report as a person sees it: renders a run's and a sweep's report.html
# in headless Chromium to PNG and checks the pictures. Installs chromium when missing.
test-report: build
	bash Experiments/scripts/test-report.sh

# Speed and memory of the weekly loop at 1,000,000 shoppers, as one JSON line.
bench: build
	$(BIN) bench --shoppers 1000000 --weeks 52

# A 1,000-run sweep of 20,000 shoppers x 52 weeks: runs per minute, overhead per run.
bench-sweep: build
	$(BIN) bench --sweep 1000 --shoppers 20000 --weeks 52

clean:
	rm -rf .build runs sweeps
