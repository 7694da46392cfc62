// parley export: the JSON subgraph format, JSON-LD that a JSON-LD processor reads back
// to the same triples, DOT that Graphviz renders, and the other graph formats.
#include <algorithm>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/seeded_database_test.hpp"
#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;

class ExportCliTest : public parley::testing::SeededDatabaseTest<ExportCliTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<ExportCliTest>;
  static constexpr const char* kName = "export-cli";
  static bool Have(const std::string& check) { return std::system((check + " >/dev/null 2>&1").c_str()) == 0; }
};

TEST_F(ExportCliTest, JsonSubgraphHasTheDocumentedShapeAndIsStable) {
  auto r = Run("export --root 'hanoi summit' --with-evidence");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["nodes"].is_array());
  ASSERT_TRUE(j["edges"].is_array());
  bool found_hanoi = false, found_trump_edge = false;
  std::string last_id;
  for (const auto& node : j["nodes"]) {
    ASSERT_TRUE(node["id"].is_string() && node["label"].is_string() && node["types"].is_array() && node["properties"].is_object());
    EXPECT_LT(last_id, node["id"].get<std::string>());  // sorted
    last_id = node["id"];
    if (node["id"] == "http://parley.example.org/id/hanoi-summit") {
      found_hanoi = true;
      EXPECT_EQ(node["label"], "Hanoi summit");
      EXPECT_NE(std::find(node["types"].begin(), node["types"].end(), "http://parley.example.org/ontology#Summit"), node["types"].end());
      EXPECT_EQ(node["properties"]["http://parley.example.org/ontology#startDate"][0], "2019-02-27");
    }
  }
  for (const auto& edge : j["edges"]) {
    ASSERT_TRUE(edge["source"].is_string() && edge["target"].is_string() && edge["predicate"].is_string() &&
                edge["predicate_label"].is_string() && edge["evidence"].is_array());
    if (edge["source"] == "http://parley.example.org/id/hanoi-summit" && edge["target"] == "http://parley.example.org/id/donald-trump") {
      found_trump_edge = true;
      EXPECT_EQ(edge["predicate_label"], "participant");
      std::set<std::string> sources;
      for (const auto& e : edge["evidence"]) sources.insert(e["source"].get<std::string>() + " " + e["locator"].get<std::string>());
      EXPECT_EQ(sources, (std::set<std::string>{"mele-2019-hanoi-summit paragraph 1", "hanoi-summit-record-2019 section summit"}));
    }
  }
  EXPECT_TRUE(found_hanoi);
  EXPECT_TRUE(found_trump_edge);
  EXPECT_EQ(Run("export --root 'hanoi summit' --with-evidence").out, r.out);  // stable across runs
}

TEST_F(ExportCliTest, RootsByLabelAliasOrIri) {
  const std::string by_label = Run("export --root 'Hanoi Summit' --format ntriples").out;
  EXPECT_FALSE(by_label.empty());
  EXPECT_EQ(Run("export --root 'the second summit' --format ntriples").out, by_label);
  EXPECT_EQ(Run("export --root id:hanoi-summit --format ntriples").out, by_label);
  EXPECT_EQ(Run("export --root '<http://parley.example.org/id/hanoi-summit>' --format ntriples").out, by_label);
  auto r = Run("export --root pyongyang");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("could mean"), std::string::npos) << r.err;
  r = Run("export --root 'no such thing'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Run("export").exit_code, 2);
  // Depth 2 reaches further than depth 1.
  EXPECT_GT(Run("export --root id:hanoi-summit --depth 2 --format ntriples").out.size(), by_label.size());
}

TEST_F(ExportCliTest, JsonLdReadsBackToTheSameTriples) {
  if (!Have("/usr/bin/python3 -c 'import pyld'")) GTEST_SKIP() << "python3-pyld is not installed; make test installs it";
  auto ld = Run("export --root id:hanoi-summit --format jsonld -o " + (dir_ / "h.jsonld").string());
  ASSERT_EQ(ld.exit_code, 0) << ld.err;
  auto rdf = parley::testing::RunCommand(
      "/usr/bin/python3 -c \"import json,sys; from pyld import jsonld; "
      "print(jsonld.to_rdf(json.load(open('" + (dir_ / "h.jsonld").string() + "')), {'format': 'application/n-quads'}))\"",
      dir_);
  ASSERT_EQ(rdf.exit_code, 0) << rdf.err;
  auto nt = Run("export --root id:hanoi-summit --format ntriples");
  EXPECT_TRUE(parley::testing::Isomorphic(parley::testing::ParseNTriples(rdf.out), parley::testing::ParseNTriples(nt.out)));
}

TEST_F(ExportCliTest, DotRendersWithGraphviz) {
  auto r = Run("export --root id:hanoi-summit --format dot -o " + (dir_ / "h.dot").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string dot = parley::testing::ReadFileText(dir_ / "h.dot");
  EXPECT_EQ(dot.rfind("digraph parley {", 0), 0u);
  EXPECT_NE(dot.find("[label=\"Hanoi summit\", fillcolor="), std::string::npos);
  if (!Have("command -v dot")) GTEST_SKIP() << "Graphviz is not installed; make test installs it";
  auto svg = parley::testing::RunCommand("dot -Tsvg " + (dir_ / "h.dot").string(), dir_);
  EXPECT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
}

TEST_F(ExportCliTest, ConstructNquadsAndTurtle) {
  auto r = Run("export --construct 'CONSTRUCT { ?a :contradicts ?b } WHERE { ?a :contradicts ?b }' --format ntriples");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "<http://parley.example.org/id/dprk-hanoi-account> <http://parley.example.org/ontology#contradicts> "
                   "<http://parley.example.org/id/us-hanoi-account> .\n");
  r = Run("export --root id:us-hanoi-account --format nquads");
  EXPECT_NE(r.out.find("<http://parley.example.org/context/trump-hanoi-press-conference-2019/"), std::string::npos) << r.out;
  r = Run("export --root id:us-hanoi-account --format turtle");
  EXPECT_NE(r.out.find("@prefix : <http://parley.example.org/ontology#> ."), std::string::npos);
  EXPECT_EQ(Run("export --root id:x --format xml").exit_code, 2);
}

}  // namespace
}  // namespace parley::cli
