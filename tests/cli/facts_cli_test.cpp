// End-to-end tests of curated facts through the parley command: init, load of fact
// files, sources, retract, replacement of a changed source, atomicity (also under
// SIGKILL) and Turtle output.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;

class FactsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = parley::testing::UniqueTestDir("facts-cli");
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CommandResult Parley(const std::string& args, const std::string& env = "") {
    return parley::testing::RunCommand("env -i PATH=/usr/bin:/bin HOME=" + (dir_ / "home").string() + " " + env + " " +
                                           PARLEY_BINARY + " " + args,
                                       dir_);
  }
  CommandResult OnDb(const std::string& args) { return Parley("--db " + db_.string() + " " + args); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  static std::string Data(const std::string& file) { return std::string(PARLEY_SOURCE_DIR "/data/") + file; }

  std::filesystem::path dir_, db_;
};

TEST_F(FactsCliTest, InitLoadsTheDatasetAndSourcesListsIt) {
  auto init = OnDb("init");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("source mele-2019-hanoi-summit: "), std::string::npos) << init.out;
  auto sources = OnDb("sources");
  ASSERT_EQ(sources.exit_code, 0) << sources.err;
  // Not a terminal: TSV with a header row.
  EXPECT_EQ(sources.out.rfind("id\ttitle\tfacts\tquotes\treliability\n", 0), 0u) << sources.out;
  EXPECT_NE(sources.out.find("mele-2019-hanoi-summit\tNicholas Mele: some context"), std::string::npos);
  // The op-ed ships with its text, so its quotes were verified; the public records have
  // none. Each source is graded.
  std::regex mele("mele-2019-hanoi-summit\t[^\n]*\tverified\tC\n"), armistice("korean-war-armistice-1953\t[^\n]*\tunverified\tA\n");
  EXPECT_TRUE(std::regex_search(sources.out, mele)) << sources.out;
  EXPECT_TRUE(std::regex_search(sources.out, armistice)) << sources.out;
  EXPECT_EQ(std::count(sources.out.begin(), sources.out.end(), '\n'), 14);
  EXPECT_EQ(OnDb("check").exit_code, 0);

  // init again changes nothing.
  const std::string before = OnDb("dump").out;
  auto again = OnDb("init");
  EXPECT_NE(again.out.find("source mele-2019-hanoi-summit: unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(OnDb("dump").out, before);
}

TEST_F(FactsCliTest, InitEmptyCreatesAnEmptyDatabase) {
  auto r = OnDb("init --empty");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(": 0 quads"), std::string::npos) << r.out;
  EXPECT_EQ(OnDb("sources").out, "id\ttitle\tfacts\tquotes\treliability\n");
}

TEST_F(FactsCliTest, DefaultDatabaseIsSeededOnFirstUse) {
  auto r = Parley("sources", "XDG_DATA_HOME=" + (dir_ / "xdg").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mele-2019-hanoi-summit"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("creating"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "xdg" / "parley" / "db" / "CURRENT"));
  // The second use finds it there.
  r = Parley("stats", "XDG_DATA_HOME=" + (dir_ / "xdg").string());
  EXPECT_EQ(r.err, "");
}

TEST_F(FactsCliTest, RetractRemovesExactlyOneSource) {
  ASSERT_EQ(OnDb("init").exit_code, 0);
  const std::string before = OnDb("dump").out;
  auto r = OnDb("retract --source ri-yong-ho-press-conference-2019");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string after = OnDb("dump").out;
  // Every quad that went was the source's (its graphs or its provenance); every other stayed.
  std::set<std::string> lines_before, lines_after;
  std::istringstream a(before), b(after);
  for (std::string line; std::getline(a, line);) lines_before.insert(line);
  for (std::string line; std::getline(b, line);) lines_after.insert(line);
  EXPECT_TRUE(std::includes(lines_before.begin(), lines_before.end(), lines_after.begin(), lines_after.end()));
  for (const auto& line : lines_before) {
    if (lines_after.count(line)) continue;
    const bool ours = line.find("/context/ri-yong-ho-press-conference-2019/") != std::string::npos ||
                      line.rfind("<http://parley.example.org/id/ri-yong-ho-press-conference-2019> ", 0) == 0;
    EXPECT_TRUE(ours) << line;
  }
  EXPECT_EQ(OnDb("sources").out.find("ri-yong-ho-press-conference-2019"), std::string::npos);
  EXPECT_EQ(OnDb("check").exit_code, 0);
  // The op-ed's facts about the Hanoi summit are still there.
  EXPECT_NE(after.find("<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#participant>"),
            std::string::npos);

  r = OnDb("retract --source no-such-source");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no source \"no-such-source\""), std::string::npos) << r.err;
}

