#include "server/page.hpp"

namespace parley::server {

std::string_view QueryPage() {
  static constexpr std::string_view kPage = R"PAGE(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Parley</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
  h1 { font-size: 1.3em; }
  form { display: flex; gap: .5em; }
  textarea { flex: 1; font: 14px monospace; min-height: 2.6em; }
  table { border-collapse: collapse; margin-top: 1em; width: 100%; }
  th, td { border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left; vertical-align: top; }
  .evidence { color: #444; font-size: .92em; margin: .3em 0 0 1em; }
  .grade { font-weight: bold; }
  .message { margin-top: 1em; color: #a33; white-space: pre-wrap; font-family: monospace; }
  .sparql { color: #666; font: 12px monospace; margin-top: .5em; white-space: pre-wrap; }
  button.why { font-size: .8em; }
</style>
</head>
<body>
<h1>Parley</h1>
<form id="ask">
  <textarea id="q" placeholder="who met Kim Jong Un?   or   SELECT ?s WHERE { ?s a :Summit }"></textarea>
  <button id="go" type="submit">Ask</button>
</form>
<div id="status" class="message"></div>
<div id="sparql" class="sparql"></div>
<table id="results"></table>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const isSparql = (text) => /^\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.test(text);
const short = (iri) => iri.replace("http://parley.example.org/id/", "id:").replace("http://parley.example.org/ontology#", ":");
const entityLink = (iri, text) => `<a href="?entity=${encodeURIComponent(iri)}" data-iri="${escape(iri)}">${escape(text)}</a>`;

function show(message) { $("status").textContent = message || ""; }

function evidenceList(evidence) {
  const items = evidence.map((e) => {
    const grade = (e.reliability || "") + (e.credibility || "");
    return `<li>${escape(e.source)}${grade ? ` <span class="grade">[${escape(grade)}]</span>` : ""}` +
      `${e.locator ? ", " + escape(e.locator) : ""}${e.quote ? `: “${escape(e.quote)}”` : ""}` +
      `${e.title ? ` <i>(${escape(e.title)})</i>` : ""}</li>`;
  });
  return `<ul class="evidence">${items.join("") || "<li>no evidence recorded</li>"}</ul>`;
}

async function ask(question, openWhy) {
  const response = await fetch("/ask?why=1&q=" + encodeURIComponent(question));
  if (!response.ok) return show(await response.text());
  const answer = await response.json();
  $("sparql").textContent = answer.sparql || "";
  if (!answer.understood || (answer.answers || []).length === 0) show(answer.message || "No answers.");
  const rows = (answer.answers || []).map((a, i) =>
    `<tr><td>${a.iri ? entityLink(a.iri, a.value) : escape(a.value)}` +
    `<div class="why-box" id="why-${i}" hidden>${evidenceList(a.evidence || [])}</div></td>` +
    `<td><button class="why" data-row="${i}">why</button></td></tr>`);
  if (answer.answer !== undefined) rows.unshift(`<tr><td>${answer.answer ? "Yes" : "No"}</td><td></td></tr>`);
  $("results").innerHTML = `<tr><th>answer</th><th></th></tr>` + rows.join("");
  for (const button of document.querySelectorAll("button.why")) {
    button.addEventListener("click", () => { const box = $("why-" + button.dataset.row); box.hidden = !box.hidden; });
    if (openWhy) button.click();
  }
}

async function sparql(text) {
  const response = await fetch("/query", {method: "POST", body: text,
    headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}});
  const body = await response.text();
  if (!response.ok) return show(body);
  if (!(response.headers.get("Content-Type") || "").includes("json")) {
    $("results").innerHTML = `<tr><td><pre>${escape(body)}</pre></td></tr>`;
    return;
  }
  const result = JSON.parse(body);
  if (result.boolean !== undefined) { $("results").innerHTML = `<tr><td>${result.boolean ? "Yes" : "No"}</td></tr>`; return; }
  const vars = result.head.vars;
  const cell = (b) => !b ? "" : b.type === "uri" ? entityLink(b.value, short(b.value)) : escape(b.value);
  $("results").innerHTML = `<tr>${vars.map((v) => `<th>${escape(v)}</th>`).join("")}</tr>` +
    result.results.bindings.map((row) => `<tr>${vars.map((v) => `<td>${cell(row[v])}</td>`).join("")}</tr>`).join("");
  if (result.results.bindings.length === 0) show("No rows.");
}

// An entity's page: each of its facts with the source, locator and quote behind it.
async function entity(iri) {
  const query = `SELECT ?p ?o ?source ?locator ?quote WHERE {
    GRAPH ?g { <${iri}> ?p ?o }
    OPTIONAL { GRAPH <http://parley.example.org/graph/provenance> {
      ?g :source ?s . BIND(STRAFTER(STR(?s), "/id/") AS ?source)
      OPTIONAL { ?g :paragraph ?n BIND(CONCAT("paragraph ", STR(?n)) AS ?locator) }
      OPTIONAL { ?g :section ?sec BIND(CONCAT("section ", ?sec) AS ?locator) }
      OPTIONAL { ?g :quote ?quote } } }
  } ORDER BY ?p ?o`;
  $("q").value = query;
  await sparql(query);
}

async function run(text, openWhy) {
  show("");
  $("sparql").textContent = "";
  $("results").innerHTML = "";
  try {
    if (isSparql(text)) await sparql(text); else await ask(text, openWhy);
  } catch (e) {
    show("The server did not answer: " + e);
  }
  document.body.dataset.done = "1";
}

$("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("q").value.trim();
  if (text) history.pushState(null, "", "?q=" + encodeURIComponent(text));
  if (text) run(text, false);
});
$("q").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !isSparql($("q").value)) { event.preventDefault(); $("go").click(); }
});

const params = new URLSearchParams(location.search);
if (params.get("entity")) {
  entity(params.get("entity")).then(() => { document.body.dataset.done = "1"; });
} else if (params.get("q")) {
  $("q").value = params.get("q");
  run(params.get("q"), params.get("why") === "1");
}
</script>
</body>
</html>
)PAGE";
  return kPage;
}

}  // namespace parley::server
