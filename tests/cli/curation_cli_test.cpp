// Curating new sources through the parley command: finding the ids to cite, and the
// load's checks of references into the database, of duplicates, and of error order.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "tests/cli/seeded_database_test.hpp"
#include "tests/test_util.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;

class CurationCliTest : public parley::testing::SeededDatabaseTest<CurationCliTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<CurationCliTest>;
  static constexpr const char* kName = "curation";

  // A fact file of a new source with the given records (JSON members after "source").
  std::string FactFile(const std::string& name, const std::string& records, const std::string& more_source = "") {
    const auto path = dir_ / (name + ".json");
    std::ofstream(path) << "{\n  \"source\": {\"id\": \"" << name << "\", \"title\": \"A new source\"" << more_source
                        << "},\n" << records << "\n}\n";
    return path.string();
  }
  static std::size_t Quads() {
    auto stats = Run("stats");
    std::smatch m;
    const std::regex quads("quads +([0-9,]+)");
    if (!std::regex_search(stats.out, m, quads)) return 0;
    std::string digits = m[1];
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    return std::stoul(digits);
  }
  // The line numbers of the messages in `err` that start "file:LINE:COL: KIND:".
  static std::vector<int> Lines(const std::string& err, const std::string& kind) {
    std::vector<int> lines;
    const std::regex at(":([0-9]+):[0-9]+: " + kind + ":");
    for (std::sregex_iterator it(err.begin(), err.end(), at), end; it != end; ++it) lines.push_back(std::stoi((*it)[1]));
    return lines;
  }
};

TEST_F(CurationCliTest, FindListsEveryKimWithIdKindAndSources) {
  auto r = Run("find kim");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("kim-jong-un  Person  Kim Jong Un\n", 0), 0u) << r.out;  // the label itself ranks first
  EXPECT_NE(r.out.find("\nkim-hyok-chol  Person  Kim Hyok Chol\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    aliases: Premier Kim Jong Un; Kim Jong-un"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    sources: biegun-pyongyang-talks-2019\n"), std::string::npos) << r.out;  // Kim Hyok Chol's
}

TEST_F(CurationCliTest, FindMatchesPhrasesPrefixesAccentsAndMisspellings) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\"panmunjom summit\"", "panmunjom-summit-2018"},  // the start of "Panmunjom summit of April 2018"
      {"\"inter-Korean summit of April\"", "panmunjom-summit-2018"},  // an alias, punctuation aside
      {"\"PANMUNJOM SUMMIT\"", "panmunjom-summit-2018"},
      {"\"Mōon Jaé-in\"", "moon-jae-in"},                 // accents and hyphens do not matter
      {"\"stephen beigun\"", "stephen-biegun"},           // a misspelling
      {"\"hanoi sumit\"", "hanoi-summit"},
      {"stephen-biegun", "stephen-biegun"},               // the id itself
      {"\"summit singapore\"", "singapore-summit"},       // words in another order
  };
  for (const auto& [text, id] : cases) {
    auto r = Run("find " + text);
    ASSERT_EQ(r.exit_code, 0) << text << "\n" << r.err;
    EXPECT_EQ(r.out.rfind(id + "  ", 0), 0u) << text << "\n" << r.out;
  }
}

TEST_F(CurationCliTest, FindByKindAndItsErrors) {
  auto summits = Run("find kim --kind Summit");
  ASSERT_EQ(summits.exit_code, 0) << summits.err;
  EXPECT_EQ(summits.out.find("kim-jong-un "), std::string::npos) << summits.out;
  EXPECT_NE(summits.out.find("Summit"), std::string::npos) << summits.out;
  auto actors = Run("find kim --kind actor");
  EXPECT_EQ(actors.out.rfind("kim-jong-un ", 0), 0u) << actors.out;
  EXPECT_EQ(actors.out.find("  Summit  "), std::string::npos) << actors.out;
  auto sources = Run("find mele --kind sources");
  EXPECT_EQ(sources.out.rfind("mele-2019-hanoi-summit  source  Nicholas Mele", 0), 0u) << sources.out;
  auto nothing = Run("find zqxwvy");
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("nothing matches \"zqxwvy\""), std::string::npos) << nothing.err;
  auto bad_kind = Run("find kim --kind frogs");
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_NE(bad_kind.err.find("unknown kind \"frogs\""), std::string::npos) << bad_kind.err;
}