TEST_F(FactsCliTest, AChangedSourceReplacesItsFacts) {
  const std::string v1 = R"({"source": {"id": "note", "title": "Note v1"},
    "topics": [{"id": "old-topic", "label": "Old", "evidence": {"paragraph": 1}}]})";
  const std::string v2 = R"({"source": {"id": "note", "title": "Note v2"},
    "topics": [{"id": "new-topic", "label": "New", "evidence": {"paragraph": 2}}]})";
  const auto file = Write("note.json", v1);
  ASSERT_EQ(OnDb("load " + file).exit_code, 0);
  EXPECT_NE(OnDb("dump").out.find("old-topic"), std::string::npos);
  Write("note.json", v2);
  auto r = OnDb("load " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("replacing its previous version"), std::string::npos) << r.out;
  const std::string dump = OnDb("dump").out;
  EXPECT_EQ(dump.find("old-topic"), std::string::npos);
  EXPECT_EQ(dump.find("paragraph-1"), std::string::npos);  // the old context went too
  EXPECT_NE(dump.find("new-topic"), std::string::npos);
  EXPECT_NE(OnDb("sources").out.find("note\tNote v2\t2"), std::string::npos);
  EXPECT_EQ(OnDb("check").exit_code, 0);
}

// `ask` keeps the names it read beside the database; a load, a replaced source or a
// retract must never leave it answering from the names of an earlier state.
TEST_F(FactsCliTest, AskAlwaysKnowsTheNamesOfTheLatestState) {
  ASSERT_EQ(OnDb("init").exit_code, 0);
  auto r = OnDb("ask 'who is Zed Envoy'");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(std::filesystem::exists(db_ / "derived" / "english-names"));
  const std::string v1 = R"({"source": {"id": "note", "title": "Note"},
    "actors": [{"id": "zed-envoy", "type": "Person", "label": "Zed Envoy", "evidence": {"paragraph": 1}}]})";
  const std::string v2 = R"({"source": {"id": "note", "title": "Note"},
    "actors": [{"id": "zed-envoy", "type": "Person", "label": "Zara Envoy", "evidence": {"paragraph": 1}}]})";
  const auto file = Write("note.json", v1);
  ASSERT_EQ(OnDb("load " + file).exit_code, 0);
  r = OnDb("ask 'who is Zed Envoy'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Zed Envoy"), std::string::npos) << r.out;
  Write("note.json", v2);
  ASSERT_EQ(OnDb("load " + file).exit_code, 0);
  EXPECT_EQ(OnDb("ask 'who is Zed Envoy'").exit_code, 1);
  EXPECT_EQ(OnDb("ask 'who is Zara Envoy'").exit_code, 0);
  // A damaged copy is read again from the graph, and answers the same.
  std::ofstream(db_ / "derived" / "english-names", std::ios::binary | std::ios::trunc) << "parley-derived 1\ngarbage";
  r = OnDb("ask 'who is Zara Envoy'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Zara Envoy"), std::string::npos) << r.out;
  ASSERT_EQ(OnDb("retract --source note").exit_code, 0);
  EXPECT_EQ(OnDb("ask 'who is Zara Envoy'").exit_code, 1);
  EXPECT_EQ(OnDb("check").exit_code, 0);
}

