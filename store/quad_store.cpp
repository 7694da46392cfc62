#include "store/quad_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "store/range_cache.hpp"
#include "store/rocks_internal.hpp"
#include "store/term_cache.hpp"

namespace parley::store {

using internal::Cf;
using internal::Db;
using internal::FromRocks;

namespace internal {

const char* CfName(Cf cf) {
  switch (cf) {
    case kMeta: return rocksdb::kDefaultColumnFamilyName.c_str();
    case kSpogCf: return "spog";
    case kPosgCf: return "posg";
    case kOspgCf: return "ospg";
    case kGspoCf: return "gspo";
    case kTerm2IdCf: return "term2id";
    case kId2TermCf: return "id2term";
    case kHistoryCf: return "history";
    case kCfCount: break;
  }
  return "?";
}

std::string StatsKey(TermId predicate) { return std::string(kStatsPrefix) + EncodeIdString(predicate); }

std::string EncodeStats(const PredicateStats& stats) {
  std::string out(4 * kTermIdBytes, '\0');
  EncodeId(stats.quads, out.data());
  EncodeId(stats.distinct_subjects, out.data() + 8);
  EncodeId(stats.distinct_objects, out.data() + 16);
  EncodeId(stats.triples, out.data() + 24);
  return out;
}

// An entry of three numbers is from before the triples were counted: they stay unknown (0).
Result<PredicateStats> DecodeStats(std::string_view value) {
  if (value.size() != 3 * kTermIdBytes && value.size() != 4 * kTermIdBytes) {
    return Status::Corruption("malformed statistics entry");
  }
  const std::uint64_t triples = value.size() == 4 * kTermIdBytes ? DecodeId(value.data() + 24) : 0;
  return PredicateStats{DecodeId(value.data()), DecodeId(value.data() + 8), DecodeId(value.data() + 16), triples};
}

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  return Status::IOError(msg);
}

rocksdb::ColumnFamilyOptions CfOptions(Cf cf) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  // One block cache for every family: query working sets (dictionary lookups for
  // FILTER and output, index scans) stay in memory. RocksDB's default is 8 MiB each.
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(256 << 20);
  table.block_cache = cache;
  // The dictionary is read by point lookups, which a Bloom filter answers cheaply when
  // the term is absent; index families are read by prefix scans, where it would not help.
  if (cf == kTerm2IdCf || cf == kId2TermCf) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kLZ4Compression;
  return options;
}

Db::~Db() {
  // What small writes left in the memtables goes to table files now, so that a closed
  // database never needs its write-ahead log: losing or deleting the log loses nothing.
  // (Failing here, on a full disk say, leaves the log to replay at the next open.)
  if (db != nullptr && !read_only && cf.size() == static_cast<std::size_t>(kCfCount)) {
    db->Flush(rocksdb::FlushOptions(), cf).PermitUncheckedError();
  }
  for (auto* handle : cf) {
    if (db != nullptr && handle != nullptr) db->DestroyColumnFamilyHandle(handle);
  }
  if (db != nullptr) {
    db->Close().PermitUncheckedError();
    delete db;
  }
}

Result<std::uint64_t> ReadCounter(const Db& db, const rocksdb::ReadOptions& ro, std::string_view key,
                                  std::uint64_t fallback) {
  std::string value;
  auto s = db.db->Get(ro, db[kMeta], key, &value);
  if (s.IsNotFound()) return fallback;
  PARLEY_RETURN_IF_ERROR(FromRocks(s, "reading " + std::string(key)));
  if (value.size() != kTermIdBytes) return Status::Corruption("malformed counter " + std::string(key));
  return DecodeId(value.data());
}

Result<PredicateStats> ReadStats(const Db& db, const rocksdb::ReadOptions& ro, TermId predicate) {
  std::string value;
  auto s = db.db->Get(ro, db[kMeta], StatsKey(predicate), &value);
  if (s.IsNotFound()) return PredicateStats{};
  PARLEY_RETURN_IF_ERROR(FromRocks(s, "reading statistics"));
  return DecodeStats(value);
}

bool RemovedKeys::Has(Cf cf, const QuadKey& key) const {
  if (cf < kSpogCf || cf > kGspoCf) return false;
  const auto& keys = by_order[static_cast<std::size_t>(cf - kSpogCf)];
  return std::binary_search(keys.begin(), keys.end(), key);
}

ExistingKeys::ExistingKeys(const Db& db, const rocksdb::Snapshot* snapshot, const RemovedKeys* removed)
    : db_(db), removed_(removed) {
  ro_.snapshot = snapshot;
}

bool ExistingKeys::Removed(Cf cf, const rocksdb::Slice& key) const {
  return removed_ != nullptr && key.size() == kQuadKeyBytes && removed_->Has(cf, DecodeKey(key.data()));
}

// Both look only inside the key or prefix asked about: a seek that ran on past it would
// step over every deleted key that follows, and after a large delete that is a long way
// for each of many lookups.
Result<bool> ExistingKeys::Contains(Cf cf, std::string_view key) {
  const rocksdb::Slice wanted(key.data(), key.size());
  std::string value;
  rocksdb::Status s = db_.db->Get(ro_, db_[cf], wanted, &value);
  if (s.IsNotFound()) return false;
  PARLEY_RETURN_IF_ERROR(FromRocks(s, "reading index"));
  return !Removed(cf, wanted);
}

Result<bool> ExistingKeys::HasPrefix(Cf cf, std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  const rocksdb::Slice upper(end);
  rocksdb::ReadOptions bounded = ro_;
  if (!end.empty()) bounded.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(bounded, db_[cf]));
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  for (it->Seek(wanted); it->Valid() && it->key().starts_with(wanted); it->Next()) {
    if (!Removed(cf, it->key())) return true;
  }
  PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "reading index"));
  return false;
}

}  // namespace internal

