// store/term_table.hpp
// Internal to store/: the terms a load holds in memory, with their ids. An open-
// addressing hash table over one array of entries, whose bytes live in large blocks:
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

class TermTable {
 public:
  struct Entry {
    std::string_view term;  // the table's own copy
    TermId id;
    bool used;  // looked up again since it was inserted
  };

  // What one entry costs beyond its bytes: the entry, its share of the slots (at most
  // three quarters full), and the copies a growing array makes.
  static constexpr std::size_t kBytesPerEntry = 2 * sizeof(Entry) + 16;

  static std::uint64_t Hash(std::string_view term) { return std::hash<std::string_view>{}(term); }

  // The entry for `term`, or null. `hash` is Hash(term), which growth recomputes.
  Entry* Find(std::string_view term, std::uint64_t hash);
  // Adds `term`, which must not be present, and returns its copy.
  std::string_view Insert(std::string_view term, std::uint64_t hash, TermId id);

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  struct Slot {
    std::uint32_t tag;    // the hash's high half, to skip most mismatches unread
    std::uint32_t index;  // into entries_, plus one; zero for an empty slot
  };
  std::string_view Copy(std::string_view term);
  void Grow();

  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

}  // namespace parley::store::internal
