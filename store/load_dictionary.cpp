#include "store/load_dictionary.hpp"

#include <algorithm>
#include <cstring>

namespace parley::store::internal {

namespace {
constexpr std::size_t kBlockBytes = 1 << 20;
constexpr std::size_t kFirstSlots = 1 << 16;  // a power of two, as every size is
}  // namespace

LoadDictionary::Entry* LoadDictionary::Find(std::string_view term, std::uint64_t hash) {
  if (slots_.empty()) return nullptr;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.index == 0) return nullptr;
    if (slot.tag != tag) continue;
    Entry& entry = mutable_at(slot.index - 1);
    if (entry.term() == term) return &entry;
  }
}

std::uint32_t LoadDictionary::Insert(std::string_view term, std::uint64_t hash, TermId id) {
  if (4 * (size_ + 1) > 3 * slots_.size()) Grow();
  if (size_ % kChunkEntries == 0) chunks_.emplace_back(new Entry[kChunkEntries]);
  const auto index = static_cast<std::uint32_t>(size_++);
  mutable_at(index) = Entry{Copy(term), id, static_cast<std::uint32_t>(term.size()), false};
  Place(hash, index);
  return index;
}

void LoadDictionary::Place(std::uint64_t hash, std::uint32_t index) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].index != 0) i = (i + 1) & mask;
  slots_[i] = Slot{static_cast<std::uint32_t>(hash >> 32), index + 1};
}

// Doubles the slots and places every entry again.
void LoadDictionary::Grow() {
  slots_.assign(slots_.empty() ? kFirstSlots : 2 * slots_.size(), Slot{0, 0});
  for (std::uint32_t e = 0; e < size_; ++e) Place(Hash(at(e).term()), e);
}

const char* LoadDictionary::Copy(std::string_view term) {
  if (term.size() > left_) {
    const std::size_t n = std::max(kBlockBytes, term.size());
    blocks_.emplace_back(new char[n]);
    next_ = blocks_.back().get();
    left_ = n;
  }
  if (!term.empty()) std::memcpy(next_, term.data(), term.size());
  const char* out = next_;
  next_ += term.size();
  left_ -= term.size();
  return out;
}

}  // namespace parley::store::internal
