#!/usr/bin/env bash
# make bench: generates the 1M-triple synthetic diplomacy graph (once) and measures
# Parley's loader, store and query engine on it. Figures go to standard output as
# Markdown tables.
set -euo pipefail
build=${1:-build-bench}
work="$build/bench-work"
mkdir -p "$work"
data="$work/diplo-1m.nt"
if [ ! -f "$data" ]; then
  "$build/parley_bench_gen" 1000000 "$data"
fi

echo "## Benchmark ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "Data: $data, $(wc -l < "$data") triples, $(du -m "$data" | cut -f1) MB."
echo
"$build/parley_store_bench" "$data" "$work"
echo

# Median of three `parley load` runs into a fresh database, as a user runs it:
# process start, open, parse, sort, write, ingest, close.
time_load() {
  local times=()
  for run in 1 2 3; do
    rm -rf "$work/cli-db"
    local start end
    start=$(date +%s%N)
    "$build/parley" --db "$work/cli-db" load "$@" > /dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  rm -rf "$work/cli-db"
  echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) ms (runs: ${times[*]} ms)"
}

echo "| end to end | median of 3 | peer, same run |"
echo "|---|---|---|"
echo "| \`parley load\` diplo-1m.nt | $(time_load "$data") |"
# LUBM(1), the standard benchmark dataset, when ../shared has it.
lubm_gz="$(dirname "$0")/../../shared/bench/lubm1.nt.gz"
if [ -f "$lubm_gz" ]; then
  zcat "$lubm_gz" > "$work/lubm1.nt"
  echo "| \`parley load\` LUBM(1), $(wc -l < "$work/lubm1.nt") triples | $(time_load "$work/lubm1.nt") |"
fi

# The same 1M triples in the other syntaxes, as TriG (ten named graphs) and RDF/XML,
# written by Oxigraph (bench/oxigraph/formats.js), which then times its own loads of
# them (in memory, median of 3) beside Parley's, when Node and npm are here.
oxi_dir="$build/oxigraph-node"
oxi_ready() {
  command -v node > /dev/null && command -v npm > /dev/null || return 1
  mkdir -p "$oxi_dir"
  cp "$(dirname "$0")/oxigraph/package.json" "$oxi_dir/"
  [ -d "$oxi_dir/node_modules/oxigraph" ] || (cd "$oxi_dir" && npm install --silent --no-audit --no-fund > /dev/null 2>&1)
}
if oxi_ready; then
  oxi_formats=$(NODE_PATH="$oxi_dir/node_modules" node "$(dirname "$0")/oxigraph/formats.js" "$data" "$work" \
    2> "$work/oxigraph-formats.log" || true)
  for format in trig rdfxml; do
    file="$work/diplo-1m.$( [ "$format" = trig ] && echo trig || echo rdf )"
    [ -s "$file" ] || continue
    oxi=$(awk -F'\t' -v n="$format" '$1 == n { print $2 }' <<< "$oxi_formats")
    echo "| \`parley load\` $(basename "$file") ($(du -m "$file" | cut -f1) MB) | $(time_load "$file") | Oxigraph: ${oxi:-–} ms |"
  done
fi

# Queries: Parley, Oxigraph and Virtuoso in one table (bench/queries.sh).
echo
"$(dirname "$0")/queries.sh" "$build" 1000000
echo

