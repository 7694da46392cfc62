// The W3C RDF 1.1 N-Triples and N-Quads syntax suites, read from ../shared/conformance
// (or $PARLEY_CONFORMANCE_DIR). Every positive test must parse; every negative one must fail.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "ingest/ntriples_reader.hpp"

namespace parley::ingest {
namespace {

std::filesystem::path ConformanceDir() {
  if (const char* dir = std::getenv("PARLEY_CONFORMANCE_DIR"); dir != nullptr && *dir != '\0') return dir;
  return PARLEY_DEFAULT_CONFORMANCE_DIR;
}

struct ManifestEntry {
  std::string name, type, action;
};

// Reads the entries of a W3C syntax manifest. These manifests put each entry in one
// block: `<#name> rdf:type rdft:Type ;` (or `a`) ... `mf:action <file> ;`. (The Turtle reader of a
// later issue will replace this reader.)
std::vector<ManifestEntry> ReadManifest(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<ManifestEntry> entries;
  std::string line;
  while (std::getline(in, line)) {
    // The type follows "rdf:type" or its Turtle shorthand "a".
    std::size_t type_at = line.find(" rdf:type ");
    std::size_t skip = 10;
    if (type_at == std::string::npos) {
      type_at = line.find(" a ");
      skip = 3;
    }
    if (line.rfind("<#", 0) == 0 && type_at != std::string::npos) {
      std::istringstream words(line.substr(type_at + skip));
      ManifestEntry e;
      e.name = line.substr(2, line.find('>') - 2);
      words >> e.type;
      entries.push_back(e);
    } else if (auto action_at = line.find("mf:action"); action_at != std::string::npos && !entries.empty()) {
      auto open = line.find('<', action_at), close = line.find('>', action_at);
      entries.back().action = line.substr(open + 1, close - open - 1);
    }
  }
  return entries;
}

void RunSuite(const std::string& folder, RdfFormat format, std::size_t expected_tests) {
  const auto dir = ConformanceDir() / "rdf" / "rdf11" / folder;
  if (!std::filesystem::exists(dir / "manifest.ttl")) {
    GTEST_SKIP() << "W3C conformance suite not found at " << dir
                 << " (set PARLEY_CONFORMANCE_DIR); skipping " << folder;
  }
  const auto entries = ReadManifest(dir / "manifest.ttl");
  ASSERT_EQ(entries.size(), expected_tests) << "manifest entries in " << folder;
  int passed = 0, failed = 0;
  for (const auto& e : entries) {
    const bool positive = e.type.find("PositiveSyntax") != std::string::npos;
    ASSERT_TRUE(positive || e.type.find("NegativeSyntax") != std::string::npos) << e.name << " " << e.type;
    std::FILE* file = std::fopen((dir / e.action).c_str(), "rb");
    ASSERT_NE(file, nullptr) << e.action;
    Status s = ReadNTriples(file, format, e.action, [](const Statement&) { return Status::OK(); });
    std::fclose(file);
    if (s.ok() == positive) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << folder << "/" << e.action << ": " << (positive ? "should parse but failed: " + s.ToString()
                                                                     : std::string("should fail but parsed"));
    }
  }
  std::printf("%s: %d passed, %d failed\n", folder.c_str(), passed, failed);
}

TEST(ConformanceTest, NTriplesSyntaxSuite) { RunSuite("rdf-n-triples", RdfFormat::kNTriples, 70); }
TEST(ConformanceTest, NQuadsSyntaxSuite) { RunSuite("rdf-n-quads", RdfFormat::kNQuads, 87); }

}  // namespace
}  // namespace parley::ingest
