// History from the command line: a database built in six dated commits (the curated
// dataset less three sources, then those three loaded one at a time, an update to one
// of them, and the retraction of another), read back with --as-of by generation and by
// date, in SPARQL and in English, with the evidence of each moment; :as-of at the REPL;
// parley log and compact --before.
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/rdf_test_support.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;
using parley::testing::RunCommand;

// The three sources loaded after the base, in the order they were loaded.
constexpr const char* kLaterSources[] = {"hres-152-2019", "six-party-talks-2003-2009", "cohen-testimony-2019"};

class HistoryCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("parley-history-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    // The base: the curated dataset without the three later sources.
    const std::filesystem::path data = std::string(PARLEY_SOURCE_DIR) + "/data";
    std::filesystem::create_directories(dir_ / "data" / "facts");
    std::filesystem::copy(data / "ontology.ttl", dir_ / "data" / "ontology.ttl");
    std::filesystem::copy(data / "sources", dir_ / "data" / "sources", std::filesystem::copy_options::recursive);
    for (const auto& entry : std::filesystem::directory_iterator(data / "facts")) {
      const std::string id = entry.path().stem().string();
      bool later = false;
      for (const char* source : kLaterSources) later = later || id == source;
      if (!later) std::filesystem::copy(entry.path(), dir_ / "data" / "facts" / entry.path().filename());
    }
    Commit("2019-01-15T09:00:00Z", "init", "PARLEY_DATA_DIR=" + (dir_ / "data").string());                     // 1
    Commit("2019-02-01T12:00:00Z", "load " + (data / "facts" / "hres-152-2019.json").string());              // 2
    Commit("2019-02-15T12:00:00Z", "load " + (data / "facts" / "six-party-talks-2003-2009.json").string());  // 3
    Commit("2019-03-01T12:00:00Z", "load " + (data / "facts" / "cohen-testimony-2019.json").string());       // 4
    // 5: a curator takes Japan out of the six-party talks, in every graph that says it.
    std::ofstream(dir_ / "fix.ru") << "DELETE { GRAPH ?g { id:six-party-talks :participant id:japan } }\n"
                                      "WHERE { GRAPH ?g { id:six-party-talks :participant id:japan } }\n";
    Commit("2019-03-10T12:00:00Z", "update -f " + (dir_ / "fix.ru").string());
    Commit("2019-04-01T12:00:00Z", "retract --source hres-152-2019");  // 6
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static std::string Parley() { return std::string(PARLEY_BINARY) + " --db " + (dir_ / "db").string(); }
  static CommandResult Run(const std::string& args) {
    return RunCommand("env XDG_DATA_HOME=" + (dir_ / "xdg").string() + " " + Parley() + " " + args, dir_);
  }
  static void Commit(const std::string& when, const std::string& args, const std::string& env = "") {
    auto r = RunCommand("env PARLEY_COMMIT_TIME=" + when + " " + env + " " + Parley() + " " + args, dir_);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }
  // The lines of an answer, as a set.
  static std::set<std::string> Lines(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.insert(line);
    }
    return out;
  }

  static inline std::filesystem::path dir_;
};

const std::set<std::string> kSixPartyAll = {"China", "Japan", "North Korea", "Russia", "South Korea", "United States"};
const std::set<std::string> kSixPartyFixed = {"China", "North Korea", "Russia", "South Korea", "United States"};
constexpr const char* kKhannaProposal = "A formal end to the Korean War";

TEST_F(HistoryCliTest, TheLogHasEveryCommitWithItsTime) {
  auto log = Run("log");
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_TRUE(std::regex_search(log.out, std::regex("\n +1  2019-01-15T09:00:00Z +[0-9,]+ +0  parley .* init\n")))
      << log.out;
  EXPECT_TRUE(std::regex_search(log.out, std::regex("\n +5  2019-03-10T12:00:00Z +0 +2  parley .* update -f ")))
      << log.out;
  EXPECT_TRUE(std::regex_search(log.out, std::regex("\n +6  2019-04-01T12:00:00Z +0 +63  parley .* retract")))
      << log.out;
}