# English. The default dataset: every question of the bank, the lexicon read once as the
# REPL keeps it. The 1M graph, with its IRIs moved to Parley's namespaces and the
# ontology loaded, so that the lexicon holds its names: the same with the lexicon kept,
# and \`parley ask\` end to end (process start, lexicon, answer), median of 3.
echo
echo "| English questions | questions | lexicon | mean | median | p95 | max |"
echo "|---|---:|---:|---:|---:|---:|---:|"
root="$(dirname "$0")/.."
ddb="$work/default-db"
[ -d "$ddb" ] || "$build/parley" --db "$ddb" init > /dev/null
"$build/parley_english_bench" "$ddb" "$root/tests/query/english/bank.tsv" 5
# Misspellings, unknown names and looser readings: the slow paths of the front-end.
"$build/parley_english_bench" "$ddb" "$root/tests/query/english/fresh_bank.tsv" 5
edb="$work/english-db"
if [ ! -d "$edb" ]; then
  sed 's#http://example.org/parley/entity/#http://parley.example.org/id/#g; s#http://example.org/parley/ontology\##http://parley.example.org/ontology\##g' \
    "$data" > "$work/diplo-1m-parley.nt"
  "$build/parley" --db "$edb" init --empty > /dev/null
  "$build/parley" --db "$edb" load "$root/data/ontology.ttl" "$work/diplo-1m-parley.nt" > /dev/null
fi
"$build/parley_english_bench" "$edb" "$root/bench/english/questions-1m.txt" 3
echo
# `parley ask` as a user runs it: with the names saved by an earlier process for this
# state of the database (every run after the first), and cold (the saved names removed
# before each run, as after a load: the names are read from the graph and saved).
echo "| \`parley ask\` on the 1M graph | saved names, median of 3 | cold, median of 3 |"
echo "|---|---:|---:|"
time_ask() {
  local cold=$1 question=$2 times=()
  for run in 1 2 3; do
    [ "$cold" = yes ] && rm -rf "$edb/derived"
    local start end
    start=$(date +%s%N)
    "$build/parley" --db "$edb" ask "$question" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) ms"
}
grep -v '^#' "$root/bench/english/questions-1m.txt" | while read -r question; do
  cold=$(time_ask yes "$question")
  "$build/parley" --db "$edb" ask "$question" > /dev/null 2>&1 || true
  echo "| $question | $(time_ask no "$question") | $cold |"
done

millis() { local start end; start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }

# SPARQL Update, end to end (`parley update`: process start, the request, the commit):
# a DELETE/INSERT WHERE over 100k matches, then an INSERT DATA of 10k quads, on a
# database holding the 100k; Oxigraph (npm, in memory) runs the same requests.
echo
echo "| update | Parley | Oxigraph | Parley / Oxigraph |"
echo "|---|---:|---:|---:|"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<http://example.org/m%d> <http://example.org/status> \"draft\" .\n", i }' > "$work/matches.nt"
echo 'DELETE { ?m <http://example.org/status> "draft" } INSERT { ?m <http://example.org/status> "final" } WHERE { ?m <http://example.org/status> "draft" }' > "$work/rewrite-100k.ru"
awk 'BEGIN { print "INSERT DATA {"; for (i = 0; i < 10000; i++) printf "<http://example.org/n%d> <http://example.org/note> \"note %d\" .\n", i, i; print "}" }' > "$work/insert-10k.ru"
udb="$work/update-db"
rm -rf "$udb"
"$build/parley" --db "$udb" load "$work/matches.nt" > /dev/null
oxi_updates="$work/oxigraph-updates.tsv"
: > "$oxi_updates"
if [ -d "$oxi_dir/node_modules/oxigraph" ]; then
  NODE_PATH="$oxi_dir/node_modules" node "$(dirname "$0")/oxigraph/update.js" "$work/matches.nt" \
    "$work/rewrite-100k.ru" "$work/insert-10k.ru" > "$oxi_updates" 2>> "$work/oxigraph.log" || : > "$oxi_updates"
fi
for request in rewrite-100k insert-10k; do
  ms=$(millis "$build/parley" --db "$udb" update -f "$work/$request.ru")
  oxi=$(awk -F'\t' -v n="$request" '$1 == n { print $2 }' "$oxi_updates")
  echo "| $request | $ms ms | ${oxi:+$oxi ms}${oxi:-–} | $( [ -n "$oxi" ] && awk -v a="$ms" -v b="$oxi" 'BEGIN { printf "%.2f", a / b }' || echo –) |"
