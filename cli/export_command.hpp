// cli/export_command.hpp
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/quad_store.hpp"

namespace CLI {
class App;
}

namespace parley::cli {

struct ExportArgs {
  std::vector<std::string> roots;  // labels, aliases or IRIs
  int depth = 1;
  std::string construct;           // a CONSTRUCT query instead of roots
  std::string format = "json";     // json|jsonld|ntriples|nquads|turtle|dot
  bool with_evidence = false;
  std::string output;              // -o FILE; "" = standard output
  double timeout_seconds = 0;      // for --construct; 0 = none
  std::optional<store::AsOf> as_of;  // read a past state (--as-of)
};

// export's options, shared by `parley export` and the REPL's :export.
void AddExportOptions(CLI::App* app, ExportArgs* args);
int RunExportCommand(const store::QuadStore& store, const ExportArgs& args);
// The same export from another SPARQL 1.1 endpoint's graph (--endpoint URL).
int RunRemoteExportCommand(const std::string& endpoint, const ExportArgs& args);

}  // namespace parley::cli
