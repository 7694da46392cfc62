// ingest/rdfxml_reader.hpp
// A streaming RDF 1.1 XML Syntax reader on expat (a SAX parser, Debian's libexpat):
// node and property elements, typed nodes, property attributes, rdf:li, reification by
// rdf:ID, xml:base and xml:lang, rdf:datatype, and parseType Resource, Collection and
// Literal (an rdf:XMLLiteral in exclusive canonical form). Memory holds the open
// elements, not the document. The first error stops the read and comes back as
// `origin:line:col: error: message`. Nothing is fetched: expat reads no external entities.
#pragma once

#include <cstdio>
#include <string_view>

#include "ingest/ntriples_reader.hpp"

namespace parley::ingest {

// `base` resolves relative IRIs until xml:base says otherwise. Blank nodes the document
// names with rdf:nodeID keep their names; others get labels starting with a space.
Status ReadRdfXml(std::FILE* file, std::string_view origin, std::string_view base, const StatementCallback& on_statement);
Status ReadRdfXmlText(std::string_view text, std::string_view origin, std::string_view base,
                      const StatementCallback& on_statement);

}  // namespace parley::ingest
