// The W3C RDF 1.1 N-Triples, N-Quads, Turtle and TriG suites, read from ../shared/conformance
// (or $PARLEY_CONFORMANCE_DIR). Every positive syntax test must parse, every negative
// one must fail, and every Turtle evaluation test, loaded with `parley load --base IRI`
// and dumped, must give a graph isomorphic to the expected one, also after a round
// trip through the Turtle writer.
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "ingest/ntriples_reader.hpp"
#include "ingest/turtle_reader.hpp"
#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::ingest {
namespace {

using parley::testing::ConformanceDir;
using parley::testing::ManifestEntry;

constexpr const char* kTurtleTestBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/";
const std::string kTrigTestBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-trig/";

std::vector<ManifestEntry> EntriesOrSkip(const std::string& folder, std::filesystem::path* dir) {
  *dir = ConformanceDir() / "rdf" / "rdf11" / folder;
  if (!std::filesystem::exists(*dir / "manifest.ttl")) return {};
  return parley::testing::ReadManifest(*dir / "manifest.ttl");
}

#define SKIP_IF_ABSENT(dir)                                                                                  \
  if (!std::filesystem::exists((dir) / "manifest.ttl"))                                                     \
  GTEST_SKIP() << "W3C conformance suite not found at " << (dir) << " (set PARLEY_CONFORMANCE_DIR)"

Status ParseFile(const std::filesystem::path& path, RdfFormat format) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IOError("cannot open " + path.string());
  auto ignore = [](const Statement&) { return Status::OK(); };
  Status s = format == RdfFormat::kTurtle ? ReadTurtle(file, path.string(), kTurtleTestBase + path.filename().string(), ignore)
             : format == RdfFormat::kTriG   ? ReadTriG(file, path.string(), kTrigTestBase + path.filename().string(), ignore)
                                            : ReadNTriples(file, format, path.string(), ignore);
  std::fclose(file);
  return s;
}

void RunSyntaxSuite(const std::string& folder, RdfFormat format, std::size_t expected_tests) {
  std::filesystem::path dir;
  auto entries = EntriesOrSkip(folder, &dir);
  SKIP_IF_ABSENT(dir);
  ASSERT_EQ(entries.size(), expected_tests) << "manifest entries in " << folder;
  int passed = 0, failed = 0, other = 0;
  for (const auto& e : entries) {
    const bool positive = e.type.find("PositiveSyntax") != std::string::npos;
    const bool negative = e.type.find("NegativeSyntax") != std::string::npos;
    if (!positive && !negative) {
      ++other;  // evaluation tests run in their own test
      continue;
    }
    Status s = ParseFile(e.action, format);
    if (s.ok() == positive) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << e.action << ": " << (positive ? "should parse but failed: " + s.ToString()
                                                     : std::string("should fail but parsed"));
    }
  }
  std::printf("%s syntax: %d passed, %d failed (%d evaluation tests run separately)\n", folder.c_str(), passed,
              failed, other);
}

TEST(ConformanceTest, NTriplesSyntaxSuite) { RunSyntaxSuite("rdf-n-triples", RdfFormat::kNTriples, 70); }
TEST(ConformanceTest, NQuadsSyntaxSuite) { RunSyntaxSuite("rdf-n-quads", RdfFormat::kNQuads, 87); }
TEST(ConformanceTest, TurtleSyntaxSuite) { RunSyntaxSuite("rdf-turtle", RdfFormat::kTurtle, 313); }
TEST(ConformanceTest, TrigSyntaxSuite) { RunSyntaxSuite("rdf-trig", RdfFormat::kTriG, 356); }

