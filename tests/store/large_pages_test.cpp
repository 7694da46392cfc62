#include "store/large_pages.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace parley {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// A freed large block is kept and given to the next request of about its size, so that
// a query's tables reuse the pages the last one had; small ones are plain malloc.
TEST(LargePagesTest, AFreedBlockIsKeptForTheNextOfItsSize) {
  // Sizes no other test of this binary keeps a block of (a kept block from elsewhere in
  // [38, 76] MiB would be taken too).
  const std::size_t kept_before = KeptLargePageBytes();
  void* first = AllocateLargePages(37 * kMiB);
  std::memset(first, 1, 37 * kMiB);
  FreeLargePages(first, 37 * kMiB);
  EXPECT_EQ(KeptLargePageBytes(), kept_before + 38 * kMiB);  // whole 2 MiB pages
  // A request a little smaller (or as large) gets the same block back.
  void* second = AllocateLargePages(36 * kMiB + 1);
  EXPECT_EQ(second, first);
  EXPECT_EQ(KeptLargePageBytes(), kept_before);
  // It is larger than that request asked for: freeing it keeps all of it.
  FreeLargePages(second, 36 * kMiB + 1);
  EXPECT_EQ(KeptLargePageBytes(), kept_before + 38 * kMiB);
  // A request of more than twice its size does not take it.
  void* large = AllocateLargePages(80 * kMiB);
  EXPECT_NE(large, first);
  EXPECT_EQ(KeptLargePageBytes(), kept_before + 38 * kMiB);
  FreeLargePages(large, 80 * kMiB);
  // Below 2 MiB: malloc, never kept.
  const std::size_t kept = KeptLargePageBytes();
  void* small = AllocateLargePages(4096);
  FreeLargePages(small, 4096);
  EXPECT_EQ(KeptLargePageBytes(), kept);
}

TEST(LargePagesTest, WhatIsKeptIsBounded) {
  // A block past the largest kept size is freed at once.
  const std::size_t kept = KeptLargePageBytes();
  void* huge = AllocateLargePages(200 * kMiB);
  FreeLargePages(huge, 200 * kMiB);
  EXPECT_EQ(KeptLargePageBytes(), kept);
  // Many blocks: the oldest go once the total passes the limit.
  std::vector<void*> blocks;
  for (int i = 0; i < 8; ++i) blocks.push_back(AllocateLargePages(64 * kMiB));
  for (void* b : blocks) FreeLargePages(b, 64 * kMiB);
  EXPECT_LE(KeptLargePageBytes(), 256 * kMiB);
  EXPECT_GE(KeptLargePageBytes(), 192 * kMiB);
}

}  // namespace
}  // namespace parley
