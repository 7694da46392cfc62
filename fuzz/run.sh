#!/usr/bin/env bash
# make fuzz: runs each libFuzzer target for SECONDS (default 600) from a seed corpus
# assembled from the W3C suites, data/ and the tests, then prints what each found.
# fuzz/run.sh BUILD_DIR RUNS smoke: for make test, replays the seeds and regression
# inputs and then runs RUNS fresh mutations per target from a fixed seed, so that the
# same tree gives the same run on every machine.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-600}
mode=${3:-full}
root="$(cd "$(dirname "$0")/.." && pwd)"
conformance="${PARLEY_CONFORMANCE_DIR:-$root/../shared/conformance}"
work="$build/fuzz-work"
[ "$mode" = smoke ] && work="$build/fuzz-smoke" && rm -rf "$work"
mkdir -p "$work"

# seed TARGET FILES...: copies each file into the target's seed corpus, named by its
# content (not its path, which differs between clones: libFuzzer reads a corpus in name
# order, and the smoke run must be the same on every machine).
seed() {
  local target=$1
  shift
  mkdir -p "$work/seeds/$target"
  for f in "$@"; do cp "$f" "$work/seeds/$target/$(md5sum < "$f" | cut -c1-16)"; done
}
if [ ! -d "$work/seeds" ]; then
  # (awk, not head: head would close the pipe early, and pipefail would count that.)
  first() { awk -v n="$1" 'NR <= n'; }
  mapfile -t nt < <(find "$conformance" \( -name '*.nt' -o -name '*.nq' \) 2>/dev/null | sort | first 300)
  mapfile -t ttl < <(find "$conformance" -name '*.ttl' 2>/dev/null | sort | first 300; ls "$root"/data/*.ttl)
  mapfile -t rq < <(find "$conformance" -name '*.rq' 2>/dev/null | sort | first 400; ls "$root"/bench/queries/*.rq)
  mapfile -t facts < <(find "$root/data/facts" "$root/tests" -name '*.json' | sort | first 100)
  seed fuzz_ntriples "${nt[@]}"
  mapfile -t trig < <(find "$conformance" -name '*.trig' 2>/dev/null | sort | first 300)
  mapfile -t xml < <(find "$conformance" -name '*.rdf' 2>/dev/null | sort | first 300)
  seed fuzz_turtle "${ttl[@]}"
  seed fuzz_trig "${trig[@]}"
  seed fuzz_rdfxml "${xml[@]}"
  # JSON-LD: the fact files are JSON too, and the hand-written cases' shapes.
  seed fuzz_jsonld "${facts[@]}"
  seed fuzz_sparql_parse "${rq[@]}"
  seed fuzz_sparql_eval "${rq[@]}"
  seed fuzz_facts "${facts[@]}"
  mkdir -p "$work/seeds/fuzz_english"
  cut -f1 "$root/tests/query/english/bank.tsv" | grep -v '^#' | first 300 | split -l 1 - "$work/seeds/fuzz_english/q"
fi

targets=(fuzz_ntriples fuzz_turtle fuzz_trig fuzz_rdfxml fuzz_jsonld fuzz_facts fuzz_sparql_parse fuzz_sparql_eval fuzz_english)
limit=(-max_total_time="$seconds")
[ "$mode" = smoke ] && limit=(-runs="$seconds" -seed=1)
echo "| target | limit | executions | crashes |"
echo "|---|---:|---:|---:|"
status=0
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  crashes="$work/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  # Inputs that once crashed stay in the repository's regression corpus.
  regression="$root/fuzz/regressions/$target"
  dirs=("$corpus" "$work/seeds/$target")
  [ -d "$regression" ] && dirs+=("$regression")
  log="$work/$target.log"
  set +e
  "$build/fuzz/$target" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "${dirs[@]}" > "$log" 2>&1
  code=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  found=$(find "$crashes" -type f | wc -l)
  echo "| $target | ${limit[0]#-} | ${runs:-0} | $found |"
  if [ "$code" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    echo "  $target failed (exit $code); see $log and $crashes" >&2
  fi
done
exit $status
