// store/loader.hpp
// Loader gathers the changes of one transaction and writes them atomically on Commit():
// small transactions as one WriteBatch, large ones as sorted SST files ingested in one
// IngestExternalFiles call across every column family. Input larger than memory loads
// too: quads are sorted in bounded runs spilled to disk and merged at commit.
// Memory grows with the number of distinct terms, not with the number of quads.
//
// Not thread-safe. Holds the store's writer lock from creation until destruction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/quad.hpp"

namespace parley::store {

struct LoadOptions {
  enum class Method : std::uint8_t { kAuto, kWriteBatch, kSstIngest };
  Method method = Method::kAuto;
  // kAuto uses a WriteBatch up to this many quads, SST ingestion above.
  std::size_t write_batch_limit = 50'000;
  // Quads held in memory before a sorted run is spilled to disk (32 bytes each). A run
  // spills on a background thread while the next fills, so two runs and a sorted copy
  // can be held at once.
  std::size_t run_quads = 2'000'000;
  // Memory for the load's dictionary (the terms it has seen, with their ids). Past it,
  // the new terms move to a scratch database in the load's temporary directory, so that
  // distinct terms need not fit in memory.
  std::size_t term_bytes = std::size_t{1} << 30;
  // What the commit was, for the database's log (`parley log`); empty: the process's
  // command line, as SetCommandLine recorded it.
  std::string command;
};

// The command line of this process, which commits are logged under unless their
// LoadOptions say otherwise. main() sets it once.
void SetCommandLine(std::string command);

struct LoadSummary {
  std::uint64_t quads_added = 0;    // quads passed to Add
  std::uint64_t quads_new = 0;      // of those, quads the store did not have
  std::uint64_t quads_removed = 0;  // quads that Remove took out (and Add did not put back)
  std::uint64_t terms_new = 0;
  std::uint64_t runs_spilled = 0;
  std::uint64_t term_spills = 0;    // times the dictionary moved to the scratch database
  bool used_sst_ingest = false;
};

class Loader {
 public:
  virtual ~Loader() = default;
  // Adds one quad given as term encodings (EncodeTerm); an empty `graph` is the
  // default graph. Duplicates are fine.
  virtual Status Add(std::string_view subject, std::string_view predicate, std::string_view object,
                     std::string_view graph) = 0;
  Status Add(const Term& subject, const Term& predicate, const Term& object, const Term* graph = nullptr);
  // Removes a quad in the same transaction (absent quads are ignored). Removals apply
  // before additions: a quad both removed and added stays. A transaction with removals
  // is written as one WriteBatch.
  virtual Status Remove(const Quad& quad) = 0;
  // A blank node label no other load of this store has used.
  virtual std::string NewBlankNodeLabel() = 0;
  // Writes everything atomically. After Commit (or its failure) the loader is spent.
  virtual Status Commit() = 0;
  virtual const LoadSummary& summary() const = 0;
};

}  // namespace parley::store
