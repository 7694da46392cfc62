// ingest/graph_export.hpp
// Subgraphs for use elsewhere: the neighbourhood of chosen entities (or any set of
// triples, e.g. a CONSTRUCT result) written as Parley's JSON subgraph format
// (docs/export.md), JSON-LD with an inline @context, or DOT for Graphviz.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "store/quad.hpp"

namespace parley::ingest {

using TripleTerms = std::array<Term, 3>;

// Every triple (union of all graphs) within `depth` steps of a root, following links in
// both directions. rdf:type links and literals end a path. Sorted and without repeats.
Result<std::vector<TripleTerms>> Neighbourhood(const QuadSource& source, const TermDictionary& dictionary,
                                               const std::vector<Term>& roots, int depth);

// The JSON subgraph: nodes (id, label, types, literal properties) and edges (source,
// target, predicate and its label, and with `with_evidence` the evidence of each edge).
// Labels, types and predicate labels are looked up in `source`. Stable: sorted.
Result<std::string> ExportJson(const std::vector<TripleTerms>& triples, const QuadSource& source,
                               const TermDictionary& dictionary, bool with_evidence);
// JSON-LD (expanded values under an inline @context, so it reads offline).
std::string ExportJsonLd(const std::vector<TripleTerms>& triples);
// DOT: nodes labelled and coloured by class, edges labelled by predicate.
std::string ExportDot(const std::vector<TripleTerms>& triples, const QuadSource& source, const TermDictionary& dictionary);

}  // namespace parley::ingest
