// libFuzzer targets for the RDF readers: N-Quads (the default), Turtle (FUZZ_TURTLE),
// TriG (FUZZ_TRIG), RDF/XML (FUZZ_RDFXML) or JSON-LD (FUZZ_JSONLD). Any input must give
// statements or an error, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/jsonld_reader.hpp"
#include "ingest/ntriples_reader.hpp"
#include "ingest/rdfxml_reader.hpp"
#include "ingest/turtle_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ignore = [](const parley::ingest::Statement&) { return parley::Status::OK(); };
#if defined(FUZZ_TURTLE)
  (void)parley::ingest::ReadTurtleText(text, "<fuzz>", "http://base/doc", ignore);
#elif defined(FUZZ_TRIG)
  (void)parley::ingest::ReadTriGText(text, "<fuzz>", "http://base/doc", ignore);
#elif defined(FUZZ_RDFXML)
  (void)parley::ingest::ReadRdfXmlText(text, "<fuzz>", "http://base/doc", ignore);
#elif defined(FUZZ_JSONLD)
  // The base is not a file: IRI, so a context named by IRI is refused, never read.
  (void)parley::ingest::ReadJsonLdText(text, "<fuzz>", "http://base/doc", ignore);
#else
  (void)parley::ingest::ReadNTriplesText(text, parley::ingest::RdfFormat::kNQuads, "<fuzz>", ignore);
#endif
  return 0;
}
