// Curating new sources through the parley command: finding the ids to cite, and the
// load's checks of references into the database, of duplicates, and of error order.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ingest/facts/source_text.hpp"
#include "rdf/search_key.hpp"

#include "tests/cli/seeded_database_test.hpp"
#include "tests/test_util.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;
using parley::testing::RunCommand;

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
  EXPECT_TRUE(std::regex_search(Run("sources").out, std::regex("quoted\tA new source\t[0-9]+\tverified\t\n")));
  EXPECT_EQ(Run("retract --source quoted").exit_code, 0);
}

TEST_F(CurationCliTest, TheCuratedDatasetLoadsWithoutWarnings) {
  auto r = Run("init");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning:"), std::string::npos) << r.err;
}

// The labels and aliases of every record of the curated dataset, by id.
std::map<std::string, std::set<std::string>> DatasetNames() {
  std::map<std::string, std::set<std::string>> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(PARLEY_SOURCE_DIR) + "/data/facts")) {
    const auto doc = nlohmann::json::parse(std::ifstream(entry.path()));
    for (const auto& [kind, records] : doc.items()) {
      if (!records.is_array()) continue;
      for (const auto& r : records) {
        auto& own = names[r["id"].get<std::string>()];
        own.insert(rdf::SearchKey(r["label"].get<std::string>()));
        for (const auto& alias : r.value("aliases", nlohmann::json::array())) own.insert(rdf::SearchKey(alias.get<std::string>()));
      }
    }
  }
  return names;
}

// Every string of `j` (the ids a fact file's records define and refer to among them).
void Strings(const nlohmann::json& j, std::set<std::string>* out) {
  if (j.is_string()) out->insert(j.get<std::string>());
  if (j.is_array() || j.is_object()) {
    for (const auto& item : j) Strings(item, out);
  }
}

