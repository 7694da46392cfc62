// node update.js MATCHES.nt REWRITE.ru INSERT.ru
// Oxigraph's side of the update rows in make bench: loads MATCHES.nt into an in-memory
// store, then times each request once (an update changes the store, so a second run
// would time other work). Prints "name<TAB>ms" per request.
"use strict";
const fs = require("fs");
const path = require("path");
const oxigraph = require("oxigraph");

const [data, ...requests] = process.argv.slice(2);
const store = new oxigraph.Store();
store.load(fs.readFileSync(data), { format: "application/n-triples" });
for (const file of requests) {
  const text = fs.readFileSync(file, "utf8");
  const start = process.hrtime.bigint();
  store.update(text);
  console.log(`${path.basename(file, ".ru")}\t${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)}`);
}
