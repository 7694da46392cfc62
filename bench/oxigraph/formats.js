// node formats.js DATA.nt OUT_DIR
// The format rows of make bench. Writes DATA (N-Triples) as OUT_DIR/diplo-1m.trig, its
// triples spread over ten named graphs, and as OUT_DIR/diplo-1m.rdf (RDF/XML), then
// times Oxigraph loading each into a fresh in-memory store: the median of three runs.
// Prints "format<TAB>ms" per file.
"use strict";
const fs = require("fs");
const path = require("path");
const oxigraph = require("oxigraph");

const [data, out] = process.argv.slice(2);
const lines = fs.readFileSync(data, "utf8").split("\n").filter((l) => l.length > 0);
const store = new oxigraph.Store();
const chunk = Math.ceil(lines.length / 10);
for (let g = 0; g < 10; g++) {
  store.load(lines.slice(g * chunk, (g + 1) * chunk).join("\n"), {
    format: "application/n-triples",
    to_graph_name: oxigraph.namedNode(`http://example.org/graph/${g}`),
  });
}
const trig = path.join(out, "diplo-1m.trig");
fs.writeFileSync(trig, store.dump({ format: "application/trig" }));
const flat = new oxigraph.Store();
flat.load(lines.join("\n"), { format: "application/n-triples" });
const rdfxml = path.join(out, "diplo-1m.rdf");
fs.writeFileSync(rdfxml, flat.dump({ format: "application/rdf+xml", from_graph_name: oxigraph.defaultGraph() }));

for (const [name, file, format] of [["trig", trig, "application/trig"], ["rdfxml", rdfxml, "application/rdf+xml"]]) {
  const text = fs.readFileSync(file);
  const times = [];
  for (let run = 0; run < 3; run++) {
    const fresh = new oxigraph.Store();
    const start = process.hrtime.bigint();
    fresh.load(text, { format, base_iri: "http://example.org/" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}\t${times[1].toFixed(0)}`);
}
