// store/quad_store.hpp
// QuadStore is the persistent set of quads: one RocksDB column family per index order
// (spog, posg, ospg, gspo), the term dictionary (term2id, id2term), and a meta family
// holding the format version, id counters and per-predicate statistics.
//
// Thread safety: const methods may run concurrently with each other and with one
// writer. Writers (Loader, Remove) are serialised: a second writer waits for the first.
// Reads see the latest committed state; GetSnapshot() pins one state for a whole query.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "store/as_of.hpp"
#include "store/change_overlay.hpp"
#include "store/loader.hpp"
#include "store/quad.hpp"

namespace parley::store {

namespace internal {
struct Db;
}

enum class OpenMode : std::uint8_t {
  kReadWrite,  // takes the database lock; creates the database when missing
  kReadOnly,   // no lock: works while another process writes; sees the state at open
};

struct StoreOptions {
  OpenMode mode = OpenMode::kReadWrite;
  // The first id a new database hands out. Tests start near a byte boundary to cover
  // ids ending in 0xFF; everyone else leaves it at 1.
  TermId first_term_id = 1;
};

class RangeCache;
class TermCache;

// Pins one consistent state of the store for reading.
class StoreSnapshot : public QuadSource, public TermDictionary {
 public:
  ~StoreSnapshot() override;
  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override;
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override;
  Result<PredicateStats> Stats(TermId predicate) const override;
  // The size of a range read before (in the range cache), or else the bytes RocksDB
  // finds between the range's keys over the index's bytes per key.
  std::optional<std::uint64_t> EstimateMatches(const QuadPattern& pattern, bool union_view) const override;
  // From the snapshot's range cache.
  bool KeptRange(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small,
                 QuadRange* shared) const override;
  void KeptRanges(const std::vector<RangeProbe>& probes, std::vector<Quad>* copied, std::vector<QuadRange>* shared,
                  std::vector<KeptRangeAt>* found) const override;
  void PrefetchKept(const QuadPattern& pattern, bool union_view) const override;
  // The order of the index ChooseIndex picks (the range cache keeps it); none for a past
  // state, whose quads come through the history's overlay.
  std::optional<QuadPosition> SortedBy(const QuadPattern& pattern, bool union_view) const override;
  Result<TermId> LookupId(const Term& term) const override;
  Result<Term> LookupTerm(TermId id) const override;
  Status LookupTerms(const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out) const override;
  Status PinTerms(const std::vector<TermId>& ids, PinnedTerms* out) const override;
  bool StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit, std::vector<TermId>* out) const override;
  bool TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const override;
  bool FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const override;

  // Names the state this snapshot holds: the database's identity and how many commits
  // made it. Equal tags, equal quads; data derived from the quads (derived_data.hpp) is
  // kept under the tag of the state it was computed from.
  Result<std::string> StateTag() const;
  // The generation this snapshot shows, and whether it is a past one (GetSnapshotAsOf)
  // rebuilt from the history rather than the store's latest state.
  std::uint64_t generation() const { return generation_; }
  bool past() const { return past_ != nullptr; }

 private:
  friend class QuadStore;
  struct Impl;
  explicit StoreSnapshot(std::unique_ptr<Impl> impl);
  std::unique_ptr<QuadCursor> CachedScan(const QuadPattern& pattern, bool union_view) const;
  std::unique_ptr<Impl> impl_;
  std::uint64_t generation_ = 0;
  // A past state: the present (whose impl_ this snapshot also holds) with the changes
  // of later commits undone.
  std::unique_ptr<StoreSnapshot> present_;
  std::unique_ptr<ChangeOverlay> past_;
};

struct StoreSummary {
  std::uint64_t quads = 0;
  std::uint64_t terms = 0;
  std::uint64_t graphs = 0;      // named graphs plus the default graph when it has quads
  std::uint64_t predicates = 0;
};