namespace {

struct QuadHash {
  std::size_t operator()(const Quad& q) const {
    std::size_t h = std::hash<TermId>()(q.subject);
    for (TermId id : {q.predicate, q.object, q.graph}) h = h * 0x9E3779B97F4A7C15ULL + std::hash<TermId>()(id);
    return h;
  }
};

// Reusable iterators for one snapshot, one free list per column family. Creating a
// RocksDB iterator costs more than a seek, and a query's nested loops scan thousands
// of times. Pooled iterators have no upper bound; cursors check the prefix themselves.
class IteratorPool {
 public:
  IteratorPool(const Db& db, const rocksdb::Snapshot* snapshot) : db_(db), free_(internal::kCfCount) {
    ro_.snapshot = snapshot;
  }
  std::unique_ptr<rocksdb::Iterator> Take(Cf cf) {
    std::lock_guard lock(mutex_);
    auto& list = free_[static_cast<std::size_t>(cf)];
    if (list.empty()) return std::unique_ptr<rocksdb::Iterator>(db_.db->NewIterator(ro_, db_[cf]));
    auto it = std::move(list.back());
    list.pop_back();
    return it;
  }
  void Give(Cf cf, std::unique_ptr<rocksdb::Iterator> it) {
    std::lock_guard lock(mutex_);
    free_[static_cast<std::size_t>(cf)].push_back(std::move(it));
  }

 private:
  const Db& db_;
  rocksdb::ReadOptions ro_;
  std::mutex mutex_;
  std::vector<std::vector<std::unique_ptr<rocksdb::Iterator>>> free_;
};

// The index that serves `pattern`, and the key prefix its bound positions make there.
std::string KeyPrefixOf(const QuadPattern& pattern, IndexOrder* order) {
  const IndexChoice choice = ChooseIndex(pattern);
  *order = choice.order;
  const QuadKey bound = ToKey(Quad{pattern.subject.value_or(0), pattern.predicate.value_or(0),
                                   pattern.object.value_or(0), pattern.graph.value_or(0)},
                              choice.order);
  char encoded[kQuadKeyBytes];
  EncodeKey(bound, encoded);
  return std::string(encoded, static_cast<std::size_t>(choice.bound_prefix) * kTermIdBytes);
}

// Scans one index between a bound prefix and its successor, filtering positions that
// the prefix does not cover and, for the union view, collapsing a triple's graphs.
class IndexCursor final : public QuadCursor {
 public:
  IndexCursor(const Db& db, const rocksdb::Snapshot* snapshot, const QuadPattern& pattern, bool union_view,
              IteratorPool* pool = nullptr)
      : pattern_(pattern), union_view_(union_view), pool_(pool) {
    prefix_ = KeyPrefixOf(pattern, &order_);
    // A scan of a whole index (nothing bound) reads past the block cache, so that one
    // SELECT * does not evict every other query's working set (nor hold it in memory).
    const bool whole_index = prefix_.empty();
    if (whole_index) pool_ = nullptr;
    if (pool_ != nullptr) {
      it_ = pool_->Take(internal::IndexCf(order_));
    } else {
      upper_ = PrefixSuccessor(prefix_);
      rocksdb::ReadOptions ro;
      ro.snapshot = snapshot;
      ro.fill_cache = !whole_index;
      if (!upper_.empty()) {
        upper_slice_ = rocksdb::Slice(upper_);
        ro.iterate_upper_bound = &upper_slice_;
      }
      it_.reset(db.db->NewIterator(ro, db[internal::IndexCf(order_)]));
    }
    it_->Seek(prefix_);
  }

  ~IndexCursor() override {
    if (pool_ != nullptr && it_) pool_->Give(internal::IndexCf(order_), std::move(it_));
  }

  bool Next(Quad* out) override {
    for (; it_->Valid(); it_->Next()) {
      rocksdb::Slice key = it_->key();
      if (pool_ != nullptr && !key.starts_with(prefix_)) break;  // past the prefix
      if (key.size() != kQuadKeyBytes) {
        status_ = Status::Corruption(std::string("malformed key in index ") + IndexName(order_));
        return false;
      }
      Quad quad = FromKey(DecodeKey(key.data()), order_);
      if (!pattern_.Matches(quad)) continue;
      if (union_view_) {
        quad.graph = kDefaultGraph;
        if (have_last_ && quad == last_) continue;
        last_ = quad;
        have_last_ = true;
      }
      *out = quad;
      it_->Next();
      return true;
    }
    if (status_.ok()) status_ = FromRocks(it_->status(), "scanning index");
    return false;
  }

  Status status() const override { return status_; }

 private:
  QuadPattern pattern_;
  bool union_view_;
  IndexOrder order_;
  std::string prefix_, upper_;
  rocksdb::Slice upper_slice_;  // must outlive the iterator
  std::unique_ptr<rocksdb::Iterator> it_;
  Status status_;
  Quad last_;
  bool have_last_ = false;
  IteratorPool* pool_;
};

class ErrorCursor final : public QuadCursor {
 public:
  explicit ErrorCursor(Status s) : status_(std::move(s)) {}
  bool Next(Quad*) override { return false; }
  Status status() const override { return status_; }

 private:
  Status status_;
};

// The read operations, shared by the store (latest state) and its snapshots.
std::unique_ptr<QuadCursor> ScanAt(const Db& db, const rocksdb::Snapshot* snap, const QuadPattern& pattern,
                                   bool union_view, IteratorPool* pool = nullptr) {
  if (union_view && pattern.graph) {
    return std::make_unique<ErrorCursor>(Status::InvalidArgument("a union scan cannot bind the graph"));
  }
  return std::make_unique<IndexCursor>(db, snap, pattern, union_view, pool);
}

rocksdb::ReadOptions ReadAt(const rocksdb::Snapshot* snap) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  return ro;
}

Result<TermId> LookupIdAt(const Db& db, const rocksdb::Snapshot* snap, const Term& term) {
  std::string value;
  auto s = db.db->Get(ReadAt(snap), db[internal::kTerm2IdCf], EncodeTerm(term), &value);
  if (s.IsNotFound()) return Status::NotFound("unknown term " + ToNTriples(term));
  PARLEY_RETURN_IF_ERROR(FromRocks(s, "looking up a term"));
  if (value.size() != kTermIdBytes) return Status::Corruption("malformed term2id entry");
  return DecodeId(value.data());
}

Result<Term> LookupTermAt(const Db& db, const rocksdb::Snapshot* snap, TermId id) {
  std::string value;
  auto s = db.db->Get(ReadAt(snap), db[internal::kId2TermCf], EncodeIdString(id), &value);
  if (s.IsNotFound()) return Status::NotFound("unknown term id " + std::to_string(id));
  PARLEY_RETURN_IF_ERROR(FromRocks(s, "looking up a term id"));
  return DecodeTerm(value);
}

