#include "store/range_cache.hpp"

#include <algorithm>
#include <utility>

#include "store/prefetch.hpp"

namespace parley::store {
namespace {

class ReplayCursor final : public QuadCursor {
 public:
  explicit ReplayCursor(QuadRange range) : range_(std::move(range)) {}
  bool Next(Quad* out) override {
    if (at_ == range_->size()) return false;
    *out = (*range_)[at_++];
    return true;
  }
  std::size_t NextBatch(Quad* out, std::size_t max) override {
    const std::size_t n = std::min(max, range_->size() - at_);
    std::copy_n(range_->begin() + static_cast<std::ptrdiff_t>(at_), n, out);
    at_ += n;
    return n;
  }
  std::uint64_t Skip(std::uint64_t n) override {
    const std::uint64_t passed = std::min<std::uint64_t>(n, range_->size() - at_);
    at_ += passed;
    return passed;
  }
  Status status() const override { return Status::OK(); }

 private:
  QuadRange range_;
  std::size_t at_ = 0;
};

class RecordingCursor final : public QuadCursor {
 public:
  RecordingCursor(std::unique_ptr<QuadCursor> inner, RangeCache* cache, const QuadPattern& pattern, bool union_view)
      : inner_(std::move(inner)), cache_(cache), pattern_(pattern), union_view_(union_view) {}
  bool Next(Quad* out) override {
    if (!inner_->Next(out)) {
      if (recording_ && inner_->status().ok()) cache_->Keep(pattern_, union_view_, std::move(seen_));
      recording_ = false;
      return false;
    }
    if (recording_) {
      if (seen_.size() < cache_->limits().range_quads) {
        seen_.push_back(*out);
      } else {
        recording_ = false;
        seen_ = {};
        cache_->NoteTooLarge(pattern_, union_view_);
      }
    }
    return true;
  }
  Status status() const override { return inner_->status(); }

 private:
  std::unique_ptr<QuadCursor> inner_;
  RangeCache* cache_;
  QuadPattern pattern_;
  bool union_view_;
  bool recording_ = true;
  std::vector<Quad> seen_;
};

}  // namespace

RangeCache::RangeCache() : RangeCache(Limits{}) {}

std::size_t RangeCache::Hash(const Key& k) {
  // Written out: a loop over an initializer list put the ids through the stack, and the
  // reloads stalled (a batch of probes spent a tenth of its time there).
  constexpr std::uint64_t kMix = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = k.bound;
  h = (h ^ k.subject) * kMix;
  h = (h ^ k.predicate) * kMix;
  h = (h ^ k.object) * kMix;
  h = (h ^ k.graph) * kMix;
  return static_cast<std::size_t>(h ^ (h >> 32));  // the slot comes from the low bits: mix the high ones in
}

RangeCache::Key RangeCache::KeyOf(const QuadPattern& pattern, bool union_view) {
  const std::uint8_t bound = static_cast<std::uint8_t>((pattern.subject ? 1 : 0) | (pattern.predicate ? 2 : 0) |
                                                       (pattern.object ? 4 : 0) | (pattern.graph ? 8 : 0) |
                                                       (union_view ? 16 : 0));
  return Key{bound, pattern.subject.value_or(0), pattern.predicate.value_or(0), pattern.object.value_or(0),
             pattern.graph.value_or(0)};
}

std::size_t RangeCache::SlotOf(const Key& key, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash & mask;
  while (slots_[at].owner != 0 && !(slots_[at].key == key)) at = (at + 1) & mask;
  return at;
}

void RangeCache::Grow() {
  const std::size_t size = std::max<std::size_t>(1024, slots_.size() * 2);
  auto old = std::exchange(slots_, decltype(slots_)(size));
  for (Slot& slot : old) {
    if (slot.owner != 0) slots_[SlotOf(slot.key)] = slot;
  }
  Publish();
}

void RangeCache::Publish() {
  slots_at_.store(reinterpret_cast<std::uintptr_t>(slots_.data()), std::memory_order_relaxed);
  slots_mask_.store(slots_.empty() ? 0 : slots_.size() - 1, std::memory_order_relaxed);
}

void RangeCache::Prefetch(const QuadPattern& pattern, bool union_view) const {
  const std::uintptr_t at = slots_at_.load(std::memory_order_relaxed);
  if (at == 0) return;
  const std::size_t slot = Hash(KeyOf(pattern, union_view)) & slots_mask_.load(std::memory_order_relaxed);
  // A slot can straddle two lines.
  PrefetchForRead(reinterpret_cast<const void*>(at + slot * sizeof(Slot)));
  PrefetchForRead(reinterpret_cast<const void*>(at + slot * sizeof(Slot) + sizeof(Slot) - 1));
}

QuadRange RangeCache::Find(const QuadPattern& pattern, bool union_view) const {
  const Key key = KeyOf(pattern, union_view);
  std::shared_lock lock(locks_[Hash(key) % kLocks].mutex);
  if (used_ == 0) return nullptr;
  const Slot& slot = slots_[SlotOf(key)];
  if (slot.owner == kInArena) return std::make_shared<const std::vector<Quad>>(slot.quads, slot.quads + slot.size);
  return slot.owner == 0 ? nullptr : owners_[slot.owner - 1];
}

bool RangeCache::FindOrCopy(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small,
                            QuadRange* shared) const {
  const Key key = KeyOf(pattern, union_view);
  std::shared_lock lock(locks_[Hash(key) % kLocks].mutex);
  if (used_ == 0) return false;
  const Slot& slot = slots_[SlotOf(key)];
  if (slot.owner == 0) return false;
  if (slot.owner == kInArena) {
    small->insert(small->end(), slot.quads, slot.quads + slot.size);
  } else {
    *shared = owners_[slot.owner - 1];
  }
  return true;
}

void RangeCache::FindMany(const std::vector<RangeProbe>& probes, std::vector<Quad>* copied,
                          std::vector<QuadRange>* shared, std::vector<KeptRangeAt>* found) const {
  copied->clear();
  shared->clear();
  found->assign(probes.size(), KeptRangeAt{});
  std::array<std::shared_lock<std::shared_mutex>, kLocks> all;
  for (std::size_t i = 0; i < kLocks; ++i) all[i] = std::shared_lock(locks_[i].mutex);
  if (used_ == 0) return;
  const std::size_t n = probes.size(), mask = slots_.size() - 1;
  std::vector<Key> keys(n);
  std::vector<std::size_t> hashes(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = KeyOf(probes[i].pattern, probes[i].union_view);
    hashes[i] = Hash(keys[i]);
  }
  // Each probe's slot, with the slots kAhead probes on asked for; then each kept range's
  // first quads asked for before any is copied.
  constexpr std::size_t kAhead = 16;
  auto prefetch_slot = [&](std::size_t i) {
    const Slot* slot = slots_.data() + (hashes[i] & mask);
    PrefetchForRead(slot);
    PrefetchForRead(reinterpret_cast<const char*>(slot) + sizeof(Slot) - 1);  // a slot can straddle two lines
  };
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) prefetch_slot(i);
  std::vector<const Slot*> slots(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) prefetch_slot(i + kAhead);
    slots[i] = &slots_[SlotOf(keys[i], hashes[i])];
    if (slots[i]->owner != 0 && slots[i]->size > 0) PrefetchForRead(slots[i]->quads);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Slot& slot = *slots[i];
    if (slot.owner == 0) continue;
    if (slot.owner == kInArena || slot.size <= kCopyRange) {
      (*found)[i] = {KeptRangeAt::kCopied, static_cast<std::uint32_t>(copied->size()), slot.size};
      copied->insert(copied->end(), slot.quads, slot.quads + slot.size);
    } else {
      (*found)[i] = {static_cast<std::uint32_t>(shared->size()), 0, slot.size};
      shared->push_back(owners_[slot.owner - 1]);
    }
  }
}

