// rdf/iri.hpp
// IRIs: whether one is absolute, and reference resolution (RFC 3986 §5.2) for Turtle's
// relative IRIs, @base and SPARQL's BASE and IRI().
#pragma once

#include <string>
#include <string_view>

namespace parley::rdf {

// Whether `iri` starts with a URI scheme and a colon (RFC 3986 §3.1).
bool IsAbsoluteIri(std::string_view iri);

// Resolves `reference` against the absolute IRI `base`. A reference that is itself
// absolute is returned with its dot segments removed.
std::string ResolveIri(std::string_view base, std::string_view reference);

}  // namespace parley::rdf