// Many ids at once: in id order, with one iterator over the id->term column family,
// stepping to a near id and seeking to a far one, so that each block of the dictionary
// is read and decompressed once however many of its terms are wanted (random Gets or
// MultiGet read a block again for every id).
Status LookupTermsAt(const Db& db, const rocksdb::Snapshot* snap, const std::vector<TermId>& ids,
                     std::vector<std::optional<Term>>* out) {
  constexpr TermId kStepLimit = 16;  // ids this close are reached with Next, not Seek
  std::vector<std::size_t> order(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  out->assign(ids.size(), std::nullopt);
  std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(ReadAt(snap), db[internal::kId2TermCf]));
  bool positioned = false;
  TermId at = 0;  // the id the iterator is on, when positioned
  for (std::size_t i : order) {
    const TermId want = ids[i];
    if (positioned && at == want) {
      // the same id again: decode below
    } else if (positioned && at < want && want - at <= kStepLimit) {
      while (it->Valid() && DecodeId(it->key().data()) < want) it->Next();
    } else {
      it->Seek(EncodeIdString(want));
    }
    positioned = it->Valid() && it->key().size() == kTermIdBytes;
    if (!positioned) {
      PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "looking up term ids"));
      continue;
    }
    at = DecodeId(it->key().data());
    if (at != want) continue;
    auto term = DecodeTerm(std::string_view(it->value().data(), it->value().size()));
    if (!term.ok()) return term.status();
    (*out)[i] = std::move(*term);
  }
  return FromRocks(it->status(), "looking up term ids");
}

bool IsLockError(const rocksdb::Status& s) {
  const std::string text = s.ToString();
  return s.IsIOError() && (text.find("lock") != std::string::npos || text.find("Resource temporarily") != std::string::npos);
}

// Opening read-write creates the families a database lacks. Before that, make sure it
// is Parley's: all its families are Parley's, and one that lacks some of them (an
// `init` killed early) holds nothing yet. Someone else's RocksDB database is refused
// and left as it was. A database of an earlier release that lacks only the history
// family is whole: *has_history says so.
Status CheckFamiliesAreOurs(const std::filesystem::path& path, bool read_only, bool* has_history) {
  *has_history = true;
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &names).ok()) return Status::OK();
  for (const std::string& name : names) {
    bool ours = false;
    for (int c = 0; c < internal::kCfCount; ++c) ours = ours || name == internal::CfName(static_cast<Cf>(c));
    if (!ours) {
      return Status::InvalidArgument(path.string() + " is not a Parley database (it has a column family \"" + name + "\")");
    }
  }
  if (names.size() == static_cast<std::size_t>(internal::kCfCount)) return Status::OK();
  const bool lacks_only_history = names.size() + 1 == static_cast<std::size_t>(internal::kCfCount) &&
                                  std::find(names.begin(), names.end(), internal::CfName(internal::kHistoryCf)) == names.end();
  if (lacks_only_history) {
    *has_history = false;
    return Status::OK();
  }
  if (read_only) {
    return Status::InvalidArgument("database " + path.string() +
                                   " was never finished (an init was interrupted?): run parley init on it again");
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  PARLEY_RETURN_IF_ERROR(FromRocks(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path.string(), families, &handles, &raw),
                                   "opening database " + path.string()));
  bool empty = true;
  for (auto* handle : handles) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToFirst();
    empty = empty && !it->Valid();
  }
  for (auto* handle : handles) raw->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  delete raw;
  return empty ? Status::OK() : Status::InvalidArgument(path.string() + " is not a Parley database (no format version)");
}

// RocksDB's information log (DB/LOG), written with plain stdio. RocksDB's own log writer
// aborts the process on the write after a failed one (an assertion in its file writer),
// which a full disk causes; here a line that cannot be written is dropped, and the
// operation that filled the disk fails with its own error.
class LogFile final : public rocksdb::Logger {
 public:
  explicit LogFile(const std::filesystem::path& path) : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {
    file_ = std::fopen(path.c_str(), "a");
  }
  ~LogFile() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (file_ == nullptr) return;
    std::vfprintf(file_, format, ap);
    std::fputc('\n', file_);
    std::fflush(file_);
    std::clearerr(file_);
  }

 private:
  std::FILE* file_ = nullptr;
};

// True when another process holds RocksDB's lock on the directory (RocksDB takes a
// POSIX record lock on LOCK, which F_GETLK reports for other processes).
bool LockedByAnotherProcess(const std::filesystem::path& lock_file) {
  const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool locked = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  ::close(fd);
  return locked;
}

// What a path without a CURRENT file is: nothing yet (create the database there), a
// database being created by another process, what an interrupted `init` left, a
// database that lost its CURRENT file, or something that is not a database at all.
Status CheckPlaceWithoutDatabase(const std::filesystem::path& path, bool read_only) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return read_only ? Status::NotFound("no database at " + path.string()) : Status::OK();
  }
  if (!std::filesystem::is_directory(status)) {
    return Status::InvalidArgument(path.string() + " is not a Parley database (it is a file, not a directory)");
  }
  if (LockedByAnotherProcess(path / "LOCK")) {
    return Status::Busy("database " + path.string() + " is locked: another parley process is creating or writing it");
  }
  bool has_manifest = false, has_tables = false, has_other = false, empty = true;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    empty = false;
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (name.rfind("MANIFEST-", 0) == 0) has_manifest = true;
    else if (ext == ".sst" || ext == ".log") has_tables = true;
    else if (name != "LOCK" && name != "IDENTITY" && name.rfind("LOG", 0) != 0 && name.rfind("OPTIONS-", 0) != 0 &&
             name.rfind("load-tmp-", 0) != 0) {
      has_other = true;
    }
  }
  if (ec) return Status::IOError("cannot read " + path.string() + ": " + ec.message());
  if (has_tables || (has_manifest && has_other)) {
    return Status::Corruption("database " + path.string() +
                              " is damaged: it has RocksDB data files but no CURRENT file (restore it from a copy)");
  }
  if (has_other) return Status::InvalidArgument(path.string() + " is not a Parley database (it exists and is not empty)");
  if (read_only) {
    return empty ? Status::NotFound("no database at " + path.string())
                 : Status::InvalidArgument("database " + path.string() +
                                           " was never finished (an init was interrupted?): run parley init on it again");
  }
  return Status::OK();  // empty, or the first files of an interrupted init: create it
}

