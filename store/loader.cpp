#include "store/loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <mutex>
#include <thread>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "store/as_of.hpp"
#include "store/quad_store.hpp"
#include "store/rocks_internal.hpp"
#include "store/load_dictionary.hpp"
#include "store/write_pipeline.hpp"

namespace parley::store {

using internal::Cf;
using internal::Db;

Status Loader::Add(const Term& subject, const Term& predicate, const Term& object, const Term* graph) {
  return Add(EncodeTerm(subject), EncodeTerm(predicate), EncodeTerm(object),
             graph != nullptr ? EncodeTerm(*graph) : std::string());
}

namespace {

// The process's command line, which commits are logged under unless told otherwise.
std::mutex command_line_mutex;
std::string command_line = "parley";

std::string CommandLine() {
  std::lock_guard lock(command_line_mutex);
  return command_line;
}

std::atomic<unsigned> temp_dir_counter{0};

// When a commit happens, in Unix milliseconds: the clock, or PARLEY_COMMIT_TIME (an
// ISO date or date-time) for tests and for replaying a history recorded elsewhere.
Result<std::int64_t> CommitTime() {
  if (const char* fixed = std::getenv("PARLEY_COMMIT_TIME"); fixed != nullptr && *fixed != '\0') {
    auto moment = ParseMoment(fixed, MomentEdge::kStart);
    if (!moment.ok()) return Status::InvalidArgument("PARLEY_COMMIT_TIME: " + moment.status().message());
    return *moment;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The terms a load has handed out ids to, once they outgrow memory: a scratch RocksDB
// database in the load's temporary directory, keyed by term (the default family) and
// by id ("by_id"), read back in each order to write the dictionary's two families.
class SpilledTerms {
 public:
  ~SpilledTerms() {
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    if (db_ != nullptr) db_->Close().PermitUncheckedError();
    delete db_;
  }

  Status Open(const std::filesystem::path& path) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.max_background_jobs = 2;
    options.write_buffer_size = 64 << 20;
    options.info_log_level = rocksdb::InfoLogLevel::ERROR_LEVEL;
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.block_cache = rocksdb::NewLRUCache(64 << 20);
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, options}, {"by_id", options}};
    return internal::FromRocks(rocksdb::DB::Open(options, path.string(), families, &handles_, &db_),
                               "creating the load's scratch dictionary");
  }

  // Writes in batches of kBatchTerms, so that neither a batch nor a memtable (which
  // takes a whole batch however large) holds more than a few MiB.
  // The terms are the entries of `table` at `indexes`.
  Status Add(const internal::LoadDictionary& table, const std::vector<std::uint32_t>& indexes) {
    constexpr std::size_t kBatchTerms = 16384;
    rocksdb::WriteOptions wo;
    wo.disableWAL = true;  // scratch: a crash discards the whole load anyway
    for (std::size_t from = 0; from < indexes.size(); from += kBatchTerms) {
      rocksdb::WriteBatch batch;
      for (std::size_t i = from; i < std::min(indexes.size(), from + kBatchTerms); ++i) {
        const auto& entry = table.at(indexes[i]);
        const std::string_view term = entry.term();
        const std::string key = EncodeIdString(entry.id);
        batch.Put(handles_[0], rocksdb::Slice(term.data(), term.size()), key);
        batch.Put(handles_[1], key, rocksdb::Slice(term.data(), term.size()));
      }
      PARLEY_RETURN_IF_ERROR(internal::FromRocks(db_->Write(wo, &batch), "writing the load's scratch dictionary"));
    }
    count_ += indexes.size();
    return Status::OK();
  }

  Result<std::optional<TermId>> Find(std::string_view term) {
    rocksdb::PinnableSlice value;
    auto s = db_->Get(rocksdb::ReadOptions(), handles_[0], rocksdb::Slice(term.data(), term.size()), &value);
    if (s.IsNotFound()) return std::optional<TermId>();
    PARLEY_RETURN_IF_ERROR(internal::FromRocks(s, "reading the load's scratch dictionary"));
    if (value.size() != kTermIdBytes) return Status::Corruption("malformed scratch dictionary entry");
    return std::optional<TermId>(DecodeId(value.data()));
  }

