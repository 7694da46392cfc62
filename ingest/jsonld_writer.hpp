// ingest/jsonld_writer.hpp
// The whole dataset as one JSON-LD 1.1 document (`parley dump --format jsonld`): an
// inline @context of prefixes, the default graph's nodes under @graph, and each named
// graph as a node with its own @graph. Values keep their exact lexical forms
// ({"@value": "12", "@type": "xsd:integer"}), so that reading the document back gives
// the same quads. Written node by node; memory holds one node's statements.
#pragma once

#include <cstdio>

#include "ingest/turtle_writer.hpp"
#include "store/quad.hpp"

namespace parley::ingest {

Status WriteJsonLd(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes, std::FILE* out);

}  // namespace parley::ingest
