// The server's answers without sockets: every route, format and status code of
// server/service.hpp on the curated dataset.
#include "server/service.hpp"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ingest/rdf_loader.hpp"
#include "rdf/vocabulary.hpp"
#include "server/protocol.hpp"
#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::server {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("parley-service-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_OK(store::QuadStore::Open(dir_, &store_));
    ASSERT_OK(parley::testing::LoadCuratedDataset(*store_));
    service_ = std::make_unique<Service>(*store_, ServiceOptions{});
  }
  static void TearDownTestSuite() {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static HttpResponse Get(const std::string& target, const std::string& accept = "") {
    return service_->Handle(HttpRequest{"GET", target, "", accept, ""});
  }
  static HttpResponse Post(const std::string& target, const std::string& type, const std::string& body,
                           const std::string& accept = "") {
    return service_->Handle(HttpRequest{"POST", target, type, accept, body});
  }
  static std::string Query(const std::string& sparql) { return "/query?query=" + PercentEncode(sparql); }

  static inline std::filesystem::path dir_;
  static inline std::unique_ptr<store::QuadStore> store_;
  static inline std::unique_ptr<Service> service_;
};

const char* const kSummits = "SELECT ?s WHERE { ?s a :Summit } ORDER BY ?s";

TEST_F(ServiceTest, SelectAnswersInEveryResultFormat) {
  auto json = Get(Query(kSummits));
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.content_type, "application/sparql-results+json; charset=utf-8");
  const auto j = nlohmann::json::parse(json.body);
  EXPECT_EQ(j["head"]["vars"][0], "s");
  EXPECT_GE(j["results"]["bindings"].size(), 3u);
  EXPECT_EQ(j["results"]["bindings"][0]["s"]["type"], "uri");

  auto xml = Get(Query(kSummits), "application/sparql-results+xml");
  EXPECT_EQ(xml.content_type, "application/sparql-results+xml; charset=utf-8");
  EXPECT_NE(xml.body.find("<variable name=\"s\"/>"), std::string::npos) << xml.body;
  EXPECT_NE(xml.body.find("<binding name=\"s\"><uri>http://parley.example.org/id/hanoi-summit</uri></binding>"),
            std::string::npos) << xml.body;
  auto csv = Get(Query(kSummits), "text/csv");
  EXPECT_EQ(csv.body.rfind("s\r\nhttp://parley.example.org/id/", 0), 0u) << csv.body;
  auto tsv = Get(Query(kSummits), "text/tab-separated-values");
  EXPECT_EQ(tsv.body.rfind("?s\n<http://parley.example.org/id/", 0), 0u) << tsv.body;
  // format= for clients that cannot set Accept.
  EXPECT_EQ(Get(Query(kSummits) + "&format=csv").body, csv.body);
  // Literals with languages and datatypes in XML.
  auto typed = Get(Query("SELECT ?d WHERE { id:hanoi-summit :startDate ?d }"), "application/sparql-results+xml");
  EXPECT_NE(typed.body.find("<literal datatype=\"http://www.w3.org/2001/XMLSchema#date\">2019-02-27</literal>"),
            std::string::npos) << typed.body;
}

TEST_F(ServiceTest, AskAndGraphsByContentNegotiation) {
  auto ask = Get(Query("ASK { id:donald-trump ?p ?o }"));
  EXPECT_EQ(nlohmann::json::parse(ask.body)["boolean"], true);
  auto ask_xml = Get(Query("ASK { id:nobody ?p ?o }"), "application/sparql-results+xml");
  EXPECT_NE(ask_xml.body.find("<boolean>false</boolean>"), std::string::npos) << ask_xml.body;

  const std::string construct = Query("CONSTRUCT { id:hanoi-summit :location ?l } WHERE { id:hanoi-summit :location ?l }");
  auto turtle = Get(construct);
  EXPECT_EQ(turtle.content_type, "text/turtle; charset=utf-8");
  EXPECT_NE(turtle.body.find("id:hanoi-summit :location id:hanoi ."), std::string::npos) << turtle.body;
  auto nt = Get(construct, "application/n-triples");
  EXPECT_EQ(nt.body, "<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#location> "
                     "<http://parley.example.org/id/hanoi> .\n");
  auto jsonld = Get(construct, "application/ld+json");
  const auto j = nlohmann::json::parse(jsonld.body);
  EXPECT_EQ(j[0]["@id"], "http://parley.example.org/id/hanoi-summit");
  EXPECT_EQ(j[0]["http://parley.example.org/ontology#location"][0]["@id"], "http://parley.example.org/id/hanoi");
  // A graph cannot be CSV; rows cannot be Turtle.
  EXPECT_EQ(Get(construct, "text/csv").status, 406);
  EXPECT_EQ(Get(Query(kSummits), "text/turtle").status, 406);
  EXPECT_EQ(Get(Query(kSummits) + "&format=turtle").status, 400);
}

