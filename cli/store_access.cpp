#include "cli/store_access.hpp"

#include <algorithm>
#include <vector>

namespace parley::cli {

Status OpenForWriting(const std::filesystem::path& db, std::unique_ptr<store::QuadStore>* out) {
  PARLEY_RETURN_IF_ERROR(store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadWrite}, out));
  if (!(*out)->recovery_note().empty()) std::fprintf(stderr, "parley: note: %s\n", (*out)->recovery_note().c_str());
  return Status::OK();
}

Status OpenForReading(const std::filesystem::path& db, std::unique_ptr<store::QuadStore>* out) {
  Status s = store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadOnly}, out);
  if (s.code() != Status::Code::kNotFound) return s;
  PARLEY_RETURN_IF_ERROR(store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadWrite}, out));
  out->reset();
  return store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadOnly}, out);
}

Result<std::unique_ptr<store::StoreSnapshot>> SnapshotAt(const store::QuadStore& store,
                                                         const std::optional<store::AsOf>& as_of) {
  if (!as_of) return store.GetSnapshot();
  return store.GetSnapshotAsOf(*as_of);
}

std::string DescribeState(const store::QuadStore& store, std::uint64_t generation) {
  std::string text = "as the graph stood after commit " + std::to_string(generation);
  auto log = store.Log();
  if (!log.ok()) return text;
  if (!log->empty()) text += " of " + std::to_string(log->back().generation);
  for (const auto& commit : *log) {
    if (commit.generation == generation) text += ", made " + store::FormatMoment(commit.unix_ms);
  }
  if (generation == 0) text += " (empty: before the first commit)";
  return text;
}

std::string DatabaseFiles(const std::filesystem::path& db) {
  std::vector<std::string> entries;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(db, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("LOG", 0) == 0) continue;  // RocksDB's info log grows on reads too
    std::error_code size_error;
    const auto size = entry.is_regular_file(size_error) ? entry.file_size(size_error) : 0;
    entries.push_back(name + ":" + std::to_string(size_error ? 0 : size));
  }
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& e : entries) out += e + "\n";
  return out;
}

Status ReadingStore::Get(const store::QuadStore** out, bool* changed) {
  std::string files = DatabaseFiles(db_);
  const bool reopen = store_ == nullptr || files != files_;
  if (reopen) {
    store_.reset();
    PARLEY_RETURN_IF_ERROR(OpenForReading(db_, &store_));
    files_ = DatabaseFiles(db_);  // opening may have created the database
  }
  if (changed != nullptr) *changed = reopen;
  *out = store_.get();
  return Status::OK();
}

}  // namespace parley::cli
