// store/load_dictionary.hpp
// Internal to store/: the terms a load holds in memory, with their ids. An open-
// addressing hash table over chunks of entries, whose bytes live in large blocks:
// a lookup touches a slot, an entry and the term's bytes, where a node-based map
// chases three or four pointers and spends twice the memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "store/quad.hpp"

namespace parley::store::internal {

class LoadDictionary {
 public:
  struct Entry {
    const char* bytes;  // the table's own copy of the term
    TermId id;
    std::uint32_t size;
    bool used;  // looked up again since it was inserted
    std::string_view term() const { return {bytes, size}; }
  };

  // What one entry costs beyond its bytes: the entry and its share of the slots (at
  // most three quarters full, and twice that while they grow).
  static constexpr std::size_t kBytesPerEntry = sizeof(Entry) + 24;

  static std::uint64_t Hash(std::string_view term) { return std::hash<std::string_view>{}(term); }

  // The entry for `term`, or null. `hash` is Hash(term), which growth recomputes.
  Entry* Find(std::string_view term, std::uint64_t hash);
  // Adds `term`, which must not be present (nor longer than 4 GiB), and returns the
  // index of its entry.
  std::uint32_t Insert(std::string_view term, std::uint64_t hash, TermId id);

  std::size_t size() const { return size_; }
  const Entry& at(std::uint32_t index) const { return chunks_[index / kChunkEntries][index % kChunkEntries]; }

 private:
  // Entries live in fixed chunks, so that growing never copies them.
  static constexpr std::size_t kChunkEntries = 1 << 16;
  struct Slot {
    std::uint32_t tag;    // the hash's high half, to skip most mismatches unread
    std::uint32_t index;  // of the entry, plus one; zero for an empty slot
  };
  Entry& mutable_at(std::uint32_t index) { return chunks_[index / kChunkEntries][index % kChunkEntries]; }
  const char* Copy(std::string_view term);
  void Place(std::uint64_t hash, std::uint32_t index);
  void Grow();

  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<Entry[]>> chunks_;
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

}  // namespace parley::store::internal
