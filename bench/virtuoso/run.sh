#!/usr/bin/env bash
# The Virtuoso 7 peer of `make bench`: starts the Debian package's server on loopback in a
# folder of its own, loads the bench's files (the N-Triples into one graph, the N-Quads
# into their named graphs), times each query inside the server, and shuts it down.
#
#   bench/virtuoso/run.sh WORK_DIR DATA.nt CLAIMS.nq QUERY.rq...
#
# Prints one line per query: name, rows, median milliseconds of 5 timed runs after one
# untimed. Timing is done in the server (a stored procedure around exec() and
# msec_time()), so no client or driver cost is counted; a query faster than 20 ms is
# run as a batch of many and the batch's time divided, as msec_time() counts whole
# milliseconds. The default graph is the N-Triples' graph, as Parley's union of graphs
# holds the same triples (the N-Quads copy some of them into named graphs).
set -euo pipefail
work=$1 data=$2 claims=$3
shift 3
command -v virtuoso-t > /dev/null && command -v isql-vt > /dev/null || { echo "virtuoso-t or isql-vt missing" >&2; exit 1; }
home=$(realpath -m "$work/virtuoso")
rm -rf "$home"
mkdir -p "$home/load"
ln -s "$(realpath "$data")" "$home/load/data.nt"
ln -s "$(realpath "$claims")" "$home/load/claims.nq"
# Two free ports below the ephemeral range.
port=$(( 20000 + $$ % 10000 ))
while (echo > /dev/tcp/127.0.0.1/$port) 2> /dev/null || (echo > /dev/tcp/127.0.0.1/$((port + 1))) 2> /dev/null; do
  port=$((port + 2))
done
default_graph=http://example.org/parley/bench-default
source "$(dirname "$0")/ini.sh"
virtuoso_ini "$home" "$port" $((port + 1)) 340000 2
isql() { isql-vt "$port" dba dba "$@"; }
(cd "$home" && virtuoso-t +configfile "$home/virtuoso.ini" +wait > /dev/null)
# On the way out the server checkpoints; waiting for it keeps it off the CPU while the
# next engine of the bench is timed.
stop_server() {
  isql exec="shutdown;" > /dev/null 2>&1 || true
  for _ in $(seq 1 600); do
    pgrep -f "$home/virtuoso.ini" > /dev/null || return 0
    sleep 0.1
  done
}
trap stop_server EXIT
isql exec="ld_dir('$home/load', 'data.nt', '$default_graph'); ld_dir('$home/load', 'claims.nq', '$default_graph');
  rdf_loader_run(); checkpoint;" > /dev/null
isql > /dev/null <<'SQL'
create procedure parley_bench_time (in q varchar)
{
  declare st, msg varchar;
  declare meta, rows any;
  declare t0, elapsed, batch, i, run integer;
  declare times any;
  st := '00000';
  exec (q, st, msg, vector(), 0, meta, rows);
  if (st <> '00000') return sprintf('error\t%s', msg);
  -- A batch long enough for msec_time() to measure.
  batch := 1;
  while (1) {
    t0 := msec_time();
    for (i := 0; i < batch; i := i + 1) exec (q, st, msg, vector(), 0, meta, rows);
    elapsed := msec_time() - t0;
    if (elapsed >= 20 or batch >= 1000) goto measured;
    batch := batch * 10;
  }
measured:
  times := vector();
  for (run := 0; run < 5; run := run + 1) {
    t0 := msec_time();
    for (i := 0; i < batch; i := i + 1) exec (q, st, msg, vector(), 0, meta, rows);
    times := vector_concat(times, vector((msec_time() - t0) * 1.0 / batch));
  }
  gvector_sort(times, 1, 0, 1);
  return sprintf('%d\t%.3f', length(rows), times[2]);
}
;
SQL
for q in "$@"; do
  name=$(basename "$q" .rq)
  text="sparql define input:default-graph-uri <$default_graph> $(tr '\n' ' ' < "$q")"
  text=${text//\'/\'\'}
  line=$(isql exec="select parley_bench_time('$text');" 2>&1 | grep -E '^(error|[0-9]+)	' | head -1 || true)
  printf '%s\t%s\n' "$name" "${line:-error	no answer}"
done
