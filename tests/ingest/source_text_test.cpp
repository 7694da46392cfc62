#include "ingest/facts/source_text.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/test_util.hpp"

namespace parley::ingest::facts {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(SourceTextTest, BlocksAreParagraphsUnlessAHeadingNamesThemASection) {
  const SourceText text = SplitSourceText("t.txt", "## byline\nby A. Writer\n\nFirst para,\nsecond line.\n\n\nSecond para.\n");
  ASSERT_EQ(text.paragraphs.size(), 2u);
  EXPECT_EQ(text.paragraphs[0], "First para,\nsecond line.");
  EXPECT_EQ(text.paragraphs[1], "Second para.");
  EXPECT_EQ(text.sections.at("byline"), "by A. Writer");
  EXPECT_EQ(text.lines.size(), 8u);
  EXPECT_EQ(text.sha256.size(), 64u);
}

TEST(SourceTextTest, QuotesCompareWhitespaceQuotesAndDashesAsEqualAndNothingElse) {
  EXPECT_EQ(QuoteForm("Pompeo\xE2\x80\x99s  visits \xE2\x80\x94 \xE2\x80\x9Cthe run\nup\xE2\x80\x9D"),
            QuoteForm("Pompeo's visits - \"the run up\""));
  EXPECT_EQ(QuoteForm("a\xE2\x80\x93z"), QuoteForm("a-z"));
  EXPECT_NE(QuoteForm("President Trump"), QuoteForm("president trump"));  // case is the source's
  EXPECT_NE(QuoteForm("U.S."), QuoteForm("US"));
}

// The op-ed's fact file cites its text: every one of its quotes is where it says.
TEST(SourceTextTest, EveryQuoteOfTheOpEdIsInItsCitedParagraph) {
  FactFile file;
  ASSERT_OK(ReadFactFile(PARLEY_SOURCE_DIR "/data/facts/mele-2019-hanoi-summit.json", &file));
  ASSERT_EQ(file.source.text, "../sources/mele-2019-hanoi-summit.txt");
  const SourceText text =
      SplitSourceText(file.source.text, Slurp(PARLEY_SOURCE_DIR "/data/sources/mele-2019-hanoi-summit.txt"));
  EXPECT_EQ(text.paragraphs.size(), 6u);
  std::size_t quotes = 0;
  for (const Record& r : file.records) {
    for (const Evidence& e : r.evidence) quotes += !e.quote.empty();
    for (const FactValue& v : r.values) {
      for (const Evidence& e : v.evidence) quotes += !e.quote.empty();
    }
  }
  EXPECT_GE(quotes, 70u);
  const auto errors = VerifyQuotes(file, text);
  for (const auto& d : errors) ADD_FAILURE() << d.Render();
  // And a quote moved to the wrong paragraph is caught, with where it really is.
  for (Record& r : file.records) {
    for (Evidence& e : r.evidence) {
      if (e.quote == "contact with North Korea") e.locator = {{"paragraph", "3"}};
    }
  }
  const auto moved = VerifyQuotes(file, text);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_NE(moved[0].message.find("is not in paragraph 3 of ../sources/mele-2019-hanoi-summit.txt; it is in paragraph 2"),
            std::string::npos)
      << moved[0].message;
}

}  // namespace
}  // namespace parley::ingest::facts
