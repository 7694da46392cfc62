#include "store/large_pages.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace parley {

namespace {

constexpr std::size_t kLargePage = 2 << 20;
// The most freed memory kept, and the largest block kept: room for the tables of a
// query over a few million triples, and a bound on what an idle process holds.
constexpr std::size_t kMostKept = std::size_t{256} << 20;
constexpr std::size_t kLargestKept = std::size_t{96} << 20;

// The blocks of kLargePage and more: the size each really has (a kept block given to a
// smaller request is larger than asked for), and the freed ones kept.
class Pool {
 public:
  // The smallest kept block of at least `rounded` bytes and at most twice that, the
  // latest kept of those (its lines may still be in the cache), or null.
  void* Take(std::size_t rounded) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto best = kept_.end();
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
      if (it->size >= rounded && it->size <= 2 * rounded && (best == kept_.end() || it->size <= best->size)) best = it;
    }
    if (best == kept_.end()) return nullptr;
    void* p = best->start;
    live_[p] = best->size;
    kept_bytes_ -= best->size;
    kept_.erase(best);
    return p;
  }
  void Enter(void* p, std::size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    live_[p] = size;
  }
  // Keeps the block when it is not too large, freeing the oldest kept ones past the limit.
  void Give(void* p) {
    std::vector<void*> freed;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = live_.find(p);
      const std::size_t size = it->second;
      live_.erase(it);
      if (size > kLargestKept) {
        freed.push_back(p);
      } else {
        kept_.push_back({p, size});
        kept_bytes_ += size;
        while (kept_bytes_ > kMostKept) {
          freed.push_back(kept_.front().start);
          kept_bytes_ -= kept_.front().size;
          kept_.erase(kept_.begin());
        }
      }
    }
    for (void* f : freed) std::free(f);  // outside the lock: unmapping takes a while
  }
  std::size_t KeptBytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return kept_bytes_;
  }

 private:
  struct Block {
    void* start;
    std::size_t size;
  };
  std::mutex mutex_;
  std::unordered_map<void*, std::size_t> live_;
  std::vector<Block> kept_;  // oldest first
  std::size_t kept_bytes_ = 0;
};

// Never destroyed: a table freed while the process exits still finds it.
Pool& ThePool() {
  static Pool* pool = new Pool;
  return *pool;
}

}  // namespace

void* AllocateLargePages(std::size_t bytes) {
  if (bytes < kLargePage) {
    if (void* p = std::malloc(bytes)) return p;
    throw std::bad_alloc();
  }
  const std::size_t rounded = (bytes + kLargePage - 1) / kLargePage * kLargePage;
  if (void* p = ThePool().Take(rounded)) return p;
  void* p = std::aligned_alloc(kLargePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
  ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: the memory works the same without it
  try {
    ThePool().Enter(p, rounded);
  } catch (...) {
    std::free(p);
    throw;
  }
  return p;
}

void FreeLargePages(void* p, std::size_t bytes) {
  if (p == nullptr) return;
  if (bytes < kLargePage) {
    std::free(p);
    return;
  }
  ThePool().Give(p);
}

std::size_t KeptLargePageBytes() { return ThePool().KeptBytes(); }

}  // namespace parley