TEST_F(HistoryCliTest, TheSameQuestionAtEachGenerationAndDate) {
  const std::string proposals = "which proposals addressed the peace treaty";
  const std::string talks = "who took part in the six-party talks";
  struct Moment {
    std::string as_of;
    bool has_khanna;
    bool has_japan;
  };
  const Moment moments[] = {
      {"1", false, true},          {"2", true, true},           {"3", true, true},
      {"4", true, true},           {"5", true, false},          {"6", false, false},
      {"2019-01-31", false, true},  {"2019-02-01", true, true},  {"2019-02-01T11:59:59Z", false, true},
      {"2019-03-09", true, true},   {"2019-03-10", true, false}, {"2019-04-01T07:59:59-04:00", true, false},
      {"2019-04-01T08:00:00-04:00", false, false},
  };
  for (const Moment& m : moments) {
    SCOPED_TRACE("--as-of " + m.as_of);
    auto asked = Run("ask --as-of " + m.as_of + " '" + proposals + "'");
    ASSERT_EQ(asked.exit_code, 0) << asked.err;
    EXPECT_EQ(Lines(asked.out).count(kKhannaProposal), m.has_khanna ? 1u : 0u) << asked.out;
    // A past state is named on stderr; the latest is not.
    const bool latest = m.as_of == "6" || m.as_of == "2019-04-01T08:00:00-04:00";
    EXPECT_EQ(asked.err.find("as the graph stood after commit") != std::string::npos, !latest) << asked.err;
    auto who = Run("--as-of " + m.as_of + " ask '" + talks + "'");
    ASSERT_EQ(who.exit_code, 0) << who.err;
    EXPECT_EQ(Lines(who.out), m.has_japan ? kSixPartyAll : kSixPartyFixed);
    // The same in SPARQL.
    auto count = Run("query --as-of " + m.as_of + " --format tsv 'ASK { ?p :proposedBy id:ro-khanna }'");
    ASSERT_EQ(count.exit_code, 0) << count.err;
    EXPECT_EQ(count.out, std::string("?_askResult\n") + (m.has_khanna ? "true" : "false") + "\n");
  }
  // Without --as-of: the latest state.
  EXPECT_EQ(Lines(Run("ask '" + talks + "'").out), kSixPartyFixed);
  EXPECT_EQ(Lines(Run("ask '" + proposals + "'").out).count(kKhannaProposal), 0u);
}

TEST_F(HistoryCliTest, EnglishSaysAsOfInManyWays) {
  struct Case {
    std::string question;
    bool has_khanna;
  };
  const Case cases[] = {
      {"As of 20 February 2019, which proposals addressed the peace treaty?", true},
      {"as of 20 February 2019 which proposals addressed the peace treaty", true},
      {"Which proposals addressed the peace treaty as of January 2019?", false},
      {"which proposals addressed the peace treaty, as it stood on March 5, 2019?", true},
      {"What did the graph say on 2019-02-10 about which proposals addressed the peace treaty?", true},
      {"According to the graph as of 2019-04-02, which proposals addressed the peace treaty?", false},
      {"As things stood in February 2019, which proposals addressed the peace treaty?", true},
      {"as of generation 2, which proposals addressed the peace treaty", true},
      {"as of generation 1, which proposals addressed the peace treaty", false},
      {"As at 20 Feb 2019, which proposals addressed the peace treaty?", true},
      {"as of Feb 20, 2019, which proposals addressed the peace treaty", true},
      {"which proposals addressed the peace treaty as known on 2019-02-20", true},
      {"What was known on 20 February 2019 about which proposals addressed the peace treaty?", true},
      {"which proposals addressed the peace treaty, as recorded in February 2019", true},
      {"According to the database on 2019-02-20, which proposals addressed the peace treaty?", true},
      {"according to the graph of 10 February 2019, which proposals addressed the peace treaty", true},
      {"as of 20th February 2019, which proposals addressed the peace treaty", true},
      {"as of commit 2, which proposals addressed the peace treaty", true},
      {"As the graph stood in April 2019, which proposals addressed the peace treaty?", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.question);
    auto asked = Run("ask \"" + c.question + "\"");
    ASSERT_EQ(asked.exit_code, 0) << asked.err;
    EXPECT_EQ(Lines(asked.out).count(kKhannaProposal), c.has_khanna ? 1u : 0u) << asked.out;
    EXPECT_NE(Lines(asked.out).count("Open negotiations to replace the armistice with a peace treaty"), 0u) << asked.out;
  }
  // Event dates are not transaction time: "in 2019" narrows the proposals, on today's graph.
  auto dated = Run("ask 'which proposals were made in 2019'");
  EXPECT_EQ(dated.err.find("as the graph stood"), std::string::npos) << dated.err;
}

