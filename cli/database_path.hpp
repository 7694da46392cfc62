// cli/database_path.hpp
#pragma once

#include <filesystem>

namespace parley::cli {

// Where the database lives without --db: $PARLEY_DB, else $XDG_DATA_HOME/parley/db,
// else ~/.local/share/parley/db.
std::filesystem::path DefaultDatabasePath();

}  // namespace parley::cli
