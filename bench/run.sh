#!/usr/bin/env bash
# make bench: generates the 1M-triple synthetic diplomacy graph (once) and measures
# Parley's loader and store on it. Figures go to standard output as Markdown tables.
set -euo pipefail
build=${1:-build-bench}
work="$build/bench-work"
mkdir -p "$work"
data="$work/diplo-1m.nt"
if [ ! -f "$data" ]; then
  "$build/parley_bench_gen" 1000000 "$data"
fi

echo "## Store benchmark ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "Data: $data, $(wc -l < "$data") triples, $(du -m "$data" | cut -f1) MB."
echo
"$build/parley_store_bench" "$data" "$work"
echo

# End to end, as a user runs it: process start, open, parse, sort, write, ingest, close.
times=()
for run in 1 2 3; do
  rm -rf "$work/cli-db"

# Queries: the 1M graph plus claims copied into per-source named graphs (for GRAPH ?g),
# each query run 5 times in one process after a warm-up; the median of `--timing`.
qdb="$work/query-db"
if [ ! -d "$qdb" ]; then
  awk '/claimedBy/ { n++; sub(/ \.$/, " <http://example.org/parley/entity/source" (n % 50) "> ."); print }' "$data" > "$work/claims.nq"
  "$build/parley" --db "$qdb" load "$data" "$work/claims.nq" > /dev/null
fi
echo
echo "| query | rows | median of 5 (\`parley query --timing --repeat 5\`) |"
echo "|---|---:|---:|"
for q in "$(dirname "$0")"/queries/*.rq; do
  rows=$("$build/parley" --db "$qdb" query --format tsv -f "$q" | tail -n +2 | wc -l)
  t=$("$build/parley" --db "$qdb" query --format tsv --timing --repeat 5 -f "$q" 2>&1 >/dev/null | sed 's/time: //; s/ (median of 5)//')
  echo "| $(basename "$q" .rq) | $rows | $t |"
done
  start=$(date +%s%N)
  "$build/parley" --db "$work/cli-db" load "$data" > /dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
echo "| end to end | median of 3 |"
echo "|---|---|"
echo "| \`parley load\` diplo-1m.nt | ${median} ms (runs: ${times[*]} ms) |"

# LUBM(1), the standard benchmark dataset, when ../shared has it.
lubm_gz="$(dirname "$0")/../../shared/bench/lubm1.nt.gz"
if [ -f "$lubm_gz" ]; then
  zcat "$lubm_gz" > "$work/lubm1.nt"
  times=()
  for run in 1 2 3; do
    rm -rf "$work/cli-db"

# Queries: the 1M graph plus claims copied into per-source named graphs (for GRAPH ?g),
# each query run 5 times in one process after a warm-up; the median of `--timing`.
qdb="$work/query-db"
if [ ! -d "$qdb" ]; then
  awk '/claimedBy/ { n++; sub(/ \.$/, " <http://example.org/parley/entity/source" (n % 50) "> ."); print }' "$data" > "$work/claims.nq"
  "$build/parley" --db "$qdb" load "$data" "$work/claims.nq" > /dev/null
fi
echo
echo "| query | rows | median of 5 (\`parley query --timing --repeat 5\`) |"
echo "|---|---:|---:|"
for q in "$(dirname "$0")"/queries/*.rq; do
  rows=$("$build/parley" --db "$qdb" query --format tsv -f "$q" | tail -n +2 | wc -l)
  t=$("$build/parley" --db "$qdb" query --format tsv --timing --repeat 5 -f "$q" 2>&1 >/dev/null | sed 's/time: //; s/ (median of 5)//')
  echo "| $(basename "$q" .rq) | $rows | $t |"
done
    start=$(date +%s%N)
    "$build/parley" --db "$work/cli-db" load "$work/lubm1.nt" > /dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  echo "| \`parley load\` LUBM(1), $(wc -l < "$work/lubm1.nt") triples | ${median} ms (runs: ${times[*]} ms) |"
fi
rm -rf "$work/cli-db"

# Queries: the 1M graph plus claims copied into per-source named graphs (for GRAPH ?g),
# each query run 5 times in one process after a warm-up; the median of `--timing`.
qdb="$work/query-db"
if [ ! -d "$qdb" ]; then
  awk '/claimedBy/ { n++; sub(/ \.$/, " <http://example.org/parley/entity/source" (n % 50) "> ."); print }' "$data" > "$work/claims.nq"
  "$build/parley" --db "$qdb" load "$data" "$work/claims.nq" > /dev/null
fi
echo
echo "| query | rows | median of 5 (\`parley query --timing --repeat 5\`) |"
echo "|---|---:|---:|"
for q in "$(dirname "$0")"/queries/*.rq; do
  rows=$("$build/parley" --db "$qdb" query --format tsv -f "$q" | tail -n +2 | wc -l)
  t=$("$build/parley" --db "$qdb" query --format tsv --timing --repeat 5 -f "$q" 2>&1 >/dev/null | sed 's/time: //; s/ (median of 5)//')
  echo "| $(basename "$q" .rq) | $rows | $t |"
done
