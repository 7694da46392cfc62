// The SPARQL 1.1 Protocol's query tests, written out by hand after the W3C suite
// (sparql11/protocol/manifest.ttl, which ../shared/conformance does not carry). Each
// test is named as the W3C one. The update tests run through real sockets in
// tests/cli/serve_cli_test.cpp (TheProtocolsUpdateExchanges). Run against server/service.hpp on a small dataset of three graphs.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ingest/rdf_loader.hpp"
#include "server/protocol.hpp"
#include "server/service.hpp"
#include "tests/test_util.hpp"

namespace parley::server {
namespace {

class ProtocolConformanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("parley-protocol-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "data.nq") << "<http://e/doc> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/Doc> <http://e/g1> .\n"
                                       "<http://e/a> <http://e/p> \"one\" <http://e/g1> .\n"
                                       "<http://e/b> <http://e/p> \"two\" <http://e/g2> .\n"
                                       "<http://e/c> <http://e/p> \"three\" <http://e/g3> .\n";
    ASSERT_OK(store::QuadStore::Open(dir_ / "db", &store_));
    auto report = ingest::LoadRdfFiles(*store_, {(dir_ / "data.nq").string()}, ingest::RdfLoadOptions{});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    service_ = std::make_unique<Service>(*store_, ServiceOptions{});
  }
  static void TearDownTestSuite() {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static HttpResponse Send(const std::string& method, const std::string& target, const std::string& type = "",
                           const std::string& body = "", const std::string& accept = "") {
    return service_->Handle(HttpRequest{method, target, type, accept, body});
  }
  // The values of ?o in a JSON result, sorted.
  static std::vector<std::string> Objects(const HttpResponse& r) {
    std::vector<std::string> out;
    const auto result = nlohmann::json::parse(r.body);
    for (const auto& b : result["results"]["bindings"]) out.push_back(b["o"]["value"]);
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string Encoded(const std::string& text) { return PercentEncode(text); }

  static inline std::filesystem::path dir_;
  static inline std::unique_ptr<store::QuadStore> store_;
  static inline std::unique_ptr<Service> service_;
};

const std::string kObjects = "SELECT ?o WHERE { ?s <http://e/p> ?o }";
const std::vector<std::string> kAll = {"one", "three", "two"};

TEST_F(ProtocolConformanceTest, query_get) {
  auto r = Send("GET", "/query?query=" + Encoded(kObjects));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Objects(r), kAll);
}

TEST_F(ProtocolConformanceTest, query_post_form) {
  auto r = Send("POST", "/query", "application/x-www-form-urlencoded", "query=" + Encoded(kObjects));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Objects(r), kAll);
}

TEST_F(ProtocolConformanceTest, query_post_direct) {
  auto r = Send("POST", "/query", "application/sparql-query", kObjects);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Objects(r), kAll);
}

TEST_F(ProtocolConformanceTest, query_dataset_default_graphs_get) {
  auto r = Send("GET", "/query?query=" + Encoded(kObjects) + "&default-graph-uri=" + Encoded("http://e/g1") +
                           "&default-graph-uri=" + Encoded("http://e/g2"));
  EXPECT_EQ(Objects(r), (std::vector<std::string>{"one", "two"}));
}

TEST_F(ProtocolConformanceTest, query_dataset_default_graphs_post) {
  auto r = Send("POST", "/query", "application/x-www-form-urlencoded",
                "query=" + Encoded(kObjects) + "&default-graph-uri=" + Encoded("http://e/g3"));
  EXPECT_EQ(Objects(r), (std::vector<std::string>{"three"}));
}

TEST_F(ProtocolConformanceTest, query_dataset_named_graphs_post) {
  auto r = Send("POST", "/query", "application/x-www-form-urlencoded",
                "query=" + Encoded("SELECT ?o WHERE { GRAPH ?g { ?s <http://e/p> ?o } }") + "&named-graph-uri=" +
                    Encoded("http://e/g1") + "&named-graph-uri=" + Encoded("http://e/g3"));
  EXPECT_EQ(Objects(r), (std::vector<std::string>{"one", "three"}));
}

