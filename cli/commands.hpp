// cli/commands.hpp
// The subcommands. Each returns the process exit code: 0 success, 1 failure
// (2, usage, is decided by the argument parser in main.cpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace parley::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct LoadArgs {
  std::string format;  // "", nt, nq
  std::string graph;
  std::string base;
  std::vector<std::string> files;
};
int RunLoad(const std::filesystem::path& db, const LoadArgs& args);

int RunDump(const std::filesystem::path& db, const std::string& format);
int RunStats(const std::filesystem::path& db);
int RunCheck(const std::filesystem::path& db);

}  // namespace parley::cli
