# RetailSim: every target installs what is missing first (GSL and pkg-config
# from Debian's packages), so `make run` and `make test` work on a fresh machine.

SWIFT ?= swift
BIN := .build/release/retailsim
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test bench clean

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

# Speed and memory of the weekly loop at 1,000,000 shoppers, as one JSON line.
bench: build
	$(BIN) bench --shoppers 1000000 --weeks 52

clean:
	rm -rf .build runs
