// ingest/iri.hpp
// IRI reference resolution (RFC 3986 §5.2) for Turtle's relative IRIs and @base.
#pragma once

#include <string>
#include <string_view>

namespace parley::ingest {

// Resolves `reference` against the absolute IRI `base`. A reference that is itself
// absolute is returned with its dot segments removed.
std::string ResolveIri(std::string_view base, std::string_view reference);

}  // namespace parley::ingest