// A schema error, a wrong-kind database reference and typos of database ids, all in
// one run and in line order; nothing is written.
TEST_F(CurationCliTest, EveryErrorOfEveryPhaseInOneRunInLineOrder) {
  const std::size_t before = Quads();
  const std::string file = FactFile("bad-refs", R"(  "proposals": [
    {"id": "p1", "type": "Proposal", "label": "Proposal one", "proposedBy": ["stephen-beigun"],
     "evidence": {"para": 2}},
    {"id": "p2", "type": "Proposal", "label": "Proposal two", "addresses": ["dprk"],
     "evidence": {"paragraph": 3}},
    {"id": "p3", "type": "Proposal", "label": "Proposal three", "proposedBy": ["moon-jae-n"],
     "evidence": {"paragraph": 4}}
  ])");
  auto r = Run("load " + file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(file + ":4:78: error: unknown id \"stephen-beigun\": no record in this load or the database "
                              "has it (did you mean \"stephen-biegun\"?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file + ":5:19: error: unknown property \"para\" for evidence (did you mean \"paragraph\"?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file + ":6:77: error: \"dprk\" is one of the actors, but this property takes topics"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("did you mean \"moon-jae-in\"?"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(r.err, "error"), (std::vector<int>{4, 5, 6, 8})) << r.err;
  EXPECT_NE(r.err.find("nothing was loaded"), std::string::npos);
  EXPECT_EQ(Quads(), before);
}

TEST_F(CurationCliTest, ADuplicateLabelWarnsAndStrictFails) {
  const std::string file = FactFile("dupe-label", R"(  "actors": [
    {"id": "donald-j-trump", "type": "Person", "label": "Donald Trump", "evidence": {"paragraph": 1}}
  ])");
  const std::size_t before = Quads();
  auto strict = Run("load --strict " + file);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find(":4:57: error: \"Donald Trump\" already names donald-trump (from "), std::string::npos)
      << strict.err;
  EXPECT_EQ(Quads(), before);
  auto loose = Run("load " + file);
  EXPECT_EQ(loose.exit_code, 0) << loose.err;
  EXPECT_NE(loose.err.find(":4:57: warning: \"Donald Trump\" already names donald-trump (from "), std::string::npos)
      << loose.err;
  EXPECT_NE(loose.err.find("cite that id instead"), std::string::npos) << loose.err;
  EXPECT_GT(Quads(), before);
  EXPECT_EQ(Run("retract --source dupe-label").exit_code, 0);
}

TEST_F(CurationCliTest, AMeetingOnTheSameDateAtTheSamePlaceWarns) {
  const std::string file = FactFile("dupe-meeting", R"(  "meetings": [
    {"id": "korean-leaders-meet", "type": "Summit", "label": "The leaders' spring meeting",
     "date": "2018-04-27", "location": "panmunjom", "evidence": {"paragraph": 1}},
    {"id": "other-day", "type": "Summit", "label": "Another meeting",
     "date": "2018-04-28", "location": "panmunjom", "evidence": {"paragraph": 2}}
  ])");
  auto r = Run("load " + file);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(":5:14: warning: the database already has a Summit on 2018-04-27 at panmunjom: "
                       "panmunjom-summit-2018 (from "),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Lines(r.err, "warning").size(), 1u) << r.err;  // not the meeting of the next day
  EXPECT_EQ(Run("retract --source dupe-meeting").exit_code, 0);
}

// A source with a text: its quotes are checked where they cite, and a misquote fails
// the load, naming the paragraph where the words really are.
TEST_F(CurationCliTest, AMisquoteFailsWithTheParagraphWhereTheTextReallyIs) {
  std::ofstream(dir_ / "statement.txt") << "## title\nA Joint Statement\n\nThe parties agree to meet again.\n\n"
                                          "They will \xE2\x80\x9Cwork toward peace\xE2\x80\x9D on the peninsula.\n";
  auto fact_file = [&](const std::string& quote, int paragraph) {
    return FactFile("quoted", R"(  "topics": [
    {"id": "test-peace-topic", "type": "Topic", "label": "Working toward peace",
     "evidence": {"paragraph": )" + std::to_string(paragraph) + R"(, "quote": ")" + quote + R"("}}
  ])", ", \"text\": \"statement.txt\"");
  };
  const std::size_t before = Quads();
  auto wrong_place = Run("load " + (fact_file("meet again", 2)));
  EXPECT_EQ(wrong_place.exit_code, 1);
  EXPECT_NE(wrong_place.err.find(":5:44: error: the quote \"meet again\" is not in paragraph 2 of statement.txt; it is "
                                 "in paragraph 1"),
            std::string::npos)
      << wrong_place.err;
  auto misquoted = Run("load " + (fact_file("work towards peace", 2)));
  EXPECT_NE(misquoted.err.find("it is nowhere in the text"), std::string::npos) << misquoted.err;
  EXPECT_EQ(Quads(), before);
  // Straight quotes for the text's curly ones are the same words.
  auto right = Run("load " + (fact_file("will \\\"work toward peace\\\" on", 2)));
  EXPECT_EQ(right.exit_code, 0) << right.err;
  EXPECT_TRUE(std::regex_search(Run("sources").out, std::regex("quoted\tA new source\t[0-9]+\tverified\n")));
  EXPECT_EQ(Run("retract --source quoted").exit_code, 0);
}

TEST_F(CurationCliTest, TheCuratedDatasetLoadsWithoutWarnings) {
  auto r = Run("init");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace parley::cli
