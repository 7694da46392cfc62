// ingest/jsonld_reader.hpp
// JSON-LD 1.1 to RDF: contexts (inline, arrays of them, null, and local files named
// by a relative or file: IRI; nothing is fetched from the network), @vocab, @base,
// @language, terms and compact IRIs, type coercion (@id, @vocab, datatypes, @json),
// containers (@list, @set, @language, @index, @id, @type), @reverse, @nest,
// @included, scoped contexts on terms, @graph (default and named graphs), native
// numbers and booleans, and blank nodes. Errors come back as `origin:line:col:
// message`, the position of the JSON value at fault.
//
// The document is parsed whole (JSON-LD allows a node's @context after its
// properties), so memory grows with the document; N-Quads or Turtle suit bulk loads.
#pragma once

#include <cstdio>
#include <string_view>

#include "ingest/ntriples_reader.hpp"

namespace parley::ingest {

// `base` is the document's IRI: it resolves relative IRIs (until @base) and the
// local files a context names.
Status ReadJsonLd(std::FILE* file, std::string_view origin, std::string_view base, const StatementCallback& on_statement);
Status ReadJsonLdText(std::string_view text, std::string_view origin, std::string_view base,
                      const StatementCallback& on_statement);

}  // namespace parley::ingest
