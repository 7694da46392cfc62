// The W3C SPARQL syntax tests: every positive test parses, every negative one fails.
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "query/parse.hpp"
#include "tests/support/rdf_test_support.hpp"

namespace parley::query {
namespace {

struct Tally {
  int passed = 0, failed = 0;
};

void RunFolder(const std::string& folder, Tally* total) {
  const auto dir = parley::testing::ConformanceDir() / "sparql" / folder;
  if (!std::filesystem::exists(dir / "manifest.ttl")) return;
  Tally here;
  for (const auto& e : parley::testing::ReadManifest(dir / "manifest.ttl")) {
    const bool positive = e.type.find("PositiveSyntax") != std::string::npos;
    const bool negative = e.type.find("NegativeSyntax") != std::string::npos;
    if (!positive && !negative) continue;
    const std::string text = parley::testing::ReadFileText(e.action);
    ParseOptions options;
    options.base = "file://" + e.action.string();
    auto parsed = ParseQuery(text, e.action.filename().string(), options);
    if (parsed.ok() == positive) {
      ++here.passed;
    } else {
      ++here.failed;
      ADD_FAILURE() << folder << "/" << e.action.filename().string() << ": "
                    << (positive ? "should parse: " + parsed.status().ToString() : "should not parse:\n" + text);
    }
  }
  std::printf("%-28s %3d passed, %3d failed\n", folder.c_str(), here.passed, here.failed);
  total->passed += here.passed;
  total->failed += here.failed;
}

TEST(SparqlSyntaxTest, W3CSyntaxSuites) {
  if (!std::filesystem::exists(parley::testing::ConformanceDir() / "sparql")) {
    GTEST_SKIP() << "W3C SPARQL tests not found at " << parley::testing::ConformanceDir();
  }
  Tally total;
  for (const char* folder : {"sparql11/syntax-query", "sparql11/aggregates", "sparql11/grouping", "sparql11/construct",
                             "sparql10/syntax-sparql1", "sparql10/syntax-sparql2", "sparql10/syntax-sparql3",
                             "sparql10/syntax-sparql4", "sparql10/syntax-sparql5"}) {
    RunFolder(folder, &total);
  }
  std::printf("SPARQL syntax: %d passed, %d failed\n", total.passed, total.failed);
}

}  // namespace
}  // namespace parley::query
