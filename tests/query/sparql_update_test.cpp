// The W3C SPARQL 1.1 Update suites in ../shared/conformance/sparql/sparql11: every
// syntax test, and the evaluation tests run against a real store (the graph store
// before, the request, then each graph compared up to blank node renaming).
#include <cstdio>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "ingest/turtle_reader.hpp"
#include "query/parse.hpp"
#include "query/update.hpp"
#include "tests/support/rdf_test_support.hpp"

namespace parley::query {
namespace {

namespace fs = std::filesystem;
using parley::testing::ConformanceDir;
using parley::testing::ReadFileText;
using Graphs = std::map<std::string, std::vector<parley::testing::Triple>>;  // "" is the default graph

std::string FileIri(const fs::path& p) { return "file://" + fs::absolute(p).lexically_normal().string(); }

// A blank node gets `blank_prefix` before its label, so that documents keep theirs apart.
Term Owned(const TermView& v, const std::string& blank_prefix) {
  Term t = ToTerm(v);
  if (t.kind == TermKind::kBlankNode) t.value = blank_prefix + t.value;
  return t;
}

// Reads a Turtle file's triples; blank nodes get labels of their own document.
Status ReadGraph(const fs::path& file, const std::string& blank_prefix, std::vector<parley::testing::Triple>* out) {
  return ingest::ReadTurtleText(ReadFileText(file), file.string(), FileIri(file), [&](const ingest::Statement& st) {
    out->push_back({Owned(st.subject, blank_prefix), Owned(st.predicate, blank_prefix), Owned(st.object, blank_prefix)});
    return Status::OK();
  });
}

Result<Graphs> Expected(const parley::testing::StoreContents& contents) {
  Graphs graphs;
  int document = 0;
  for (const auto& file : contents.data) {
    PARLEY_RETURN_IF_ERROR(ReadGraph(file, "e" + std::to_string(++document) + "_", &graphs[""]));
  }
  for (const auto& [iri, file] : contents.graphs) {
    PARLEY_RETURN_IF_ERROR(ReadGraph(file, "e" + std::to_string(++document) + "_", &graphs[iri]));
  }
  std::erase_if(graphs, [](const auto& g) { return g.second.empty(); });
  return graphs;
}

Status Fill(store::QuadStore& store, const parley::testing::StoreContents& contents) {
  auto expected = Expected(contents);
  if (!expected.ok()) return expected.status();
  auto loader = store.NewLoader();
  if (!loader.ok()) return loader.status();
  for (const auto& [iri, triples] : *expected) {
    const Term graph = Term::Iri(iri);
    for (const auto& t : triples) PARLEY_RETURN_IF_ERROR((*loader)->Add(t.subject, t.predicate, t.object, iri.empty() ? nullptr : &graph));
  }
  return (*loader)->Commit();
}

Graphs Actual(const store::QuadStore& store) {
  Graphs graphs;
  auto cursor = store.Scan(QuadPattern{});
  Quad q;
  while (cursor->Next(&q)) {
    auto term = [&](TermId id) { return *store.LookupTerm(id); };
    graphs[q.graph == kDefaultGraph ? "" : term(q.graph).value].push_back({term(q.subject), term(q.predicate), term(q.object)});
  }
  return graphs;
}

std::string Show(const Graphs& graphs) {
  std::string out;
  for (const auto& [iri, triples] : graphs) {
    out += "graph <" + iri + ">:\n";
    for (const auto& t : triples) out += "  " + ToNTriples(t.subject) + " " + ToNTriples(t.predicate) + " " + ToNTriples(t.object) + "\n";
  }
  return out;
}

struct Tally {
  int passed = 0, failed = 0;
};

const char* const kEvalFolders[] = {"add", "basic-update", "clear", "copy", "delete-data", "delete-insert",
                                    "delete-where", "delete", "drop", "move", "update-silent"};

TEST(SparqlUpdateTest, W3CSyntaxSuites) {
  const fs::path root = ConformanceDir() / "sparql" / "sparql11";
  if (!fs::exists(root / "syntax-update-1")) GTEST_SKIP() << "W3C Update tests not found at " << root;
  Tally total;
  std::vector<std::string> folders = {"syntax-update-1", "syntax-update-2"};
  for (const char* f : kEvalFolders) folders.emplace_back(f);  // some hold syntax tests too
  for (const auto& folder : folders) {
    for (const auto& e : parley::testing::ReadManifest(root / folder / "manifest.ttl")) {
      // The update folders also file bad requests under the query suites' type names.
      const bool positive = e.type == "PositiveUpdateSyntaxTest11" || e.type == "PositiveSyntaxTest11";
      const bool negative = e.type == "NegativeUpdateSyntaxTest11" || e.type == "NegativeSyntaxTest11";
      if (!positive && !negative) continue;
      ParseOptions options;
      options.base = FileIri(e.action);
      auto parsed = ParseUpdate(ReadFileText(e.action), e.action.filename().string(), options);
      if (parsed.ok() == positive) {
        ++total.passed;
      } else {
        ++total.failed;
        ADD_FAILURE() << folder << "/" << e.action.filename().string() << ": "
                      << (positive ? "should parse: " + parsed.status().ToString() : "should not parse");
      }
    }
  }
  std::printf("SPARQL Update syntax: %d passed, %d failed\n", total.passed, total.failed);
  EXPECT_EQ(total.passed, 63);  // every one: 55 in syntax-update-*, 8 in delete-insert
}

TEST(SparqlUpdateTest, W3CEvaluationSuites) {
  const fs::path root = ConformanceDir() / "sparql" / "sparql11";
  if (!fs::exists(root / "basic-update")) GTEST_SKIP() << "W3C Update tests not found at " << root;
  const fs::path scratch = fs::temp_directory_path() / ("parley_update_w3c_" + std::to_string(::getpid()));
  Tally total;
  for (const char* folder : kEvalFolders) {
    Tally here;
    for (const auto& e : parley::testing::ReadManifest(root / folder / "manifest.ttl")) {
      if (e.type != "UpdateEvaluationTest") continue;
      fs::remove_all(scratch);
      std::unique_ptr<store::QuadStore> store;
      ASSERT_TRUE(store::QuadStore::Open(scratch, &store).ok());
      ASSERT_TRUE(Fill(*store, e.before).ok()) << e.name;
      UpdateOptions options;
      options.query.base = FileIri(e.request);
      // The suite's LOADs name documents on the web; Parley reads no network.
      options.read_document = [](const std::string& iri, const StatementEmitter&) {
        return Status::InvalidArgument("cannot read <" + iri + ">");
      };
      auto run = RunUpdate(ReadFileText(e.request), e.request.filename().string(), *store, options);
      auto expected = Expected(e.after);
      ASSERT_TRUE(expected.ok()) << expected.status().ToString();
      const Graphs actual = Actual(*store);
      bool same = run.ok() && actual.size() == expected->size();
      for (const auto& [iri, triples] : *expected) {
        same = same && actual.contains(iri) && parley::testing::Isomorphic(actual.at(iri), triples);
      }
      if (same) {
        ++here.passed;
      } else {
        ++here.failed;
        ADD_FAILURE() << folder << "/" << e.name << " (" << e.request.filename().string() << ")\n"
                      << (run.ok() ? "" : "error: " + run.status().ToString() + "\n") << "expected:\n"
                      << Show(*expected) << "actual:\n" << Show(actual);
      }
    }
    std::printf("%-16s %3d passed, %3d failed\n", folder, here.passed, here.failed);
    total.passed += here.passed;
    total.failed += here.failed;
  }
  fs::remove_all(scratch);
  std::printf("SPARQL Update evaluation: %d passed, %d failed\n", total.passed, total.failed);
  EXPECT_EQ(total.passed, 94);  // every one
}

}  // namespace
}  // namespace parley::query