TEST_F(ProtocolConformanceTest, query_dataset_named_graphs_get) {
  auto r = Send("GET", "/query?query=" + Encoded("SELECT ?o WHERE { GRAPH ?g { ?s <http://e/p> ?o } }") +
                           "&named-graph-uri=" + Encoded("http://e/g2"));
  EXPECT_EQ(Objects(r), (std::vector<std::string>{"two"}));
}

TEST_F(ProtocolConformanceTest, query_dataset_full) {
  auto r = Send("GET", "/query?query=" +
                           Encoded("SELECT ?o WHERE { { ?s <http://e/p> ?o } UNION { GRAPH ?g { ?s <http://e/p> ?o } } }") +
                           "&default-graph-uri=" + Encoded("http://e/g1") + "&named-graph-uri=" + Encoded("http://e/g2"));
  EXPECT_EQ(Objects(r), (std::vector<std::string>{"one", "two"}));
}

// The protocol's dataset replaces the query's FROM.
TEST_F(ProtocolConformanceTest, query_multiple_dataset) {
  auto r = Send("GET", "/query?query=" + Encoded("SELECT ?o FROM <http://e/g1> WHERE { ?s <http://e/p> ?o }") +
                           "&default-graph-uri=" + Encoded("http://e/g2"));
  EXPECT_EQ(Objects(r), (std::vector<std::string>{"two"}));
}

TEST_F(ProtocolConformanceTest, query_content_type_select) {
  for (const std::string type : {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                 "text/tab-separated-values"}) {
    auto r = Send("GET", "/query?query=" + Encoded(kObjects), "", "", type);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(MediaType(r.content_type), type);
  }
}

TEST_F(ProtocolConformanceTest, query_content_type_ask) {
  auto r = Send("GET", "/query?query=" + Encoded("ASK { ?s ?p ?o }"), "", "", "application/sparql-results+xml");
  EXPECT_EQ(MediaType(r.content_type), "application/sparql-results+xml");
  EXPECT_NE(r.body.find("<boolean>true</boolean>"), std::string::npos);
}

TEST_F(ProtocolConformanceTest, query_content_type_describe) {
  auto r = Send("GET", "/query?query=" + Encoded("DESCRIBE <http://e/a>"), "", "", "application/n-triples, text/turtle;q=0.5");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(MediaType(r.content_type), "application/n-triples");
  EXPECT_NE(r.body.find("<http://e/a> <http://e/p> \"one\" ."), std::string::npos) << r.body;
}

TEST_F(ProtocolConformanceTest, query_content_type_construct) {
  auto r = Send("GET", "/query?query=" + Encoded("CONSTRUCT WHERE { ?s <http://e/p> ?o }"), "", "", "text/turtle");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(MediaType(r.content_type), "text/turtle");
}

TEST_F(ProtocolConformanceTest, bad_query_method) {
  EXPECT_EQ(Send("PUT", "/query?query=" + Encoded(kObjects)).status, 405);
}

TEST_F(ProtocolConformanceTest, bad_multiple_queries) {
  EXPECT_EQ(Send("GET", "/query?query=" + Encoded("ASK {}") + "&query=" + Encoded("SELECT * {}")).status, 400);
}

TEST_F(ProtocolConformanceTest, bad_query_wrong_media_type) {
  EXPECT_EQ(Send("POST", "/query", "text/plain", kObjects).status, 415);
}

TEST_F(ProtocolConformanceTest, bad_query_missing_form_type) {
  EXPECT_EQ(Send("POST", "/query", "", "query=" + Encoded(kObjects)).status, 415);
}

TEST_F(ProtocolConformanceTest, bad_query_missing_direct_type) {
  EXPECT_EQ(Send("POST", "/query", "", kObjects).status, 415);
}

TEST_F(ProtocolConformanceTest, bad_query_non_utf8) {
  EXPECT_EQ(Send("POST", "/query", "application/sparql-query; charset=UTF-16", kObjects).status, 400);
  EXPECT_EQ(Send("POST", "/query", "application/sparql-query", "SELECT * WHERE { ?s ?p \"\xFF\xFE\" }").status, 400);
}

TEST_F(ProtocolConformanceTest, bad_query_syntax) {
  auto r = Send("GET", "/query?query=" + Encoded("SELECT * WHERE {"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("query:1:"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace parley::server
