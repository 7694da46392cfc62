// store/large_pages.hpp
// Memory for large tables read at random (the range cache's slots, join tables): in
// 2 MiB pages where the system allows it (transparent huge pages on request), so that
// a lookup misses the TLB less. Below 2 MiB it is plain malloc.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace parley {

// Memory for `bytes`, freed with std::free; throws std::bad_alloc when there is none.
void* AllocateLargePages(std::size_t bytes);

template <class T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() = default;
  template <class U>
  LargePageAllocator(const LargePageAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(AllocateLargePages(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) { std::free(p); }
  template <class U>
  bool operator==(const LargePageAllocator<U>&) const { return true; }
};

}  // namespace parley
