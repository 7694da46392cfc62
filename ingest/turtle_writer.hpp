// ingest/turtle_writer.hpp
// Writes the union of all graphs as Turtle, or every graph as TriG: @prefix lines, one block per subject with
// ';' and ',', `a` for rdf:type, numbers and booleans in short form, and well-formed
// RDF collections as ( ... ).
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <array>
#include <vector>

#include "store/quad.hpp"

namespace parley::ingest {

using PrefixMap = std::vector<std::pair<std::string, std::string>>;  // (prefix, namespace IRI)

// rdf, rdfs, xsd and owl.
PrefixMap StandardPrefixes();

Status WriteTurtle(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes,
                   std::FILE* out);
// The dataset as TriG: the default graph's triples, then `<g> { ... }` per named graph.
Status WriteTriG(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes,
                 std::FILE* out);
// The named graphs of `source`, each once, in id order.
Result<std::vector<TermId>> NamedGraphs(const QuadSource& source);
// The same Turtle as a string, for results that are printed or written elsewhere.
Result<std::string> TurtleText(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes);
// The Turtle of a list of triples (a CONSTRUCT's answer).
Result<std::string> TurtleOfTriples(const std::vector<std::array<Term, 3>>& triples, const PrefixMap& prefixes);

}  // namespace parley::ingest