Status InitialiseOrCheckVersion(Db& db) {
  rocksdb::ReadOptions ro;
  std::string version;
  auto s = db.db->Get(ro, db[internal::kMeta], internal::kFormatVersionKey, &version);
  if (s.ok()) {
    if (version != internal::kFormatVersion) {
      return Status::VersionMismatch("database " + db.path.string() + " has format version " + version +
                                     "; this parley reads format version " + std::string(internal::kFormatVersion));
    }
    return Status::OK();
  }
  if (!s.IsNotFound()) return FromRocks(s, "reading the format version");
  if (db.read_only) return Status::InvalidArgument(db.path.string() + " is not a Parley database (no format version)");
  // No format version: a database being created (perhaps by an `init` killed before it
  // wrote one), which holds nothing yet. Anything in it means someone else's database.
  for (Cf cf : {internal::kMeta, internal::kSpogCf, internal::kId2TermCf}) {
    std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(ro, db[cf]));
    it->SeekToFirst();
    if (it->Valid()) return Status::InvalidArgument(db.path.string() + " is not a Parley database (no format version)");
  }
  rocksdb::WriteBatch batch;
  batch.Put(db[internal::kMeta], internal::kFormatVersionKey, internal::kFormatVersion);
  batch.Put(db[internal::kMeta], internal::kNextTermIdKey, EncodeIdString(db.first_term_id));
  batch.Put(db[internal::kMeta], internal::kNextBlankNodeKey, EncodeIdString(1));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db.db->Write(wo, &batch), "initialising " + db.path.string());
}

// A database of an earlier release got its history family just now: its past before
// this generation was never recorded.
Status StartHistory(Db& db) {
  auto generation = internal::ReadCounter(db, rocksdb::ReadOptions(), internal::kGenerationKey, 0);
  if (!generation.ok()) return generation.status();
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db.db->Put(wo, db[internal::kMeta], internal::kHistoryFromKey, EncodeIdString(*generation)),
                   "starting the history of " + db.path.string());
}

// A load killed before its ingest leaves its sorted runs and SST files behind; nothing
// refers to them, and holding the write lock means no load of ours is running.
void RemoveStaleLoadFiles(const std::filesystem::path& path) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (entry.path().filename().string().rfind("load-tmp-", 0) == 0) std::filesystem::remove_all(entry.path(), ec);
  }
}

}  // namespace

// ---------------------------------------------------------------- snapshots

struct StoreSnapshot::Impl {
  const Db* db;
  const rocksdb::Snapshot* snapshot;
  std::unique_ptr<IteratorPool> pool;  // destroyed (iterators first) before the snapshot goes
  std::shared_ptr<TermCache> terms;  // decoded terms: the store's, shared by every snapshot
  std::shared_ptr<RangeCache> ranges;  // index ranges read to their end, for scans that repeat them
  // Bytes on disk per key of each index, for EstimateMatches; measured once.
  std::once_flag bytes_per_key_once;
  std::array<double, kAllOrders.size()> bytes_per_key{};
  ~Impl() {
    pool.reset();
    db->db->ReleaseSnapshot(snapshot);
  }
};

StoreSnapshot::StoreSnapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreSnapshot::~StoreSnapshot() = default;

// A past state differs from the present in its quads alone: terms are never deleted, so
// the dictionary methods read the present's.
std::unique_ptr<QuadCursor> StoreSnapshot::Scan(const QuadPattern& pattern) const {
  if (past_ != nullptr) return past_->Scan(pattern);
  return CachedScan(pattern, false);
}
std::unique_ptr<QuadCursor> StoreSnapshot::ScanUnion(const QuadPattern& pattern) const {
  if (past_ != nullptr) return past_->ScanUnion(pattern);
  return CachedScan(pattern, true);
}
std::unique_ptr<QuadCursor> StoreSnapshot::CachedScan(const QuadPattern& pattern, bool union_view) const {
  // A scan of a whole index (SELECT * over the store) streams and is never kept.
  const bool whole_index = !pattern.subject && !pattern.predicate && !pattern.object;
  if (whole_index || (union_view && pattern.graph)) {
    return ScanAt(*impl_->db, impl_->snapshot, pattern, union_view, impl_->pool.get());
  }
  if (QuadRange range = impl_->ranges->Find(pattern, union_view)) return RangeCache::Replay(std::move(range));
  return impl_->ranges->Recording(ScanAt(*impl_->db, impl_->snapshot, pattern, union_view, impl_->pool.get()), pattern,
                                 union_view);
}
bool StoreSnapshot::KeptRange(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small,
                              QuadRange* shared) const {
  return past_ == nullptr && impl_->ranges->FindOrCopy(pattern, union_view, small, shared);
}
void StoreSnapshot::KeptRanges(const std::vector<RangeProbe>& probes, std::vector<Quad>* copied,
                               std::vector<QuadRange>* shared, std::vector<KeptRangeAt>* found) const {
  if (past_ != nullptr) {
    QuadSource::KeptRanges(probes, copied, shared, found);  // finds none, as KeptRange does
  } else {
    impl_->ranges->FindMany(probes, copied, shared, found);
  }
}
void StoreSnapshot::PrefetchKept(const QuadPattern& pattern, bool union_view) const {
  if (past_ == nullptr) impl_->ranges->Prefetch(pattern, union_view);
}
std::optional<QuadPosition> StoreSnapshot::SortedBy(const QuadPattern& pattern, bool union_view) const {
  (void)union_view;  // a union scan reads the same index, each triple's graphs adjacent
  const IndexChoice choice = ChooseIndex(pattern);
  if (past_ != nullptr || choice.bound_prefix >= 3) return std::nullopt;
  return PositionAt(choice.order, choice.bound_prefix);
}
std::optional<std::uint64_t> StoreSnapshot::EstimateMatches(const QuadPattern& pattern, bool union_view) const {
  if (past_ != nullptr) return std::nullopt;
  if (past_ == nullptr) {
    if (QuadRange range = impl_->ranges->Find(pattern, union_view)) return range->size();
  }
  const Db& db = *impl_->db;
  auto approximate_bytes = [&](Cf cf, const std::string& from, const std::string& to) {
    rocksdb::SizeApproximationOptions options;
    options.include_memtables = true;
    options.include_files = true;
    const std::string end = to.empty() ? std::string(kQuadKeyBytes + 1, '\xFF') : to;
    const rocksdb::Range range(from, end);
    std::uint64_t bytes = 0;
    return db.db->GetApproximateSizes(options, db[cf], &range, 1, &bytes).ok() ? static_cast<double>(bytes) : 0.0;
  };
  std::call_once(impl_->bytes_per_key_once, [&] {
    for (std::size_t i = 0; i < kAllOrders.size(); ++i) {
      const Cf cf = internal::IndexCf(kAllOrders[i]);
      std::uint64_t keys = 0;
      if (!db.db->GetIntProperty(db[cf], "rocksdb.estimate-num-keys", &keys) || keys == 0) continue;
      impl_->bytes_per_key[i] = approximate_bytes(cf, std::string(), std::string()) / static_cast<double>(keys);
    }
  });
  IndexOrder order;
  const std::string prefix = KeyPrefixOf(pattern, &order);
  const auto at = static_cast<std::size_t>(std::find(kAllOrders.begin(), kAllOrders.end(), order) - kAllOrders.begin());
  if (prefix.empty() || impl_->bytes_per_key[at] <= 0) return std::nullopt;
  const double bytes = approximate_bytes(internal::IndexCf(order), prefix, PrefixSuccessor(prefix));
  return static_cast<std::uint64_t>(bytes / impl_->bytes_per_key[at]);
}
Result<PredicateStats> StoreSnapshot::Stats(TermId predicate) const {
  if (past_ != nullptr) return past_->Stats(predicate);
  return internal::ReadStats(*impl_->db, ReadAt(impl_->snapshot), predicate);
}
Result<TermId> StoreSnapshot::LookupId(const Term& term) const { return LookupIdAt(*impl_->db, impl_->snapshot, term); }
// term2id keys are encoded terms (term.cpp): plain strings are 'S' + value and
// language-tagged ones 'L' + tag + NUL + value, so each prefix is one key range per tag.
bool StoreSnapshot::StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit,
                                             std::vector<TermId>* out) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->db->NewIterator(ReadAt(impl_->snapshot), (*impl_->db)[internal::kTerm2IdCf]));
  auto collect = [&](const std::string& start) {
    for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
      if (out->size() >= limit || it->value().size() != kTermIdBytes) return false;
      out->push_back(DecodeId(it->value().data()));
    }
    return true;
  };
  if (!collect("S" + std::string(prefix))) return false;
  for (it->Seek("L"); it->Valid() && it->key().starts_with("L");) {
    const std::string key = it->key().ToString();
    const auto nul = key.find('\0');
    if (nul == std::string::npos) return false;
    std::string tag = key.substr(0, nul + 1);
    if (!collect(tag + std::string(prefix))) return false;
    tag.back() = '\x01';  // past every key of this tag
    it->Seek(tag);
  }
  return it->status().ok();
}

