#include "store/large_pages.hpp"

#include <sys/mman.h>

#include <new>

namespace parley {

void* AllocateLargePages(std::size_t bytes) {
  constexpr std::size_t kLargePage = 2 << 20;
  if (bytes < kLargePage) {
    if (void* p = std::malloc(bytes)) return p;
    throw std::bad_alloc();
  }
  const std::size_t rounded = (bytes + kLargePage - 1) / kLargePage * kLargePage;
  void* p = std::aligned_alloc(kLargePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
  ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: the memory works the same without it
  return p;
}

}  // namespace parley