void RangeCache::Keep(const QuadPattern& pattern, bool union_view, std::vector<Quad> quads) {
  const std::size_t cost = quads.size() + kRangeOverheadQuads;
  const bool small = quads.size() <= kSmallRange;
  auto range = small ? nullptr : std::make_shared<const std::vector<Quad>>(std::move(quads));
  std::array<std::unique_lock<std::shared_mutex>, kLocks> all;
  for (std::size_t i = 0; i < kLocks; ++i) all[i] = std::unique_lock(locks_[i].mutex);
  if (cached_quads_ + cost > limits_.cached_quads) {
    slots_.clear();  // ranges still being replayed live on in their cursors
    Publish();
    owners_.clear();
    arena_.clear();
    arena_used_ = kArenaChunkQuads;
    used_ = 0;
    cached_quads_ = 0;
  }
  if (2 * (used_ + 1) > slots_.size()) Grow();
  const Key key = KeyOf(pattern, union_view);
  Slot& slot = slots_[SlotOf(key)];
  if (slot.owner != 0) return;  // another scan of the same range got here first
  if (small) {
    Quad* at = nullptr;  // an empty range needs no room
    if (!quads.empty()) {
      if (arena_used_ + quads.size() > kArenaChunkQuads) {
        arena_.push_back(std::make_unique_for_overwrite<Quad[]>(kArenaChunkQuads));
        arena_used_ = 0;
      }
      at = arena_.back().get() + arena_used_;
      std::copy(quads.begin(), quads.end(), at);
      arena_used_ += quads.size();
    }
    slot = Slot{key, at, static_cast<std::uint32_t>(quads.size()), kInArena};
  } else {
    owners_.push_back(std::move(range));
    slot = Slot{key, owners_.back()->data(), static_cast<std::uint32_t>(owners_.back()->size()),
                static_cast<std::uint32_t>(owners_.size())};
  }
  ++used_;
  cached_quads_ += cost;
}

std::unique_ptr<QuadCursor> RangeCache::Replay(QuadRange range) {
  return std::make_unique<ReplayCursor>(std::move(range));
}

std::uint64_t RangeCache::TooLargeTag(const Key& key) { return std::max<std::uint64_t>(1, Hash(key)); }

void RangeCache::NoteTooLarge(const QuadPattern& pattern, bool union_view) {
  const std::uint64_t tag = TooLargeTag(KeyOf(pattern, union_view));
  too_large_[tag % kTooLargeSlots].store(tag, std::memory_order_relaxed);
}

std::unique_ptr<QuadCursor> RangeCache::Recording(std::unique_ptr<QuadCursor> cursor, const QuadPattern& pattern,
                                                  bool union_view) {
  const std::uint64_t tag = TooLargeTag(KeyOf(pattern, union_view));
  if (too_large_[tag % kTooLargeSlots].load(std::memory_order_relaxed) == tag) return cursor;
  return std::make_unique<RecordingCursor>(std::move(cursor), this, pattern, union_view);
}

}  // namespace parley::store
