// cli/find_command.hpp
// `parley find TEXT [--kind KIND]` and the REPL's :find: the entities a curator may
// mean, with the ids to cite them by.
#pragma once

#include <string>

#include "store/quad_store.hpp"

namespace CLI {
class App;
}

namespace parley::cli {

struct FindArgs {
  std::string text;
  std::string kind;       // "" = any
  std::size_t limit = 20;
};

void AddFindOptions(CLI::App* app, FindArgs* args);
int RunFindCommand(const store::QuadStore& store, const FindArgs& args);

}  // namespace parley::cli
