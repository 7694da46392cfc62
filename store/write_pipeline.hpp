// store/write_pipeline.hpp
// Internal to store/: the pieces a commit is built from. Sorted streams of index keys
// (from memory or merged from spilled runs) flow through WriteIndex, which computes the
// statistics they change, into a KeySink: a WriteBatch or one SST file per family.
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <tuple>
#include <string_view>
#include <vector>

#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include "store/rocks_internal.hpp"

namespace parley::store::internal {

class KeySink {
 public:
  virtual ~KeySink() = default;
  // Keys of one family, puts and deletes together, must arrive in strictly increasing
  // order.
  virtual Status Put(Cf cf, std::string_view key, std::string_view value) = 0;
  virtual Status Delete(Cf cf, std::string_view key) = 0;
};

// One WriteBatch for the whole transaction.
class BatchSink final : public KeySink {
 public:
  explicit BatchSink(const Db& db);
  Status Put(Cf cf, std::string_view key, std::string_view value) override;
  Status Delete(Cf cf, std::string_view key) override;
  Status Write();

 private:
  const Db& db_;
  rocksdb::WriteBatch batch_;
};

// One SST file per family, written by whichever thread owns that family (threads must
// own disjoint families), then ingested into every family in one atomic call.
class SstSink final : public KeySink {
 public:
  explicit SstSink(std::filesystem::path dir) : dir_(std::move(dir)), writers_(kCfCount) {}
  Status Put(Cf cf, std::string_view key, std::string_view value) override;
  Status Delete(Cf cf, std::string_view key) override;  // a tombstone, ingested like a put
  // Closes the family's file; call from the thread that wrote it.
  Status Finish(Cf cf);
  Status Ingest(Db& db);

 private:
  Result<rocksdb::SstFileWriter*> Writer(Cf cf);  // opened on first use
  std::filesystem::path dir_;
  std::vector<std::unique_ptr<rocksdb::SstFileWriter>> writers_;
};

class SortedKeyStream {
 public:
  virtual ~SortedKeyStream() = default;
  virtual bool Next(QuadKey* out) = 0;  // false at the end or on error
  virtual Status status() const = 0;
};

// Sorts `keys` and streams them.
std::unique_ptr<SortedKeyStream> StreamOfSorted(std::vector<QuadKey> keys);
// Streams a run file written by WriteRun.
std::unique_ptr<SortedKeyStream> StreamOfRun(const std::filesystem::path& run);
// Merges sorted streams into one sorted stream.
std::unique_ptr<SortedKeyStream> Merge(std::vector<std::unique_ptr<SortedKeyStream>> inputs);
// Writes sorted keys to a run file.
Status WriteRun(const std::filesystem::path& path, const std::vector<QuadKey>& sorted_keys);

// Lays `quads` out in `order` and sorts them (the sort is the costly part).
std::vector<QuadKey> SortedKeys(const std::vector<Quad>& quads, IndexOrder order);

// Streams one index's keys into `sink`, skipping duplicates, and adds to `delta` what
// the new keys change in the statistics: quads and distinct subjects (from spog) and
// distinct objects (from posg). `existing` is null when the store holds no quads.
// `removed` (sorted) are the keys the transaction deletes: their deletes are merged
// into the stream in key order, except for keys that are put again.
// With a `history_generation` (not 0), the spog pass also writes the history entries of
// that commit: each quad it adds and each it removes (kHistoryCf in rocks_internal.hpp).
Status WriteIndex(IndexOrder order, SortedKeyStream& keys, const std::vector<QuadKey>& removed, KeySink& sink,
                  ExistingKeys* existing, std::map<TermId, PredicateStats>* delta, std::uint64_t history_generation);

}  // namespace parley::store::internal
