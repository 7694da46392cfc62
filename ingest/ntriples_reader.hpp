// ingest/ntriples_reader.hpp
// Streaming, strict RDF 1.1 N-Triples and N-Quads readers. Input is read in blocks and
// parsed line by line, so a file of any size needs only a few megabytes of memory.
// The first error stops the read and comes back as `origin:line:col: error: message`.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/status.hpp"
#include "store/term.hpp"

namespace parley::ingest {

// The input formats `parley load` reads: RDF syntaxes and curated JSON fact files.
enum class RdfFormat : std::uint8_t { kNTriples, kNQuads, kTurtle, kTriG, kRdfXml, kJsonLd, kFactsJson };

// One parsed statement. Views stay valid only during the callback. Blank node labels
// are those of the document; scoping them to one load is the caller's business.
struct Statement {
  TermView subject, predicate, object;
  std::optional<TermView> graph;  // N-Quads and TriG; unset for the default graph
  std::uint64_t line = 0;
};

using StatementCallback = std::function<Status(const Statement&)>;

// Reads `file` to its end (or the first error, or the first non-OK callback status).
// `origin` names the input in diagnostics.
Status ReadNTriples(std::FILE* file, RdfFormat format, std::string_view origin, const StatementCallback& on_statement);
// The same over text in memory.
Status ReadNTriplesText(std::string_view text, RdfFormat format, std::string_view origin,
                        const StatementCallback& on_statement);

}  // namespace parley::ingest
