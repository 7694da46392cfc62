// `parley update` on the seeded database: SPARQL Update from the command line, what it
// means for sources and their evidence, and atomicity (a failing operation, kill -9).
#include <signal.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/cli/seeded_database_test.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;
using parley::testing::RunCommand;

class UpdateCliTest : public parley::testing::SeededDatabaseTest<UpdateCliTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<UpdateCliTest>;
  static constexpr const char* kName = "update";

  static CommandResult Update(const std::string& request) {
    const auto file = dir_ / "request.ru";
    std::ofstream(file) << request;
    return Run("update -f " + file.string());
  }
  static std::string QuadCount() {
    std::smatch m;
    const std::string out = Run("stats").out;
    return std::regex_search(out, m, std::regex("quads +([0-9,]+)")) ? std::string(m[1]) : "?";
  }
  // TSV with integers written bare, as SPARQL's TSV allows for the abbreviated forms.
  static std::string Select(const std::string& query) {
    return std::regex_replace(Run("query --format tsv '" + query + "'").out,
                              std::regex("\"([0-9]+)\"\\^\\^<http://www.w3.org/2001/XMLSchema#integer>"), "$1");
  }
  // The facts column of `parley sources` for one source.
  static std::string Facts(const std::string& source) {
    std::smatch m;
    const std::string out = Run("sources").out;
    return std::regex_search(out, m, std::regex(source + "\t[^\t]*\t([0-9,]+)")) ? std::string(m[1]) : "?";
  }
};

constexpr const char* kHanoiContext = "<http://parley.example.org/context/hanoi-summit-record-2019/section-summit-7ba8482c>";

TEST_F(UpdateCliTest, ACuratorFixesOneDateInItsSourcesContext) {
  auto fixed = Update(std::string("DELETE { GRAPH ?g { id:hanoi-summit :endDate ?d } }\n"
                                  "INSERT { GRAPH ?g { id:hanoi-summit :endDate \"2019-02-28T14:00:00\"^^xsd:dateTime } }\n"
                                  "WHERE { GRAPH ?g { id:hanoi-summit :endDate ?d } }"));
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(fixed.out.rfind("updated: 1 operation, 1 quads added, 1 removed in ", 0), 0u) << fixed.out;
  EXPECT_EQ(Select("SELECT ?g ?d WHERE { GRAPH ?g { id:hanoi-summit :endDate ?d } }"),
            std::string("?g\t?d\n") + kHanoiContext + "\t\"2019-02-28T14:00:00\"^^<http://www.w3.org/2001/XMLSchema#dateTime>\n");
  // The corrected fact keeps its evidence: :why still cites the source.
  auto why = Run("ask --why 'when did the Hanoi summit end'");
  EXPECT_NE(why.out.find("hanoi-summit-record-2019"), std::string::npos) << why.out << why.err;
}

TEST_F(UpdateCliTest, AFactWrittenIntoAContextBelongsToItsSource) {
  const std::string before = Facts("hanoi-summit-record-2019");
  auto added = Update(std::string("INSERT DATA { GRAPH ") + kHanoiContext + " { id:hanoi-summit :outcome \"A note added by update\" } }");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(Facts("hanoi-summit-record-2019"), std::to_string(std::stoul(before) + 1));
  auto why = Run("ask --why 'what did the Hanoi summit produce'");
  EXPECT_NE(why.out.find("A note added by update"), std::string::npos) << why.out;
  // Retracting the source takes the added fact with it; reloading the curated file restores the rest.
  ASSERT_EQ(Run("retract --source hanoi-summit-record-2019").exit_code, 0);
  EXPECT_EQ(Select("ASK { ?m :outcome \"A note added by update\" }"), "?_askResult\nfalse\n");
  auto reload = Run(std::string("load ") + PARLEY_SOURCE_DIR + "/data/facts/hanoi-summit-record-2019.json");
  ASSERT_EQ(reload.exit_code, 0) << reload.err;
  EXPECT_EQ(Facts("hanoi-summit-record-2019"), before);
}

TEST_F(UpdateCliTest, WritesThatWouldBypassTheEvidenceChecksAreRefused) {
  const std::string quads = QuadCount();
  auto provenance = Update("DELETE WHERE { GRAPH <http://parley.example.org/graph/provenance> { ?c :quote ?q } }");
  EXPECT_EQ(provenance.exit_code, 1);
  EXPECT_NE(provenance.err.find("holds sources, passages and grades"), std::string::npos) << provenance.err;
  EXPECT_NE(provenance.err.find("nothing was changed"), std::string::npos) << provenance.err;
  auto clear_all = Update("CLEAR ALL");
  EXPECT_EQ(clear_all.exit_code, 1);
  auto orphan = Update("INSERT DATA { GRAPH <http://parley.example.org/context/invented/p1> { id:x :y \"z\" } }");
  EXPECT_EQ(orphan.exit_code, 1);
  EXPECT_NE(orphan.err.find("is not the evidence context of any source"), std::string::npos) << orphan.err;
  EXPECT_EQ(QuadCount(), quads);
}

