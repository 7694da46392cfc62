#!/usr/bin/env bash
# The query table of `make bench` (1M triples) and `make bench-5m`: Parley beside its two
# peers, Oxigraph (npm, in Node, in memory) and Virtuoso 7 (Debian, its own server on
# loopback), each loading the same two files and timing every bench/queries/*.rq in the
# same run. One table: the three medians, the three row counts and the ratios.
#
#   bench/queries.sh BUILD_DIR TRIPLES [QUERY.rq...]
#
# Without queries, every bench/queries/*.rq (e.g. bench/variants/*.rq instead: shapes
# of the same kinds, for checking that a change did not tune to the bench's own).
set -euo pipefail
build=$1 triples=$2
shift 2
here=$(dirname "$0")
work="$build/bench-work"
mkdir -p "$work"
label=$(( triples / 1000000 ))m
data="$work/diplo-$label.nt"
[ -f "$data" ] || "$build/parley_bench_gen" "$triples" "$data"
# The graph plus its claims copied into per-source named graphs (for GRAPH ?g).
claims="$work/claims-$label.nq"
qdb="$work/query-db-$label"
if [ ! -d "$qdb" ]; then
  awk '/claimedBy/ { n++; sub(/ \.$/, " <http://example.org/parley/entity/source" (n % 50) "> ."); print }' \
    "$data" > "$claims"
  "$build/parley" --db "$qdb" load "$data" "$claims" > /dev/null
fi
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=("$here"/queries/*.rq)

oxi_dir="$build/oxigraph-node"
oxi_times="$work/oxigraph-times-$label.tsv"
: > "$oxi_times"
if command -v node > /dev/null && command -v npm > /dev/null; then
  mkdir -p "$oxi_dir"
  cp "$here/oxigraph/package.json" "$oxi_dir/"
  [ -d "$oxi_dir/node_modules/oxigraph" ] || (cd "$oxi_dir" && npm install --silent --no-audit --no-fund > /dev/null 2>&1) || true
  NODE_PATH="$oxi_dir/node_modules" node --max-old-space-size=8192 "$here/oxigraph/run.js" "$data" "$claims" "${queries[@]}" \
    > "$oxi_times" 2> "$work/oxigraph-$label.log" || : > "$oxi_times"
fi
[ -s "$oxi_times" ] || echo "(Oxigraph not run: it needs node and npm and the oxigraph package; see $work/oxigraph-$label.log)"
virtuoso_times="$work/virtuoso-times-$label.tsv"
"$here/virtuoso/run.sh" "$work" "$data" "$claims" "${queries[@]}" > "$virtuoso_times" 2> "$work/virtuoso-$label.log" ||
  { echo "(Virtuoso not run: see $work/virtuoso-$label.log)"; : > "$virtuoso_times"; }

cell() { [ -n "$1" ] && [ "$1" != error ] && echo "$1 ms" || echo "–"; }
ratio() { [ -n "$2" ] && [ "$2" != error ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "–"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "Queries at $label ($(wc -l < "$data") triples + $(wc -l < "$claims") named-graph quads), $(nproc) cores, medians of 5 after one untimed run:"
echo "Parley \`parley query --timing --repeat 5\`; Oxigraph in Node (\`bench/oxigraph/run.js\`); Virtuoso in its server (\`bench/virtuoso/run.sh\`)."
echo
echo "| query | Parley | Oxigraph | Virtuoso | rows P / O / V | Parley / Oxigraph | Parley / Virtuoso |"
echo "|---|---:|---:|---:|---:|---:|---:|"
oxi_ratios=() virt_ratios=() at_or_under=0
for q in "${queries[@]}"; do
  name=$(basename "$q" .rq)
  rows=$("$build/parley" --db "$qdb" query --format tsv -f "$q" | tail -n +2 | wc -l)
  ms=$("$build/parley" --db "$qdb" query --format tsv --timing --repeat 5 -f "$q" 2>&1 >/dev/null | sed 's/time: //; s/ ms (median of 5)//')
  read -r oxi_rows oxi_ms < <(awk -F'\t' -v n="$name" '$1 == n { print $2, $3 }' "$oxi_times") || true
  read -r virt_rows virt_ms < <(awk -F'\t' -v n="$name" '$1 == n { print $2, $3 }' "$virtuoso_times") || true
  to_oxi=$(ratio "$ms" "${oxi_ms:-}") to_virt=$(ratio "$ms" "${virt_ms:-}")
  echo "| $name | $ms ms | $(cell "${oxi_ms:-}") | $(cell "${virt_ms:-}") | $rows / ${oxi_rows:-–} / ${virt_rows:-–} | $to_oxi | $to_virt |"
  [ "$to_oxi" = "–" ] || oxi_ratios+=("$to_oxi")
  [ "$to_virt" = "–" ] || virt_ratios+=("$to_virt")
  # On the times themselves: a ratio rounded to 1.00 may still be over.
  if [ "$to_virt" != "–" ] && awk -v a="$ms" -v b="$virt_ms" 'BEGIN { exit !(a <= b) }'; then at_or_under=$((at_or_under + 1)); fi
  oxi_rows="" oxi_ms="" virt_rows="" virt_ms=""
done
echo
[ ${#oxi_ratios[@]} -eq 0 ] || echo "Median Parley / Oxigraph over ${#oxi_ratios[@]} queries: $(printf '%s\n' "${oxi_ratios[@]}" | median)."
[ ${#virt_ratios[@]} -eq 0 ] || echo "Median Parley / Virtuoso over ${#virt_ratios[@]} queries: $(printf '%s\n' "${virt_ratios[@]}" | median); at or under Virtuoso: $at_or_under of ${#virt_ratios[@]}."
echo "Row counts: Virtuoso's q09 stops its \`+\` path after one hop (../shared/peers/README.md), and its q10 also finds the"
echo "claim in the graph that holds the N-Triples, which Virtuoso counts as a named graph too."
