// The REPL: lines from a pipe (scripts), and an end-to-end session through a real
// pseudo-terminal driven by tmux: Tab completion, two-line SPARQL, :load, :export,
// Ctrl-C during a long query, :quit, and the history on the next start.
#include <unistd.h>

#include <chrono>
#include <cctype>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/seeded_database_test.hpp"
#include "tests/support/rdf_test_support.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;
using parley::testing::RunCommand;

class ReplTest : public parley::testing::SeededDatabaseTest<ReplTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<ReplTest>;
  static constexpr const char* kName = "repl";

  // The history goes to the suite's own directory, not the user's.
  static std::string Parley() {
    return "env XDG_DATA_HOME=" + (dir_ / "xdg").string() + " " + SeededDatabaseTest::Parley();
  }
  // Feeds `lines` to the REPL's standard input.
  static CommandResult Pipe(const std::string& lines) {
    std::ofstream(dir_ / "input.txt") << lines;
    return RunCommand(Parley() + " < " + (dir_ / "input.txt").string(), dir_);
  }
};

TEST_F(ReplTest, ReadsQuestionsAndSparqlFromAPipeWithoutPromptsOrColour) {
  auto r = Pipe("who met Kim Jong Un\nSELECT ?m ?date WHERE {\n  ?m a :Summit ; :date ?date }\n:format csv\nwhich summits?\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Donald Trump"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nHanoi summit "), std::string::npos) << r.out;  // the table shows labels, not IRIs
  EXPECT_NE(r.out.find("| 2019-02-27"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("id:hanoi-summit"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("answer,iri\r\nHanoi summit,http://parley.example.org/id/hanoi-summit\r\n"), std::string::npos) << r.out;  // :format csv
  EXPECT_EQ(r.out.find("parley>"), std::string::npos);
  EXPECT_EQ((r.out + r.err).find('\033'), std::string::npos);
}

// An update typed at the REPL is one write, and the next question sees it; English
// that starts with an update keyword ("add", "copy") stays a question.
TEST_F(ReplTest, RunsUpdatesAndTheNextQuestionSeesThem) {
  auto r = Pipe("PREFIX ex: <http://example.org/>\nINSERT DATA {\n  id:repl-talks a :Talks ; rdfs:label \"Repl talks\" ;\n"
                "    :participant id:kim-jong-un }\nwho attended the Repl talks?\n"
                "DELETE WHERE { id:repl-talks ?p ?o }\nASK { id:repl-talks ?p ?o }\ncopy the Hanoi summit\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("updated: 1 operation, 3 quads added, 0 removed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Kim Jong Un"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("updated: 1 operation, 0 quads added, 3 removed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nno\n"), std::string::npos) << r.out;  // the ASK after the delete
  EXPECT_EQ(r.err.find("<update>"), std::string::npos) << r.err;  // "copy the ..." was not taken for COPY
}

TEST_F(ReplTest, WhyAndSparqlExplainTheLastQuestion) {
  auto r = Pipe("which proposals addressed sovereignty assurances?\n:sparql\n:why\n:explain\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("SELECT DISTINCT ?answer"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("mele-2019-hanoi-summit [C], paragraph 3"), std::string::npos) << r.out;
  // The plan of the question's query: its operators, the first scan deepest.
  EXPECT_NE(r.out.find("scan ?answer"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("order by"), std::string::npos) << r.out;

  // After SPARQL, :why gives each row with the evidence of the facts it binds.
  r = Pipe("SELECT ?p WHERE { ?p :addresses id:sovereignty-assurances }\n:why\nASK { ?s ?p ?o }\n:why\n");
  EXPECT_NE(r.out.find("Establish new U.S.-DPRK relations\n    singapore-joint-statement-2018 [A], section commitment 1: "
                       "\"establish new U.S.-DPRK relations\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Offer some sanctions relief to the people of North Korea\n    mele-2019-hanoi-summit [C], paragraph 3"),
            std::string::npos) << r.out;
  EXPECT_NE(r.err.find("not a SELECT"), std::string::npos) << r.err;
}

// :why prints in the :format chosen, and after a count it shows what was counted.
TEST_F(ReplTest, WhyFollowsTheFormatAndShowsWhatWasCounted) {
  auto r = Pipe(":format csv\nwhich proposals involve Japan\n:why\n:format table\nhow many summits are there\n:why\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("answer,iri,source,locator,quote"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Panmunjom summit of April 2018\n    "), std::string::npos) << r.out;  // counted, with evidence
}

// The REPL reads the English words once; :load brings the new names in at once.
TEST_F(ReplTest, LoadedNamesAreUnderstoodAtOnce) {
  std::ofstream(dir_ / "quill.nt")
      << "<http://parley.example.org/id/zebedee-quill> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
         "<http://parley.example.org/ontology#Person> .\n"
         "<http://parley.example.org/id/zebedee-quill> <http://www.w3.org/2000/01/rdf-schema#label> \"Zebedee Quill\" .\n";
  auto r = Pipe("is Zebedee Quill a person?\n:load " + (dir_ / "quill.nt").string() + "\nis Zebedee Quill a person?\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("The graph has no one named \"Zebedee Quill\""), std::string::npos) << r.err;  // before the load
  EXPECT_NE(r.out.find("Yes: Zebedee Quill is a person."), std::string::npos) << r.out;  // after it
}

// :why after SPARQL fills each row into every plain triple pattern, in UNION branches
// and OPTIONAL groups as well, and shows the evidence of the facts found.
TEST_F(ReplTest, WhyAfterSparqlCoversUnionAndOptionalRows) {
  auto r = Pipe(
      "SELECT ?p ?t WHERE { { ?p :addresses id:sovereignty-assurances } UNION "
      "{ ?p :addresses ?t FILTER(?t = id:sovereignty-assurances) } }\n:why\n"
      "SELECT ?p WHERE { ?p :addresses id:sovereignty-assurances OPTIONAL { ?p :proposedBy ?who } }\n:why\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("8 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Establish diplomatic relations with North Korea | sovereignty assurances\n"
                       "    mele-2019-hanoi-summit [C], paragraph 3: \"establishing diplomatic relations\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Establish diplomatic relations with North Korea\n    mele-2019-hanoi-summit [C], paragraph 3"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
}

// The REPL keeps one store open and reopens it when the database's files change, so a
// load by another process while the session runs is seen by the next line.
TEST_F(ReplTest, SeesALoadByAnotherProcessOnTheNextLine) {
  std::ofstream(dir_ / "wren.nt")
      << "<http://parley.example.org/id/ada-wren> <http://www.w3.org/2000/01/rdf-schema#label> \"Ada Wren\" .\n";
  const std::string ask = "ASK { ?x <http://www.w3.org/2000/01/rdf-schema#label> \"Ada Wren\" }";
  const std::string script = "( echo '" + ask + "'; sleep 1; " + SeededDatabaseTest::Parley() + " load " +
                             (dir_ / "wren.nt").string() + " > /dev/null; echo '" + ask + "' ) | " + Parley();
  auto r = RunCommand(script, dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no\nyes\n") << r.err;
}

// :stats and :sources read the session's store too, refreshed like the questions'.
TEST_F(ReplTest, StatsAfterALoadByAnotherProcessCountsIt) {
  std::ofstream(dir_ / "finch.nt")  // a triple of its own: the suite shares one database
      << "<http://parley.example.org/id/bo-finch> <http://www.w3.org/2000/01/rdf-schema#label> \"Bo Finch\" .\n";
  const std::string script = "( echo ':stats'; sleep 1; " + SeededDatabaseTest::Parley() + " load " +
                             (dir_ / "finch.nt").string() + " > /dev/null; echo ':stats' ) | " + Parley();
  auto r = RunCommand(script, dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<long long> counts;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("quads ", 0) != 0) continue;
    std::string digits;
    for (char c : line) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    counts.push_back(std::stoll(digits));
  }
  ASSERT_EQ(counts.size(), 2u) << r.out;
  EXPECT_EQ(counts[1], counts[0] + 1) << r.out << r.err;
}

TEST_F(ReplTest, BadInputPrintsAnErrorAndCarriesOn) {
  auto r = Pipe(":frobnicate\nSELECT ?x WHERE { ?x ?y }\nwho zorbled the summit?\n:format yaml\n:why\n"
                ":load /nonexistent.ttl\n:export --depth\n:retract\n# a comment\n"
                "SELECT * WHERE { ?s ?p \"unterminated }\n}\nwhich summits\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("unknown command :frobnicate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("<query>:1:"), std::string::npos) << r.err;  // the SPARQL error with its position
  EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(":format takes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent.ttl"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("a comment"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"unterminated }\n"), std::string::npos) << r.err;  // the string ended with its line
  EXPECT_NE(r.out.find("Singapore summit"), std::string::npos) << r.out;  // still answering at the end
}

// Hostile input at the prompt: each is an error, and the REPL answers afterwards.
TEST_F(ReplTest, HostileInputNeverEndsTheSession) {
  std::string deep_turtle = "<http://e/s> <http://e/p> ";
  for (int i = 0; i < 5000; ++i) deep_turtle += "[ <http://e/p> ";
  std::ofstream(dir_ / "deep.ttl") << deep_turtle << "\n";
  std::string deep_json = "{\"source\": {\"id\": \"s\", \"title\": \"T\"}, \"zz\": ";
  for (int i = 0; i < 100000; ++i) deep_json += "[";
  std::ofstream(dir_ / "deep.json") << deep_json << "\n";
  std::ofstream(dir_ / "big-number.json") << R"({"source": {"id": "s", "title": "T"}, "zz": 1e400})" << "\n";
  auto r = Pipe(":load " + (dir_ / "deep.ttl").string() + "\n:load " + (dir_ / "deep.json").string() + "\n:load " +
                (dir_ / "big-number.json").string() + "\nSELECT * {} LIMIT 18446744073709551616\n"
                "SELECT (YEAR(\"x\"^^xsd:date) AS ?y) {}\nwhich summits\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("nested more than 256 deep"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nested more than 64 deep"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("number overflow"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("Singapore summit"), std::string::npos) << r.out;  // still answering at the end
}

// --- Through a pseudo-terminal -------------------------------------------------------

class Tmux {
 public:
  explicit Tmux(std::filesystem::path dir) : dir_(std::move(dir)), socket_("parley-test-" + std::to_string(::getpid())) {}
  ~Tmux() { Run("kill-server"); }

  static bool Available() { return std::system("tmux -V >/dev/null 2>&1") == 0; }

  void Start(const std::string& command) {
    Run("-f /dev/null new-session -d -x 150 -y 50 '" + command + "'");
  }
  void Keys(const std::string& keys) { Run("send-keys -t 0 " + keys); }
  void Type(const std::string& text) { Run("send-keys -t 0 -l '" + text + "'"); }
  // The screen with its colours as escape sequences.
  std::string ColouredScreen() { return RunCommand("tmux -L " + socket_ + " capture-pane -p -e -t 0", dir_).out; }
  std::string Screen() { return RunCommand("tmux -L " + socket_ + " capture-pane -p -J -S -2000 -t 0", dir_).out; }
  bool Running() { return RunCommand("tmux -L " + socket_ + " has-session", dir_).exit_code == 0; }

  // Waits until the screen shows `text` `times` times; false after `seconds`.
  bool WaitFor(const std::string& text, int times = 1, int seconds = 20) {
    for (int i = 0; i < seconds * 10; ++i) {
      const std::string screen = Screen();
      int found = 0;
      for (auto at = screen.find(text); at != std::string::npos; at = screen.find(text, at + 1)) ++found;
      if (found >= times) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  bool WaitForExit() {
    for (int i = 0; i < 200 && Running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return !Running();
  }

 private:
  void Run(const std::string& args) { RunCommand("tmux -L " + socket_ + " " + args, dir_); }
  std::filesystem::path dir_;
  std::string socket_;
};

TEST_F(ReplTest, DrivenThroughAPseudoTerminal) {
  if (!Tmux::Available()) GTEST_SKIP() << "tmux is not installed: the pseudo-terminal test is skipped";
  std::ofstream(dir_ / "zebra.nt") << "<http://example.org/zebra> <http://www.w3.org/2000/01/rdf-schema#label> \"Zebra crossing talks\" .\n";
  const std::filesystem::path exported = dir_ / "hanoi.json";
  const std::string session = Parley();
  {
    Tmux tmux(dir_);
    tmux.Start(session);
    ASSERT_TRUE(tmux.WaitFor("parley> ")) << tmux.Screen();
    EXPECT_NE(tmux.ColouredScreen().find('\033'), std::string::npos);  // a coloured prompt on a terminal

    // A question whose name Tab completes (a multi-word label).
    tmux.Type("who met kim jong u");  // typed in lower case; the label is "Kim Jong Un"
    tmux.Keys("Tab");
    ASSERT_TRUE(tmux.WaitFor("who met kim jong Un")) << tmux.Screen();
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("Moon Jae-in")) << tmux.Screen();

    // The aliases of one entity are one candidate: "Kim J" completes to the label.
    tmux.Type("who met Kim J");
    tmux.Keys("Tab");
    ASSERT_TRUE(tmux.WaitFor("who met Kim Jong Un")) << tmux.Screen();
    tmux.Keys("C-u");

    // SPARQL over two lines: the first leaves a brace open.
    tmux.Type("SELECT ?m WHERE {");
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("...> ")) << tmux.Screen();
    tmux.Type("?m a :Summit }");
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("4 rows")) << tmux.Screen();

    // :load, then the loaded fact answers a query.
    tmux.Type(":load " + (dir_ / "zebra.nt").string());
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("loaded 1 quads")) << tmux.Screen();
    tmux.Type("SELECT ?l WHERE { <http://example.org/zebra> rdfs:label ?l }");
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("Zebra crossing talks")) << tmux.Screen();

    // :export with the words of parley export.
    tmux.Type(":export --root \"hanoi summit\" -o " + exported.string());
    tmux.Keys("Enter");
    tmux.Type(":sources");
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("mele-2019-hanoi-summit")) << tmux.Screen();
    const auto json = nlohmann::json::parse(parley::testing::ReadFileText(exported));
    EXPECT_FALSE(json.at("nodes").empty());
    EXPECT_FALSE(json.at("edges").empty());

    // Ctrl-C stops a query that would run for hours, and the REPL carries on.
    // (A Ctrl-C that lands before the query starts only clears the line, so try again then.)
    bool cancelled = false;
    for (int attempt = 0; attempt < 3 && !cancelled; ++attempt) {
      tmux.Type("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
      tmux.Keys("Enter");
      std::this_thread::sleep_for(std::chrono::milliseconds(700));
      tmux.Keys("C-c");
      cancelled = tmux.WaitFor("query cancelled", 1, 2);  // within 2 s of the Ctrl-C (it once took 70 s)
    }
    ASSERT_TRUE(cancelled) << tmux.Screen();
    tmux.Type("which summits?");
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("Panmunjom summit of April 2018", 2)) << tmux.Screen();

    tmux.Type(":quit");
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitForExit()) << tmux.Screen();
  }
  // The history survives: Ctrl-R finds the question from the last session.
  const std::string history = parley::testing::ReadFileText(dir_ / "xdg" / "parley" / "history");
  EXPECT_NE(history.find("who met kim jong Un"), std::string::npos) << history;
  EXPECT_NE(history.find("SELECT ?m WHERE { ?m a :Summit }"), std::string::npos) << history;
  {
    Tmux tmux(dir_);
    tmux.Start("env NO_COLOR=1 " + session);
    ASSERT_TRUE(tmux.WaitFor("parley> ")) << tmux.Screen();
    EXPECT_EQ(tmux.ColouredScreen().find('\033'), std::string::npos);  // NO_COLOR is obeyed
    tmux.Keys("C-r");
    tmux.Type("kim jong");
    ASSERT_TRUE(tmux.WaitFor("who met kim jong Un")) << tmux.Screen();
    tmux.Keys("Enter");
    ASSERT_TRUE(tmux.WaitFor("Moon Jae-in")) << tmux.Screen();
    tmux.Keys("C-d");
    ASSERT_TRUE(tmux.WaitForExit()) << tmux.Screen();
  }
}

}  // namespace
}  // namespace parley::cli