TEST_F(UpdateCliTest, ARequestIsOneTransaction) {
  const std::string quads = QuadCount();
  // The second operation fails, so the first is not kept either.
  auto failed = Update("INSERT DATA { id:note-1 rdfs:label \"kept?\" } ;\nDROP GRAPH <http://example.org/never-made>");
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("DROP: graph <http://example.org/never-made> does not exist"), std::string::npos) << failed.err;
  EXPECT_EQ(QuadCount(), quads);
  // Later operations see earlier ones: the INSERT's quads are there for the DELETE/INSERT to move.
  auto chained = Update("PREFIX ex: <http://example.org/>\n"
                        "INSERT DATA { GRAPH ex:scratch { ex:a ex:p 1, 2, 3 } } ;\n"
                        "DELETE { GRAPH ex:scratch { ?s ex:p ?n } } INSERT { GRAPH ex:scratch { ?s ex:q ?n } }\n"
                        "WHERE { GRAPH ex:scratch { ?s ex:p ?n FILTER(?n > 1) } } ;\n"
                        "COPY GRAPH ex:scratch TO GRAPH ex:copy ; MOVE ex:copy TO ex:moved");
  ASSERT_EQ(chained.exit_code, 0) << chained.err;
  EXPECT_EQ(chained.out.rfind("updated: 4 operations, 6 quads added, 0 removed", 0), 0u) << chained.out;
  EXPECT_EQ(Select("SELECT ?g ?p ?n WHERE { GRAPH ?g { <http://example.org/a> ?p ?n } } ORDER BY ?g ?p ?n"),
            "?g\t?p\t?n\n"
            "<http://example.org/moved>\t<http://example.org/p>\t1\n<http://example.org/moved>\t<http://example.org/q>\t2\n"
            "<http://example.org/moved>\t<http://example.org/q>\t3\n<http://example.org/scratch>\t<http://example.org/p>\t1\n"
            "<http://example.org/scratch>\t<http://example.org/q>\t2\n<http://example.org/scratch>\t<http://example.org/q>\t3\n");
  ASSERT_EQ(Update("DROP GRAPH <http://example.org/scratch> ; DROP GRAPH <http://example.org/moved>").exit_code, 0);
  EXPECT_EQ(QuadCount(), quads);
}

TEST_F(UpdateCliTest, BadRequestsNameTheLineAndColumn) {
  auto var = Run("update 'INSERT DATA { id:x :y ?v }'");
  EXPECT_EQ(var.exit_code, 1);
  EXPECT_NE(var.err.find("<update>:1:13: error: a DATA block takes no variables (?v)"), std::string::npos) << var.err;
  EXPECT_NE(var.err.find("            ^"), std::string::npos) << var.err;
  auto typo = Update("CREATE GRAPH <http://example.org/g> ;\nDROPP GRAPH <http://example.org/g>");
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("request.ru:2:1: error:"), std::string::npos) << typo.err;
  auto blank = Run("update 'DELETE DATA { _:b :y 1 }'");
  EXPECT_NE(blank.err.find("DELETE DATA takes no blank nodes"), std::string::npos) << blank.err;
  auto none = Run("update");
  EXPECT_EQ(none.exit_code, 2);
}

TEST_F(UpdateCliTest, LoadReadsLocalFilesAndNothingFromTheNetwork) {
  const auto file = dir_ / "extra.ttl";
  std::ofstream(file) << "@prefix ex: <http://example.org/> .\nex:extra ex:p [ ex:q \"nested\" ] .\n";
  auto loaded = Update("LOAD <file://" + file.string() + "> INTO GRAPH <http://example.org/extra>");
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  EXPECT_EQ(loaded.out.rfind("updated: 1 operation, 2 quads added", 0), 0u) << loaded.out;
  EXPECT_EQ(Select("SELECT ?v WHERE { GRAPH <http://example.org/extra> { ?s ?p [ ?q ?v ] } }"), "?v\n\"nested\"\n");
  auto remote = Update("LOAD <https://example.org/data.ttl>");
  EXPECT_EQ(remote.exit_code, 1);
  EXPECT_NE(remote.err.find("Parley reads no network"), std::string::npos) << remote.err;
  EXPECT_EQ(Update("LOAD SILENT <https://example.org/data.ttl>").exit_code, 0);
  auto facts = Update(std::string("LOAD <file://") + PARLEY_SOURCE_DIR + "/data/facts/hanoi-summit-record-2019.json>");
  EXPECT_NE(facts.err.find("is a fact file"), std::string::npos) << facts.err;
  ASSERT_EQ(Update("DROP GRAPH <http://example.org/extra>").exit_code, 0);
}

