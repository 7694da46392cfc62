// cli/ask_command.hpp
#pragma once

#include <filesystem>
#include <string>

namespace parley::cli {

struct AskArgs {
  std::string question;
  bool why = false;
  bool sparql = false;
  std::string format = "table";  // table|json|csv|tsv
};

// Exit 0 when the question was understood (with or without answers), 1 when not.
int RunAskCommand(const std::filesystem::path& db, const AskArgs& args);

}  // namespace parley::cli
