// cli/repl.hpp
// `parley` with no command: questions in English, SPARQL, and :commands, one after another.
#pragma once

#include <filesystem>
#include <string>

namespace parley::cli {

// With `endpoint`, questions, SPARQL and :export go to that SPARQL endpoint instead.
int RunRepl(const std::filesystem::path& db, const std::string& endpoint = "");

}  // namespace parley::cli
