// libFuzzer target for fact-file validation: JSON text in, a fact file or errors out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/facts/fact_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parley::ingest::facts::FactFile file;
  const parley::Status s =
      parley::ingest::facts::ParseFactFile("<fuzz>", std::string(reinterpret_cast<const char*>(data), size), &file);
  if (s.ok()) (void)parley::ingest::facts::CheckReferences({file}, [](const std::string&) { return false; });
  return 0;
}
