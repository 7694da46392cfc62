// store/range_cache.hpp
// Index ranges that a snapshot has read to the end, kept decoded in memory. A snapshot
// never changes, so the second scan of a range (the next question in a REPL session, a
// server's next request, a join probing the same key again) walks a vector instead of
// seeking and stepping RocksDB, which costs ten to a hundred times more per quad.
//
// A range is recorded only while it is read: a cursor keeps what it returns and hands
// it over when it reaches the end, so a scan abandoned early (LIMIT, ASK) and a range
// larger than the limit are not kept. A range found too large is remembered and
// not recorded again. The whole cache is bounded and is emptied when full, as the
// snapshot's term cache is.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "store/large_pages.hpp"
#include "store/quad.hpp"

namespace parley::store {

class RangeCache {
 public:
  // How much is kept: ranges of up to `range_quads` quads, `cached_quads` in all. A
  // range past the limit is read from RocksDB at every scan, about thirty times slower
  // a quad: at 1 << 20 a range, a 25M-triple store's joins over whole predicates took
  // 10-30 times their 10M time.
  struct Limits {
    std::size_t range_quads = std::size_t{1} << 22;   // 128 MiB of quads
    std::size_t cached_quads = std::size_t{1} << 24;  // 512 MiB
  };
  RangeCache();
  explicit RangeCache(Limits limits) : limits_(limits) {}
  const Limits& limits() const { return limits_; }
  // Each range also costs a hash node and a vector, counted as this many quads.
  static constexpr std::size_t kRangeOverheadQuads = 4;

  // The range for `pattern` (over all graphs, or the union view), if it was kept.
  QuadRange Find(const QuadPattern& pattern, bool union_view) const;
  // Find for a join's probe: a range of at most kSmallRange quads is appended to `small`
  // instead (a copy of a few quads costs less than the cache miss on the range's shared
  // count). False when the range is not kept.
  static constexpr std::size_t kSmallRange = 16;
  bool FindOrCopy(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small, QuadRange* shared) const;
  // FindOrCopy for many patterns at once (QuadSource::KeptRanges): the locks are taken
  // once for all of them, and the slots and quads of the probes ahead are asked for
  // while the earlier ones are read, so that their cache misses overlap. Ranges of up to
  // kCopyRange quads are copied: a copy costs less than the miss on a shared count.
  static constexpr std::size_t kCopyRange = 64;
  void FindMany(const std::vector<RangeProbe>& probes, std::vector<Quad>* copied, std::vector<QuadRange>* shared,
                std::vector<KeptRangeAt>* found) const;
  void Keep(const QuadPattern& pattern, bool union_view, std::vector<Quad> quads);
  // Asks for the cache line of `pattern`'s slot (see store/prefetch.hpp), without a lock:
  // a join calls this a few rows before it calls FindOrCopy, so that the misses of
  // several probes overlap.
  void Prefetch(const QuadPattern& pattern, bool union_view) const;

  // A cursor over a kept range.
  static std::unique_ptr<QuadCursor> Replay(QuadRange range);
  // Wraps `cursor` so that, when it is read to its end without error, the quads it
  // returned are kept for `pattern`. A range already found larger than the limit gets
  // `cursor` back as it is.
  std::unique_ptr<QuadCursor> Recording(std::unique_ptr<QuadCursor> cursor, const QuadPattern& pattern,
                                        bool union_view);
  // Remembers that `pattern`'s range is larger than the limit.
  void NoteTooLarge(const QuadPattern& pattern, bool union_view);

 private:
  struct Key {
    std::uint8_t bound;  // which positions are set, and the union flag
    TermId subject, predicate, object, graph;
    bool operator==(const Key&) const = default;
  };
  // One slot of the table: the range's quads where they lie, and who owns them.
  static constexpr std::uint32_t kInArena = ~std::uint32_t{0};
  struct Slot {
    Key key;
    const Quad* quads = nullptr;
    std::uint32_t size = 0;
    std::uint32_t owner = 0;  // owners_[owner - 1], or kInArena; 0 for an empty slot
  };
  static Key KeyOf(const QuadPattern& pattern, bool union_view);
  static std::size_t Hash(const Key& k);
  // The slot holding `key` (whose hash is `hash`), or the empty slot where it would go.
  std::size_t SlotOf(const Key& key) const { return SlotOf(key, Hash(key)); }
  std::size_t SlotOf(const Key& key, std::size_t hash) const;
  void Grow();

  // Lookups take one lock shared, chosen by the key; Keep takes them all. One shared
  // lock would be one counter that every lookup of every thread writes: with two threads
  // probing, its cache line went back and forth between the cores on each probe.
  static constexpr std::size_t kLocks = 16;
  struct alignas(64) Lock {
    std::shared_mutex mutex;
  };
  mutable std::array<Lock, kLocks> locks_;
  // Open addressing with linear probing, at most half full: a lookup, which every index
  // probe of a join makes, usually touches one cache line (a node-based map touched
  // three, and its lookups were a fifth of a join-heavy query's time).
  std::vector<Slot, LargePageAllocator<Slot>> slots_;
  // Where slots_ lies, for Prefetch, which reads these without a lock: a stale pair only
  // asks for a line that is not needed (a prefetch never faults).
  std::atomic<std::uintptr_t> slots_at_{0};
  std::atomic<std::size_t> slots_mask_{0};
  void Publish();
  std::vector<QuadRange> owners_;  // the ranges past kSmallRange, in the order they were kept
  // The small ranges, one after another in chunks, in the order they were kept: a join
  // that probes keys in the order it kept them (the same query again, over sorted keys)
  // reads neighbouring memory, where a vector for each range cost a cache miss per probe.
  // A probe copies a small range under its lock, so the chunks go only when the cache is
  // emptied, under all of them.
  static constexpr std::size_t kArenaChunkQuads = 1 << 16;
  std::vector<std::unique_ptr<Quad[]>> arena_;
  std::size_t arena_used_ = kArenaChunkQuads;  // quads of the last chunk in use
  Limits limits_;
  std::size_t used_ = 0;
  std::size_t cached_quads_ = 0;
  // The ranges found too large, by their key's hash (never 0), in the slot the hash
  // picks: read without a lock at the start of every scan that misses the cache. Each
  // scan of a large range recorded quads up to the limit and dropped them. Two ranges in one slot: the one forgotten is
  // recorded once more; two keys with one hash: that range is not kept.
  static constexpr std::size_t kTooLargeSlots = 256;
  std::array<std::atomic<std::uint64_t>, kTooLargeSlots> too_large_{};
  static std::uint64_t TooLargeTag(const Key& key);
};

}  // namespace parley::store
