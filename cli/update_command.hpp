// cli/update_command.hpp
// parley update: a SPARQL 1.1 Update request, committed in one atomic write.
#pragma once

#include <filesystem>

#include "cli/query_command.hpp"
#include "query/update.hpp"

namespace CLI {
class App;
}

namespace parley::cli {

// update's options: the request (argument or -f FILE), --base, --dataset (strict by
// default, as the spec reads the default graph), --inference and --timeout.
void AddUpdateOptions(CLI::App* app, QueryArgs* args);

// The options every update entry shares (the CLI, the REPL, the server): Parley's
// prefixes, and LOAD reading local files only.
query::UpdateOptions LocalUpdateOptions();

// Runs the request on the database at `db`, opened for writing; prints what changed.
int RunUpdateCommand(const std::filesystem::path& db, const QueryArgs& args);

}  // namespace parley::cli
