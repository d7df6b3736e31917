# mdata: the two entry points are `make run` and `make test` (see README.md).
# Both install what is missing (scripts/install-deps.sh), build, then run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
STORE      ?= $(HOME)/.local/share/mdata/store
SCALE      ?= 0.02
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 60

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
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DMDATA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

fuzz: deps
	@CC=clang-14 cmake -S . -B $(FUZZ_BUILD) -DMDATA_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

test: unit asan fuzz

bench: build
	@./bench/run.sh $(BUILD)/mdata

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