bool StoreSnapshot::TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->db->NewIterator(ReadAt(impl_->snapshot), (*impl_->db)[internal::kTerm2IdCf]));
  const std::string end = EncodeTerm(high);
  for (it->Seek(EncodeTerm(low)); it->Valid() && it->key().compare(end) < 0; it->Next()) {
    if (out->size() >= limit || it->value().size() != kTermIdBytes) return false;
    out->push_back(DecodeId(it->value().data()));
  }
  return it->status().ok();
}

bool StoreSnapshot::FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const {
  // From the snapshot's pool: the planner may ask this many times for one query.
  auto it = impl_->pool->Take(internal::kTerm2IdCf);
  it->Seek(EncodeTerm(low));
  bool found = it->Valid() && it->key().compare(EncodeTerm(high)) < 0 && it->value().size() == kTermIdBytes;
  if (found) {
    auto decoded = DecodeTerm(std::string_view(it->key().data(), it->key().size()));
    found = decoded.ok();
    if (found) {
      *term = *decoded;
      *id = DecodeId(it->value().data());
    }
  }
  impl_->pool->Give(internal::kTerm2IdCf, std::move(it));
  return found;
}

Result<std::string> StoreSnapshot::StateTag() const {
  std::string identity;
  PARLEY_RETURN_IF_ERROR(FromRocks(impl_->db->db->GetDbIdentity(identity), "reading the database identity"));
  auto generation = internal::ReadCounter(*impl_->db, ReadAt(impl_->snapshot), internal::kGenerationKey, 0);
  if (!generation.ok()) return generation.status();
  std::string tag = identity + "/" + std::to_string(*generation);
  if (past_ != nullptr) tag += "@" + std::to_string(generation_);
  return tag;
}

Status StoreSnapshot::PinTerms(const std::vector<TermId>& ids, PinnedTerms* out) const {
  return impl_->terms->Pin(
      ids,
      [&](const std::vector<TermId>& missing, std::vector<std::optional<Term>>* read) {
        return LookupTermsAt(*impl_->db, impl_->snapshot, missing, read);
      },
      out);
}
Result<Term> StoreSnapshot::LookupTerm(TermId id) const {
  PinnedTerms pinned;
  PARLEY_RETURN_IF_ERROR(PinTerms({id}, &pinned));
  if (pinned.terms[0] == nullptr) return Status::NotFound("unknown term id " + std::to_string(id));
  return *pinned.terms[0];
}
Status StoreSnapshot::LookupTerms(const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out) const {
  PinnedTerms pinned;
  PARLEY_RETURN_IF_ERROR(PinTerms(ids, &pinned));
  out->clear();
  for (const Term* term : pinned.terms) out->push_back(term ? std::optional<Term>(*term) : std::nullopt);
  return Status::OK();
}

// ---------------------------------------------------------------- the store

QuadStore::QuadStore(std::unique_ptr<Db> db) : db_(std::move(db)), terms_(std::make_shared<TermCache>()) {}
QuadStore::~QuadStore() = default;

const std::filesystem::path& QuadStore::path() const { return db_->path; }
bool QuadStore::read_only() const { return db_->read_only; }
const std::string& QuadStore::recovery_note() const { return recovery_note_; }