TEST_F(HistoryCliTest, TheEvidenceIsThatOfTheMoment) {
  // Before the talks' own source was loaded, Japan's part in them rests on Mele's op-ed
  // alone; once it is, on both; after the update, Japan is not an answer.
  auto Japan = [](const std::string& answers) {
    const auto at = answers.find("\nJapan\n");
    const auto end = answers.find("\nNorth Korea\n");
    return at == std::string::npos || end == std::string::npos ? std::string() : answers.substr(at, end - at);
  };
  const std::string question = "'who took part in the six-party talks'";
  const std::string at2 = Japan(Run("ask --why --as-of 2 " + question).out);
  EXPECT_NE(at2.find("mele-2019-hanoi-summit [C], paragraph 3"), std::string::npos) << at2;
  EXPECT_EQ(at2.find("six-party-talks-2003-2009"), std::string::npos) << at2;
  const std::string at4 = Japan(Run("ask --why --as-of 4 " + question).out);
  EXPECT_NE(at4.find("mele-2019-hanoi-summit [C], paragraph 3"), std::string::npos) << at4;
  EXPECT_NE(at4.find("six-party-talks-2003-2009 [B], section talks: \"hosted in Beijing\""), std::string::npos) << at4;
  auto after = Run("ask --why --as-of 5 " + question);
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out.find("\nJapan\n"), std::string::npos) << after.out;
  // The retracted source is listed while it was in the graph.
  EXPECT_NE(Run("sources --as-of 5").out.find("hres-152-2019\t"), std::string::npos);
  EXPECT_EQ(Run("sources --as-of 6").out.find("hres-152-2019\t"), std::string::npos);
  EXPECT_EQ(Run("sources --as-of 1").out.find("cohen-testimony-2019\t"), std::string::npos);
  // export and dump read the same state.
  auto exported = Run("export --as-of 2 --root 'Ro Khanna' --format ntriples");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("Ro Khanna"), std::string::npos) << exported.out;
  auto gone = Run("export --as-of 6 --root 'Ro Khanna' --format ntriples");
  EXPECT_NE(gone.exit_code, 0);
  auto dumped = Run("dump --as-of 1 --format nquads");
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  EXPECT_EQ(dumped.out.find("ro-khanna"), std::string::npos);
  EXPECT_NE(dumped.out.find("six-party-talks"), std::string::npos);  // Mele's op-ed mentions them
}

TEST_F(HistoryCliTest, TheReplReadsThePastUntilToldOtherwise) {
  std::ofstream(dir_ / "input.txt") << ":as-of 2019-02-20\nwhich proposals addressed the peace treaty\n:why\n"
                                       "ASK { ?p :proposedBy id:ro-khanna }\n:as-of off\n"
                                       "ASK { ?p :proposedBy id:ro-khanna }\n:as-of 99\n:as-of yesterday\n";
  auto r = RunCommand("env XDG_DATA_HOME=" + (dir_ / "xdg").string() + " " + Parley() + " < " +
                          (dir_ / "input.txt").string(),
                      dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("as of: 2019-02-20, as the graph stood after commit 3 of 6, made 2019-02-15T12:00:00Z"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find(kKhannaProposal), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hres-152-2019 [A]"), std::string::npos) << r.out;  // :why cites the retracted source
  EXPECT_NE(r.out.find("\nyes\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("as of: latest"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nno\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(":as-of: there is no generation 99: the latest is 6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(":as-of: \"yesterday\" is not a date"), std::string::npos) << r.err;
}

TEST_F(HistoryCliTest, BadAsOfIsAUsageError) {
  auto bad = Run("query --as-of 2019-02-30 'ASK {}'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no such day in that month"), std::string::npos) << bad.err;
  auto future = Run("query --as-of 7 'ASK {}'");
  EXPECT_NE(future.exit_code, 0);
  EXPECT_NE(future.err.find("no generation 7: the latest is 6"), std::string::npos) << future.err;
  auto writing = Run("--as-of 3 load /dev/null");
  EXPECT_EQ(writing.exit_code, 2);
  EXPECT_NE(writing.err.find("--as-of works with query, ask"), std::string::npos) << writing.err;
}

// Last: it changes what the other tests read.
TEST_F(HistoryCliTest, ZCompactDropsTheOlderHistory) {
  auto compacted = Run("compact --before 2019-03-01");
  ASSERT_EQ(compacted.exit_code, 0) << compacted.err;
  EXPECT_NE(compacted.out.find("history kept from generation 3"), std::string::npos) << compacted.out;
  EXPECT_EQ(Run("query --as-of 3 --format tsv 'ASK { ?p :proposedBy id:ro-khanna }'").out, "?_askResult\ntrue\n");
  auto dropped = Run("query --as-of 2019-02-10 'ASK {}'");
  EXPECT_NE(dropped.exit_code, 0);
  EXPECT_NE(dropped.err.find("the history before generation 3 is not kept"), std::string::npos) << dropped.err;
  auto log = Run("log");
  EXPECT_NE(log.out.find("\n         1  2019-01-15"), std::string::npos) << log.out;  // the log itself stays
  EXPECT_NE(log.err.find("history before generation 3 is not kept"), std::string::npos) << log.err;
  EXPECT_EQ(Run("check").exit_code, 0);
  EXPECT_EQ(Run("compact --before someday").exit_code, 2);
}

}  // namespace
}  // namespace parley::cli
