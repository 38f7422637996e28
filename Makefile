# Vigie front door. Two commands do everything on a fresh Debian 12:
#   make run    bootstrap → release build → index corpus/ → serve on :8080
#   make test   bootstrap → dev build (ASan+UBSan) → every test
SHELL := /bin/bash
JOBS ?= $(shell nproc)
CONFIG ?= config/vigie.json
DB ?= var/index
CORPUS ?= corpus

.PHONY: run test build build-dev bootstrap index bench clean format fuzz load

# scripts/bootstrap installs only what the command at hand needs: running
# (make run), testing (make test), fuzzing, benchmarks.
bootstrap:
	@scripts/bootstrap run

# The release preset builds vigie-index, vigie-server and vigie-search only
# (no tests, no benchmarks).
build: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-dev:
	@scripts/bootstrap run test
	@VIGIE_WERROR=$(if $(CI),ON,OFF) cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

index: build
	build/release/indexer/vigie-index --config $(CONFIG) --db $(DB) $(CORPUS)

run: index
	@if [ -x build/release/server/vigie-server ]; then \
	  echo "Vigie: http://127.0.0.1:8080"; \
	  exec build/release/server/vigie-server --config $(CONFIG) --db $(DB); \
	else \
	  echo "vigie-server is not built yet: the index is in $(DB); query it with build/release/cli/vigie-search --db $(DB) QUERY"; \
	fi

test: build-dev
	@cd build/dev && ctest -j $(JOBS) --output-on-failure --timeout 900 > ctest.log 2>&1; rc=$$?; \
	  tail -n 40 ctest.log | grep -v '^$$' ; \
	  summary=$$(grep -E 'tests passed|tests failed' ctest.log | tail -1); \
	  echo "make test: $${summary:-no summary (see build/dev/ctest.log)}"; exit $$rc

# libFuzzer targets (docs/testing.md): a clang build of its own in build/fuzz
# (the project's libraries instrumented too), then each target for
# FUZZ_SECONDS; FUZZ_TARGETS="fuzz_pdf fuzz_html" runs a subset.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	@scripts/bootstrap run fuzz
	@CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DVIGIE_SANITIZE=ON -DVIGIE_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
	@cmake --build build/fuzz --target fuzz_all -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run $(FUZZ_TARGETS)

bench: build
	@scripts/bootstrap run bench
	@bench/run

# The long load test (docs/testing.md): the release vigie-server on an index
# of ../shared/corpus, wrk at 64 connections for LOAD_SECONDS, LOAD_RUNS
# times; fails on any error or on memory growth between the runs.
LOAD_SECONDS ?= 60
LOAD_RUNS ?= 2
load: build
	@scripts/bootstrap run test
	@scripts/load-test --build build/release --seconds $(LOAD_SECONDS) --runs $(LOAD_RUNS)

clean:
	rm -rf build

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')