// The draft of the op-ed's text offers the entities its curated fact file uses, each
// at a paragraph where one of the entity's names stands, quoted as the text has it.
TEST_F(CurationCliTest, TheDraftOfTheOpEdOffersTheEntitiesItsCuratedFileUsesWhereTheyStand) {
  const std::string data = std::string(PARLEY_SOURCE_DIR) + "/data";
  const auto out = dir_ / "mele-draft.json";
  std::filesystem::remove(out);
  auto r = Run("draft " + data + "/sources/mele-2019-hanoi-summit.txt --source mele-redraft -o " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto draft = nlohmann::json::parse(std::ifstream(out));
  EXPECT_EQ(draft["source"]["id"], "mele-redraft");
  EXPECT_EQ(std::filesystem::weakly_canonical(dir_ / draft["source"]["text"].get<std::string>()),
            std::filesystem::weakly_canonical(data + "/sources/mele-2019-hanoi-summit.txt"));

  const auto curated = nlohmann::json::parse(std::ifstream(data + "/facts/mele-2019-hanoi-summit.json"));
  std::set<std::string> used;
  for (const auto& [member, value] : curated.items()) {
    if (member != "source") Strings(value, &used);
  }
  const auto names = DatasetNames();
  std::set<std::string> offered;
  for (const auto& block : draft["draft"]) {
    const std::string text = ingest::facts::QuoteForm(block["text"].get<std::string>());
    for (const auto& known : block["known"]) {
      const std::string id = known["id"], quote = known["evidence"]["quote"];
      EXPECT_NE(text.find(ingest::facts::QuoteForm(quote)), std::string::npos) << id << ": " << quote;
      ASSERT_TRUE(names.count(id)) << id;
      EXPECT_TRUE(names.at(id).count(rdf::SearchKey(quote))) << id << " is not called \"" << quote << "\"";
      EXPECT_EQ(known["evidence"].contains("paragraph"), block.contains("paragraph")) << id;
      if (used.count(id)) offered.insert(id);
    }
  }
  EXPECT_GE(offered.size(), 15u) << offered.size() << " of the curated file's entities were offered";
  EXPECT_NE(r.err.find("references to known entities"), std::string::npos) << r.err;
  EXPECT_NE(Run("draft " + data + "/sources/mele-2019-hanoi-summit.txt --source x -o " + out.string()).exit_code, 0)
      << "an existing file is not overwritten";
}

// A new text: the draft's references load as written, with their quotes verified; the
// draft notes warn until they are deleted, and --strict refuses them.
TEST_F(CurationCliTest, ADraftOfANewTextLoadsOnceItsReferencesAreInRecords) {
  std::ofstream(dir_ / "visit.txt")
      << "## headline\nPompeo heads back to Pyongyang as Seoul pushes for a declaration\n\n"
         "Secretary of State Mike Pompeo will travel to Pyongyang next week, the State Department said on Friday. "
         "Kim Yong Chol, who has led the North Korean side, is expected to meet him. Let us hope for progress.\n\n"
         "South Korea\xE2\x80\x99s President Moon Jae-in urged both sides to sign an end-of-war declaration. In "
         "Washington, members of the U.S. Congress asked the Trump administration to brief them before the next "
         "summit with Chairman Kim.\n";
  const auto out = dir_ / "visit.json";
  std::filesystem::remove(out);
  auto r = Run("draft " + (dir_ / "visit.txt").string() + " --source pompeo-visit-draft --title \"Pompeo to return\" -o " +
               out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto draft = nlohmann::json::parse(std::ifstream(out));
  std::map<std::string, std::string> known;  // "paragraph 1 mike-pompeo" -> quote
  std::map<std::string, std::vector<std::string>> new_names;
  for (const auto& block : draft["draft"]) {
    const std::string where = block.contains("paragraph") ? "paragraph " + std::to_string(block["paragraph"].get<int>())
                                                          : "section " + block["section"].get<std::string>();
    for (const auto& k : block["known"]) known[where + " " + k["id"].get<std::string>()] = k["evidence"]["quote"];
    new_names[where] = block["new names"].get<std::vector<std::string>>();
  }
  EXPECT_EQ(known["section headline mike-pompeo"], "Pompeo");
  EXPECT_EQ(known["section headline south-korea"], "Seoul");
  EXPECT_EQ(known["paragraph 1 mike-pompeo"], "Mike Pompeo");
  EXPECT_EQ(known["paragraph 1 state-department"], "the State Department");
  EXPECT_EQ(known["paragraph 2 moon-jae-in"], "Moon Jae-in");
  EXPECT_EQ(known["paragraph 2 south-korea"], "South Korea");
  EXPECT_EQ(known["paragraph 2 us-congress"], "the U.S. Congress");
  EXPECT_EQ(known["paragraph 2 kim-jong-un"], "Chairman Kim");
  EXPECT_FALSE(known.count("paragraph 1 kim-jong-un")) << "Kim Yong Chol is someone else";
  EXPECT_FALSE(known.count("paragraph 1 united-states")) << "\"us\" is not the US";
  EXPECT_EQ(new_names["paragraph 1"], (std::vector<std::string>{"Kim Yong Chol", "North Korean"}));

  // The curator writes a record from the references and loads the file.
  draft["events"] = nlohmann::json::array({{{"id", "pompeo-fourth-visit"}, {"type", "Event"},
                                            {"label", "Pompeo's fourth visit to Pyongyang"},
                                            {"participants", {"mike-pompeo"}}, {"location", "pyongyang"},
                                            {"evidence", {{"paragraph", 1}, {"quote", known["paragraph 1 mike-pompeo"]}}}}});
  std::ofstream(out) << draft.dump(2);
  auto strict = Run("load --strict " + out.string());
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("visit.json:"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find(": error: the draft notes are not loaded"), std::string::npos) << strict.err;
  auto loose = Run("load " + out.string());
  ASSERT_EQ(loose.exit_code, 0) << loose.err;
  EXPECT_NE(loose.err.find(": warning: the draft notes are not loaded"), std::string::npos) << loose.err;
  EXPECT_TRUE(std::regex_search(Run("sources").out, std::regex("pompeo-visit-draft\tPompeo to return\t[0-9]+\tverified")))
      << Run("sources").out;
  EXPECT_EQ(Run("retract --source pompeo-visit-draft").exit_code, 0);
}

// Grades: a source's reliability and a citation's credibility are checked, listed, shown
// beside each citation, and filter what queries and questions see.
TEST_F(CurationCliTest, ReliabilityAndCredibilityGradesAreCheckedShownAndFilterAnswers) {
  auto bad = Run("load " + FactFile("badly-graded", R"(  "topics": [
    {"id": "graded-topic", "label": "A graded topic", "evidence": {"paragraph": 1, "credibility": 7}}
  ])", ", \"reliability\": \"G\""));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(":2:76: error: \"reliability\" is a grade from A (completely reliable) to F (cannot be judged), "
                         "not \"G\""), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(":4:99: error: \"credibility\" is a grade from 1 (confirmed) to 6 (cannot be judged), not 7"),
            std::string::npos) << bad.err;

  // A graded new source: Ro Khanna proposing sanctions relief, reliably (A) but doubtfully cited (4).
  auto good = Run("load " + FactFile("graded-source", R"(  "proposals": [
    {"id": "khanna-relief-test", "label": "Test relief proposal", "proposedBy": ["ro-khanna"], "addresses": ["sanctions-relief"],
     "evidence": {"paragraph": 2, "credibility": 4}}
  ])", ", \"reliability\": \"A\""));
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_TRUE(std::regex_search(Run("sources").out, std::regex("graded-source\tA new source\t[0-9]+\tunverified\tA\n")));

  auto why = Run("ask --why \"who proposed sanctions relief\"");
  EXPECT_NE(why.out.find("    graded-source [A4], paragraph 2 (A new source)\n"), std::string::npos) << why.out;
  EXPECT_NE(why.out.find("    mele-2019-hanoi-summit [C], paragraph 3"), std::string::npos) << why.out;
  const std::string sparql = "query --format tsv \"SELECT ?who WHERE { ?p :addresses id:sanctions-relief ; :proposedBy ?who }\"";
  auto all = Run(sparql);
  EXPECT_NE(all.out.find("ro-khanna"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("nicholas-mele"), std::string::npos) << all.out;
  auto reliable = Run(sparql + " --min-reliability B");
  ASSERT_EQ(reliable.exit_code, 0) << reliable.err;
  EXPECT_NE(reliable.out.find("ro-khanna"), std::string::npos) << reliable.out;
  EXPECT_EQ(reliable.out.find("nicholas-mele"), std::string::npos) << reliable.out;  // the op-ed is C
  auto credible = Run(sparql + " --min-reliability b --min-credibility 3");
  EXPECT_EQ(credible.out.find("ro-khanna"), std::string::npos) << credible.out;  // cited with credibility 4
  // English: the phrase and the option agree.
  auto phrase = Run("ask \"who proposed sanctions relief according to reliable sources\"");
  EXPECT_NE(phrase.out.find("Ro Khanna"), std::string::npos) << phrase.out;
  EXPECT_EQ(phrase.out.find("Nicholas Mele"), std::string::npos) << phrase.out;
  EXPECT_NE(phrase.err.find("(only sources graded B or better)"), std::string::npos) << phrase.err;
  EXPECT_EQ(Run("ask --min-reliability B \"who proposed sanctions relief\"").out, phrase.out);
  auto json = Run("ask --why --format json \"who proposed sanctions relief according to reliable sources\"");
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["min_reliability"], "B");
  EXPECT_EQ(j["answers"][0]["evidence"][0]["reliability"], "A") << json.out;
  EXPECT_EQ(j["answers"][0]["evidence"][0]["credibility"], 4) << json.out;
  EXPECT_EQ(Run(sparql + " --min-reliability G").exit_code, 2);
  EXPECT_EQ(Run(sparql + " --min-credibility 0").exit_code, 2);
  EXPECT_EQ(Run("retract --source graded-source").exit_code, 0);
}

