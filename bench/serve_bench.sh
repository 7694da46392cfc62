#!/usr/bin/env bash
# Throughput of `parley serve` under 16 concurrent keep-alive clients, side by side
# with Virtuoso (Debian's virtuoso-opensource) serving the same graph (`parley dump` of
# the curated dataset) in the same run: a point query over HTTP, and for Parley alone
# (Virtuoso has no English) an /ask question. Oxigraph's npm package has no server, so
# Virtuoso is the peer. Prints a Markdown table.
set -euo pipefail
build=${1:-build-bench}
clients=${CLIENTS:-16}
seconds=${SECONDS_EACH:-5}
work="$build/serve-bench"
rm -rf "$work"
mkdir -p "$work/virtuoso/load"
"$build/parley" --db "$work/db" init > /dev/null
"$build/parley" --db "$work/db" dump --format nquads > "$work/virtuoso/load/parley.nq"

"$build/parley" --db "$work/db" serve --port 0 --workers 16 --no-access-log 2> "$work/serve.log" &
parley_pid=$!
trap 'kill $parley_pid 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.05; done
parley_url=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)

point='SELECT ?l WHERE { <http://parley.example.org/id/hanoi-summit> <http://www.w3.org/2000/01/rdf-schema#label> ?l }'
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$point")
question=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("who met Kim Jong Un"))')

run() { "$build/parley_http_bench" "$1" "$clients" "$seconds"; }
row() {  # name, tsv from http_bench
  IFS=$'\t' read -r rps p50 p99 failed <<< "$2"
  echo "| $1 | $rps | $p50 | $p99 | $failed |"
}

echo "## HTTP throughput ($clients clients, ${seconds} s each, $(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "| request | requests/s | median ms | p99 ms | failed |"
echo "|---|---:|---:|---:|---:|"
row "parley serve: point query (/query)" "$(run "$parley_url/query?query=$encoded")"
row "parley serve: /ask \"who met Kim Jong Un\"" "$(run "$parley_url/ask?q=$question")"
row "parley serve: /ask with evidence (why=1)" "$(run "$parley_url/ask?q=$question&why=1")"

if command -v virtuoso-t > /dev/null && command -v isql-vt > /dev/null; then
  sql=$((21000 + $$ % 20000)); http=$((sql + 1)); h=$(cd "$work" && pwd)
  source "$(dirname "$0")/virtuoso/ini.sh"
  virtuoso_ini "$h/virtuoso" "$sql" "$http" 100000 16
  (cd "$h/virtuoso" && virtuoso-t +configfile "$h/virtuoso/virtuoso.ini" +wait > /dev/null)
  trap 'kill $parley_pid 2> /dev/null || true; isql-vt $sql dba dba exec="shutdown;" > /dev/null 2>&1 || true' EXIT
  isql-vt "$sql" dba dba exec="ld_dir('$h/virtuoso/load', '*.nq', 'http://parley.example.org/graph/default'); rdf_loader_run(); checkpoint;" > /dev/null
  row "Virtuoso $(virtuoso-t -? 2>&1 | grep -o 'Version [0-9.]*' | head -1): point query (/sparql)" \
      "$(run "http://127.0.0.1:$http/sparql?query=$encoded")"
else
  echo
  echo "(Virtuoso is not installed: no peer in this run; apt-get install virtuoso-opensource)"
fi
