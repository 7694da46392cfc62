#include "query/english/name_table.hpp"

#include <gtest/gtest.h>

namespace parley::query::english {
namespace {

// Ids as the store would give them; IRIs chosen so that id order and IRI order differ.
NameTable Sample() {
  NameTable::Builder b;
  b.SetIri(7, "http://x/kim-jong-un");
  b.SetIri(3, "http://x/kim-yo-jong");
  b.SetIri(5, "http://x/moon");
  b.SetIri(100, "http://x/Person");
  b.SetIri(101, "http://x/Leader");
  b.AddLabel(7, "Kim Jong Un", "kim jong un");
  b.AddAlias(7, "kim");
  b.AddAlias(7, "kim jong un");  // an alias equal to the label: one name
  b.AddLabel(3, "Kim Yo Jong", "kim yo jong");
  b.AddAlias(3, "kim");
  b.AddLabel(5, "Moon Jae-in", "moon jae-in");
  b.AddLabel(5, "Moon", "moon");  // a second label is a name, not the display label
  b.AddClass(7, 100);
  b.AddClass(7, 101);
  b.AddClass(7, 101);
  b.AddClass(9, 100);  // no name: left out
  return std::move(b).Build();
}

TEST(NameTableTest, NamesAreFoundByTheirNormalForm) {
  const NameTable t = Sample();
  EXPECT_EQ(t.Named("kim jong un"), std::vector<std::string>{"http://x/kim-jong-un"});
  // Two entities share an alias: both, in IRI order.
  EXPECT_EQ(t.Named("kim"), (std::vector<std::string>{"http://x/kim-jong-un", "http://x/kim-yo-jong"}));
  EXPECT_EQ(t.CountNamed("kim"), 2u);
  EXPECT_EQ(t.CountNamed("kim jong un"), 1u);
  EXPECT_TRUE(t.Named("kim jong").empty());
  EXPECT_TRUE(t.Named("Kim Jong Un").empty());  // keys are given normalised
  EXPECT_EQ(t.Named("moon"), std::vector<std::string>{"http://x/moon"});
  EXPECT_EQ(t.max_words(), 3u);
  EXPECT_EQ(t.size(), 6u);
}

TEST(NameTableTest, LabelsComeBeforeAliases) {
  NameTable::Builder b;
  b.SetIri(1, "http://x/a");
  b.SetIri(2, "http://x/b");
  b.SetIri(3, "http://x/c");
  b.AddAlias(1, "north korea");
  b.AddLabel(3, "North Korea", "north korea");
  b.AddLabel(2, "North Korea", "north korea");
  const NameTable t = std::move(b).Build();
  EXPECT_EQ(t.Named("north korea"), (std::vector<std::string>{"http://x/b", "http://x/c", "http://x/a"}));
}

TEST(NameTableTest, EachEntityHasItsLabelAndClasses) {
  const NameTable t = Sample();
  EXPECT_EQ(t.Label("http://x/kim-jong-un"), "Kim Jong Un");
  EXPECT_EQ(t.Label("http://x/moon"), "Moon Jae-in");  // the first label given
  EXPECT_FALSE(t.Label("http://x/nobody").has_value());
  EXPECT_EQ(t.Classes("http://x/kim-jong-un"), (std::vector<std::string_view>{"http://x/Person", "http://x/Leader"}));
  EXPECT_TRUE(t.Classes("http://x/kim-yo-jong").empty());
  EXPECT_TRUE(t.Classes("http://x/unknown").empty());
}

TEST(NameTableTest, AnAliasOnlyEntityHasNoLabel) {
  NameTable::Builder b;
  b.SetIri(1, "http://x/a");
  b.AddAlias(1, "the a");
  const NameTable t = std::move(b).Build();
  EXPECT_FALSE(t.Label("http://x/a").has_value());
  EXPECT_EQ(t.Named("the a"), std::vector<std::string>{"http://x/a"});
}

TEST(NameTableTest, ForEachNameVisitsEveryNameInKeyOrder) {
  std::vector<std::pair<std::string, std::string>> seen;
  Sample().ForEachName([&](std::string_view key, std::string_view iri) { seen.emplace_back(key, iri); });
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.first < b.first; }));
  EXPECT_EQ(seen.front(), (std::pair<std::string, std::string>{"kim", "http://x/kim-jong-un"}));
}

TEST(NameTableTest, ASavedTableReadsBackTheSame) {
  const NameTable t = Sample();
  auto back = NameTable::Parse(t.Serialize());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->Serialize(), t.Serialize());
  EXPECT_EQ(back->Named("kim"), t.Named("kim"));
  EXPECT_EQ(back->Label("http://x/moon"), "Moon Jae-in");
  EXPECT_EQ(back->Classes("http://x/kim-jong-un"), t.Classes("http://x/kim-jong-un"));
  EXPECT_EQ(back->max_words(), 3u);
  auto empty = NameTable::Parse(NameTable::Builder().Build().Serialize());
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->Named("kim").empty());
}

TEST(NameTableTest, BytesThatAreNotATableAreRefused) {
  const std::string bytes = Sample().Serialize();
  // Every truncation, and bytes added at the end.
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(NameTable::Parse(bytes.substr(0, size)).has_value()) << size;
  }
  EXPECT_FALSE(NameTable::Parse(bytes + "x").has_value());
  // Any single byte changed must never let a lookup read outside the table: the table
  // is refused, or it answers (perhaps wrongly) without touching foreign memory (the
  // sanitizer build checks that part).
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0xFF);
    if (auto t = NameTable::Parse(damaged)) {
      t->Named("kim");
      t->Label("http://x/moon");
      t->Classes("http://x/kim-jong-un");
      t->ForEachName([](std::string_view, std::string_view) {});
    }
  }
}

}  // namespace
}  // namespace parley::query::english
