# mdata: the two entry points are `make run` and `make test` (see README.md).
# Both install what is missing (scripts/install-deps.sh), build, then run.
# `make test` runs the stages unit, asan and fuzz (scripts/test-stages.sh): every stage runs
# even when an earlier one failed, each ends with a ctest-style summary line, and the run
# ends with per-stage times and a "total: N passed, N failed" line; it fails if any stage did.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
STORE      ?= $(HOME)/.local/share/mdata/store
SCALE      ?= 0.02
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 60
# ctest: print the output of failing tests, stop waiting on none.
CTEST      = ctest --output-on-failure --no-tests=error -j $(JOBS)
# Sanitizers: every report is fatal and names where; leaks are reported (LSan) and fail.
SAN_ENV    = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
             LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all deps build run test unit asan fuzz bench clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@./scripts/run.sh $(BUILD)/mdata "$(STORE)" $(SCALE)

unit: build
	@cd $(BUILD) && $(CTEST)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DMDATA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && $(SAN_ENV) $(CTEST)

fuzz: deps
	@CC=clang-14 cmake -S . -B $(FUZZ_BUILD) -DMDATA_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	@$(SAN_ENV) JOBS=$(JOBS) ./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

test: deps
	@MAKE="$(MAKE)" ./scripts/test-stages.sh unit asan fuzz

bench: build
	@./bench/run.sh $(BUILD)/mdata

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