TEST_F(ServiceTest, PostedQueriesAndTheProtocolsDataset) {
  auto form = Post("/query", "application/x-www-form-urlencoded", "query=" + PercentEncode(kSummits), "text/csv");
  EXPECT_EQ(form.status, 200) << form.body;
  auto direct = Post("/query", "application/sparql-query; charset=utf-8", kSummits, "text/csv");
  EXPECT_EQ(direct.body, form.body);
  EXPECT_EQ(Post("/query", "text/plain", kSummits).status, 415);
  EXPECT_EQ(Post(Query(kSummits), "application/sparql-query", kSummits).status, 400);  // two queries
  // default-graph-uri: only the op-ed's paragraph 3 context; named-graph-uri for GRAPH.
  const std::string count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
  auto all = nlohmann::json::parse(Get(Query(count)).body);
  auto provenance = nlohmann::json::parse(
      Get(Query(count) + "&default-graph-uri=" + PercentEncode("http://parley.example.org/graph/provenance")).body);
  const auto number = [](const nlohmann::json& j) { return std::stoul(j["results"]["bindings"][0]["n"]["value"].get<std::string>()); };
  EXPECT_LT(number(provenance), number(all));
  EXPECT_GT(number(provenance), 0u);
  auto named = Get(Query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") +
                   "&named-graph-uri=" + PercentEncode("http://parley.example.org/graph/ontology"), "text/csv");
  EXPECT_EQ(named.body, "g\r\nhttp://parley.example.org/graph/ontology\r\n");
}

