#include "store/write_pipeline.hpp"

#include <algorithm>
#include <cstring>
#include <queue>

#include <rocksdb/comparator.h>

namespace parley::store::internal {

BatchSink::BatchSink(const Db& db) : db_(db) {}

Status BatchSink::Put(Cf cf, std::string_view key, std::string_view value) {
  return FromRocks(batch_.Put(db_[cf], key, value), "building a write batch");
}

Status BatchSink::Delete(Cf cf, std::string_view key) {
  return FromRocks(batch_.Delete(db_[cf], key), "building a write batch");
}

Status BatchSink::Write() {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_.db->Write(wo, &batch_), "writing to " + db_.path.string());
}

Result<rocksdb::SstFileWriter*> SstSink::Writer(Cf cf) {
  auto& writer = writers_[static_cast<std::size_t>(cf)];
  if (!writer) {
    rocksdb::Options options(rocksdb::DBOptions(), CfOptions(cf));
    writer = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options);
    const auto file = dir_ / (std::string(CfName(cf)) + ".sst");
    PARLEY_RETURN_IF_ERROR(FromRocks(writer->Open(file.string()), "creating " + file.string()));
  }
  return writer.get();
}

Status SstSink::Put(Cf cf, std::string_view key, std::string_view value) {
  auto writer = Writer(cf);
  if (!writer.ok()) return writer.status();
  return FromRocks((*writer)->Put(key, value), std::string("writing an SST file for ") + CfName(cf));
}

Status SstSink::Delete(Cf cf, std::string_view key) {
  auto writer = Writer(cf);
  if (!writer.ok()) return writer.status();
  return FromRocks((*writer)->Delete(key), std::string("writing an SST file for ") + CfName(cf));
}

Status SstSink::Finish(Cf cf) {
  auto& writer = writers_[static_cast<std::size_t>(cf)];
  if (!writer) return Status::OK();
  return FromRocks(writer->Finish(), std::string("finishing the SST file for ") + CfName(cf));
}

Status SstSink::Ingest(Db& db) {
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int c = 0; c < kCfCount; ++c) {
    if (!writers_[static_cast<std::size_t>(c)]) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = db[static_cast<Cf>(c)];
    arg.external_files = {(dir_ / (std::string(CfName(static_cast<Cf>(c))) + ".sst")).string()};
    arg.options.move_files = true;
    args.push_back(std::move(arg));
  }
  if (args.empty()) return Status::OK();
  return FromRocks(db.db->IngestExternalFiles(args), "ingesting into " + db.path.string());
}

namespace {

class VectorStream final : public SortedKeyStream {
 public:
  explicit VectorStream(std::vector<QuadKey> keys) : keys_(std::move(keys)) {}
  bool Next(QuadKey* out) override {
    if (next_ >= keys_.size()) return false;
    *out = keys_[next_++];
    return true;
  }
  Status status() const override { return Status::OK(); }

 private:
  std::vector<QuadKey> keys_;
  std::size_t next_ = 0;
};

// Streams one run file, read in blocks.
class RunStream final : public SortedKeyStream {
 public:
  explicit RunStream(const std::filesystem::path& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr) status_ = Status::IOError("cannot read sorted run " + path.string());
  }
  ~RunStream() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  RunStream(const RunStream&) = delete;
  RunStream& operator=(const RunStream&) = delete;
  bool Next(QuadKey* out) override {
    if (pos_ == buffer_.size()) {
      if (file_ == nullptr) return false;
      buffer_.resize(kBlockKeys);
      std::size_t n = std::fread(buffer_.data(), sizeof(QuadKey), kBlockKeys, file_);
      if (n < kBlockKeys && std::ferror(file_)) status_ = Status::IOError("error reading sorted run " + path_.string());
      buffer_.resize(n);
      pos_ = 0;
      if (n == 0) return false;
    }
    *out = buffer_[pos_++];
    return true;
  }
  Status status() const override { return status_; }

 private:
  static constexpr std::size_t kBlockKeys = 1 << 15;
  std::filesystem::path path_;
  std::FILE* file_;
  std::vector<QuadKey> buffer_;
  std::size_t pos_ = 0;
  Status status_;
};

class MergeStream final : public SortedKeyStream {
 public:
  explicit MergeStream(std::vector<std::unique_ptr<SortedKeyStream>> inputs) : inputs_(std::move(inputs)) {
    for (std::size_t i = 0; i < inputs_.size() && status_.ok(); ++i) Advance(i);
  }
  bool Next(QuadKey* out) override {
    if (!status_.ok() || heap_.empty()) return false;
    auto [key, index] = heap_.top();
    heap_.pop();
    *out = key;
    Advance(index);
    return status_.ok();
  }
  Status status() const override { return status_; }

 private:
  using Entry = std::pair<QuadKey, std::size_t>;
  void Advance(std::size_t index) {
    QuadKey key;
    if (inputs_[index]->Next(&key)) {
      heap_.emplace(key, index);
    } else {
      status_ = inputs_[index]->status();
    }
  }
  std::vector<std::unique_ptr<SortedKeyStream>> inputs_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  Status status_;
};

}  // namespace

std::unique_ptr<SortedKeyStream> StreamOfSorted(std::vector<QuadKey> keys) {
  return std::make_unique<VectorStream>(std::move(keys));
}

