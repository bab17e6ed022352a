# taskraft: the commands a person types. `make demo` and `make test` install what they need
# (scripts/bootstrap) and skip whatever is already in place.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
PYTEST ?= .venv/bin/python -m pytest
SIM_SEEDS ?= 10000
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 20

.PHONY: all bootstrap configure build test test-unit test-py fuzz sim bench demo docker-check clean

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@[ -f $(BUILD)/build.ninja ] || cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: configure
	@echo "[build] compiling into $(BUILD)/ (ninja shows progress)"
	@cmake --build $(BUILD)

# Every test suite; exits non-zero on any failure.
test: build
	@scripts/check-raft-purity
	@$(MAKE) --no-print-directory test-unit fuzz test-py

test-unit:
	@echo "[test] C++ unit, simulation and integration tests (ctest)"
	@ctest --test-dir $(BUILD) --output-on-failure -j2 --timeout 900

# Coverage-guided fuzzing of the peer decoders (tests/fuzz, scripts/fuzz): builds $(BUILD_FUZZ)/
# with clang when needed, runs each libFuzzer target FUZZ_SECONDS seconds, one line of figures
# each; fails on any crash and names the saved input. E.g. make fuzz FUZZ_SECONDS=300.
fuzz: bootstrap
	@BUILD_FUZZ=$(BUILD_FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

test-py:
	@if ls tests/*/test_*.py >/dev/null 2>&1; then \
	  echo "[test] Python end-to-end tests (pytest)"; \
	  $(PYTEST) -q tests; \
	fi

# Runs SIM_SEEDS more simulator seeds across cluster sizes and fault mixes.
sim: build
	@$(BUILD)/tests/sim/raft_sim --seeds $(SIM_SEEDS)

# The benchmark suite (bench/suite.py): raft_core_bench and wal_bench, then a private MariaDB and
# a 3-node cluster, side by side, under `taskraft bench` at 1/16/64/256 clients (spread over the
# nodes, and sending writes to the leader); prints one table and writes
# JSON, a PNG plot and perf profiles into $(BUILD)/bench-results/. About 5 minutes; options go
# in BENCH_ARGS, e.g. make bench BENCH_ARGS="--quick" (or "--duration 30 --clients 16,64").
bench: build
	@.venv/bin/python bench/suite.py --build $(BUILD) $(BENCH_ARGS)

# A 3-node cluster on this machine: MariaDB servers, nodes, the demo supervisor and the UI
# (docs/demo.md). It checks its ports before building; Ctrl-C stops it; a second run keeps the
# tasks. TASKRAFTD=path skips the build and runs that binary.
demo:
	@BUILD=$(BUILD) scripts/demo

# Builds the Docker images of deploy/docker/ with podman from a locally made bookworm base
# image, runs taskraftd --version and imports streamlit inside them, and validates the Compose
# and Kubernetes files (scripts/docker-check; root; cached, so a second run is quick).
docker-check: bootstrap
	@scripts/docker-check

clean:
	rm -rf $(BUILD) $(BUILD_FUZZ)

# Jepsen-style verification (tests/verify): runs of real clusters under seeded faults, checked for
# linearizability, lost writes, exactly-once and convergence; ends with a table of runs. Options
# go in VERIFY_ARGS, e.g. make verify VERIFY_ARGS="--runs 10 --seconds 120 --nodes 5 --seed 7";
# TASKRAFTD=path checks another binary.
.PHONY: verify
verify:
	@.venv/bin/python -m tests.verify $(VERIFY_ARGS)
