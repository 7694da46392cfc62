// cli/database_path.hpp
#pragma once

#include <filesystem>

namespace parley::cli {

// $XDG_DATA_HOME/parley, else ~/.local/share/parley: the default database and the REPL's history.
std::filesystem::path UserDataDirectory();

// Where the database lives without --db: $PARLEY_DB, else $XDG_DATA_HOME/parley/db,
// else ~/.local/share/parley/db.
std::filesystem::path DefaultDatabasePath();

}  // namespace parley::cli
