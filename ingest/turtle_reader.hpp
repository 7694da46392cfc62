// ingest/turtle_reader.hpp
// A streaming, strict RDF 1.1 Turtle (and TriG) reader. Input is read in blocks; memory holds one
// statement at a time (plus the prefix table). The first error stops the read and comes
// back as `origin:line:col: error: message` with the line and a caret.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "ingest/ntriples_reader.hpp"

namespace parley::ingest {

// Reads Turtle from `file`. `base` resolves relative IRIs until the document sets its
// own with @base/BASE; with no base, a relative IRI is an error. Blank nodes the
// document names keep their labels; those it leaves anonymous get labels that start
// with a space, which no document label can, so they never collide.
Status ReadTurtle(std::FILE* file, std::string_view origin, std::string_view base,
                  const StatementCallback& on_statement);
Status ReadTurtleText(std::string_view text, std::string_view origin, std::string_view base,
                      const StatementCallback& on_statement);

// TriG (RDF 1.1): Turtle plus graph blocks, `GRAPH <g> { ... }`, `<g> { ... }` and
// `{ ... }` for the default graph. Statements in a block carry its graph.
Status ReadTriG(std::FILE* file, std::string_view origin, std::string_view base, const StatementCallback& on_statement);
Status ReadTriGText(std::string_view text, std::string_view origin, std::string_view base,
                   const StatementCallback& on_statement);

}  // namespace parley::ingest
