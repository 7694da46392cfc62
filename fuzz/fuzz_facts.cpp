// libFuzzer target for fact-file validation: JSON text in, a fact file or errors out.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ingest/facts/fact_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parley::ingest::facts::FactFile file;
  const parley::Status s =
      parley::ingest::facts::ParseFactFile("<fuzz>", std::string(reinterpret_cast<const char*>(data), size), &file);
  if (!s.ok()) return 0;
  const parley::ingest::facts::DatabaseIds empty_database{
      [](const std::string&) -> parley::Result<std::optional<std::string>> { return std::optional<std::string>(); },
      []() -> parley::Result<std::vector<std::string>> { return std::vector<std::string>(); }};
  (void)parley::ingest::facts::CheckReferences({file}, empty_database);
  return 0;
}
