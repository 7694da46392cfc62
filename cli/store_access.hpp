// cli/store_access.hpp
// How the commands open the database.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "store/quad_store.hpp"

namespace parley::cli {

// Commands that only read open without the write lock, so they work while another
// process loads. A database that does not exist yet is created empty first.
Status OpenForReading(const std::filesystem::path& db, std::unique_ptr<store::QuadStore>* out);

// The state a reading command reads: the latest, or the past one `as_of` names
// (--as-of, :as-of, "as of 1 March 2019").
Result<std::unique_ptr<store::StoreSnapshot>> SnapshotAt(const store::QuadStore& store,
                                                         const std::optional<store::AsOf>& as_of);

// "as the graph stood after commit 3 of 7, made 2019-03-01T15:30:00Z": which state a
// snapshot shows, for the user.
std::string DescribeState(const store::QuadStore& store, std::uint64_t generation);

// Commands that write take the write lock; a recovery RocksDB made on opening is noted on stderr.
Status OpenForWriting(const std::filesystem::path& db, std::unique_ptr<store::QuadStore>* out);

// The REPL's store: opened once, and opened again only when the database's files show
// that a write happened since (a :load, a :retract, or another process's load), so that
// each line reads the latest committed state without reopening RocksDB every time.
class ReadingStore {
 public:
  explicit ReadingStore(std::filesystem::path db) : db_(std::move(db)) {}
  // The store as committed now; `changed` (when given) says whether it was reopened.
  Status Get(const store::QuadStore** out, bool* changed = nullptr);

 private:
  std::filesystem::path db_;
  std::unique_ptr<store::QuadStore> store_;
  std::string files_;  // DatabaseFiles(db_) when store_ was opened
};

// The names and sizes of the files a committed write changes (the write-ahead log, the
// table files, the manifest); RocksDB's own LOG files are left out.
std::string DatabaseFiles(const std::filesystem::path& db);

}  // namespace parley::cli
