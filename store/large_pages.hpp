// store/large_pages.hpp
// Memory for large tables read at random (the range cache's slots, join tables, sort
// buffers): in 2 MiB pages where the system allows it (transparent huge pages on
// request), so that a lookup misses the TLB less. Below 2 MiB it is plain malloc.
//
// Blocks of 2 MiB and more that are freed are kept, up to a limit, for the next request
// of about their size. A fresh block's pages are zeroed by the kernel when first written,
// and each query's join tables were fresh blocks: at 5M triples that zeroing was 7–11%
// of a join query's time.
#pragma once

#include <cstddef>

namespace parley {

// Memory for `bytes`, given back with FreeLargePages(p, bytes); throws std::bad_alloc
// when there is none.
void* AllocateLargePages(std::size_t bytes);
void FreeLargePages(void* p, std::size_t bytes);

// How many bytes of freed blocks are kept for reuse now.
std::size_t KeptLargePageBytes();

template <class T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() = default;
  template <class U>
  LargePageAllocator(const LargePageAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(AllocateLargePages(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) { FreeLargePages(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const LargePageAllocator<U>&) const { return true; }
};

// Room for `n` values of T, left uninitialised (a scratch buffer that is written before
// it is read): a vector would first fill it.
template <class T>
class LargePageBuffer {
 public:
  explicit LargePageBuffer(std::size_t n) : data_(static_cast<T*>(AllocateLargePages(n * sizeof(T)))), n_(n) {}
  LargePageBuffer(const LargePageBuffer&) = delete;
  LargePageBuffer& operator=(const LargePageBuffer&) = delete;
  ~LargePageBuffer() { FreeLargePages(data_, n_ * sizeof(T)); }
  T* data() { return data_; }

 private:
  T* data_;
  std::size_t n_;
};

}  // namespace parley
