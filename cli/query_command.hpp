// cli/query_command.hpp
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

#include "rdf/graded_source.hpp"
#include "store/as_of.hpp"

namespace parley::store {
class QuadStore;
}
namespace parley::query {
struct QueryOptions;
}

namespace parley::cli {

struct QueryArgs {
  std::string text;         // the query, or
  std::string file;         // -f FILE
  std::string format;       // table|json|csv|tsv|ntriples|turtle; "" = table on a terminal, else tsv/ntriples
  double timeout_seconds = 0;
  std::string dataset = "union";
  bool no_inference = false;
  std::string base;
  bool timing = false;
  int repeat = 1;
  const std::atomic<bool>* cancel = nullptr;  // the REPL's Ctrl-C
  bool labels_only = false;  // table cells: an entity's label alone (the REPL), not label and IRI
  rdf::MinimumGrades minimum;  // only facts whose evidence is graded so well
  std::optional<store::AsOf> as_of;  // read a past state (--as-of)
};

// Reads the text (the argument, -f FILE, or -f - for standard input) into `text`, names
// it in `origin`, and sets the options every SPARQL command shares. An exit code.
int PrepareQuery(const QueryArgs& args, std::string* text, std::string* origin, query::QueryOptions* options);

int RunQueryCommand(const store::QuadStore& store, const QueryArgs& args);
// The query sent to another engine's SPARQL endpoint (--endpoint URL), with Parley's
// built-in prefixes declared; rows as json, csv or tsv, graphs as N-Triples.
int RunRemoteQueryCommand(const std::string& endpoint, const QueryArgs& args);
// The REPL's :why after SPARQL: each row of a SELECT query with the sources, locators
// and quotes of the stored triples its bindings fill in; `full` adds the cited passages.
int RunQueryEvidence(const store::QuadStore& store, const std::string& text, bool full, const rdf::MinimumGrades& minimum,
                     const std::atomic<bool>* cancel, const std::optional<store::AsOf>& as_of = std::nullopt);
// parley explain [--analyze]: the plan, and with --analyze rows and time per operator.
int RunExplainCommand(const store::QuadStore& store, const QueryArgs& args, bool analyze);

}  // namespace parley::cli
