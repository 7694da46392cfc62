// query/engine.hpp
// The public, Boost-free entry to the query layer: SPARQL text in, results out.
// parse -> validate -> plan and execute (query/engine.cpp) over any QuadSource + TermDictionary (the RocksDB store,
// a snapshot of it, or the in-memory source).
#pragma once

#include <array>
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

// The memory limit a query gets unless its options say otherwise: half of the
// machine's memory, or what the process set (`parley --memory-limit`).
std::size_t DefaultMemoryLimit();
void SetDefaultMemoryLimit(std::size_t bytes);
// The threads a query may use unless its options say otherwise: the machine's cores, or
// what the process set (`parley --threads`).
unsigned DefaultThreads();
void SetDefaultThreads(unsigned threads);

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
  // Stops the query with "memory limit reached" once the process has grown by more than
  // this many bytes since the query started (checked with the deadline). Unset: no limit.
  std::optional<std::size_t> memory_limit = DefaultMemoryLimit();
  // Threads for one query: a large scan and what joins and filters it, or grouping over
  // it, is split into this many parts run at once. The answer is the same for any number.
  unsigned threads = DefaultThreads();
  // The fewest expected rows of a scan that is worth splitting.
  std::size_t parallel_min_rows = 8192;
  // The SPARQL Protocol's default-graph-uri and named-graph-uri: when either is given,
  // they replace the query's FROM and FROM NAMED.
  std::vector<std::string> default_graphs, named_graphs;
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

// Receives an answer while the query runs, so that a caller can write rows as they come
// and hold none of them. An error from any call (a failed write) stops the query and
// becomes its result. Calls: Begin, then Row (SELECT), Triple (CONSTRUCT, DESCRIBE) or
// Boolean (ASK), then End once the answer is complete.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual Status Begin(QueryForm form, const std::vector<std::string>& vars) = 0;
  virtual Status Row(const std::vector<std::optional<Term>>& row) = 0;
  virtual Status Triple(const query::Triple& triple) = 0;
  virtual Status Boolean(bool value) = 0;
  virtual Status End() = 0;
};

// rdf, rdfs, xsd, owl, and Parley's ontology (":") and entities ("id:").
std::map<std::string, std::string> BuiltinPrefixes();

// The plan as an indented tree, root first: each operator with its estimated rows (a
// BGP is one pattern join a line, in the order the planner runs them). With `analyze`
// the query runs too and each operator shows the rows it produced and the time spent
// in it and in the operators below it (they pull their rows from it).
Result<std::string> ExplainQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                                 const TermDictionary& dictionary, const QueryOptions& options, bool analyze);

// Parses and runs `text`. Errors: `origin:line:col: error: ...` for bad queries; a
// timeout or cancellation says so.
Result<QueryResult> RunQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                             const TermDictionary& dictionary, const QueryOptions& options);

// The same, with the answer going to `sink` as it is found: a SELECT without ORDER BY
// or aggregates holds no rows in memory (DISTINCT holds the distinct keys).
Status RunQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                const TermDictionary& dictionary, const QueryOptions& options, ResultSink& sink);

// Runs a SELECT and gives each row with the facts its bindings fill into the query's
// plain triple patterns (the REPL's :why looks up their evidence). The query is parsed
// once. InvalidArgument for ASK, CONSTRUCT and DESCRIBE.
struct RowFacts {
  std::vector<std::optional<Term>> row;
  std::vector<std::array<Term, 3>> facts;
};
Result<std::vector<RowFacts>> RunSelectWithFacts(std::string_view text, std::string_view origin,
                                                 const QuadSource& source, const TermDictionary& dictionary,
                                                 const QueryOptions& options);

}  // namespace parley::query
