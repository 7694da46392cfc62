// --endpoint: Parley's questions and evidence on another SPARQL engine's graph, loaded
// from `parley dump`. The ten sample questions must give, with their evidence, exactly
// what they give on the local database: on another `parley serve`, and on Virtuoso
// (Debian's virtuoso-opensource, started here on loopback in a folder of its own).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/cli/seeded_database_test.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;
using parley::testing::RunCommand;

// Runs `command` when it goes, however the test ends: a server it started must not
// outlive it.
struct Finally {
  std::string command;
  ~Finally() { (void)std::system(command.c_str()); }
};

class EndpointCliTest : public parley::testing::SeededDatabaseTest<EndpointCliTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<EndpointCliTest>;
  static constexpr const char* kName = "endpoint";

  // ../shared/questions/sample.txt when it is there (the tree may be checked out alone).
  static std::vector<std::string> SampleQuestions() {
    std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/../shared/questions/sample.txt");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') out.push_back(line);
    }
    if (out.empty()) {
      out = {"which proposals addressed sovereignty assurances", "who met Kim Jong Un",
             "what did Nicholas Mele claim about the Hanoi summit", "which claims contradict Trump's account",
             "when did the Singapore summit take place", "how many meetings preceded the Hanoi summit",
             "who proposed sanctions relief", "which sources mention Stephen Biegun", "which proposals involve China",
             "what is the outcome of the Hanoi summit"};
    }
    return out;
  }
  static std::string Quoted(const std::string& s) { return "'" + s + "'"; }
  // Each sample question asked locally and on `url`, with evidence: the same output.
  static void ExpectSameAnswers(const std::string& url) {
    const auto questions = SampleQuestions();
    ASSERT_GE(questions.size(), 10u);
    std::string quoted;
    for (const auto& q : questions) {
      std::string escaped;
      for (char c : q) escaped += c == '\'' ? std::string("'\\''") : std::string(1, c);
      auto local = Run("ask --why " + Quoted(escaped));
      auto remote = RunCommand(std::string(PARLEY_BINARY) + " ask --endpoint " + url + " --why " + Quoted(escaped), dir_);
      EXPECT_EQ(remote.exit_code, local.exit_code) << q << "\n" << remote.err;
      EXPECT_EQ(remote.out, local.out) << q;
      EXPECT_FALSE(local.out.empty()) << q;
    }
    // And an export with evidence.
    const std::string exported = " export --root 'hanoi summit' --depth 1 --format json --with-evidence";
    auto local = Run(exported);
    auto remote = RunCommand(std::string(PARLEY_BINARY) + exported + " --endpoint " + url, dir_);
    EXPECT_EQ(remote.out, local.out) << remote.err;
    EXPECT_NE(local.out.find("\"evidence\""), std::string::npos);
  }
};

TEST_F(EndpointCliTest, AnotherParleyServerAnswersAsTheLocalDatabase) {
  const auto log = dir_ / "serve.log";
  ASSERT_EQ(std::system((Parley() + " serve --port 0 --no-access-log > /dev/null 2> " + log.string() + " & echo $! > " +
                         (dir_ / "serve.pid").string()).c_str()), 0);
  const Finally stop{"kill $(cat " + (dir_ / "serve.pid").string() + ") 2> /dev/null"};
  std::string url;
  for (int i = 0; i < 200 && url.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(log);
    std::string line;
    std::getline(in, line);
    const auto at = line.find("http://");
    if (at != std::string::npos) url = line.substr(at, line.find('/', at + 7) - at) + "/query";
  }
  ASSERT_FALSE(url.empty());
  ExpectSameAnswers(url);
  auto rows = RunCommand(std::string(PARLEY_BINARY) + " query --endpoint " + url +
                             " --format csv 'SELECT ?s WHERE { ?s a :Summit } ORDER BY ?s LIMIT 1'", dir_);
  EXPECT_EQ(rows.out, "s\r\nhttp://parley.example.org/id/hanoi-summit\r\n") << rows.err;
  auto bad = RunCommand(std::string(PARLEY_BINARY) + " query --endpoint " + url + " 'SELECT WHERE'", dir_);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("<query>:1:"), std::string::npos) << bad.err;  // checked before it is sent
  auto nowhere = RunCommand(std::string(PARLEY_BINARY) + " ask --endpoint http://127.0.0.1:1/sparql 'who met Kim'", dir_);
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.err.find("cannot reach the endpoint http://127.0.0.1:1/sparql"), std::string::npos) << nowhere.err;
  EXPECT_EQ(RunCommand(std::string(PARLEY_BINARY) + " ask --endpoint ftp://x 'who'", dir_).exit_code, 2);
  // The REPL on the endpoint: questions and :why as on the database; local commands refused.
  std::ofstream(dir_ / "lines.txt") << "which proposals addressed sovereignty assurances\n:why\n:load nothing.json\n";
  auto remote_repl = RunCommand(std::string(PARLEY_BINARY) + " --endpoint " + url + " < " + (dir_ / "lines.txt").string(), dir_);
  auto local_repl = RunCommand(Parley() + " < " + (dir_ / "lines.txt").string(), dir_);
  EXPECT_EQ(remote_repl.out, local_repl.out);
  EXPECT_NE(remote_repl.out.find("mele-2019-hanoi-summit [C], paragraph 3"), std::string::npos) << remote_repl.out;
  EXPECT_NE(remote_repl.err.find(":load works on a local database, not on the endpoint"), std::string::npos) << remote_repl.err;
}

