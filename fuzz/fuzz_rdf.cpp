// libFuzzer targets for the RDF readers: N-Triples/N-Quads (FUZZ_NQUADS) or Turtle.
// Any input must give statements or an error, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/ntriples_reader.hpp"
#include "ingest/turtle_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ignore = [](const parley::ingest::Statement&) { return parley::Status::OK(); };
#ifdef FUZZ_TURTLE
  (void)parley::ingest::ReadTurtleText(text, "<fuzz>", "http://base/doc", ignore);
#else
  (void)parley::ingest::ReadNTriplesText(text, parley::ingest::RdfFormat::kNQuads, "<fuzz>", ignore);
#endif
  return 0;
}
