# Parley: the two commands a user needs are `make run` and `make test`.
# Both install the Debian packages the build needs first (apt-get as root, sudo otherwise).

BUILD_DIR      ?= build
ASAN_BUILD_DIR ?= build-asan
BENCH_BUILD_DIR ?= build-bench
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS   ?= 600
FUZZ_SMOKE_RUNS ?= 1000
JOBS           ?= $(shell nproc)
CMAKE_FLAGS    ?=

DEBIAN_PACKAGES = cmake make g++ pkg-config ccache \
  librocksdb-dev libboost-dev nlohmann-json3-dev libgtest-dev libreadline-dev \
  libcli11-dev libfmt-dev libpcre2-dev libssl-dev libexpat1-dev pkg-config \
  python3-pyld graphviz tmux wordnet-dev wordnet-base clang time curl chromium virtuoso-opensource

# make bench also runs the peer, Oxigraph, in Node (bench/oxigraph/).
BENCH_PACKAGES = nodejs npm

.PHONY: all deps bench-deps configure build run test test-asan bench bench-5m fuzz fuzz-build clean

all: build

# Installs only what is missing, so a machine that has everything pays one dpkg-query.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Node and npm for the peer, from Debian unless the machine already runs a Node of its own.
bench-deps:
	@if ! command -v node > /dev/null || ! command -v npm > /dev/null; then \
	  echo "Installing Debian packages:" $(BENCH_PACKAGES); \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BENCH_PACKAGES) || \
	  echo "(no Node: make bench runs without its peer)"; \
	fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: deps build
	./$(BUILD_DIR)/parley

# The suite, then every fuzz target over its seeds and regression inputs plus a short,
# fixed-seed mutation run (make fuzz runs them for longer).
test: deps build fuzz-build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SMOKE_RUNS) smoke

test-asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=Debug "-DPARLEY_SANITIZE=address;undefined"
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	# A smaller quarantine of freed blocks than ASan's 256 MB default: the server tests
	# bound the resident memory of a process that frees and allocates a block per batch.
	cd $(ASAN_BUILD_DIR) && ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=64 ctest --output-on-failure -j $(JOBS)

bench: deps bench-deps
	cmake -S . -B $(BENCH_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DPARLEY_BUILD_TESTS=OFF
	cmake --build $(BENCH_BUILD_DIR) -j $(JOBS) --target parley parley_bench_gen parley_store_bench parley_english_bench parley_http_bench
	bench/run.sh $(BENCH_BUILD_DIR)
	bench/serve_bench.sh $(BENCH_BUILD_DIR)

# The query table at 5M triples: Parley, Oxigraph and Virtuoso (about 10 minutes).
bench-5m: deps bench-deps
	cmake -S . -B $(BENCH_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DPARLEY_BUILD_TESTS=OFF
	cmake --build $(BENCH_BUILD_DIR) -j $(JOBS) --target parley parley_bench_gen
	bench/queries.sh $(BENCH_BUILD_DIR) 5000000

# libFuzzer: every reader and front-end, FUZZ_SECONDS each (fuzz/run.sh).
fuzz-build: deps
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -DPARLEY_FUZZ=ON -DPARLEY_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzz_ntriples fuzz_turtle fuzz_trig fuzz_rdfxml fuzz_jsonld fuzz_facts fuzz_sparql_parse fuzz_sparql_eval fuzz_english

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(BENCH_BUILD_DIR) $(FUZZ_BUILD_DIR)