// Every commit is logged with its generation, time, counts and command line.
TEST_F(UpdateCliTest, TheLogListsEveryCommitWithItsCounts) {
  ASSERT_EQ(Update("INSERT DATA { <http://example.org/logged> <http://example.org/p> 1, 2 }").exit_code, 0);
  ASSERT_EQ(Update("DELETE DATA { <http://example.org/logged> <http://example.org/p> 2 }").exit_code, 0);
  auto log = Run("log");
  ASSERT_EQ(log.exit_code, 0) << log.err;
  std::vector<std::string> lines;
  std::istringstream in(log.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 4u) << log.out;
  EXPECT_TRUE(std::regex_search(lines[1], std::regex("^ +1  20[0-9-]+T[0-9:]+Z +[0-9,]+ +0  parley --db \\S+ init$")))
      << lines[1];
  const std::size_t n = lines.size();
  EXPECT_TRUE(std::regex_search(lines[n - 2], std::regex(" +2 +0  parley --db \\S+ update -f \\S+request.ru$"))) << lines[n - 2];
  EXPECT_TRUE(std::regex_search(lines[n - 1], std::regex(" +0 +1  parley --db \\S+ update -f \\S+request.ru$"))) << lines[n - 1];
  // Generations count up by one, commit by commit.
  EXPECT_EQ(std::stoul(lines[n - 1]), std::stoul(lines[n - 2]) + 1);
}

// kill -9 while a DELETE/INSERT WHERE rewrites every quad of a large graph: afterwards
// the store holds all of the change or none of it, and check finds every index whole.
// PARLEY_KILL_QUADS sets the size (make soak runs a million).
TEST_F(UpdateCliTest, KillNineDuringALargeUpdateLeavesAllOrNothing) {
  const char* env = std::getenv("PARLEY_KILL_QUADS");
  const long quads = env != nullptr ? std::atol(env) : 50'000;
  const auto db = dir_ / "kill-db";
  const std::string parley = std::string(PARLEY_BINARY) + " --db " + db.string();
  {
    std::ofstream out(dir_ / "big.nt");
    for (long i = 0; i < quads; ++i) out << "<http://example.org/s" << i << "> <http://example.org/old> \"" << i << "\" .\n";
  }
  ASSERT_EQ(RunCommand(parley + " load " + (dir_ / "big.nt").string(), dir_).exit_code, 0);
  const std::string request = "PREFIX ex: <http://example.org/> DELETE { ?s ex:old ?o } INSERT { ?s ex:new ?o } WHERE { ?s ex:old ?o }";
  auto count = [&](const char* p) {
    auto r = RunCommand(parley + " query --format tsv 'SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/" + p + "> ?o }'", dir_);
    return std::regex_replace(r.out.substr(r.out.find('\n') + 1), std::regex("\"([0-9]+)\".*"), "$1");
  };
  const std::string back = "PREFIX ex: <http://example.org/> DELETE { ?s ex:new ?o } INSERT { ?s ex:old ?o } WHERE { ?s ex:new ?o }";
  // One whole run first, to know how long the update takes on this machine (ASan is slower).
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunCommand(parley + " update '" + request + "'", dir_).exit_code, 0);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(RunCommand(parley + " update '" + back + "'", dir_).exit_code, 0);
  // Kill at several moments: while the WHERE runs, while the changes build, while they commit.
  for (double fraction : {0.3, 0.8, 0.97}) {
    const auto pid_file = dir_ / "update.pid";
    ASSERT_EQ(std::system((parley + " update '" + request + "' > /dev/null 2>&1 & echo $! > " + pid_file.string()).c_str()), 0);
    std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(took * fraction));
    std::ifstream pid_in(pid_file);
    int pid = 0;
    pid_in >> pid;
    ::kill(pid, SIGKILL);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto check = RunCommand(parley + " check", dir_);
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    const std::string all = std::to_string(quads) + "\n";
    const std::string old_count = count("old"), new_count = count("new");
    EXPECT_TRUE((old_count == all && new_count == "0\n") || (old_count == "0\n" && new_count == all))
        << "after kill at " << fraction << " of the run: old " << old_count << " new " << new_count;
    if (new_count == all) {  // put it back for the next kill
      ASSERT_EQ(RunCommand(parley + " update '" + back + "'", dir_).exit_code, 0);
    }
  }
  std::filesystem::remove_all(db);
}

}  // namespace
}  // namespace parley::cli