Status QuadStore::Open(const std::filesystem::path& path, const StoreOptions& options,
                       std::unique_ptr<QuadStore>* out) {
  const bool read_only = options.mode == OpenMode::kReadOnly;
  std::error_code ec;
  const bool has_db = std::filesystem::exists(path / "CURRENT", ec);
  if (!has_db) {
    PARLEY_RETURN_IF_ERROR(CheckPlaceWithoutDatabase(path, read_only));
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IOError("cannot create " + path.string() + ": " + ec.message());
  }

  bool had_history = true;
  if (has_db) PARLEY_RETURN_IF_ERROR(CheckFamiliesAreOurs(path, read_only, &had_history));

  auto db = std::make_unique<Db>();
  db->path = path;
  db->read_only = read_only;
  db->first_term_id = options.first_term_id;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !read_only;
  db_options.create_missing_column_families = !read_only;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 2;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.info_log = std::make_shared<LogFile>(path / "LOG");
  // Damage is never silent: a write-ahead log that is corrupt fails the open instead of
  // being replayed up to the damage, and the MANIFEST records each synced log so that a
  // deleted one is noticed. (A log whose last record is incomplete is tried again below.)
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kAbsoluteConsistency;
  db_options.track_and_verify_wals_in_manifest = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (int c = 0; c < internal::kCfCount; ++c) {
    auto cf = static_cast<Cf>(c);
    if (cf == internal::kHistoryCf && read_only && !had_history) continue;  // Db::has_history() is false
    families.emplace_back(internal::CfName(cf), internal::CfOptions(cf));
  }
  auto open = [&] {
    return read_only ? rocksdb::DB::OpenForReadOnly(db_options, path.string(), families, &db->cf, &db->db)
                     : rocksdb::DB::Open(db_options, path.string(), families, &db->cf, &db->db);
  };
  rocksdb::Status s = open();
  std::string recovery_note;
  if (s.IsCorruption() && s.ToString().find("truncated") != std::string::npos) {
    // The log ends in a record cut short: a write that a crash or a full disk stopped
    // half-way. Writes are synced before they count as done, so that one never
    // committed, and dropping it loses nothing. Corruption anywhere else still fails.
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
    s = open();
    if (s.ok()) {
      recovery_note = "the database's log ended in a write that was cut short (by a crash or a full disk); "
                      "it never committed and was dropped";
    }
  }
  if (IsLockError(s)) {
    return Status::Busy("database " + path.string() +
                        " is locked: another parley process is writing to it (commands that only read still work)");
  }
  if (s.IsCorruption()) {
    return Status::Corruption("database " + path.string() + " is damaged (" + s.ToString() +
                              "); nothing was changed: restore it from a copy, or reload its sources into a new database");
  }
  PARLEY_RETURN_IF_ERROR(FromRocks(s, "opening database " + path.string()));
  PARLEY_RETURN_IF_ERROR(InitialiseOrCheckVersion(*db));
  if (!read_only && !had_history) PARLEY_RETURN_IF_ERROR(StartHistory(*db));
  if (!read_only) RemoveStaleLoadFiles(path);
  out->reset(new QuadStore(std::move(db)));
  (*out)->recovery_note_ = std::move(recovery_note);
  return Status::OK();
}

std::unique_ptr<StoreSnapshot> QuadStore::GetSnapshot() const {
  auto impl = std::make_unique<StoreSnapshot::Impl>();
  impl->db = db_.get();
  impl->snapshot = db_->db->GetSnapshot();
  impl->pool = std::make_unique<IteratorPool>(*db_, impl->snapshot);
  impl->terms = terms_;
  {
    std::lock_guard lock(ranges_mutex_);
    const std::uint64_t sequence = impl->snapshot->GetSequenceNumber();
    if (ranges_ == nullptr || ranges_sequence_ != sequence) {
      ranges_ = std::make_shared<RangeCache>();
      ranges_sequence_ = sequence;
    }
    impl->ranges = ranges_;
  }
  std::unique_ptr<StoreSnapshot> snapshot(new StoreSnapshot(std::move(impl)));
  auto generation = internal::ReadCounter(*db_, ReadAt(snapshot->impl_->snapshot), internal::kGenerationKey, 0);
  snapshot->generation_ = generation.ok() ? *generation : 0;
  return snapshot;
}

Result<std::uint64_t> QuadStore::HistoryFrom() const {
  // A database of an earlier release opened read-only has no history at all.
  if (!db_->has_history()) return ReadCounter(*db_, rocksdb::ReadOptions(), internal::kGenerationKey, 0);
  return ReadCounter(*db_, rocksdb::ReadOptions(), internal::kHistoryFromKey, 0);
}

Result<std::uint64_t> QuadStore::ResolveAsOf(const AsOf& as_of) const {
  auto log = Log();
  if (!log.ok()) return log.status();
  const std::uint64_t latest = log->empty() ? 0 : log->back().generation;
  std::uint64_t generation = latest;
  if (as_of.generation) {
    if (*as_of.generation > latest) {
      const bool looks_like_a_year = *as_of.generation >= 1000 && *as_of.generation <= 9999;
      return Status::InvalidArgument("there is no generation " + std::to_string(*as_of.generation) + ": the latest is " +
                                     std::to_string(latest) +
                                     (looks_like_a_year ? " (for a year, write a date such as " +
                                                              std::to_string(*as_of.generation) + "-12-31)"
                                                        : std::string()));
    }
    generation = *as_of.generation;
  } else if (as_of.unix_ms) {
    // Commit times never go back (the loader sees to it), so the last commit at or
    // before the moment is the state then.
    generation = 0;
    for (const CommitRecord& commit : *log) {
      if (commit.unix_ms > *as_of.unix_ms) break;
      generation = commit.generation;
    }
  }
  auto from = HistoryFrom();
  if (!from.ok()) return from.status();
  if (generation < *from && generation < latest) {
    return Status::InvalidArgument("the history before generation " + std::to_string(*from) +
                                   " is not kept (parley compact --before dropped it, or the database is older than "
                                   "history), so the state at " + as_of.text + " (generation " +
                                   std::to_string(generation) + ") cannot be shown");
  }
  return generation;
}

