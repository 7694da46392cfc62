// tests/support/rdf_test_support.hpp
// What the W3C suites need: reading a test manifest, running the parley binary,
// and comparing two graphs up to blank node renaming.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ingest/ntriples_reader.hpp"
#include "store/quad_store.hpp"
#include "store/term.hpp"

namespace parley::testing {

std::filesystem::path ConformanceDir();  // $PARLEY_CONFORMANCE_DIR or ../shared/conformance

// A graph store's contents in an update test: files for the default graph, and
// (graph IRI, file) pairs for named graphs.
struct StoreContents {
  std::vector<std::filesystem::path> data;
  std::vector<std::pair<std::string, std::filesystem::path>> graphs;
};

struct ManifestEntry {
  std::string name, type;                // type: the local name, e.g. TestTurtleEval
  std::filesystem::path action, result;  // files in the manifest's folder
  // SPARQL evaluation tests: mf:action [ qt:query ...; qt:data ...; qt:graphData ... ]
  std::filesystem::path query;
  std::vector<std::filesystem::path> data, graph_data;
  std::vector<std::string> requires_;    // mf:requires local names
  // SPARQL Update evaluation tests: mf:action [ ut:request ...; ut:data ...; ut:graphData
  // [ ut:graph ...; rdfs:label "iri" ] ] and mf:result [ the same, after ].
  std::filesystem::path request;
  StoreContents before, after;
};
// The entries of a W3C manifest (manifest.ttl), in manifest order.
std::vector<ManifestEntry> ReadManifest(const std::filesystem::path& manifest);

struct Triple {
  Term subject, predicate, object;
  std::optional<Term> graph = std::nullopt;  // datasets: the graph of a quad; unset for the default graph
};
// Parses N-Triples text; fails the current test on a syntax error.
std::vector<Triple> ParseNTriples(const std::string& text);
// Parses N-Quads text into quads; fails the current test on a syntax error.
std::vector<Triple> ParseNQuads(const std::string& text);
// Whether the graphs (or datasets, graphs compared too) are equal once blank nodes
// are renamed (RDF 1.1 §3.6).
bool Isomorphic(const std::vector<Triple>& a, const std::vector<Triple>& b);

// A reader's callback that appends each statement to `out` as "s p o" in N-Triples
// terms; a blank node is _:label, and one the reader named itself (its label starts
// with a space) is _:anon.
ingest::StatementCallback SpellInto(std::vector<std::string>* out);

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the shell text `command` (stdin from /dev/null) and captures its output.
CommandResult RunCommand(const std::string& command, const std::filesystem::path& scratch_dir);

std::string ReadFileText(const std::filesystem::path& path);

// Loads the curated dataset (data/ontology.ttl into the ontology graph, and every fact
// file of data/facts) into `store` in one load, as `parley init` does.
Status LoadCuratedDataset(store::QuadStore& store);

}  // namespace parley::testing
