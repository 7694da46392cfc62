// store/rocks_internal.hpp
// Internal to store/: the RocksDB handles, column-family layout and meta keys shared by
// quad_store.cpp, write_pipeline.cpp and loader.cpp. Nothing outside store/ includes it.
#pragma once

#include <filesystem>
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include "store/key_codec.hpp"
#include "store/quad.hpp"

namespace parley::store::internal {

// Column families, in the order they are opened. kMeta is RocksDB's default family.
// kHistoryCf holds what each commit changed: key = generation (8 bytes, big-endian) +
// the quad's spog key; value "+" (added) or "-" (removed). Databases written before it
// existed get it at their next read-write open; it is last so that a read-only open of
// such a database can go without it.
enum Cf : int { kMeta = 0, kSpogCf, kPosgCf, kOspgCf, kGspoCf, kTerm2IdCf, kId2TermCf, kHistoryCf, kCfCount };
const char* CfName(Cf cf);
inline Cf IndexCf(IndexOrder order) { return static_cast<Cf>(kSpogCf + static_cast<int>(order)); }

// The on-disk format this code reads and writes.
inline constexpr std::string_view kFormatVersion = "1";
inline constexpr std::string_view kFormatVersionKey = "format_version";
inline constexpr std::string_view kNextTermIdKey = "next_term_id";
inline constexpr std::string_view kNextBlankNodeKey = "next_blank_node";
// How many commits changed the database: names one state, for data derived from it.
inline constexpr std::string_view kGenerationKey = "generation";
inline constexpr std::string_view kStatsPrefix = "stats/";
// One entry per commit, keyed by its generation (big-endian, so in commit order).
inline constexpr std::string_view kLogPrefix = "log/";
// The oldest generation whose state the history can rebuild: 0 unless `compact
// --before` dropped older history, or the database was written before history was kept.
inline constexpr std::string_view kHistoryFromKey = "history_from";
inline constexpr std::size_t kHistoryKeyBytes = kTermIdBytes + kQuadKeyBytes;

std::string StatsKey(TermId predicate);
std::string EncodeStats(const PredicateStats& stats);
Result<PredicateStats> DecodeStats(std::string_view value);

Status FromRocks(const rocksdb::Status& s, std::string_view context);
rocksdb::ColumnFamilyOptions CfOptions(Cf cf);

// Owns the open database. Writers serialise on write_mutex.
struct Db {
  std::filesystem::path path;
  bool read_only = false;
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  std::mutex write_mutex;
  TermId first_term_id = 1;

  ~Db();
  rocksdb::ColumnFamilyHandle* operator[](Cf c) const { return cf[static_cast<std::size_t>(c)]; }
  // False only for a database of an earlier release opened read-only (no history family).
  bool has_history() const { return cf.size() > static_cast<std::size_t>(kHistoryCf) && cf[kHistoryCf] != nullptr; }
};

// Reads a big-endian counter from the meta family; `fallback` when absent.
Result<std::uint64_t> ReadCounter(const Db& db, const rocksdb::ReadOptions& ro, std::string_view key,
                                  std::uint64_t fallback);
Result<PredicateStats> ReadStats(const Db& db, const rocksdb::ReadOptions& ro, TermId predicate);

// The index keys one transaction deletes, for each index order, sorted.
struct RemovedKeys {
  std::array<std::vector<QuadKey>, kAllOrders.size()> by_order;
  bool Has(Cf cf, const QuadKey& key) const;
};

// Answers "is this key / any key with this prefix in the database?" at a fixed snapshot
// (a point read; an iterator bounded to the prefix), less the keys `removed` (this transaction's deletes)
// when given. A prefix check skips the removed keys under the prefix, and the loader
// checks each prefix about once, so a transaction's checks cost time linear in its size.
class ExistingKeys {
 public:
  ExistingKeys(const Db& db, const rocksdb::Snapshot* snapshot, const RemovedKeys* removed = nullptr);
  Result<bool> Contains(Cf cf, std::string_view key);
  Result<bool> HasPrefix(Cf cf, std::string_view prefix);

 private:
  bool Removed(Cf cf, const rocksdb::Slice& key) const;
  const Db& db_;
  const RemovedKeys* removed_;
  rocksdb::ReadOptions ro_;
};

}  // namespace parley::store::internal