Result<std::unique_ptr<StoreSnapshot>> QuadStore::GetSnapshotAsOf(const AsOf& as_of) const {
  auto present = GetSnapshot();
  auto generation = ResolveAsOf(as_of);
  if (!generation.ok()) return generation.status();
  if (*generation >= present->generation()) return present;
  // Undo the later commits: a quad's state at `generation` is the opposite of what the
  // first later commit that touched it did.
  auto overlay = std::make_unique<ChangeOverlay>(*present, *present);
  std::unordered_set<Quad, QuadHash> seen;
  rocksdb::ReadOptions ro = ReadAt(present->impl_->snapshot);
  std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(ro, (*db_)[internal::kHistoryCf]));
  for (it->Seek(EncodeIdString(*generation + 1)); it->Valid(); it->Next()) {
    if (it->key().size() != internal::kHistoryKeyBytes || it->value().size() != 1) {
      return Status::Corruption("malformed history entry");
    }
    const Quad quad = FromKey(DecodeKey(it->key().data() + kTermIdBytes), IndexOrder::kSpog);
    if (!seen.insert(quad).second) continue;
    auto changed = it->value()[0] == '+' ? overlay->Erase(quad) : overlay->Insert(quad);
    if (!changed.ok()) return changed.status();
  }
  PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "reading the history"));
  it.reset();
  // The past snapshot shares the present's RocksDB snapshot for its terms.
  auto impl = std::make_unique<StoreSnapshot::Impl>();
  impl->db = db_.get();
  impl->snapshot = db_->db->GetSnapshot();
  impl->pool = std::make_unique<IteratorPool>(*db_, impl->snapshot);
  impl->ranges = std::make_shared<RangeCache>();
  impl->terms = terms_;
  std::unique_ptr<StoreSnapshot> past(new StoreSnapshot(std::move(impl)));
  past->generation_ = *generation;
  past->past_ = std::move(overlay);
  past->present_ = std::move(present);
  return past;
}

Result<std::uint64_t> QuadStore::CompactHistory(std::int64_t before_unix_ms) {
  if (db_->read_only) return Status::InvalidArgument("database " + db_->path.string() + " is open read-only");
  std::lock_guard lock(db_->write_mutex);
  auto log = Log();
  if (!log.ok()) return log.status();
  auto from = HistoryFrom();
  if (!from.ok()) return from.status();
  std::uint64_t last_before = 0;
  for (const CommitRecord& commit : *log) {
    if (commit.unix_ms >= before_unix_ms) break;
    last_before = commit.generation;
  }
  if (last_before <= *from) return *from;
  // Generations up to last_before keep their log lines; their quads' history goes.
  rocksdb::WriteBatch batch;
  const std::string begin = EncodeIdString(0), end = EncodeIdString(last_before + 1);
  PARLEY_RETURN_IF_ERROR(FromRocks(batch.DeleteRange((*db_)[internal::kHistoryCf], begin, end), "dropping history"));
  PARLEY_RETURN_IF_ERROR(FromRocks(batch.Put((*db_)[internal::kMeta], internal::kHistoryFromKey, EncodeIdString(last_before)),
                                   "dropping history"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  PARLEY_RETURN_IF_ERROR(FromRocks(db_->db->Write(wo, &batch), "dropping history"));
  const rocksdb::Slice begin_slice(begin), end_slice(end);
  PARLEY_RETURN_IF_ERROR(FromRocks(db_->db->CompactRange(rocksdb::CompactRangeOptions(), (*db_)[internal::kHistoryCf],
                                                          &begin_slice, &end_slice),
                                   "compacting the history"));
  return last_before;
}

std::unique_ptr<QuadCursor> QuadStore::Scan(const QuadPattern& pattern) const {
  return ScanAt(*db_, nullptr, pattern, false);
}
std::unique_ptr<QuadCursor> QuadStore::ScanUnion(const QuadPattern& pattern) const {
  return ScanAt(*db_, nullptr, pattern, true);
}
Result<PredicateStats> QuadStore::Stats(TermId predicate) const {
  return internal::ReadStats(*db_, rocksdb::ReadOptions(), predicate);
}
Result<TermId> QuadStore::LookupId(const Term& term) const { return LookupIdAt(*db_, nullptr, term); }
Result<Term> QuadStore::LookupTerm(TermId id) const { return LookupTermAt(*db_, nullptr, id); }

Result<std::vector<std::pair<TermId, PredicateStats>>> QuadStore::AllStats() const {
  std::vector<std::pair<TermId, PredicateStats>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(rocksdb::ReadOptions(), (*db_)[internal::kMeta]));
  const std::string prefix(internal::kStatsPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + kTermIdBytes) return Status::Corruption("malformed statistics key");
    auto stats = internal::DecodeStats(std::string_view(it->value().data(), it->value().size()));
    if (!stats.ok()) return stats.status();
    out.emplace_back(DecodeId(it->key().data() + prefix.size()), *stats);
  }
  PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "reading statistics"));
  return out;
}

Result<std::vector<CommitRecord>> QuadStore::Log() const {
  std::vector<CommitRecord> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(rocksdb::ReadOptions(), (*db_)[internal::kMeta]));
  const std::string prefix(internal::kLogPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + kTermIdBytes) return Status::Corruption("malformed log key");
    CommitRecord record;
    record.generation = DecodeId(it->key().data() + prefix.size());
    // "unix_ms added removed command", the command last as it may hold spaces.
    const std::string value = it->value().ToString();
    std::size_t at = 0;
    auto number = [&]() -> std::uint64_t {
      const std::size_t end = value.find(' ', at);
      const std::string digits = value.substr(at, end - at);
      at = end == std::string::npos ? value.size() : end + 1;
      return digits.empty() ? 0 : std::stoull(digits);
    };
    record.unix_ms = static_cast<std::int64_t>(number());
    record.added = number();
    record.removed = number();
    record.command = value.substr(std::min(at, value.size()));
    out.push_back(std::move(record));
  }
  PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  return out;
}

Result<StoreSummary> QuadStore::Summary() const {
  StoreSummary summary;
  auto stats = AllStats();
  if (!stats.ok()) return stats.status();
  for (const auto& [predicate, s] : *stats) summary.quads += s.quads;
  summary.predicates = stats->size();

  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> terms(db_->db->NewIterator(ro, (*db_)[internal::kId2TermCf]));
  for (terms->SeekToFirst(); terms->Valid(); terms->Next()) ++summary.terms;
  PARLEY_RETURN_IF_ERROR(FromRocks(terms->status(), "counting terms"));

  // Hop from graph to graph in gspo instead of reading every quad.
  std::unique_ptr<rocksdb::Iterator> graphs(db_->db->NewIterator(ro, (*db_)[internal::kGspoCf]));
  for (graphs->SeekToFirst(); graphs->Valid();) {
    ++summary.graphs;
    TermId graph = DecodeId(graphs->key().data());
    if (graph == ~TermId{0}) break;
    graphs->Seek(EncodeIdString(graph + 1));
  }
  PARLEY_RETURN_IF_ERROR(FromRocks(graphs->status(), "counting graphs"));
  return summary;
}

