// `parley serve` through real sockets: curl as the client, the server started and
// stopped by the test on a free loopback port.
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/seeded_database_test.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;
using parley::testing::RunCommand;

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class ServeCliTest : public parley::testing::SeededDatabaseTest<ServeCliTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<ServeCliTest>;
  static constexpr const char* kName = "serve";

  // A running `parley serve` with `options`; stopped (SIGTERM) when it goes.
  class Server {
   public:
    // `parley` is the command that serves: the suite's seeded database unless given.
    explicit Server(const std::string& options, const std::string& parley = Parley()) {
      log_ = dir_ / ("serve-" + std::to_string(++count_) + ".log");
      const auto pid_file = dir_ / "serve.pid";
      std::filesystem::remove(pid_file);
      const std::string command = parley + " serve --port 0 " + options + " > /dev/null 2> " + log_.string() + " & echo $! > " +
                                  pid_file.string();
      EXPECT_EQ(std::system(command.c_str()), 0);
      for (int i = 0; i < 200 && port_ == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::smatch m;
        const std::string log = Slurp(log_);
        if (std::regex_search(log, m, std::regex("listening on http://127.0.0.1:([0-9]+)/"))) port_ = std::stoi(m[1]);
      }
      pid_ = std::stoi(Slurp(pid_file));
      EXPECT_NE(port_, 0) << Slurp(log_);
    }
    ~Server() { Stop(); }
    // SIGTERM, then waits for the process to end; true when it ended by itself in time.
    bool Stop() {
      if (pid_ == 0) return true;
      ::kill(pid_, SIGTERM);
      for (int i = 0; i < 1200; ++i) {  // a minute: a request in flight finishes first
        if (::kill(pid_, 0) != 0) {
          pid_ = 0;
          return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ::kill(pid_, SIGKILL);
      pid_ = 0;
      return false;
    }
    std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::string Log() const { return Slurp(log_); }
    int pid() const { return pid_; }

   private:
    std::filesystem::path log_;
    int port_ = 0;
    int pid_ = 0;
    static inline int count_ = 0;
  };

  // curl ARGS: the body on stdout, then "\nSTATUS <code> <content type>".
  static CommandResult Curl(const std::string& args) {
    return RunCommand("curl -s -w '\\nSTATUS %{http_code} %{content_type}' " + args, dir_);
  }
};

TEST_F(ServeCliTest, RealClientsGetEveryFormatAndStatus) {
  Server server("--max-body 1K");
  const std::string query = "--data-urlencode 'query=SELECT ?s WHERE { ?s a :Summit } ORDER BY ?s LIMIT 1' ";
  auto json = Curl("-G " + query + server.Url("/query"));
  EXPECT_NE(json.out.find("\"value\":\"http://parley.example.org/id/hanoi-summit\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("STATUS 200 application/sparql-results+json"), std::string::npos) << json.out;
  for (const auto& [accept, type] : std::vector<std::pair<std::string, std::string>>{
           {"application/sparql-results+xml", "application/sparql-results+xml"},
           {"text/csv", "text/csv"},
           {"text/tab-separated-values", "text/tab-separated-values"}}) {
    auto r = Curl("-H 'Accept: " + accept + "' " + query + server.Url("/query"));  // POSTed as a form
    EXPECT_NE(r.out.find("STATUS 200 " + type), std::string::npos) << accept << "\n" << r.out;
    EXPECT_NE(r.out.find("hanoi-summit"), std::string::npos) << r.out;
  }
  auto graph = Curl("-H 'Content-Type: application/sparql-query' -H 'Accept: application/n-triples' --data "
                    "'CONSTRUCT WHERE { id:hanoi-summit :location ?l }' " + server.Url("/query"));
  EXPECT_NE(graph.out.find("<http://parley.example.org/id/hanoi> .\n"), std::string::npos) << graph.out;
  EXPECT_NE(Curl("-G --data-urlencode 'query=SELECT WHERE' " + server.Url("/query")).out.find("STATUS 400"),
            std::string::npos);
  EXPECT_NE(Curl("-H 'Accept: image/png' -G " + query + server.Url("/query")).out.find("STATUS 406"), std::string::npos);
  EXPECT_NE(Curl("-H 'Content-Type: application/sparql-query' --data-binary @" + std::string(PARLEY_SOURCE_DIR) +
                 "/data/ontology.ttl " + server.Url("/query")).out.find("STATUS 413"),
            std::string::npos);
  auto ask = Curl("-G --data-urlencode 'q=who met Kim Jong Un' --data why=1 " + server.Url("/ask"));
  EXPECT_NE(ask.out.find("STATUS 200 application/json"), std::string::npos) << ask.out;
  EXPECT_NE(ask.out.find("\"Moon Jae-in\""), std::string::npos) << ask.out;
  EXPECT_NE(ask.out.find("\"source\": \"singapore-joint-statement-2018\""), std::string::npos) << ask.out;
  EXPECT_TRUE(server.Stop());
  const std::string log = server.Log();
  EXPECT_NE(log.find("127.0.0.1 \"GET /query?query=SELECT"), std::string::npos) << log;  // the access log
  EXPECT_NE(log.find("\" 413 "), std::string::npos) << log;
  EXPECT_NE(log.find("parley serve: stopped"), std::string::npos) << log;
}

// Fifty clients at once, while another process loads: every request answered, every
// answer one whole state of the store, and the server's memory bounded.
TEST_F(ServeCliTest, FiftyConcurrentClientsWhileALoadRuns) {
  {
    std::ofstream nt(dir_ / "extra.nt");
    for (int i = 0; i < 20000; ++i) nt << "<http://e/s" << i << "> <http://e/p> \"" << i << "\" .\n";
  }
  Server server("--workers 8 --queue 64 --no-access-log");
  const std::string count = server.Url("/query?query=") + "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D";
  const std::string script = "for c in $(seq 1 50); do (for i in $(seq 1 8); do curl -s -H 'Accept: text/csv' -w ' %{http_code}\\n' '" +
                             count + "'; done > " + (dir_ / "client-").string() + "$c.txt) & done; " + Parley() +
                             " load " + (dir_ / "extra.nt").string() + " > /dev/null; wait";
  std::smatch first;
  const std::string initial = Curl("-H 'Accept: text/csv' '" + count + "'").out;
  ASSERT_TRUE(std::regex_search(initial, first, std::regex("n\r\n([0-9]+)\r\n"))) << initial;
  const std::string before = first[1];
  std::ofstream(dir_ / "clients.sh") << script << "\n";
  auto r = RunCommand("bash " + (dir_ / "clients.sh").string(), dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> answers;
  std::size_t requests = 0;
  // Each answer: the CSV header, the count, and the status curl adds.
  const std::regex answer("n\r\n([0-9]+)\r\n ([0-9]{3})\n");
  for (int c = 1; c <= 50; ++c) {
    const std::string text = Slurp(dir_ / ("client-" + std::to_string(c) + ".txt"));
    for (std::sregex_iterator it(text.begin(), text.end(), answer), end; it != end; ++it) {
      ++requests;
      EXPECT_EQ((*it)[2], "200");
      answers.insert((*it)[1]);
    }
  }
  EXPECT_EQ(requests, 400u);
  // Every answer is the whole store before the load or after it, never a part of it;
  // and the server sees the load within a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string after = std::to_string(std::stoul(before) + 20000);
  for (const auto& a : answers) EXPECT_TRUE(a == before || a == after) << a << " is neither " << before << " nor " << after;
  auto now = Curl("-H 'Accept: text/csv' '" + count + "'");
  EXPECT_NE(now.out.find("n\r\n" + after + "\r\n"), std::string::npos) << now.out;
  std::smatch m;
  const std::string status = Slurp("/proc/" + std::to_string(server.pid()) + "/status");
  ASSERT_TRUE(std::regex_search(status, m, std::regex("VmRSS:\\s+([0-9]+) kB")));
  EXPECT_LT(std::stoul(m[1]), 512u * 1024) << "server RSS in kB";
  EXPECT_TRUE(server.Stop());
}

// A full queue answers 503 at once instead of waiting.
TEST_F(ServeCliTest, ABusyServerRefusesWith503) {
  Server server("--workers 1 --queue 1");
  const std::string host = server.Url("").substr(7);  // 127.0.0.1:PORT
  const std::string address = "/dev/tcp/" + host.substr(0, host.find(':')) + "/" + host.substr(host.find(':') + 1);
  // Two idle connections hold the one worker and the one place in the queue.
  // (One at a time, so that the worker has taken the first before the second comes.)
  auto r = RunCommand("bash -c 'exec 3<>" + address + "; sleep 0.3; exec 4<>" + address +
                          "; sleep 0.3; curl -s --max-time 10 -w \" %{http_code}\" " + server.Url("/query?query=ASK%7B%7D") +
                          "'",
                      dir_);
  EXPECT_NE(r.out.find("busy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 503"), std::string::npos) << r.out;
  EXPECT_TRUE(server.Stop()) << "idle connections do not hold up the shutdown";
}

// The query page in headless Chromium: the question put in the box and submitted, the
// answers shown, every "why" opened, read back from the page's DOM; then an entity's
// page from an answer's link.
TEST_F(ServeCliTest, TheQueryPageAnswersAQuestionInABrowser) {
  if (RunCommand("command -v chromium", dir_).exit_code != 0) {
    GTEST_SKIP() << "chromium is not installed (make test installs it): the query page is not tested";
  }
  Server server("--no-access-log");
  auto dom = [&](const std::string& url) {
    const auto profile = dir_ / ("chromium-" + std::to_string(std::rand()));
    return RunCommand("timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                      "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
                          profile.string() + " --virtual-time-budget=10000 --dump-dom '" + url + "'",
                      dir_).out;
  };
  const std::string page = dom(server.Url("/?q=who%20met%20Kim%20Jong%20Un&why=1"));
  ASSERT_NE(page.find("data-done=\"1\""), std::string::npos) << page.substr(0, 2000);
  const auto table = page.substr(page.find("<table id=\"results\">"));
  for (const char* name : {">Donald Trump</a>", ">Mike Pompeo</a>", ">Moon Jae-in</a>"}) {
    EXPECT_NE(table.find(name), std::string::npos) << name << "\n" << table.substr(0, 3000);
  }
  // Opened: no evidence box is hidden, and the evidence names sources with grades.
  EXPECT_EQ(table.find("class=\"why-box\" id=\"why-0\" hidden"), std::string::npos) << table.substr(0, 3000);
  EXPECT_NE(table.find("singapore-joint-statement-2018 <span class=\"grade\">[A]</span>, section preamble"),
            std::string::npos) << table.substr(0, 3000);
  EXPECT_NE(table.find("href=\"?entity=http%3A%2F%2Fparley.example.org%2Fid%2Fdonald-trump\""), std::string::npos);
  // The entity page of one answer: its facts with their sources.
  const std::string entity = dom(server.Url("/?entity=http%3A%2F%2Fparley.example.org%2Fid%2Fhanoi-summit"));
  EXPECT_NE(entity.find("<th>source</th><th>locator</th><th>quote</th>"), std::string::npos) << entity.substr(0, 2000);
  EXPECT_NE(entity.find("<td>hanoi-summit-record-2019</td>"), std::string::npos) << entity.substr(0, 3000);
  EXPECT_TRUE(server.Stop());
}

// SIGTERM while a query runs: the query finishes and its client gets the answer, then
// the server stops.
TEST_F(ServeCliTest, AStopLetsTheRequestInFlightFinish) {
  Server server("--timeout 60");
  const std::string slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d rdfs:label ?f }";  // about a second
  const auto out = dir_ / "slow.txt";
  const std::string client = "curl -s -H 'Accept: text/csv' -w ' %{http_code}' --data-urlencode 'query=" + slow + "' " +
                             server.Url("/query") + " > " + out.string() + " &";
  ASSERT_EQ(std::system(client.c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the query is running
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(server.Stop());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // curl writes its file
  const std::string answer = Slurp(out);
  EXPECT_TRUE(std::regex_search(answer, std::regex("^n\r\n[0-9]+\r\n 200$"))) << answer;
  EXPECT_NE(server.Log().find("\" 200 "), std::string::npos) << server.Log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}


// The SPARQL 1.1 Protocol's update tests (sparql11/protocol/manifest.ttl: update_* and
// bad_update_*), each exchange sent by curl to `parley serve --writable` on an empty
// database. Queries go to /query, updates to /update and, as the suite sends both to
// one endpoint, to /query as well.
TEST_F(ServeCliTest, TheProtocolsUpdateExchanges) {
  const auto db = dir_ / "protocol-db";
  std::filesystem::remove_all(db);
  Server server("--writable", std::string(PARLEY_BINARY) + " --db " + db.string());
  const std::string update = "-H 'Content-Type: application/sparql-update' ";
  auto post = [&](const std::string& headers, const std::string& body, const std::string& path) {
    std::ofstream(dir_ / "body.txt") << body;
    return Curl(headers + "--data-binary @" + (dir_ / "body.txt").string() + " '" + server.Url(path) + "'");
  };
  auto ask = [&](const std::string& query) {
    auto r = post("-H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+json' ", query, "/query");
    return r.out.find("\"boolean\": true") != std::string::npos;
  };
  auto status = [](const CommandResult& r) { return r.out.substr(r.out.rfind("STATUS ") + 7, 3); };
  const std::string data = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\nINSERT DATA {\n"
                           "GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document }\n"
                           "GRAPH <http://kasei.us/2009/09/sparql/data/data2.rdf> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a foaf:Document }\n"
                           "GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf> { <http://kasei.us/2009/09/sparql/data/data3.rdf> a foaf:Document } } ;\n";
  const std::string g1 = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf";
  const std::string g2 = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf";

  // update_dataset_default_graph: using-graph-uri is the WHERE's default graph.
  auto r = post(update, data + "INSERT { GRAPH <http://example.org/t1/> { ?s a <http://purl.org/dc/terms/BibliographicResource> } }\n"
                               "WHERE { ?s a foaf:Document }", "/update?using-graph-uri=" + g1);
  EXPECT_EQ(status(r), "200") << r.out;
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/t1/> { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?t } }"));
  EXPECT_FALSE(ask("ASK { GRAPH <http://example.org/t1/> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?t } }"));
  // update_dataset_default_graphs: two of them, merged.
  r = post(update, data + "INSERT { GRAPH <http://example.org/t2/> { ?s a <http://purl.org/dc/terms/BibliographicResource> } }\n"
                          "WHERE { ?s a foaf:Document }", "/update?using-graph-uri=" + g1 + "&using-graph-uri=" + g2);
  EXPECT_EQ(status(r), "200") << r.out;
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/t2/> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?t } }"));
  EXPECT_FALSE(ask("ASK { GRAPH <http://example.org/t2/> { <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?t } }"));
  // update_dataset_named_graphs: GRAPH ?g ranges over using-named-graph-uri only.
  r = post(update, data + "INSERT { GRAPH <http://example.org/t3/> { ?s a <http://purl.org/dc/terms/BibliographicResource> } }\n"
                          "WHERE { GRAPH ?g { ?s a foaf:Document } }",
           "/update?using-named-graph-uri=" + g1 + "&using-named-graph-uri=" + g2);
  EXPECT_EQ(status(r), "200") << r.out;
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/t3/> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?t } }"));
  EXPECT_FALSE(ask("ASK { GRAPH <http://example.org/t3/> { <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?t } }"));
  // update_dataset_full: both, sent to the query endpoint as the suite does.
  r = post(update, data + "INSERT { GRAPH <http://example.org/t4/> { ?s <http://example.org/in> ?in } }\n"
                          "WHERE { { GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) } UNION { ?s a foaf:Document . BIND(\"default\" AS ?in) } }",
           "/query?using-graph-uri=" + g1 + "&using-named-graph-uri=" + g2);
  EXPECT_EQ(status(r), "200") << r.out;
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/t4/> { <http://kasei.us/2009/09/sparql/data/data1.rdf> <http://example.org/in> \"default\" } }"));
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/t4/> { <http://kasei.us/2009/09/sparql/data/data2.rdf> <http://example.org/in> <http://kasei.us/2009/09/sparql/data/data2.rdf> } }"));
  EXPECT_FALSE(ask("ASK { GRAPH <http://example.org/t4/> { <http://kasei.us/2009/09/sparql/data/data3.rdf> ?p ?o } }"));
  // update_post_form and update_post_direct.
  EXPECT_EQ(status(post("-H 'Content-Type: application/x-www-form-urlencoded' ", "update=CLEAR+ALL", "/update")), "200");
  EXPECT_FALSE(ask("ASK { GRAPH ?g { ?s ?p ?o } }"));
  EXPECT_EQ(status(post(update, "CLEAR ALL", "/update")), "200");
  // update_base_uri: a relative IRI resolves against the service.
  r = post(update, "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\n"
                   "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }",
           "/update");
  EXPECT_EQ(status(r), "200") << r.out;
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> ?o "
                  "FILTER (isIRI(?o) && STR(?o) != \"test\") } }"));
  // The bad ones: 4xx, and nothing changed.
  EXPECT_EQ(status(Curl("'" + server.Url("/update?update=CLEAR%20ALL") + "'")), "405");            // bad_update_get
  EXPECT_EQ(status(Curl("'" + server.Url("/query?update=CLEAR%20ALL") + "'")).substr(0, 1), "4");
  EXPECT_EQ(status(post("-H 'Content-Type: application/x-www-form-urlencoded' ",
                        "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "/update")), "400");          // bad_multiple_updates
  EXPECT_EQ(status(post("-H 'Content-Type: text/plain' ", "CLEAR NAMED", "/update")), "415");       // bad_update_wrong_media_type
  EXPECT_EQ(status(post("-H 'Content-Type:' ", "update=CLEAR%20NAMED", "/update")), "415");          // bad_update_missing_form_type
  EXPECT_EQ(status(post("-H 'Content-Type: application/sparql-update; charset=UTF-16' ", "CLEAR NAMED", "/update")), "400");
  r = post(update, "CLEAR XYZ", "/update");                                                            // bad_update_syntax
  EXPECT_EQ(status(r), "400");
  EXPECT_NE(r.out.find("update:1:7: error:"), std::string::npos) << r.out;
  r = post(update, "WITH <http://example/addresses> DELETE { ?p <http://xmlns.com/foaf/0.1/givenName> 'Bill' } "
                   "WHERE { ?p <http://xmlns.com/foaf/0.1/givenName> 'Bill' }",
           "/update?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople");                         // bad_update_dataset_conflict
  EXPECT_EQ(status(r), "400");
  EXPECT_TRUE(ask("ASK { GRAPH <http://example.org/protocol-base-test/> { ?s ?p ?o } }"));
  EXPECT_TRUE(server.Stop());
  // A server without --writable takes no updates.
  Server reading("");
  r = Curl(update + "--data 'CLEAR ALL' '" + reading.Url("/update") + "'");
  EXPECT_EQ(status(r), "403") << r.out;
}

}  // namespace
}  // namespace parley::cli