// --full and :why --full: the cited paragraph of the stored text, the quote marked.
TEST_F(CurationCliTest, FullEvidenceShowsTheCitedParagraphWithTheQuoteMarked) {
  auto r = Run("ask --full \"which proposals addressed sovereignty assurances\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("    mele-2019-hanoi-summit [C], paragraph 3: \"establishing diplomatic relations\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("      | At times, previous rounds of talks with North Korea"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("several steps such as **establishing diplomatic relations**, opening"), std::string::npos) << r.out;
  // Sources without a text have no passage to show.
  EXPECT_NE(r.out.find("section commitment 1: \"establish new U.S.-DPRK relations\" (Joint Statement of President Donald J. "
                       "Trump and Chairman Kim Jong Un at the Singapore Summit)\nOffer"), std::string::npos) << r.out;
  std::ofstream(dir_ / "why.txt") << "which proposals addressed sovereignty assurances\n:why --full\n:grades B\n"
                                     "which proposals addressed sovereignty assurances\n:grades\n:grades off\n:grades Z\n";
  auto repl = RunCommand(Parley() + " < " + (dir_ / "why.txt").string(), dir_);
  EXPECT_NE(repl.out.find("**offering some sanctions relief to the people of North Korea**."), std::string::npos) << repl.out;
  EXPECT_NE(repl.out.find("grades: only sources graded B or better\nEstablish new U.S.-DPRK relations\ngrades: only sources "
                          "graded B or better\ngrades: any\n"), std::string::npos) << repl.out;
  EXPECT_NE(repl.err.find(":grades takes a reliability A..F, a credibility 1..6, or off"), std::string::npos) << repl.err;
}

}  // namespace
}  // namespace parley::cli