std::unique_ptr<SortedKeyStream> StreamOfRun(const std::filesystem::path& run) {
  return std::make_unique<RunStream>(run);
}

std::unique_ptr<SortedKeyStream> Merge(std::vector<std::unique_ptr<SortedKeyStream>> inputs) {
  if (inputs.size() == 1) return std::move(inputs.front());
  return std::make_unique<MergeStream>(std::move(inputs));
}

Status WriteRun(const std::filesystem::path& path, const std::vector<QuadKey>& sorted_keys) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Status::IOError("cannot create " + path.string());
  std::size_t written = std::fwrite(sorted_keys.data(), sizeof(QuadKey), sorted_keys.size(), file);
  bool ok = written == sorted_keys.size();
  ok = (std::fclose(file) == 0) && ok;
  return ok ? Status::OK() : Status::IOError("cannot write " + path.string() + " (disk full?)");
}

std::vector<QuadKey> SortedKeys(const std::vector<Quad>& quads, IndexOrder order) {
  std::vector<QuadKey> keys;
  keys.reserve(quads.size());
  for (const Quad& q : quads) keys.push_back(ToKey(q, order));
  std::sort(keys.begin(), keys.end());
  return keys;
}

Status WriteIndex(IndexOrder order, SortedKeyStream& keys, const std::vector<QuadKey>& removed, KeySink& sink,
                  ExistingKeys* existing, std::map<TermId, PredicateStats>* delta, std::uint64_t history_generation) {
  const Cf cf = IndexCf(order);
  const bool record_history = order == IndexOrder::kSpog && history_generation != 0;
  QuadKey key{}, prev{};
  bool have_prev = false;
  char encoded[kQuadKeyBytes];
  const std::string_view whole(encoded, kQuadKeyBytes), first_two(encoded, 2 * kTermIdBytes),
      first_three(encoded, 3 * kTermIdBytes);
  // The history entry of a key: the generation, then the key.
  char history_key[kHistoryKeyBytes];
  EncodeId(history_generation, history_key);
  auto record = [&](const char* key_bytes, std::string_view change) -> Status {
    if (!record_history) return Status::OK();
    std::memcpy(history_key + kTermIdBytes, key_bytes, kQuadKeyBytes);
    return sink.Put(kHistoryCf, std::string_view(history_key, kHistoryKeyBytes), change);
  };
  // Whether no key of the database (less this transaction's deletes) starts with `prefix`.
  auto nothing_under = [&](std::string_view prefix) -> Result<bool> {
    if (existing == nullptr) return true;
    auto present = existing->HasPrefix(cf, prefix);
    if (!present.ok()) return present.status();
    return !*present;
  };
  auto next_removed = removed.begin();
  // The deletes of removed keys before `until` (all of them when null); a key put
  // again is not deleted, and *put_back says so.
  auto delete_before = [&](const QuadKey* until, bool* put_back) -> Status {
    char deleted[kQuadKeyBytes];
    for (; next_removed != removed.end() && (until == nullptr || *next_removed <= *until); ++next_removed) {
      if (until != nullptr && *next_removed == *until) {
        *put_back = true;
        continue;
      }
      EncodeKey(*next_removed, deleted);
      PARLEY_RETURN_IF_ERROR(sink.Delete(cf, std::string_view(deleted, kQuadKeyBytes)));
      PARLEY_RETURN_IF_ERROR(record(deleted, "-"));
    }
    return Status::OK();
  };
  while (keys.Next(&key)) {
    if (have_prev && key == prev) continue;
    bool put_back = false;
    PARLEY_RETURN_IF_ERROR(delete_before(&key, &put_back));
    const bool group_start = !have_prev || key[0] != prev[0] || key[1] != prev[1];
    const bool triple_start = group_start || key[2] != prev[2];
    EncodeKey(key, encoded);
    if (order == IndexOrder::kSpog) {
      bool is_new = true;
      if (existing != nullptr) {
        auto present = existing->Contains(cf, whole);
        if (!present.ok()) return present.status();
        is_new = !*present;
      }
      if (is_new) ++(*delta)[key[1]].quads;
      // A quad removed and put back in one transaction is no change.
      if (is_new && !put_back) PARLEY_RETURN_IF_ERROR(record(encoded, "+"));
      // The triple is new when no graph held it (spog keys end with the graph).
      if (triple_start) {
        auto fresh = nothing_under(first_three);
        if (!fresh.ok()) return fresh.status();
        if (*fresh) ++(*delta)[key[1]].triples;
      }
      if (group_start) {
        auto fresh = nothing_under(first_two);
        if (!fresh.ok()) return fresh.status();
        if (*fresh) ++(*delta)[key[1]].distinct_subjects;
      }
    } else if (order == IndexOrder::kPosg && group_start) {
      auto fresh = nothing_under(first_two);
      if (!fresh.ok()) return fresh.status();
      if (*fresh) ++(*delta)[key[0]].distinct_objects;
    }
    PARLEY_RETURN_IF_ERROR(sink.Put(cf, whole, std::string_view()));
    prev = key;
    have_prev = true;
  }
  PARLEY_RETURN_IF_ERROR(keys.status());
  bool put_back = false;
  return delete_before(nullptr, &put_back);
}

}  // namespace parley::store::internal
