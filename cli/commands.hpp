// cli/commands.hpp
// The subcommands. Each returns the process exit code: 0 success, 1 failure
// (2, usage, is decided by the argument parser in main.cpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rdf/evidence.hpp"
#include "rdf/graded_source.hpp"
#include "store/quad_store.hpp"
#include "store/status.hpp"

namespace CLI {
class App;
}

namespace parley::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct LoadArgs {
  std::string format;  // "", nt, nq
  std::string graph;
  std::string base;
  bool strict = false;  // suspected duplicates fail the load
  std::vector<std::string> files;
};
// load's options and arguments, shared by `parley load` and the REPL's :load.
void AddLoadOptions(CLI::App* app, LoadArgs* args);

// --timeout SECONDS on `app`: positive and finite (0, negative, nan and inf are usage
// errors); `seconds` stays 0 when it is not given.
void AddTimeoutOption(CLI::App* app, double* seconds, const std::string& what);
int RunLoad(const std::filesystem::path& db, const LoadArgs& args);

// --min-reliability GRADE (A..F) and --min-credibility GRADE (1..6) on `app`: only facts
// whose evidence is graded so well count (rdf/graded_source.hpp).
void AddGradeOptions(CLI::App* app, rdf::MinimumGrades* minimum);

// --memory-limit SIZE on `app` (bytes, or with K, M, G or T: 512M, 1.5G), at least 16M;
// `bytes` stays 0 when it is not given.
void AddMemoryLimitOption(CLI::App* app, std::size_t* bytes);
// SIZE as bytes, or nothing when it is not a size.
std::optional<std::size_t> ParseByteSize(const std::string& text);

// The evidence under an answer: `    source [B2], locator: "quote" (title)`, the grade
// when the source or citation has one; with `full`, then the cited paragraph or
// section of the stored text with the quote marked **like this**.
std::string EvidenceLine(const rdf::EvidenceRef& e, bool full);

// Prints a failed status the way every command does; returns kExitFailure.
int Fail(const Status& s);

int RunDump(const std::filesystem::path& db, const std::string& format, const std::optional<store::AsOf>& as_of);
// Creates the database and, unless `empty`, loads the curated dataset (data/).
int RunInit(const std::filesystem::path& db, bool empty);
int RunSources(const store::QuadStore& store, const std::optional<store::AsOf>& as_of);
int RunRetract(const std::filesystem::path& db, const std::string& source_id);

// Where the curated dataset lives: $PARLEY_DATA_DIR, else the installed share/parley,
// else the source tree's data/.
std::filesystem::path DataDirectory();
// Loads data/ into `db` when `db` does not exist yet (the default database's first use).
int SeedIfMissing(const std::filesystem::path& db);
int RunStats(const store::QuadStore& store);
// parley log: one line per commit, oldest first.
// The history kept ends at the oldest state `--as-of` can still show.
int RunLog(const store::QuadStore& store);
// parley compact --before DATE: drops the history of the commits made before DATE.
int RunCompact(const std::filesystem::path& db, const std::string& before);
int RunCheck(const std::filesystem::path& db);

}  // namespace parley::cli
