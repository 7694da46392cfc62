// cli/draft_command.hpp
// `parley draft TEXT_FILE --source ID`: a starting fact file for a new source, with the
// known entities of each paragraph as ready references (ingest/facts/draft.hpp).
#pragma once

#include <string>

#include "store/quad_store.hpp"

namespace CLI {
class App;
}

namespace parley::cli {

struct DraftArgs {
  std::string text_file;
  std::string source_id;
  std::string title;
  std::string output;  // "" = standard output
};

void AddDraftOptions(CLI::App* app, DraftArgs* args);
int RunDraftCommand(const store::QuadStore& store, const DraftArgs& args);

}  // namespace parley::cli