TEST_F(ServiceTest, BadRequestsGetTheRightStatusAndAMessage) {
  auto bad = Get(Query("SELECT ?s WHERE { ?s ?p }"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("query:1:"), std::string::npos) << bad.body;  // line and column
  EXPECT_NE(bad.body.find("^"), std::string::npos) << bad.body;
  EXPECT_EQ(Get("/query").status, 400);
  EXPECT_EQ(Get(Query(kSummits) + "&query=ASK%7B%7D").status, 400);
  auto put = service_->Handle(HttpRequest{"PUT", "/query", "", "", ""});
  EXPECT_EQ(put.status, 405);
  ASSERT_FALSE(put.headers.empty());
  EXPECT_EQ(put.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, POST"}));
  EXPECT_EQ(Get("/nowhere").status, 404);
  EXPECT_EQ(Get(Query(kSummits), "image/png").status, 406);
}

TEST_F(ServiceTest, TooLongAQueryIsStoppedWith503) {
  ServiceOptions options;
  options.timeout = std::chrono::milliseconds(1);
  Service hurried(*store_, options);
  auto r = hurried.Handle(HttpRequest{
      "GET", Query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"), "", "", ""});
  EXPECT_EQ(r.status, 503) << r.body;
}

TEST_F(ServiceTest, QuestionsInEnglishWithTheirEvidence) {
  auto r = Get("/ask?q=" + PercentEncode("who met Kim Jong Un?") + "&why=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_TRUE(j["understood"].get<bool>());
  EXPECT_NE(j["sparql"].get<std::string>().find("SELECT"), std::string::npos);
  std::set<std::string> names;
  for (const auto& a : j["answers"]) {
    names.insert(a["value"]);
    EXPECT_EQ(a["iri"].get<std::string>().rfind("http://parley.example.org/id/", 0), 0u);
    EXPECT_FALSE(a["evidence"].empty()) << a.dump();
  }
  EXPECT_EQ(names, (std::set<std::string>{"Donald Trump", "Mike Pompeo", "Moon Jae-in"}));
  auto plain = nlohmann::json::parse(Get("/ask?q=who+met+Kim+Jong+Un").body);
  EXPECT_FALSE(plain["answers"][0].contains("evidence"));
  auto full = nlohmann::json::parse(Get("/ask?q=which+proposals+addressed+sovereignty+assurances&full=1").body);
  bool passage = false;
  for (const auto& a : full["answers"]) {
    for (const auto& e : a["evidence"]) passage = passage || e.contains("passage");
  }
  EXPECT_TRUE(passage) << full.dump();
  auto unknown = nlohmann::json::parse(Get("/ask?q=" + PercentEncode("who blorfed the zibble?")).body);
  EXPECT_FALSE(unknown["understood"].get<bool>());
  EXPECT_FALSE(unknown["message"].get<std::string>().empty());
  EXPECT_EQ(Get("/ask").status, 400);
}

TEST_F(ServiceTest, TheStoreAsNQuadsOrOneGraph) {
  auto all = Get("/store");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.content_type, "application/n-quads; charset=utf-8");
  EXPECT_NE(all.body.find(" <http://parley.example.org/graph/provenance> .\n"), std::string::npos);
  auto ontology = Get("/store?graph=" + PercentEncode("http://parley.example.org/graph/ontology"), "text/turtle");
  EXPECT_EQ(ontology.content_type, "text/turtle; charset=utf-8");
  EXPECT_NE(ontology.body.find(":Summit"), std::string::npos);
  EXPECT_EQ(Get("/store?graph=" + PercentEncode("http://example.org/none")).status, 404);
  EXPECT_EQ(service_->Handle(HttpRequest{"POST", "/store", "application/n-quads", "", ""}).status, 405);
}

// --writable: RDF and fact files in a request body, loaded atomically as `parley load`
// loads files; a bad body changes nothing and says where it is wrong.
TEST(WritableServiceTest, PostedRdfAndFactFilesLoadAtomically) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / ("parley-writable-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::unique_ptr<store::QuadStore> opened;
  ASSERT_OK(store::QuadStore::Open(dir, &opened));
  std::shared_ptr<store::QuadStore> store = std::move(opened);
  Service service([store] { return std::shared_ptr<const store::QuadStore>(store); }, store.get(), ServiceOptions{});
  auto post = [&](const std::string& target, const std::string& type, const std::string& body) {
    return service.Handle(HttpRequest{"POST", target, type, "", body});
  };
  auto count = [&] {
    auto r = service.Handle(HttpRequest{"GET", "/query?query=" + PercentEncode("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"), "", "text/csv", ""});
    return r.body;
  };
  auto added = post("/store?graph=" + PercentEncode("http://e/g"), "application/n-triples", "<http://e/a> <http://e/b> <http://e/c> .\n");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(nlohmann::json::parse(added.body)["quads_added"], 1);
  EXPECT_EQ(count(), "n\r\n1\r\n");
  auto turtle = post("/store", "text/turtle", "@prefix e: <http://e/> .\ne:x e:y e:z .\n");
  EXPECT_EQ(turtle.status, 200) << turtle.body;
  auto xml = post("/store", "application/rdf+xml",
                  "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">"
                  "<rdf:Description rdf:about=\"http://e/x\"><e:y>from XML</e:y></rdf:Description></rdf:RDF>");
  EXPECT_EQ(xml.status, 200) << xml.body;
  EXPECT_EQ(nlohmann::json::parse(xml.body)["quads_added"], 1);

  auto bad = post("/store", "application/n-quads", "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <b> <http://e/c> .\n");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.rfind("body.nq:2:", 0), 0u) << bad.body;  // the body's own line and column
  EXPECT_EQ(count(), "n\r\n1\r\n");                            // nothing of it was written
  EXPECT_EQ(post("/store", "application/pdf", "x").status, 415);

  const std::string facts = R"({"source": {"id": "posted", "title": "A posted source", "reliability": "B"},
  "topics": [{"id": "posted-topic", "label": "A posted topic", "evidence": {"paragraph": 1}}]})";
  auto loaded = post("/facts", "application/json", facts);
  ASSERT_EQ(loaded.status, 200) << loaded.body;
  EXPECT_NE(nlohmann::json::parse(loaded.body)["notes"][0].get<std::string>().find("posted"), std::string::npos) << loaded.body;
  // The new name is understood at once.
  auto asked = service.Handle(HttpRequest{"GET", "/ask?q=" + PercentEncode("what is A posted topic?"), "", "", ""});
  EXPECT_EQ(asked.status, 200);
  auto broken = post("/facts", "application/json", R"({"source": {"id": "broken", "title": "x"},
  "topics": [{"id": "t", "label": "T", "evidence": {"paragraph": 0}}]})");
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("body.json:2:"), std::string::npos) << broken.body;
  EXPECT_EQ(service.Handle(HttpRequest{"GET", "/facts", "", "", ""}).status, 405);

  Service read_only(*store, ServiceOptions{});
  EXPECT_EQ(read_only.Handle(HttpRequest{"POST", "/store", "application/n-triples", "", ""}).status, 405);
  EXPECT_EQ(read_only.Handle(HttpRequest{"POST", "/facts", "application/json", "", facts}).status, 405);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::server