  // Every (term, id) pair, in term order or in id order.
  Status ForEach(bool by_id, const std::function<Status(std::string_view term, TermId id)>& f) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[by_id ? 1 : 0]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key(), v = it->value();
      const std::string_view term = by_id ? std::string_view(v.data(), v.size()) : std::string_view(k.data(), k.size());
      PARLEY_RETURN_IF_ERROR(f(term, DecodeId(by_id ? k.data() : v.data())));
    }
    return internal::FromRocks(it->status(), "reading the load's scratch dictionary");
  }

  std::uint64_t count() const { return count_; }

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::uint64_t count_ = 0;
};

class StoreLoader final : public Loader {
 public:
  StoreLoader(Db& db, const LoadOptions& options) : db_(db), lock_(db.write_mutex), options_(options) {}

  ~StoreLoader() override {
    if (spill_.joinable()) spill_.join();  // before its files go
    if (snapshot_ != nullptr) db_.db->ReleaseSnapshot(snapshot_);
    spilled_terms_.reset();  // closed before its directory goes
    std::error_code ec;
    if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_, ec);
  }

  Status Init() {
    snapshot_ = db_.db->GetSnapshot();
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    auto next_id = internal::ReadCounter(db_, ro, internal::kNextTermIdKey, db_.first_term_id);
    if (!next_id.ok()) return next_id.status();
    auto next_blank = internal::ReadCounter(db_, ro, internal::kNextBlankNodeKey, 1);
    if (!next_blank.ok()) return next_blank.status();
    next_term_id_ = *next_id;
    first_new_id_ = *next_id;
    next_blank_ = *next_blank;
    first_blank_ = *next_blank;
    auto generation = internal::ReadCounter(db_, ro, internal::kGenerationKey, 0);
    if (!generation.ok()) return generation.status();
    generation_ = *generation + 1;
    db_has_quads_ = !IsEmpty(internal::kSpogCf);
    db_has_terms_ = !IsEmpty(internal::kId2TermCf);
    return Status::OK();
  }

  Status Add(std::string_view subject, std::string_view predicate, std::string_view object,
             std::string_view graph) override {
    Quad quad;
    auto s = Intern(subject);
    if (!s.ok()) return s.status();
    auto p = Intern(predicate);
    if (!p.ok()) return p.status();
    auto o = Intern(object);
    if (!o.ok()) return o.status();
    quad.subject = *s;
    quad.predicate = *p;
    quad.object = *o;
    if (!graph.empty()) {
      auto g = Intern(graph);
      if (!g.ok()) return g.status();
      quad.graph = *g;
    }
    run_.push_back(quad);
    ++summary_.quads_added;
    if (run_.size() >= options_.run_quads) return SpillRun();
    return Status::OK();
  }

  Status Remove(const Quad& quad) override {
    removals_.push_back(quad);
    return Status::OK();
  }

  std::string NewBlankNodeLabel() override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string label = "b";
    std::uint64_t n = next_blank_++;
    char digits[16];
    int len = 0;
    do {
      digits[len++] = kHex[n & 0xF];
      n >>= 4;
    } while (n != 0);
    while (len > 0) label.push_back(digits[--len]);
    return label;
  }

  Status Commit() override;
  const LoadSummary& summary() const override { return summary_; }

 private:
  bool IsEmpty(Cf cf) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(ro, db_[cf]));
    it->SeekToFirst();
    return !it->Valid();
  }

  Result<TermId> Intern(std::string_view encoded) {
    if (encoded.empty()) return Status::InvalidArgument("empty term");
    const std::uint64_t hash = internal::LoadDictionary::Hash(encoded);
    if (auto* held = terms_.Find(encoded, hash)) {
      held->used = true;
      return held->id;
    }
    TermId id = 0;
    bool found = false;
    if (spilled_terms_ != nullptr) {
      auto spilled = spilled_terms_->Find(encoded);
      if (!spilled.ok()) return spilled.status();
      if (*spilled) {
        id = **spilled;
        found = true;
      }
    }
    if (!found && db_has_terms_) {
      rocksdb::ReadOptions ro;
      ro.snapshot = snapshot_;
      std::string value;
      auto s = db_.db->Get(ro, db_[internal::kTerm2IdCf], rocksdb::Slice(encoded.data(), encoded.size()), &value);
      if (s.ok() && value.size() == kTermIdBytes) {
        id = DecodeId(value.data());
        found = true;
      } else if (!s.IsNotFound()) {
        PARLEY_RETURN_IF_ERROR(internal::FromRocks(s, "looking up a term"));
        return Status::Corruption("malformed term2id entry");
      }
    }
    if (!found) id = next_term_id_++;
    const std::uint32_t index = terms_.Insert(encoded, hash, id);
    if (!found) new_terms_.push_back(index);
    // The term's bytes and entry, and its index in new_terms_ (whose capacity may be
    // twice its size).
    dictionary_bytes_ += encoded.size() + internal::LoadDictionary::kBytesPerEntry + (found ? 0 : 2 * sizeof(new_terms_[0]));
    if (dictionary_bytes_ > options_.term_bytes) PARLEY_RETURN_IF_ERROR(SpillTerms());
    return id;
  }

  // Moves the new terms to the scratch database. Of the terms held in memory, those
  // used again since the last spill (predicates, classes, much-cited entities) stay, in
  // up to half the budget; the rest are found in the scratch database (or the store)
  // if they come again.
  Status SpillTerms() {
    if (spilled_terms_ == nullptr) {
      spilled_terms_ = std::make_unique<SpilledTerms>();
      PARLEY_RETURN_IF_ERROR(spilled_terms_->Open(TempDir() / "terms"));
    }
    PARLEY_RETURN_IF_ERROR(spilled_terms_->Add(terms_, new_terms_));
    new_terms_.clear();
    internal::LoadDictionary kept;
    dictionary_bytes_ = 0;
    for (std::uint32_t i = 0; i < terms_.size(); ++i) {
      const auto& held = terms_.at(i);
      const std::size_t bytes = held.size + internal::LoadDictionary::kBytesPerEntry;
      if (!held.used || dictionary_bytes_ + bytes > options_.term_bytes / 2) continue;
      kept.Insert(held.term(), internal::LoadDictionary::Hash(held.term()), held.id);
      dictionary_bytes_ += bytes;
    }
    terms_ = std::move(kept);
    ++summary_.term_spills;
    return Status::OK();
  }

  // Every term this load made, in id order or in term order.
  Status ForEachNewTerm(bool by_id, const std::function<Status(std::string_view, TermId)>& f) {
    if (spilled_terms_ != nullptr) return spilled_terms_->ForEach(by_id, f);
    std::vector<std::uint32_t> sorted;
    if (!by_id) {
      sorted = new_terms_;
      std::sort(sorted.begin(), sorted.end(),
                [&](std::uint32_t a, std::uint32_t b) { return terms_.at(a).term() < terms_.at(b).term(); });
    }
    for (std::uint32_t index : by_id ? new_terms_ : sorted) {
      PARLEY_RETURN_IF_ERROR(f(terms_.at(index).term(), terms_.at(index).id));
    }
    return Status::OK();
  }

  std::filesystem::path TempDir() {
    if (temp_dir_.empty()) {
      temp_dir_ = db_.path / ("load-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(temp_dir_counter++));
      std::error_code ec;
      std::filesystem::create_directories(temp_dir_, ec);
    }
    return temp_dir_;
  }

  std::filesystem::path RunPath(std::size_t run, IndexOrder order) {
    return TempDir() / ("run-" + std::to_string(run) + "." + IndexName(order));
  }

  // Hands the buffered quads to a background thread, which sorts them in every index
  // order and writes them as run files while the next run fills. One run is in flight
  // at a time.
  Status SpillRun() {
    PARLEY_RETURN_IF_ERROR(FinishSpill());
    std::vector<std::filesystem::path> paths;
    for (IndexOrder order : kAllOrders) paths.push_back(RunPath(summary_.runs_spilled, order));
    ++summary_.runs_spilled;
    spill_ = std::thread([this, paths = std::move(paths), quads = std::move(run_)] {
      for (std::size_t i = 0; i < kAllOrders.size() && spill_status_.ok(); ++i) {
        spill_status_ = internal::WriteRun(paths[i], internal::SortedKeys(quads, kAllOrders[i]));
      }
    });
    run_ = {};
    return Status::OK();
  }

  // Waits for the run in flight, if any, and gives its outcome.
  Status FinishSpill() {
    if (spill_.joinable()) spill_.join();
    return spill_status_;
  }

  // One index's keys, sorted: the spilled runs merged with the quads still in memory.
  std::unique_ptr<internal::SortedKeyStream> StreamFor(IndexOrder order) {
    std::vector<std::unique_ptr<internal::SortedKeyStream>> inputs;
    for (std::size_t r = 0; r < summary_.runs_spilled; ++r) inputs.push_back(internal::StreamOfRun(RunPath(r, order)));
    inputs.push_back(internal::StreamOfSorted(internal::SortedKeys(run_, order)));
    return internal::Merge(std::move(inputs));
  }

  // Deletes the quads to remove (those present) through `sink` and counts in `minus`
  // what that takes from the statistics: a (subject, predicate) or (predicate, object)
  // pair, or a triple, is gone when no key with that prefix is left once the deletes
  // apply.
  // Finds which removals are in the store (removed_, in each index's order) and what
  // they take from the statistics; WriteIndex writes their deletes.
  Status ApplyRemovals(std::map<TermId, PredicateStats>* minus) {
    std::sort(removals_.begin(), removals_.end());
    removals_.erase(std::unique(removals_.begin(), removals_.end()), removals_.end());
    {
      internal::ExistingKeys before(db_, snapshot_);
      char key[kQuadKeyBytes];
      for (const Quad& q : removals_) {
        EncodeKey(ToKey(q, IndexOrder::kSpog), key);
        auto present = before.Contains(internal::kSpogCf, std::string_view(key, kQuadKeyBytes));
        if (!present.ok()) return present.status();
        if (!*present) continue;
        ++(*minus)[q.predicate].quads;
        for (std::size_t i = 0; i < kAllOrders.size(); ++i) removed_.by_order[i].push_back(ToKey(q, kAllOrders[i]));
      }
    }
    // Each index's keys in its own order (the removals came in spog order); WriteIndex
    // merges their deletes with the new keys.
    for (auto& keys : removed_.by_order) std::sort(keys.begin(), keys.end());
    const auto& spog = removed_.by_order[static_cast<std::size_t>(IndexOrder::kSpog)];
    const auto& posg = removed_.by_order[static_cast<std::size_t>(IndexOrder::kPosg)];
    summary_.quads_removed = spog.size();
    internal::ExistingKeys after(db_, snapshot_, &removed_);
    for (auto* keys : {&spog, &posg}) {
      const bool subjects = keys == &spog;
      for (std::size_t i = 0; i < keys->size(); ++i) {
        const QuadKey& k = (*keys)[i];
        if (i > 0 && (*keys)[i - 1][0] == k[0] && (*keys)[i - 1][1] == k[1]) continue;
        char prefix[kQuadKeyBytes];
        EncodeKey(k, prefix);
        auto left = after.HasPrefix(subjects ? internal::kSpogCf : internal::kPosgCf,
                                    std::string_view(prefix, 2 * kTermIdBytes));
        if (!left.ok()) return left.status();
        if (*left) continue;
        auto& stats = (*minus)[subjects ? k[1] : k[0]];
        ++(subjects ? stats.distinct_subjects : stats.distinct_objects);
      }
    }
    for (std::size_t i = 0; i < spog.size(); ++i) {
      const QuadKey& k = spog[i];
      if (i > 0 && spog[i - 1][0] == k[0] && spog[i - 1][1] == k[1] && spog[i - 1][2] == k[2]) continue;
      char prefix[kQuadKeyBytes];
      EncodeKey(k, prefix);
      auto left = after.HasPrefix(internal::kSpogCf, std::string_view(prefix, 3 * kTermIdBytes));
      if (!left.ok()) return left.status();
      if (!*left) ++(*minus)[k[1]].triples;
    }
    return Status::OK();
  }

  // Writes the given index orders and, when `dictionary_cf` is kId2TermCf or
  // kTerm2IdCf, that half of the dictionary (any other family: neither). The spog
  // order also writes the commit's history. Existence checks see the database less
  // this transaction's deletes (removed_).
  Status WriteShare(const std::vector<IndexOrder>& orders, Cf dictionary_cf, internal::KeySink& sink,
                    std::map<TermId, PredicateStats>* delta) {
    std::unique_ptr<internal::ExistingKeys> existing;
    if (db_has_quads_) existing = std::make_unique<internal::ExistingKeys>(db_, snapshot_, &removed_);
    for (IndexOrder order : orders) {
      auto stream = StreamFor(order);
      PARLEY_RETURN_IF_ERROR(internal::WriteIndex(order, *stream, removed_.by_order[static_cast<std::size_t>(order)], sink,
                                                  existing.get(), delta, generation_));
    }
    if (dictionary_cf == internal::kId2TermCf) {
      return ForEachNewTerm(true, [&](std::string_view term, TermId id) {
        return sink.Put(internal::kId2TermCf, EncodeIdString(id), term);
      });
    }
    if (dictionary_cf == internal::kTerm2IdCf) {
      return ForEachNewTerm(false, [&](std::string_view term, TermId id) {
        return sink.Put(internal::kTerm2IdCf, term, EncodeIdString(id));
      });
    }
    return Status::OK();
  }

  // The log's entry for this commit: "unix_ms added removed command". Times never go
  // back, so that "the state at time T" is the state after the last commit at or
  // before T even when the clock was set back between two commits.
  Result<std::string> LogEntry(const std::map<TermId, PredicateStats>& plus,
                               const std::map<TermId, PredicateStats>& minus) const {
    std::uint64_t added = 0, removed = 0;
    for (const auto& [p, d] : plus) added += d.quads;
    for (const auto& [p, d] : minus) removed += d.quads;
    auto now = CommitTime();
    if (!now.ok()) return now.status();
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    std::string previous;
    const std::string previous_key = std::string(internal::kLogPrefix) + EncodeIdString(generation_ - 1);
    if (db_.db->Get(ro, db_[internal::kMeta], previous_key, &previous).ok()) {
      *now = std::max<std::int64_t>(*now, std::strtoll(previous.c_str(), nullptr, 10));
    }
    return std::to_string(*now) + " " + std::to_string(added) + " " + std::to_string(removed) + " " +
           (options_.command.empty() ? CommandLine() : options_.command);
  }

  // The meta entries to write; an unset value deletes the key (a predicate gone).
  Result<std::map<std::string, std::optional<std::string>>> MetaEntries(
      const std::map<TermId, PredicateStats>& plus, const std::map<TermId, PredicateStats>& minus) {
    std::map<std::string, std::optional<std::string>> meta;
    if (next_term_id_ != first_new_id_) meta[std::string(internal::kNextTermIdKey)] = EncodeIdString(next_term_id_);
    if (next_blank_ != first_blank_) meta[std::string(internal::kNextBlankNodeKey)] = EncodeIdString(next_blank_);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    meta[std::string(internal::kGenerationKey)] = EncodeIdString(generation_);
    auto log_entry = LogEntry(plus, minus);
    if (!log_entry.ok()) return log_entry.status();
    meta[std::string(internal::kLogPrefix) + EncodeIdString(generation_)] = std::move(*log_entry);
    std::set<TermId> predicates;
    for (const auto& [p, d] : plus) predicates.insert(p);
    for (const auto& [p, d] : minus) predicates.insert(p);
    for (TermId predicate : predicates) {
      auto current = internal::ReadStats(db_, ro, predicate);
      if (!current.ok()) return current.status();
      const auto add = plus.count(predicate) ? plus.at(predicate) : PredicateStats{};
      const auto sub = minus.count(predicate) ? minus.at(predicate) : PredicateStats{};
      // Triples not counted before (a database written before they were) stay unknown.
      PredicateStats next{current->quads + add.quads - sub.quads,
                          current->distinct_subjects + add.distinct_subjects - sub.distinct_subjects,
                          current->distinct_objects + add.distinct_objects - sub.distinct_objects,
                          current->TriplesKnown() ? current->triples + add.triples - sub.triples : 0};
      meta[internal::StatsKey(predicate)] =
          next.quads == 0 ? std::nullopt : std::optional<std::string>(internal::EncodeStats(next));
    }
    return meta;
  }

  Db& db_;
  std::unique_lock<std::mutex> lock_;
  LoadOptions options_;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  bool db_has_quads_ = false;
  bool db_has_terms_ = false;
  bool spent_ = false;
  std::uint64_t generation_ = 0;  // the generation this transaction's commit makes
  TermId next_term_id_ = 1, first_new_id_ = 1;
  std::uint64_t next_blank_ = 1, first_blank_ = 1;
  internal::LoadDictionary terms_;  // the terms held in memory
  std::vector<std::uint32_t> new_terms_;  // the entries of terms_ this load made
  std::size_t dictionary_bytes_ = 0;  // what terms_ and new_terms_ hold, roughly
  std::unique_ptr<SpilledTerms> spilled_terms_;  // once they outgrow term_bytes
  std::vector<Quad> run_;
  std::thread spill_;     // sorting and writing the last full run
  Status spill_status_;  // the first error of a spill
  std::vector<Quad> removals_;
  internal::RemovedKeys removed_;  // the index keys removals_ delete, once applied
  std::filesystem::path temp_dir_;
  LoadSummary summary_;
};

