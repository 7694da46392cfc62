// cli/export_command.hpp
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace parley::cli {

struct ExportArgs {
  std::vector<std::string> roots;  // labels, aliases or IRIs
  int depth = 1;
  std::string construct;           // a CONSTRUCT query instead of roots
  std::string format = "json";     // json|jsonld|ntriples|nquads|turtle|dot
  bool with_evidence = false;
  std::string output;              // -o FILE; "" = standard output
};

int RunExportCommand(const std::filesystem::path& db, const ExportArgs& args);

}  // namespace parley::cli