// Every TriG evaluation test through `parley load` and `parley dump` (N-Quads), and
// back through the TriG writer: `dump --format trig` reloaded is the same dataset.
TEST(ConformanceTest, TrigEvaluationSuiteThroughTheCommandLine) {
  std::filesystem::path dir;
  auto entries = EntriesOrSkip("rdf-trig", &dir);
  SKIP_IF_ABSENT(dir);
  const auto scratch = parley::testing::UniqueTestDir("trig-eval");
  std::filesystem::create_directories(scratch);
  int passed = 0, failed = 0;
  for (const auto& e : entries) {
    if (e.type != "TestTrigEval") continue;
    const auto db = scratch / "db", again = scratch / "again";
    std::filesystem::remove_all(db);
    std::filesystem::remove_all(again);
    const std::string parley = std::string(PARLEY_BINARY) + " --db " + db.string();
    auto load = parley::testing::RunCommand(
        parley + " load --base " + kTrigTestBase + e.action.filename().string() + " " + e.action.string(), scratch);
    auto dump = parley::testing::RunCommand(parley + " dump --format nquads", scratch);
    const auto expected = parley::testing::ParseNQuads(parley::testing::ReadFileText(e.result));
    bool ok = load.exit_code == 0 && dump.exit_code == 0 &&
              parley::testing::Isomorphic(parley::testing::ParseNQuads(dump.out), expected);
    const auto trig = scratch / "dump.trig";
    auto write = parley::testing::RunCommand(parley + " dump --format trig > " + trig.string(), scratch);
    auto reload = parley::testing::RunCommand(std::string(PARLEY_BINARY) + " --db " + again.string() + " load " +
                                                  trig.string() + " >/dev/null && " + PARLEY_BINARY + " --db " +
                                                  again.string() + " dump --format nquads",
                                              scratch);
    ok = ok && write.exit_code == 0 && reload.exit_code == 0 &&
         parley::testing::Isomorphic(parley::testing::ParseNQuads(reload.out), expected);
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << e.name << ": " << load.err << reload.err << "\ngot:\n" << dump.out << "\ntrig:\n"
                    << parley::testing::ReadFileText(trig) << "\nreloaded:\n" << reload.out << "expected:\n"
                    << parley::testing::ReadFileText(e.result);
    }
  }
  std::filesystem::remove_all(scratch);
  EXPECT_EQ(passed + failed, 143);
  std::printf("rdf-trig evaluation: %d passed, %d failed\n", passed, failed);
}

TEST(ConformanceTest, TurtleEvaluationSuiteThroughTheCommandLine) {
  std::filesystem::path dir;
  auto entries = EntriesOrSkip("rdf-turtle", &dir);
  SKIP_IF_ABSENT(dir);
  const auto scratch = parley::testing::UniqueTestDir("turtle-eval");
  std::filesystem::create_directories(scratch);
  int passed = 0, failed = 0;
  for (const auto& e : entries) {
    if (e.type != "TestTurtleEval") continue;
    const auto db = scratch / "db";
    std::filesystem::remove_all(db);
    const std::string parley = std::string(PARLEY_BINARY) + " --db " + db.string();
    auto load = parley::testing::RunCommand(
        parley + " load --base " + kTurtleTestBase + e.action.filename().string() + " " + e.action.string(), scratch);
    auto dump = parley::testing::RunCommand(parley + " dump --format ntriples", scratch);
    const auto expected = parley::testing::ParseNTriples(parley::testing::ReadFileText(e.result));
    bool ok = load.exit_code == 0 && dump.exit_code == 0 &&
              parley::testing::Isomorphic(parley::testing::ParseNTriples(dump.out), expected);
    // The Turtle writer's output reads back as the same graph.
    const auto again = scratch / "again";
    std::filesystem::remove_all(again);
    const auto turtle = scratch / "dump.ttl";
    auto write = parley::testing::RunCommand(parley + " dump --format turtle > " + turtle.string(), scratch);
    auto reload = parley::testing::RunCommand(std::string(PARLEY_BINARY) + " --db " + again.string() + " load " +
                                                  turtle.string() + " >/dev/null && " + PARLEY_BINARY + " --db " +
                                                  again.string() + " dump --format ntriples",
                                              scratch);
    ok = ok && write.exit_code == 0 && reload.exit_code == 0 &&
         parley::testing::Isomorphic(parley::testing::ParseNTriples(reload.out), expected);
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << e.name << ": " << load.err << reload.err << "\ngot:\n" << dump.out << "\nturtle:\n"
                    << parley::testing::ReadFileText(turtle) << "\nreloaded:\n" << reload.out << "expected:\n"
                    << parley::testing::ReadFileText(e.result);
    }
  }
  std::filesystem::remove_all(scratch);
  EXPECT_EQ(passed + failed, 145);
  std::printf("rdf-turtle evaluation: %d passed, %d failed\n", passed, failed);
}

}  // namespace
}  // namespace parley::ingest