Status StoreLoader::Commit() {
  if (spent_) return Status::InvalidArgument("this loader has already committed");
  spent_ = true;
  if (summary_.quads_added == 0 && new_terms_.empty() && spilled_terms_ == nullptr && removals_.empty()) {
    return Status::OK();
  }
  if (spilled_terms_ != nullptr) PARLEY_RETURN_IF_ERROR(SpillTerms());  // all of them in one place
  // Removals go the same way as additions: tombstones in the SST files of a large
  // transaction, deletes in the batch of a small one.
  const bool use_sst = options_.method == LoadOptions::Method::kSstIngest ||
                       (options_.method == LoadOptions::Method::kAuto &&
                        (summary_.quads_added + removals_.size() > options_.write_batch_limit ||
                         summary_.runs_spilled > 0 || spilled_terms_ != nullptr));
  PARLEY_RETURN_IF_ERROR(FinishSpill());
  summary_.used_sst_ingest = use_sst;
  summary_.terms_new = spilled_terms_ != nullptr ? spilled_terms_->count() : new_terms_.size();

  std::map<TermId, PredicateStats> delta, minus;
  if (!removals_.empty()) PARLEY_RETURN_IF_ERROR(ApplyRemovals(&minus));
  if (!use_sst) {
    internal::BatchSink sink(db_);
    PARLEY_RETURN_IF_ERROR(WriteShare({IndexOrder::kSpog, IndexOrder::kPosg, IndexOrder::kOspg, IndexOrder::kGspo},
                                      internal::kId2TermCf, sink, &delta));
    PARLEY_RETURN_IF_ERROR(WriteShare({}, internal::kTerm2IdCf, sink, &delta));
    auto meta = MetaEntries(delta, minus);
    if (!meta.ok()) return meta.status();
    for (const auto& [key, value] : *meta) {
      PARLEY_RETURN_IF_ERROR(value ? sink.Put(internal::kMeta, key, *value) : sink.Delete(internal::kMeta, key));
    }
    PARLEY_RETURN_IF_ERROR(sink.Write());
  } else {
    // Two threads, one per core, each owning its own column families' SST files.
    internal::SstSink sink(TempDir());
    std::map<TermId, PredicateStats> other_delta;
    Status other_status;
    // The spog pass also writes the history, so the dictionary goes to the other thread.
    std::thread other([&] {
      other_status = WriteShare({IndexOrder::kPosg, IndexOrder::kGspo}, internal::kTerm2IdCf, sink, &other_delta);
      if (other_status.ok()) other_status = WriteShare({}, internal::kId2TermCf, sink, &other_delta);
      for (Cf cf : {internal::kPosgCf, internal::kGspoCf, internal::kTerm2IdCf, internal::kId2TermCf}) {
        if (other_status.ok()) other_status = sink.Finish(cf);
      }
    });
    Status mine = WriteShare({IndexOrder::kSpog, IndexOrder::kOspg}, internal::kMeta, sink, &delta);
    for (Cf cf : {internal::kSpogCf, internal::kOspgCf, internal::kHistoryCf}) {
      if (mine.ok()) mine = sink.Finish(cf);
    }
    other.join();
    PARLEY_RETURN_IF_ERROR(mine);
    PARLEY_RETURN_IF_ERROR(other_status);
    for (const auto& [p, d] : other_delta) {
      auto& target = delta[p];
      target.quads += d.quads;
      target.distinct_subjects += d.distinct_subjects;
      target.distinct_objects += d.distinct_objects;
      target.triples += d.triples;
    }
    auto meta = MetaEntries(delta, minus);
    if (!meta.ok()) return meta.status();
    for (const auto& [key, value] : *meta) {
      PARLEY_RETURN_IF_ERROR(value ? sink.Put(internal::kMeta, key, *value) : sink.Delete(internal::kMeta, key));
    }
    PARLEY_RETURN_IF_ERROR(sink.Finish(internal::kMeta));
    PARLEY_RETURN_IF_ERROR(sink.Ingest(db_));
  }
  for (const auto& [p, d] : delta) summary_.quads_new += d.quads;
  return Status::OK();
}

}  // namespace

void SetCommandLine(std::string command) {
  std::lock_guard lock(command_line_mutex);
  command_line = std::move(command);
}

Result<std::unique_ptr<Loader>> QuadStore::NewLoader(const LoadOptions& options) {
  if (db_->read_only) return Status::InvalidArgument("database " + db_->path.string() + " is open read-only");
  auto loader = std::make_unique<StoreLoader>(*db_, options);
  PARLEY_RETURN_IF_ERROR(loader->Init());
  return std::unique_ptr<Loader>(std::move(loader));
}

}  // namespace parley::store
