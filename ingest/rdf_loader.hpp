// ingest/rdf_loader.hpp
// Loads RDF files and curated JSON fact files into a store as one atomic transaction:
// every file loads, or nothing is written. Fact files are all validated (references
// included) before anything is read into the transaction. Blank node labels are scoped
// to their document: the same label in two files, or in two loads of one file, names
// two different nodes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ingest/ntriples_reader.hpp"
#include "store/quad_store.hpp"

namespace parley::ingest {

struct RdfLoadOptions {
  std::optional<RdfFormat> format;  // unset: from each file's extension
  std::string graph;                // when set, statements without a graph go into this named graph
  bool replace_graph = false;       // with graph: its previous quads go in the same transaction
  std::string base;                 // base IRI for Turtle; default: the file's file:// IRI
  bool strict = false;              // fact files: suspected duplicates are errors, not warnings
  store::LoadOptions store;
  // Called every few thousand statements with the number read so far.
  std::function<void(std::uint64_t statements)> progress;
  // Called once every file has parsed, before the (possibly long) sort and write.
  std::function<void()> before_commit;
};

// The format of `path` by its extension (.nt, .nq, .ttl, .json); stdin ("-") reads as N-Quads, of
// which N-Triples is a subset. InvalidArgument for an unknown extension.
Result<RdfFormat> FormatForPath(const std::string& path);

// Reads one RDF file (not a fact file) in `format`; "-" is standard input. `base`
// resolves relative IRIs in Turtle and TriG. The one place that picks a reader by format.
Status ReadRdfFile(const std::string& path, RdfFormat format, std::string_view base, const StatementCallback& on_statement);

// The documents SPARQL's LOAD may read: a file: IRI or a local path, in an RDF format
// told by its extension. Nothing from the network. Blank node labels are the document's.
using TermStatementCallback = std::function<Status(const Term& s, const Term& p, const Term& o, const Term* graph)>;
Status ReadLocalDocument(const std::string& iri, const TermStatementCallback& on_statement);

struct LoadReport {
  store::LoadSummary store;
  std::vector<std::string> notes;  // one line per fact file: its source and what happened
  std::vector<Diagnostic> warnings;  // suspected duplicates, in file and line order
};

// Loads `paths` ("-" is standard input) in one transaction.
Result<LoadReport> LoadRdfFiles(store::QuadStore& store, const std::vector<std::string>& paths,
                                const RdfLoadOptions& options);

}  // namespace parley::ingest