TEST_F(EndpointCliTest, VirtuosoLoadedFromADumpAnswersAsTheLocalDatabase) {
  if (RunCommand("command -v virtuoso-t && command -v isql-vt", dir_).exit_code != 0) {
    GTEST_SKIP() << "Virtuoso is not installed (make test installs virtuoso-opensource): --endpoint is not tested on it";
  }
  const auto home = dir_ / "virtuoso";
  std::filesystem::create_directories(home / "db");
  std::filesystem::create_directories(home / "load");
  ASSERT_EQ(Run("dump --format nquads > " + (home / "load" / "parley.nq").string()).exit_code, 0);
  // Two free ports below the ephemeral range, so that no client connection takes them.
  auto free_port = [](int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return free;
  };
  int sql_port = 20000 + ::getpid() % 10000;
  while (!free_port(sql_port) || !free_port(sql_port + 1)) sql_port += 2;
  const int http_port = sql_port + 1;
  const std::string h = home.string();
  std::ofstream(home / "virtuoso.ini")
      << "[Database]\nDatabaseFile = " << h << "/db/virtuoso.db\nErrorLogFile = " << h << "/db/virtuoso.log\nLockFile = " << h
      << "/db/virtuoso.lck\nTransactionFile = " << h << "/db/virtuoso.trx\nxa_persistent_file = " << h
      << "/db/virtuoso.pxa\nStriping = 0\nTempStorage = TempDatabase\n\n[TempDatabase]\nDatabaseFile = " << h
      << "/db/virtuoso-temp.db\nTransactionFile = " << h << "/db/virtuoso-temp.trx\nStriping = 0\n\n[Parameters]\n"
      << "ServerPort = 127.0.0.1:" << sql_port << "\nNumberOfBuffers = 10000\nMaxDirtyBuffers = 6000\nDirsAllowed = ., " << h
      << "/load\n\n[HTTPServer]\nServerPort = 127.0.0.1:" << http_port << "\nServerThreads = 4\n\n[SPARQL]\n"
      << "ResultSetMaxRows = 1000000\nMaxQueryExecutionTime = 60\n";
  const std::string isql = "isql-vt " + std::to_string(sql_port) + " dba dba ";
  auto started = RunCommand("cd " + h + " && virtuoso-t +configfile " + h + "/virtuoso.ini +wait", dir_);
  const Finally stop{isql + "exec=\"shutdown;\" > /dev/null 2>&1"};
  ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
  auto loaded = RunCommand(isql + "exec=\"ld_dir('" + h + "/load', '*.nq', 'http://parley.example.org/graph/default'); "
                                  "rdf_loader_run(); checkpoint;\"", dir_);
  EXPECT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  ExpectSameAnswers("http://127.0.0.1:" + std::to_string(http_port) + "/sparql");
}

}  // namespace
}  // namespace parley::cli