done
rm -rf "$udb"

# Retracting and replacing a source, against loading it: fact files of 10k, 100k and
# 1M quads (three quads a topic), each loaded into an empty database, replaced by a
# changed version of itself, and retracted.
echo
echo "| source | quads | load | replace | retract | replace / load | retract / load |"
echo "|---|---:|---:|---:|---:|---:|---:|"
fact_file() {  # fact_file NAME TOPICS VERSION
  awk -v name="$1" -v n="$2" -v v="$3" 'BEGIN {
    printf "{\"source\": {\"id\": \"%s\", \"title\": \"Bulk %s\"}, \"topics\": [", name, v
    for (i = 0; i < n; i++) printf "%s{\"id\": \"%s-t%d\", \"label\": \"Topic %d %s\", \"evidence\": {\"paragraph\": %d}}", (i ? ", " : ""), name, i, i, v, i % 50 + 1
    print "]}" }'
}
for topics in 3333 33333 333333; do
  name="bulk$topics"
  fact_file "$name" "$topics" v1 > "$work/$name.v1.json"
  fact_file "$name" "$topics" v2 > "$work/$name.v2.json"
  rdb="$work/retract-db"
  rm -rf "$rdb"
  "$build/parley" --db "$rdb" init --empty > /dev/null
  cp "$work/$name.v1.json" "$work/$name.json"
  load=$(millis "$build/parley" --db "$rdb" load "$work/$name.json")
  quads=$("$build/parley" --db "$rdb" stats | awk '/quads/ { gsub(",", "", $2); print $2; exit }')
  cp "$work/$name.v2.json" "$work/$name.json"
  replace=$(millis "$build/parley" --db "$rdb" load "$work/$name.json")
  retract=$(millis "$build/parley" --db "$rdb" retract --source "$name")
  echo "| $name | $quads | $load ms | $replace ms | $retract ms | $(awk -v a="$replace" -v b="$load" 'BEGIN { printf "%.2f", a / b }') | $(awk -v a="$retract" -v b="$load" 'BEGIN { printf "%.2f", a / b }') |"
  rm -rf "$rdb" "$work/$name".*json
done

# Load scaling: 1M, 5M and 20M triples of the same generator (PARLEY_BENCH_SCALE sets
# the sizes), each into a fresh database, with the wall time and the peak resident
# memory that GNU time reports. The dictionary spills past LoadOptions::term_bytes.
echo
echo "| load | triples | time | per 1M triples | peak RSS |"
echo "|---|---:|---:|---:|---:|"
for size in ${PARLEY_BENCH_SCALE:-1000000 5000000 20000000}; do
  scaled="$work/diplo-$size.nt"
  [ -f "$scaled" ] || "$build/parley_bench_gen" "$size" "$scaled" > /dev/null
  rm -rf "$work/scale-db"
  report=$( { /usr/bin/time -f "%e %M" "$build/parley" --db "$work/scale-db" load "$scaled" > /dev/null; } 2>&1 | tail -1)
  seconds=${report% *}
  kb=${report#* }
  echo "| \`parley load\` | $size | $seconds s | $(awk -v s="$seconds" -v n="$size" 'BEGIN { printf "%.2f s", s / n * 1e6 }') | $(( kb / 1024 )) MiB |"
  # Every quad out as TSV: results stream, so memory stays flat whatever the size.
  report=$( { /usr/bin/time -f "%e %M" "$build/parley" --db "$work/scale-db" query --format tsv \
              "SELECT * WHERE { ?s ?p ?o }" > /dev/null; } 2>&1 | tail -1)
  echo "| \`parley query\` SELECT * as TSV | $size | ${report% *} s | | $(( ${report#* } / 1024 )) MiB |"
  rm -rf "$work/scale-db"
  [ "$size" = 1000000 ] || rm -f "$scaled"
done
