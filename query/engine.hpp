// query/engine.hpp
// The public, Boost-free entry to the query layer: SPARQL text in, results out.
// parse -> validate -> evaluate over any QuadSource + TermDictionary (the RocksDB store,
// a snapshot of it, or the in-memory source).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/quad.hpp"

namespace parley::query {

enum class DatasetMode : std::uint8_t {
  kUnion,   // the default graph is the union of all graphs (an analyst's view)
  kStrict,  // the default graph is the unnamed graph only (the SPARQL spec's view)
};

struct QueryOptions {
  std::string base;                             // for relative IRIs (BASE in the query wins)
  DatasetMode dataset = DatasetMode::kUnion;
  bool inference = true;                        // rdfs:subClassOf / rdfs:subPropertyOf at query time
  std::optional<std::chrono::milliseconds> timeout;
  const std::atomic<bool>* cancel = nullptr;    // set to stop a running query
  std::map<std::string, std::string> prefixes;  // usable without PREFIX lines
  // ORDER BY without LIMIT sorts runs of this many rows in memory and merges them from
  // temporary files, so memory stays bounded however many rows there are.
  std::size_t sort_run_rows = 1'000'000;
};

enum class QueryForm : std::uint8_t { kSelect, kAsk, kConstruct, kDescribe };

struct Triple {
  Term subject, predicate, object;
};

struct QueryResult {
  QueryForm form = QueryForm::kSelect;
  std::vector<std::string> vars;                        // SELECT
  std::vector<std::vector<std::optional<Term>>> rows;   // SELECT; nullopt = unbound
  bool boolean = false;                                 // ASK
  std::vector<Triple> triples;                          // CONSTRUCT, DESCRIBE
};

// rdf, rdfs, xsd, owl, and Parley's ontology (":") and entities ("id:").
std::map<std::string, std::string> BuiltinPrefixes();

// The plan as an indented tree: each operator, and for basic graph patterns the triple
// patterns in the order the planner runs them with its row estimates. With `analyze`
// the query runs too and each operator shows the rows it produced and the time spent
// in it and in everything it fed (the evaluator pushes rows downstream).
Result<std::string> ExplainQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                                 const TermDictionary& dictionary, const QueryOptions& options, bool analyze);

// Parses and runs `text`. Errors: `origin:line:col: error: ...` for bad queries; a
// timeout or cancellation says so.
Result<QueryResult> RunQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                             const TermDictionary& dictionary, const QueryOptions& options);

}  // namespace parley::query
