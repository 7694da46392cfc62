#include "store/load_dictionary.hpp"

#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

namespace parley::store::internal {
namespace {

// Enough terms to grow the table several times, with prefixes shared the way IRIs
// share them, checked against a standard map.
TEST(LoadDictionaryTest, FindsEveryTermItHoldsAcrossGrowth) {
  LoadDictionary table;
  std::unordered_map<std::string, TermId> expected;
  for (TermId id = 1; id <= 300'000; ++id) {
    const std::string term = "<http://example.org/entity/" + std::to_string(id * 7919 % 1'000'003) + ">";
    if (expected.count(term) != 0) continue;
    ASSERT_EQ(table.Find(term, LoadDictionary::Hash(term)), nullptr) << term;
    const auto& entry = table.at(table.Insert(term, LoadDictionary::Hash(term), id));
    EXPECT_EQ(entry.term(), term);
    EXPECT_NE(static_cast<const void*>(entry.bytes), static_cast<const void*>(term.data()));
    expected.emplace(term, id);
  }
  EXPECT_EQ(table.size(), expected.size());
  for (const auto& [term, id] : expected) {
    auto* entry = table.Find(term, LoadDictionary::Hash(term));
    ASSERT_NE(entry, nullptr) << term;
    EXPECT_EQ(entry->id, id);
    EXPECT_FALSE(entry->used);
  }
  EXPECT_EQ(table.Find("<http://example.org/entity/absent>", LoadDictionary::Hash("<http://example.org/entity/absent>")),
            nullptr);
}

// Terms whose hashes collide still resolve by their bytes (a constant hash stands in for
// Hash here; five entries never make the table grow, which would rehash them), and an
// empty term and a term longer than a storage block are stored whole.
TEST(LoadDictionaryTest, CollidingHashesAndOddSizes) {
  LoadDictionary table;
  const std::string huge(3 << 20, 'x');
  const std::string terms[] = {"", "\"a\"", "\"b\"", "\"a\"@en", huge};
  TermId id = 1;
  for (const auto& term : terms) table.Insert(term, 42, id++);
  id = 1;
  for (const auto& term : terms) {
    auto* entry = table.Find(term, 42);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->id, id++);
    EXPECT_EQ(entry->term(), term);
  }
  EXPECT_EQ(table.Find("\"c\"", 42), nullptr);
}

}  // namespace
}  // namespace parley::store::internal
