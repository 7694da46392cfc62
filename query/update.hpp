// query/update.hpp
// SPARQL 1.1 Update: a request of operations separated by ';', run in order, each
// seeing the changes of those before it, and committed as one atomic write: all of
// the request or none of it, also when the process dies midway.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "query/engine.hpp"
#include "store/quad_store.hpp"

namespace parley::query {

// Reads the RDF document that LOAD names and gives each statement to `emit` (graph
// null: the document's default graph). The caller decides which IRIs it may read.
using StatementEmitter = std::function<Status(const Term& s, const Term& p, const Term& o, const Term* graph)>;
using DocumentReader = std::function<Status(const std::string& iri, const StatementEmitter& emit)>;

struct UpdateOptions {
  // WHERE clauses run as queries with these options. An update reads the spec's
  // dataset (the default graph is the unnamed graph) without inference unless told.
  QueryOptions query = [] {
    QueryOptions o;
    o.dataset = DatasetMode::kStrict;
    o.inference = false;
    return o;
  }();
  DocumentReader read_document;  // unset: LOAD fails
  std::string command;           // the commit's entry in the database's log; empty: the command line
  // The Protocol's using-graph-uri and using-named-graph-uri: the dataset of every
  // DELETE/INSERT's WHERE. A request that names its own (USING, WITH) is then refused.
  std::vector<std::string> using_graphs, using_named;
  // Called once the request has run and passed its checks, just before the commit,
  // with the counts it will write (for a progress line).
  std::function<void(std::uint64_t added, std::uint64_t removed)> before_commit;
};

struct UpdateSummary {
  std::size_t operations = 0;
  std::uint64_t quads_added = 0;    // quads the store did not have before
  std::uint64_t quads_removed = 0;  // quads the store had and no longer has
};

// Parses and runs `text` against `store`. Errors: `origin:line:col: error: ...` for a
// bad request; otherwise the first failing operation's message, and nothing written.
Result<UpdateSummary> RunUpdate(std::string_view text, std::string_view origin, store::QuadStore& store,
                                const UpdateOptions& options);

}  // namespace parley::query