TEST_F(FactsCliTest, BadFactFilesChangeNothing) {
  ASSERT_EQ(OnDb("load " + Data("ontology.ttl") + " " + Data("facts/mele-2019-hanoi-summit.json") + " " +
                 Data("facts/ri-yong-ho-press-conference-2019.json") + " " +
                 Data("facts/trump-hanoi-press-conference-2019.json"))
                .exit_code,
            0);
  const std::string before = OnDb("dump").out;
  const std::pair<std::string, std::string> bad[] = {
      {R"({"source": {"id": "x", "title": "X"}, "meetings": [{"id": "m", "label": "M",)", "malformed JSON"},
      {R"({"source": {"id": "x", "title": "X"}, "meetings": [{"id": "m", "label": "M", "participants": ["kim-jong-in"], "evidence": {"paragraph": 1}}]})",
       R"(unknown id "kim-jong-in")"},
      {R"({"source": {"id": "x", "title": "X"}, "claims": [{"id": "c", "label": "C", "claimedBy": ["donald-trump"], "date": "2019-02-31", "evidence": {"paragraph": 1}}]})",
       "bad date"},
      {R"({"source": {"id": "x", "title": "X"}, "claims": [{"id": "c", "label": "C", "claimedby": ["donald-trump"], "evidence": {"paragraph": 1}}]})",
       R"(did you mean "claimedBy"?)"},
  };
  int n = 0;
  for (const auto& [text, fragment] : bad) {
    const auto file = Write("bad" + std::to_string(n++) + ".json", text);
    // A good file in the same load is not written either.
    auto r = OnDb("load " + Data("facts/cohen-testimony-2019.json") + " " + file);
    EXPECT_EQ(r.exit_code, 1) << text;
    EXPECT_EQ(r.err.rfind(file + ":1:", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was loaded"), std::string::npos);
    EXPECT_EQ(OnDb("dump").out, before) << text;
  }
  // A reference to an id the database has is fine.
  const auto ok = Write("ok.json", R"({"source": {"id": "x", "title": "X"}, "claims": [{"id": "c", "label": "C", "claimedBy": ["donald-trump"], "about": ["hanoi-summit"], "evidence": {"paragraph": 1}}]})");
  auto r = OnDb("load " + ok);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(FactsCliTest, TurtleDumpReadsBack) {
  ASSERT_EQ(OnDb("init").exit_code, 0);
  auto turtle = OnDb("dump --format turtle");
  ASSERT_EQ(turtle.exit_code, 0) << turtle.err;
  EXPECT_NE(turtle.out.find("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ."), std::string::npos);
  const auto file = Write("dump.ttl", turtle.out);
  const auto other = (dir_ / "db2").string();
  ASSERT_EQ(Parley("--db " + other + " load " + file).exit_code, 0);
  EXPECT_TRUE(parley::testing::Isomorphic(parley::testing::ParseNTriples(OnDb("dump --format ntriples").out),
                                          parley::testing::ParseNTriples(Parley("--db " + other + " dump --format ntriples").out)));
}

// A load killed with SIGKILL at any moment leaves the database as it was (or, if the
// kill came after the atomic commit, with the whole load), and check passes.
TEST_F(FactsCliTest, LoadKilledMidwayLeavesTheDatabaseAsItWas) {
  ASSERT_EQ(OnDb("init").exit_code, 0);
  const std::string before = OnDb("dump").out;
  std::string big;
  for (int i = 0; i < 300'000; ++i) big += "<http://e/s" + std::to_string(i) + "> <http://e/p> \"value " + std::to_string(i) + "\" .\n";
  const auto file = Write("big.nt", big);
  int rolled_back = 0;
  for (int delay_ms : {20, 80, 150, 250, 400}) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::freopen("/dev/null", "w", stdout);
      ::execl(PARLEY_BINARY, "parley", "--db", db_.c_str(), "load", file.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_EQ(OnDb("check").exit_code, 0) << "after a kill at " << delay_ms << " ms";
    const std::string after = OnDb("dump").out;
    if (after == before) {
      ++rolled_back;
      continue;
    }
    // Too late to stop it: then all of it is there, and nothing else changed.
    EXPECT_EQ(std::count(after.begin(), after.end(), '\n'), std::count(before.begin(), before.end(), '\n') + 300'000);
    break;
  }
  EXPECT_GE(rolled_back, 1) << "no kill landed before the commit";
}

}  // namespace
}  // namespace parley::cli
