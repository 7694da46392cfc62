// ingest/ntriples_writer.hpp
// Canonical N-Triples and N-Quads output of a store or any QuadSource.
#pragma once

#include <cstdio>

#include "store/quad.hpp"

namespace parley::ingest {

enum class DumpFormat : std::uint8_t {
  kNQuads,    // every quad with its graph; default-graph quads have no graph label
  kNTriples,  // the union of all graphs, each triple once
};

// Writes the whole of `source` to `out`. Terms are looked up in `dictionary`.
Status Dump(const QuadSource& source, const TermDictionary& dictionary, DumpFormat format, std::FILE* out);

}  // namespace parley::ingest