// ---------------------------------------------------------------- removal

Status QuadStore::Remove(std::span<const Quad> quads) {
  LoadOptions options;
  options.method = LoadOptions::Method::kWriteBatch;
  auto loader = NewLoader(options);
  if (!loader.ok()) return loader.status();
  for (const Quad& q : quads) PARLEY_RETURN_IF_ERROR((*loader)->Remove(q));
  return (*loader)->Commit();
}

namespace {

std::string EncodedKey(const QuadKey& key) {
  std::string out(kQuadKeyBytes, '\0');
  EncodeKey(key, out.data());
  return out;
}

}  // namespace

// ---------------------------------------------------------------- check

namespace {

constexpr std::size_t kMaxProblems = 20;

void Problem(CheckReport* report, std::string text) {
  if (report->problems.size() < kMaxProblems) report->problems.push_back(std::move(text));
}

std::string Describe(const Quad& q) {
  return "(" + std::to_string(q.subject) + " " + std::to_string(q.predicate) + " " + std::to_string(q.object) +
         " " + std::to_string(q.graph) + ")";
}

}  // namespace

Result<CheckReport> QuadStore::Check() const {
  CheckReport report;
  auto snapshot_holder = GetSnapshot();
  const rocksdb::Snapshot* snap = snapshot_holder->impl_->snapshot;
  const rocksdb::ReadOptions ro = ReadAt(snap);

  // 1. spog: count quads, collect the ids they use, recompute the statistics.
  std::unordered_set<TermId> used_ids;
  std::map<TermId, PredicateStats> recomputed;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(ro, (*db_)[internal::kSpogCf]));
    Quad last;
    bool first = true;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != kQuadKeyBytes) {
        Problem(&report, "spog: malformed key");
        continue;
      }
      Quad q = FromKey(DecodeKey(it->key().data()), IndexOrder::kSpog);
      ++report.quads;
      auto& stats = recomputed[q.predicate];
      ++stats.quads;
      const bool subject_start = first || q.subject != last.subject || q.predicate != last.predicate;
      if (subject_start) ++stats.distinct_subjects;
      if (subject_start || q.object != last.object) ++stats.triples;
      used_ids.insert(q.subject);
      used_ids.insert(q.predicate);
      used_ids.insert(q.object);
      if (q.graph != kDefaultGraph) used_ids.insert(q.graph);
      last = q;
      first = false;
    }
    PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "reading spog"));
  }

  // 2. Every other index holds exactly the same quads: the same count, and each entry
  //    has its spog twin. spog keys are unique, so this makes the sets equal.
  internal::ExistingKeys spog(*db_, snap);
  for (IndexOrder order : {IndexOrder::kPosg, IndexOrder::kOspg, IndexOrder::kGspo}) {
    std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(ro, (*db_)[internal::IndexCf(order)]));
    std::uint64_t count = 0;
    Quad last;
    bool first = true;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != kQuadKeyBytes) {
        Problem(&report, std::string(IndexName(order)) + ": malformed key");
        continue;
      }
      ++count;
      Quad q = FromKey(DecodeKey(it->key().data()), order);
      auto present = spog.Contains(internal::kSpogCf, EncodedKey(ToKey(q, IndexOrder::kSpog)));
      if (!present.ok()) return present.status();
      if (!*present) Problem(&report, std::string(IndexName(order)) + " has " + Describe(q) + " but spog does not");
      if (order == IndexOrder::kPosg &&
          (first || q.predicate != last.predicate || q.object != last.object)) {
        ++recomputed[q.predicate].distinct_objects;
      }
      last = q;
      first = false;
    }
    PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), std::string("reading ") + IndexName(order)));
    if (count != report.quads) {
      Problem(&report, std::string(IndexName(order)) + " has " + std::to_string(count) + " entries but spog has " +
                           std::to_string(report.quads));
    }
  }

  // 3. The dictionary: id2term and term2id are inverse, and every used id has a term.
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(ro, (*db_)[internal::kId2TermCf]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report.terms;
      if (it->key().size() != kTermIdBytes) {
        Problem(&report, "id2term: malformed key");
        continue;
      }
      TermId id = DecodeId(it->key().data());
      used_ids.erase(id);
      std::string back;
      auto s = db_->db->Get(ro, (*db_)[internal::kTerm2IdCf], it->value(), &back);
      if (s.IsNotFound() || (s.ok() && (back.size() != kTermIdBytes || DecodeId(back.data()) != id))) {
        Problem(&report, "term2id does not map term " + std::to_string(id) + " back to its id");
      } else {
        PARLEY_RETURN_IF_ERROR(FromRocks(s, "reading term2id"));
      }
    }
    PARLEY_RETURN_IF_ERROR(FromRocks(it->status(), "reading id2term"));
    std::uint64_t reverse = 0;
    std::unique_ptr<rocksdb::Iterator> rev(db_->db->NewIterator(ro, (*db_)[internal::kTerm2IdCf]));
    for (rev->SeekToFirst(); rev->Valid(); rev->Next()) ++reverse;
    PARLEY_RETURN_IF_ERROR(FromRocks(rev->status(), "reading term2id"));
    if (reverse != report.terms) {
      Problem(&report, "term2id has " + std::to_string(reverse) + " entries but id2term has " +
                           std::to_string(report.terms));
    }
    for (TermId id : used_ids) Problem(&report, "quads use term id " + std::to_string(id) + " which has no term");
  }

  // 4. The planner statistics match what the indexes hold.
  auto stored = AllStats();
  if (!stored.ok()) return stored.status();
  std::map<TermId, PredicateStats> stored_map(stored->begin(), stored->end());
  // A database from before the triples were counted has none to compare.
  for (auto& [p, s] : stored_map) {
    if (!s.TriplesKnown() && recomputed.count(p)) s.triples = recomputed[p].triples;
  }
  if (stored_map != recomputed) {
    for (const auto& [p, s] : recomputed) {
      auto it = stored_map.find(p);
      if (it == stored_map.end() || it->second != s) {
        Problem(&report, "statistics of predicate " + std::to_string(p) + " are stale");
      }
    }
    for (const auto& [p, s] : stored_map) {
      if (!recomputed.count(p)) Problem(&report, "statistics name predicate " + std::to_string(p) + " which has no quads");
    }
  }
  return report;
}

}  // namespace parley::store