// One commit of the database's log.
struct CommitRecord {
  std::uint64_t generation = 0;  // 1 for the first commit, then one more for each
  std::int64_t unix_ms = 0;      // when it was written
  std::uint64_t added = 0, removed = 0;
  std::string command;           // what wrote it: "parley load a.ttl", "POST /update", ...
};

struct CheckReport {
  std::uint64_t quads = 0;   // entries in spog
  std::uint64_t terms = 0;   // entries in id2term
  std::vector<std::string> problems;  // empty when every index and the dictionary agree
  bool ok() const { return problems.empty(); }
};

class QuadStore final : public QuadSource, public TermDictionary {
 public:
  // Opens (and in read-write mode creates) the database at `path`.
  // Busy when another process holds the write lock; VersionMismatch for a database of
  // another format version; InvalidArgument for a directory that is not a Parley database.
  static Status Open(const std::filesystem::path& path, const StoreOptions& options,
                     std::unique_ptr<QuadStore>* out);
  static Status Open(const std::filesystem::path& path, std::unique_ptr<QuadStore>* out) {
    return Open(path, StoreOptions{}, out);
  }
  ~QuadStore() override;

  const std::filesystem::path& path() const;
  bool read_only() const;
  // What opening had to recover from, for the user to hear ("" when nothing).
  const std::string& recovery_note() const;

  // A loader for one atomic transaction; InvalidArgument when read_only().
  // Blocks while another loader of this store is alive.
  Result<std::unique_ptr<Loader>> NewLoader(const LoadOptions& options = {});
  // Removes quads (those absent are ignored) in one atomic batch.
  Status Remove(std::span<const Quad> quads);

  std::unique_ptr<StoreSnapshot> GetSnapshot() const;
  // The graph as it stood after the commit `as_of` names, evidence and all, rebuilt as
  // the latest state with the later commits' changes undone (so it costs time and
  // memory in proportion to what changed since). InvalidArgument for a generation not
  // yet reached, or one older than the history kept (see CompactHistory).
  Result<std::unique_ptr<StoreSnapshot>> GetSnapshotAsOf(const AsOf& as_of) const;
  // The generation `as_of` names: itself, or the last commit at or before the moment;
  // InvalidArgument when GetSnapshotAsOf could not show it.
  Result<std::uint64_t> ResolveAsOf(const AsOf& as_of) const;
  // The oldest generation GetSnapshotAsOf can show.
  Result<std::uint64_t> HistoryFrom() const;
  // Drops the history of the commits made before `unix_ms`, keeping the state after the
  // last of them readable; returns the new HistoryFrom().
  Result<std::uint64_t> CompactHistory(std::int64_t before_unix_ms);

  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override;
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override;
  Result<PredicateStats> Stats(TermId predicate) const override;
  Result<TermId> LookupId(const Term& term) const override;
  Result<Term> LookupTerm(TermId id) const override;

  // Statistics of every predicate in use, by predicate id.
  Result<std::vector<std::pair<TermId, PredicateStats>>> AllStats() const;
  Result<StoreSummary> Summary() const;
  // Every commit, oldest first.
  Result<std::vector<CommitRecord>> Log() const;
  // Verifies that the four indexes, the dictionary and the statistics agree.
  Result<CheckReport> Check() const;

 private:
  explicit QuadStore(std::unique_ptr<internal::Db> db);
  std::unique_ptr<internal::Db> db_;
  std::string recovery_note_;
  // Snapshots of one state (no write between them) share one range cache, so that a
  // REPL session or a server keeps what earlier questions read until the next load.
  mutable std::mutex ranges_mutex_;
  mutable std::shared_ptr<RangeCache> ranges_;
  mutable std::uint64_t ranges_sequence_ = 0;
  // Every snapshot shares one cache of decoded terms, writes or not: an id names one
  // term for good (a committed id is never handed out again, nor its term changed), so a
  // REPL session or a server decodes a term once, not once a query.
  std::shared_ptr<TermCache> terms_;
};

}  // namespace parley::store
