#include "cli/database_path.hpp"

#include <cstdlib>

namespace parley::cli {

std::filesystem::path UserDataDirectory() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::filesystem::path(xdg) / "parley";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share" / "parley";
}

std::filesystem::path DefaultDatabasePath() {
  if (const char* db = std::getenv("PARLEY_DB"); db != nullptr && *db != '\0') return db;
  return UserDataDirectory() / "db";
}

}  // namespace parley::cli
