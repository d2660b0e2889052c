# RetailSim: every target installs what is missing first (GSL and pkg-config
# from Debian's packages), so `make run` and `make test` work on a fresh machine.

SWIFT ?= swift
BIN := .build/release/retailsim
# The weekly loop is written so that the compiler vectorises it. On a CPU with
# AVX2 and FMA (x86-64 since 2013) it is built for 8 lanes instead of SSE2's 4,
# about a quarter faster. The results are the same bytes either way (Swift never
# fuses a multiply and an add), so this changes speed only; elsewhere, no flag.
CPU := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo haswell)
SWIFT_FLAGS := $(if $(CPU),-Xswiftc -target-cpu -Xswiftc $(CPU))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

VERSION := $(shell sed -n 's/.*string = "\(.*\)".*/\1/p' Sources/RetailExperiment/Version.swift)
DIST := dist/retailsim-$(VERSION)-linux-$(shell uname -m)

.PHONY: all deps build run test test-slurm test-report test-explore test-dist test-python dist bench bench-instructions bench-scale bench-sweep clean

all: build

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists gsl; then \
		echo "make: installing libgsl-dev and pkg-config from Debian's packages"; \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y libgsl-dev pkg-config; \
	fi
	@# The tests read TOML and CITATION.cff as Python's own readers do (tomllib, PyYAML).
	@python3 -c "import tomllib, yaml" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check pyyaml

build: deps
	$(SWIFT) build -c release --product retailsim $(SWIFT_FLAGS)

# The main job: the built-in baseline, 5 replicates, summary table on stdout.
run: build
	$(BIN) run --replicates 5 --write-facilities --out runs/baseline

# Every test, in release mode (the model tests simulate real populations).
test: deps
	$(SWIFT) test -c release --disable-swift-testing $(SWIFT_FLAGS)

# A real one-node Slurm cluster on this machine runs a small sweep as an array
# job; its merged table must equal the unsharded sweep's byte for byte. Starts
# daemons, so it needs root; installs slurm-wlm and munge when missing.
test-slurm: build
	$(SUDO) bash Experiments/slurm/test-slurm.sh

# The report as a person sees it: renders a run's and a sweep's report.html
# in headless Chromium to PNG and checks the pictures. Installs chromium when missing.
test-report: build
	bash Experiments/scripts/test-report.sh

# `retailsim explore` as a person uses it: headless Chromium opens the page,
# moves levers, runs, checks the charts and the map change, keeps the run and
# compares its files with `retailsim run`'s. Installs chromium and
# chromium-driver (Debian) and selenium (PyPI) when missing.
test-explore: build
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
		echo "make: installing chromium and chromium-driver from Debian's packages"; \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium chromium-driver; }
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check selenium
	python3 Experiments/explore/drive_page.py --binary $(BIN)

# A binary that runs on any Linux node of this architecture: statically
# linked (Swift's runtime, Foundation, GSL and the C library all inside; `ldd`
# says "not a dynamic executable"), built for baseline x86-64 rather than
# this CPU (the results are the same bytes), named by version, with its sha256.
dist: deps
	$(SWIFT) build -c release --product retailsim --static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-dist
	mkdir -p dist
	cp .build-dist/release/retailsim $(DIST)
	cd dist && sha256sum $(notdir $(DIST)) > $(notdir $(DIST)).sha256
	@echo "made $(DIST) and $(DIST).sha256"

# The static binary in a bare Debian root (debootstrap, no Swift, no GSL):
# runs a small scenario and gives the normal build's bytes. Root; installs debootstrap.
test-dist: dist build
	bash Experiments/scripts/test-dist.sh $(DIST)

# The Python package on the release build: installs it (pandas; matplotlib
# for the quickstart) from PyPI, runs its pytest suite and the quickstart notebook.
test-python: build
	python3 -m pip install -q --disable-pip-version-check "./python[test,examples]"
	RETAILSIM=$(CURDIR)/$(BIN) python3 -m pytest -q python/tests
	RETAILSIM=$(CURDIR)/$(BIN) python3 python/examples/quickstart.py

# Speed and memory of the weekly loop at 1,000,000 shoppers, as one JSON line.
bench: build
	$(BIN) bench --households 1000000 --weeks 52

# docs/PERFORMANCE.md's table: 1, 10 and 100 million shoppers on 1 and 2
# threads, and every US household (131 million) on 2; about 15 minutes.
# Instructions a shopper-week of the weekly loop and of the membership pass,
# from callgrind on a fixed small run (docs/PERFORMANCE.md); installs valgrind.
bench-instructions: build
	bash Experiments/scripts/bench_instructions.sh $(BIN)

bench-scale: build
	bash Experiments/scripts/performance.sh

# A 1,000-run sweep of 20,000 shoppers x 52 weeks: runs per minute, overhead per run.
bench-sweep: build
	$(BIN) bench --sweep 1000 --households 20000 --weeks 52

clean:
	rm -rf .build .build-dist dist runs sweeps
