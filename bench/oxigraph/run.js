// node run.js DATA.nt NAMED.nq QUERY.rq...
// Loads the bench graph into an in-memory Oxigraph store, then times each query as
// Parley's bench does: one untimed run, then the median of five, the results
// materialised as JavaScript values. Prints "name<TAB>rows<TAB>median ms" per query.
"use strict";
const fs = require("fs");
const path = require("path");
const oxigraph = require("oxigraph");

const [data, named, ...queries] = process.argv.slice(2);
const store = new oxigraph.Store();
const loadStart = process.hrtime.bigint();
store.load(fs.readFileSync(data), { format: "application/n-triples", no_transaction: true, lenient: true });
store.load(fs.readFileSync(named), { format: "application/n-quads", no_transaction: true, lenient: true });
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
process.stderr.write(`oxigraph: loaded ${store.size} quads in ${loadMs.toFixed(0)} ms\n`);

function rowsOf(result) {
  return Array.isArray(result) ? result.length : 1;
}

for (const file of queries) {
  const text = fs.readFileSync(file, "utf8");
  const rows = rowsOf(store.query(text));
  const times = [];
  for (let run = 0; run < 5; ++run) {
    const start = process.hrtime.bigint();
    store.query(text);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${path.basename(file, ".rq")}\t${rows}\t${times[2].toFixed(2)}`);
}
