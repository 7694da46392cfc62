// The W3C RDF 1.1 N-Triples, N-Quads, Turtle, TriG and RDF/XML suites, read from ../shared/conformance
// (or $PARLEY_CONFORMANCE_DIR). Every positive syntax test must parse, every negative
// one must fail, and every Turtle evaluation test, loaded with `parley load --base IRI`
// and dumped, must give a graph isomorphic to the expected one, also after a round
// trip through the Turtle writer.
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "ingest/ntriples_reader.hpp"
#include "ingest/rdfxml_reader.hpp"
#include "ingest/turtle_reader.hpp"
#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::ingest {
namespace {

using parley::testing::ConformanceDir;
using parley::testing::ManifestEntry;

const std::string kTurtleTestBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/";
const std::string kTrigTestBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-trig/";
const std::string kRdfXmlTestBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/";

// A test file's path within its suite's folder (the RDF/XML suite has subfolders).
std::string InSuite(const std::filesystem::path& file, const std::filesystem::path& dir) {
  return file.lexically_normal().lexically_relative(dir.lexically_normal()).string();
}

std::vector<ManifestEntry> EntriesOrSkip(const std::string& folder, std::filesystem::path* dir) {
  *dir = ConformanceDir() / "rdf" / "rdf11" / folder;
  if (!std::filesystem::exists(*dir / "manifest.ttl")) return {};
  return parley::testing::ReadManifest(*dir / "manifest.ttl");
}

#define SKIP_IF_ABSENT(dir)                                                                                  \
  if (!std::filesystem::exists((dir) / "manifest.ttl"))                                                     \
  GTEST_SKIP() << "W3C conformance suite not found at " << (dir) << " (set PARLEY_CONFORMANCE_DIR)"

Status ParseFile(const std::filesystem::path& path, const std::filesystem::path& dir, RdfFormat format) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IOError("cannot open " + path.string());
  auto ignore = [](const Statement&) { return Status::OK(); };
  Status s = format == RdfFormat::kTurtle   ? ReadTurtle(file, path.string(), kTurtleTestBase + InSuite(path, dir), ignore)
             : format == RdfFormat::kTriG   ? ReadTriG(file, path.string(), kTrigTestBase + InSuite(path, dir), ignore)
             : format == RdfFormat::kRdfXml ? ReadRdfXml(file, path.string(), kRdfXmlTestBase + InSuite(path, dir), ignore)
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
    Status s = ParseFile(e.action, dir, format);
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
TEST(ConformanceTest, RdfXmlSyntaxSuite) { RunSyntaxSuite("rdf-xml", RdfFormat::kRdfXml, 166); }


// An evaluation suite through the command line: each test's input loaded with `parley
// load --base`, dumped (N-Triples, or N-Quads for a dataset) and compared with the
// expected result up to blank node renaming; then written back in its own syntax by
// `parley dump --format WRITER`, reloaded into a fresh database, and compared again.
void RunEvaluationSuite(const std::string& folder, const std::string& type, const std::string& base,
                        const std::string& writer, bool dataset, int expected_tests) {
  std::filesystem::path dir;
  auto entries = EntriesOrSkip(folder, &dir);
  SKIP_IF_ABSENT(dir);
  const auto scratch = parley::testing::UniqueTestDir(folder + "-eval");
  std::filesystem::create_directories(scratch);
  const std::string dump = dataset ? " dump --format nquads" : " dump --format ntriples";
  auto parse = [dataset](const std::string& text) {
    return dataset ? parley::testing::ParseNQuads(text) : parley::testing::ParseNTriples(text);
  };
  int passed = 0, failed = 0;
  for (const auto& e : entries) {
    if (e.type != type) continue;
    const auto db = scratch / "db", again = scratch / "again";
    std::filesystem::remove_all(db);
    std::filesystem::remove_all(again);
    const std::string parley = std::string(PARLEY_BINARY) + " --db " + db.string();
    auto load = parley::testing::RunCommand(parley + " load --base " + base + InSuite(e.action, dir) + " " + e.action.string(),
                                            scratch);
    auto dumped = parley::testing::RunCommand(parley + dump, scratch);
    const auto expected = parse(parley::testing::ReadFileText(e.result));
    bool ok = load.exit_code == 0 && dumped.exit_code == 0 && parley::testing::Isomorphic(parse(dumped.out), expected);
    const auto written = scratch / (writer == "turtle" ? "dump.ttl" : "dump." + writer);
    auto write = parley::testing::RunCommand(parley + " dump --format " + writer + " > " + written.string(), scratch);
    auto reload = parley::testing::RunCommand(std::string(PARLEY_BINARY) + " --db " + again.string() + " load " +
                                                  written.string() + " >/dev/null && " + PARLEY_BINARY + " --db " +
                                                  again.string() + dump,
                                              scratch);
    ok = ok && write.exit_code == 0 && reload.exit_code == 0 && parley::testing::Isomorphic(parse(reload.out), expected);
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << e.name << ": " << load.err << reload.err << "\ngot:\n" << dumped.out << "\n" << writer << ":\n"
                    << parley::testing::ReadFileText(written) << "\nreloaded:\n" << reload.out << "expected:\n"
                    << parley::testing::ReadFileText(e.result);
    }
  }
  std::filesystem::remove_all(scratch);
  EXPECT_EQ(passed + failed, expected_tests);
  std::printf("%s evaluation: %d passed, %d failed\n", folder.c_str(), passed, failed);
}

TEST(ConformanceTest, TurtleEvaluationSuiteThroughTheCommandLine) {
  RunEvaluationSuite("rdf-turtle", "TestTurtleEval", kTurtleTestBase, "turtle", /*dataset=*/false, 145);
}

TEST(ConformanceTest, RdfXmlEvaluationSuiteThroughTheCommandLine) {
  RunEvaluationSuite("rdf-xml", "TestXMLEval", kRdfXmlTestBase, "turtle", /*dataset=*/false, 126);
}

TEST(ConformanceTest, TrigEvaluationSuiteThroughTheCommandLine) {
  RunEvaluationSuite("rdf-trig", "TestTrigEval", kTrigTestBase, "trig", /*dataset=*/true, 143);
}

}  // namespace
}  // namespace parley::ingest
