#include "store/term_cache.hpp"

#include <string>

#include <gtest/gtest.h>

#include "tests/test_util.hpp"

namespace parley::store {
namespace {

// A dictionary of "t<id>" literals that counts the ids it is asked to read.
struct CountingReader {
  std::size_t reads = 0;
  TermCache::Reader reader() {
    return [this](const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out) {
      out->clear();
      for (TermId id : ids) {
        ++reads;
        out->push_back(id < 1000 ? std::optional<Term>(Term::Literal("t" + std::to_string(id))) : std::nullopt);
      }
      return Status::OK();
    };
  }
};

// A term is read once and then served from the cache, by address; an unknown id gives
// nullptr and is asked again next time.
TEST(SnapshotTermCacheTest, ReadsEachTermOnce) {
  TermCache cache;
  CountingReader dictionary;
  TermDictionary::PinnedTerms first, second;
  ASSERT_OK(cache.Pin({5, 7, 5000}, dictionary.reader(), &first));
  EXPECT_EQ(dictionary.reads, 3u);
  ASSERT_EQ(first.terms.size(), 3u);
  EXPECT_EQ(first.terms[0]->value, "t5");
  EXPECT_EQ(first.terms[1]->value, "t7");
  EXPECT_EQ(first.terms[2], nullptr);
  ASSERT_OK(cache.Pin({7, 5, 5000}, dictionary.reader(), &second));
  EXPECT_EQ(dictionary.reads, 4u) << "only the unknown id is read again";
  EXPECT_EQ(second.terms[0], first.terms[1]);
  EXPECT_EQ(second.terms[1], first.terms[0]);
}

// When a generation fills, the cache starts another; terms handed out of the old one
// stay readable for as long as their holder keeps them, however many generations pass.
TEST(SnapshotTermCacheTest, PinnedTermsOutliveTheirGeneration) {
  TermCache cache(4);
  CountingReader dictionary;
  TermDictionary::PinnedTerms early;
  ASSERT_OK(cache.Pin({1, 2, 3}, dictionary.reader(), &early));
  // One batch that crosses into the next generation holds both.
  TermDictionary::PinnedTerms across;
  ASSERT_OK(cache.Pin({4, 5, 6}, dictionary.reader(), &across));
  EXPECT_EQ(across.keep.size(), 2u);
  for (TermId id = 10; id < 200; ++id) {
    TermDictionary::PinnedTerms passing;
    ASSERT_OK(cache.Pin({id}, dictionary.reader(), &passing));
    ASSERT_EQ(passing.terms[0]->value, "t" + std::to_string(id));
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(early.terms[i]->value, "t" + std::to_string(i + 1));
    EXPECT_EQ(across.terms[i]->value, "t" + std::to_string(i + 4));
  }
  // Terms of a generation let go are read again.
  const std::size_t reads = dictionary.reads;
  TermDictionary::PinnedTerms again;
  ASSERT_OK(cache.Pin({1}, dictionary.reader(), &again));
  EXPECT_EQ(dictionary.reads, reads + 1);
  EXPECT_EQ(again.terms[0]->value, "t1");
}

// A reader's error is the call's; nothing is cached from it.
TEST(SnapshotTermCacheTest, AReadErrorIsReturned) {
  TermCache cache;
  TermDictionary::PinnedTerms pinned;
  const Status s = cache.Pin(
      {1}, [](const std::vector<TermId>&, std::vector<std::optional<Term>>*) { return Status::IOError("disk"); },
      &pinned);
  EXPECT_FALSE(s.ok());
  CountingReader dictionary;
  ASSERT_OK(cache.Pin({1}, dictionary.reader(), &pinned));
  EXPECT_EQ(dictionary.reads, 1u);
}

}  // namespace
}  // namespace parley::store
