// cli/repl.hpp
// `parley` with no command: questions in English, SPARQL, and :commands, one after another.
#pragma once

#include <filesystem>

namespace parley::cli {

int RunRepl(const std::filesystem::path& db);

}  // namespace parley::cli
