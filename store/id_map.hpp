// store/id_map.hpp
// A map from term ids to small values, open addressing in one array at most half full:
// a lookup usually touches one cache line, where a node-based map touches two or three
// and allocates a node per entry. Id 0 marks an empty slot, so it is never a key (no
// store or query id is 0).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "store/prefetch.hpp"
#include "store/quad.hpp"

namespace parley {

template <class Value>
class IdMap {
 public:
  // The value entered for `id`, or nullptr.
  const Value* Find(TermId id) const {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = Hash(id) & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.id == id) return &slot.value;
      if (slot.id == 0) return nullptr;
    }
  }
  // Asks for the cache line of `id`'s slot (see store/prefetch.hpp): a loop over many
  // ids asks for those a few places ahead, so that their misses overlap.
  void Prefetch(TermId id) const {
    if (!slots_.empty()) PrefetchForRead(slots_.data() + (Hash(id) & (slots_.size() - 1)));
  }
  // Enters `value` for `id` (REQUIRES: id != 0), replacing what was there.
  void Set(TermId id, Value value) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = Hash(id) & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (slot.id == 0) ++size_;
      if (slot.id == 0 || slot.id == id) {
        slot = {id, value};
        return;
      }
    }
  }
  bool contains(TermId id) const { return Find(id) != nullptr; }
  std::size_t size() const { return size_; }
  void clear() {
    slots_ = {};
    size_ = 0;
  }

 private:
  struct Slot {
    TermId id = 0;
    Value value{};
  };
  static std::size_t Hash(TermId id) {
    const std::uint64_t h = id * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));  // the slot comes from the low bits: mix the high ones in
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    size_ = 0;
    for (const Slot& slot : old) {
      if (slot.id != 0) Set(slot.id, slot.value);
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace parley
