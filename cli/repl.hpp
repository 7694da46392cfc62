// cli/repl.hpp
// `parley` with no command: questions in English, SPARQL, and :commands, one after another.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "store/as_of.hpp"

namespace parley::cli {

// With `endpoint`, questions, SPARQL and :export go to that SPARQL endpoint instead.
// With `as_of`, they read that past state of the database until :as-of says otherwise.
int RunRepl(const std::filesystem::path& db, const std::string& endpoint = "",
            const std::optional<store::AsOf>& as_of = std::nullopt);

}  // namespace parley::cli
