// rdf/vocabulary.hpp
// The IRIs Parley mints: its ontology, its entities, the evidence contexts that name
// the graph of every curated fact, and the graphs for provenance and the ontology.
#pragma once

#include <string>
#include <string_view>

namespace parley::rdf {

inline constexpr std::string_view kOntologyNs = "http://parley.example.org/ontology#";
inline constexpr std::string_view kEntityNs = "http://parley.example.org/id/";
inline constexpr std::string_view kContextNs = "http://parley.example.org/context/";
// Holds the triples about sources and evidence contexts.
inline constexpr std::string_view kProvenanceGraph = "http://parley.example.org/graph/provenance";
// Holds data/ontology.ttl.
inline constexpr std::string_view kOntologyGraph = "http://parley.example.org/graph/ontology";

inline constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr std::string_view kRdfsNs = "http://www.w3.org/2000/01/rdf-schema#";
inline constexpr std::string_view kXsdNs = "http://www.w3.org/2001/XMLSchema#";

inline std::string Ont(std::string_view local) { return std::string(kOntologyNs) + std::string(local); }
inline std::string EntityIri(std::string_view id) { return std::string(kEntityNs) + std::string(id); }
inline std::string Rdf(std::string_view local) { return std::string(kRdfNs) + std::string(local); }
inline std::string Rdfs(std::string_view local) { return std::string(kRdfsNs) + std::string(local); }
inline std::string Xsd(std::string_view local) { return std::string(kXsdNs) + std::string(local); }

// The id of an entity IRI, or "" when the IRI is not one of Parley's entities.
inline std::string_view EntityId(std::string_view iri) {
  if (iri.substr(0, kEntityNs.size()) != kEntityNs) return {};
  return iri.substr(kEntityNs.size());
}

}  // namespace parley::rdf
