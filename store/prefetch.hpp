// store/prefetch.hpp
// Asks the CPU to bring the cache line at `address` in, for a read a little later. Loops
// that look up many keys in tables larger than the caches ask for the lines of the keys
// ahead, so that their misses overlap instead of coming one after another.
//
// Not __builtin_prefetch: GCC 12 drops it at -O2 when it sits behind some conditions
// (a guard such as `if (!table.empty())`), silently. An asm statement stays. The
// instruction never faults, so any address will do.
#pragma once

namespace parley {

inline void PrefetchForRead(const void* address) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetcht0 (%0)" : : "r"(address));
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace parley
