#include "ingest/facts/draft.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace parley::ingest::facts {
namespace {

KnownEntity Entity(std::string id, std::string kind, std::string label, std::vector<std::string> aliases = {}) {
  KnownEntity e;
  e.id = std::move(id);
  e.kind = std::move(kind);
  e.label = std::move(label);
  e.aliases = std::move(aliases);
  return e;
}

const std::vector<KnownEntity>& Entities() {
  static const std::vector<KnownEntity> entities = {
      Entity("kim-jong-un", "actors", "Kim Jong Un", {"Kim", "Chairman Kim"}),
      Entity("dprk", "actors", "North Korea", {"Pyongyang", "the North"}),
      Entity("pyongyang", "places", "Pyongyang"),
      Entity("united-states", "actors", "United States", {"U.S.", "US"}),
      Entity("mike-pompeo", "actors", "Mike Pompeo", {"Pompeo", "Secretary Pompeo"}),
      Entity("pompeo-visits", "events", "Secretary Pompeo's visits to Pyongyang"),
      Entity("inter-korean-dialogue", "meetings", "North-South Korean dialogue"),
      Entity("sanctions-relief", "topics", "sanctions relief"),
      Entity("south-korea", "actors", "South Korea", {"Seoul"}),
      Entity("a-source", "", "A source"),
  };
  return entities;
}

// The known entities of the draft's block `n` (0: the first block) as id=quote.
std::vector<std::string> Known(const SourceDraft& draft, std::size_t n) {
  std::vector<std::string> out;
  for (const auto& m : draft.blocks.at(n).known) out.push_back(m.entity->id + "=" + m.quote);
  return out;
}

SourceDraft DraftOf(const std::string& text) { return DraftSource(SplitSourceText("t.txt", text), Entities()); }

TEST(DraftTest, NamesMatchWordByWordWhateverTheCaseOfCommonWordsPossessivesAndHyphens) {
  auto draft = DraftOf("Seoul welcomed Secretary Pompeo’s visits to Pyongyang and the north-south Korean dialogue; "
                       "SANCTIONS relief came up.\n");
  ASSERT_EQ(draft.blocks.size(), 1u);
  EXPECT_EQ(draft.blocks[0].locator, "paragraph");
  EXPECT_EQ(draft.blocks[0].value, "1");
  EXPECT_EQ(Known(draft, 0), (std::vector<std::string>{
                                 "south-korea=Seoul",
                                 "pompeo-visits=Secretary Pompeo’s visits to Pyongyang",  // the longest name first
                                 "mike-pompeo=Secretary Pompeo",                            // and the names inside it
                                 "pyongyang=Pyongyang", "dprk=Pyongyang",                   // a label before an alias
                                 "sanctions-relief=SANCTIONS relief"}));
}

TEST(DraftTest, ACapitalisedWordOfANameNeedsACapitalisedWordInTheText) {
  auto draft = DraftOf("Let us hope the north agrees. The U.S. said so, and the US Congress agreed.\n");
  EXPECT_EQ(Known(draft, 0), (std::vector<std::string>{"united-states=U.S."}));  // not "us", not "the north"
}

TEST(DraftTest, ANameThatGoesOnIntoAnotherCapitalisedWordIsNotTaken) {
  auto draft = DraftOf("Kim Yong Chol met the North Korean delegation, then Chairman Kim and South Korea's President.\n");
  EXPECT_EQ(Known(draft, 0), (std::vector<std::string>{"kim-jong-un=Chairman Kim", "south-korea=South Korea"}));
  EXPECT_EQ(draft.blocks[0].new_names, (std::vector<std::string>{"Kim Yong Chol", "North Korean"}));
}

TEST(DraftTest, CandidateNewNamesStopAtPunctuationAndSkipSentenceStartsTitlesAndDates) {
  auto draft = DraftOf("Yesterday the Democratic People's Republic of Korea wrote to the United Nations, Japan and "
                       "Russia. On Friday, President Moon Jae-in replied. Moon Jae-in is Korean.\n");
  EXPECT_EQ(draft.blocks[0].new_names,
            (std::vector<std::string>{"Democratic People's Republic of Korea", "United Nations", "Japan", "Russia",
                                      "Moon Jae-in", "Korean"}));
}

TEST(DraftTest, SectionsComeFirstThenParagraphsInOrderAndSourcesAreNeverOffered) {
  auto draft = DraftOf("## byline\nby A source\n\nFirst: Pompeo.\n\nSecond: Kim.\n");
  ASSERT_EQ(draft.blocks.size(), 3u);
  EXPECT_EQ(draft.blocks[0].locator + " " + draft.blocks[0].value, "section byline");
  EXPECT_TRUE(draft.blocks[0].known.empty());
  EXPECT_EQ(Known(draft, 1), (std::vector<std::string>{"mike-pompeo=Pompeo"}));
  EXPECT_EQ(Known(draft, 2), (std::vector<std::string>{"kim-jong-un=Kim"}));
}

TEST(DraftTest, TheFactFileHasTheSourceBlockTheDraftNotesAndEmptyRecordArrays) {
  auto json = DraftFactFile(DraftOf("Pompeo spoke.\n"), "new-source", "A title", "../sources/new.txt");
  EXPECT_EQ(json.rfind("{\n  \"source\": {\n    \"id\": \"new-source\",\n    \"title\": \"A title\",\n"
                       "    \"text\": \"../sources/new.txt\"\n  },\n  \"draft\": [\n", 0), 0u) << json;
  EXPECT_NE(json.find("\"evidence\": {\n            \"paragraph\": 1,\n            \"quote\": \"Pompeo\"\n"),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"claims\": []"), std::string::npos) << json;
}

}  // namespace
}  // namespace parley::ingest::facts
