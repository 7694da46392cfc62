// End-to-end tests of the parley command: each runs the real binary in a shell.
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store/quad_store.hpp"
#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::cli {
namespace {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = parley::testing::UniqueTestDir("cli");
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `parley ARGS` (ARGS is shell text) with an empty environment apart from PATH and `env`.
  RunResult Run(const std::string& args, const std::string& env = "") {
    const auto out = dir_ / "stdout", err = dir_ / "stderr";
    std::string command = "env -i PATH=/usr/bin:/bin HOME=" + (dir_ / "home").string() + " " + env + " " +
                          PARLEY_BINARY + " " + args + " >" + out.string() + " 2>" + err.string() + " </dev/null";
    int status = std::system(command.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(out);
    r.err = ReadFile(err);
    return r;
  }
  std::string Db() const { return "--db " + db_.string(); }
  std::filesystem::path Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }

  std::filesystem::path dir_, db_;
};

const char* kSample =
    "<http://e/kim> <http://e/name> \"Kim Jong Un\"@en .\n"
    "<http://e/hanoi> <http://e/participant> <http://e/kim> .\n"
    "<http://e/hanoi> <http://e/participant> _:x .\n"
    "_:x <http://e/name> \"Donald Trump\" .\n";

TEST_F(CliTest, LoadThenDumpBothFormats) {
  auto file = Write("a.nt", kSample);
  auto r = Run(Db() + " load " + file.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("loaded 4 quads"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal

  auto quads = Write("b.nq", "<http://e/kim> <http://e/name> \"Kim Jong Un\"@en <http://e/src1> .\n");
  ASSERT_EQ(Run(Db() + " load " + quads.string()).exit_code, 0);

  r = Run(Db() + " dump");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("<http://e/kim> <http://e/name> \"Kim Jong Un\"@en .\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<http://e/kim> <http://e/name> \"Kim Jong Un\"@en <http://e/src1> .\n"), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 5);

  r = Run(Db() + " dump --format ntriples");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4);  // the two graphs' copies collapse

  // The dump loads back into a fresh database as the same quads.
  auto dumped = Write("dump.nq", Run(Db() + " dump").out);
  ASSERT_EQ(Run("--db " + (dir_ / "db2").string() + " load " + dumped.string()).exit_code, 0);
  EXPECT_EQ(Run("--db " + (dir_ / "db2").string() + " dump").out.size(), Run(Db() + " dump").out.size());
}

// The curated dataset, every graph of it, through each dataset format and back.
TEST_F(CliTest, TheDatasetRoundTripsThroughTrigAndJsonLd) {
  ASSERT_EQ(Run(Db() + " init").exit_code, 0);
  const auto original = parley::testing::ParseNQuads(Run(Db() + " dump").out);
  ASSERT_GT(original.size(), 1000u);
  for (const char* format_name : {"trig", "jsonld"}) {
    const std::string format = format_name;
    SCOPED_TRACE(format);
    auto written = Run(Db() + " dump --format " + format);
    ASSERT_EQ(written.exit_code, 0) << written.err;
    Write("all." + format, written.out);
    const std::string again = "--db " + (dir_ / ("again-" + format)).string();
    auto loaded = Run(again + " load " + (dir_ / ("all." + format)).string());
    ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
    EXPECT_TRUE(parley::testing::Isomorphic(parley::testing::ParseNQuads(Run(again + " dump").out), original));
  }
  // JSON-LD under another extension needs --format.
  std::filesystem::copy(dir_ / "all.jsonld", dir_ / "all.json");
  EXPECT_NE(Run("--db " + (dir_ / "third").string() + " load " + (dir_ / "all.json").string()).exit_code, 0);
  EXPECT_EQ(Run("--db " + (dir_ / "third").string() + " load --format jsonld " + (dir_ / "all.json").string()).exit_code, 0);
}

TEST_F(CliTest, GraphOptionNamesTheGraph) {
  auto file = Write("a.nt", kSample);
  ASSERT_EQ(Run(Db() + " load --graph http://e/op-ed " + file.string()).exit_code, 0);
  auto r = Run(Db() + " dump");
  EXPECT_NE(r.out.find("<http://e/hanoi> <http://e/participant> <http://e/kim> <http://e/op-ed> .\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Run(Db() + " load --graph not-an-iri " + file.string()).exit_code, 1);
}

TEST_F(CliTest, StdinAndExplicitFormat) {
  auto file = Write("data.txt", kSample);
  std::string command = "cat " + file.string() + " | " + PARLEY_BINARY + " " + Db() + " load - >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string dumped = Run(Db() + " dump").out;
  EXPECT_EQ(std::count(dumped.begin(), dumped.end(), '\n'), 4);
  auto r = Run(Db() + " load " + file.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  EXPECT_EQ(Run(Db() + " load --format nt " + file.string()).exit_code, 0);
}

// Output that cannot be written is a failure: a cut-short result never exits 0.
TEST_F(CliTest, OutputThatCannotBeWrittenIsAFailure) {
  auto good = Write("good.nt", kSample);
  ASSERT_EQ(Run(Db() + " load " + good.string()).exit_code, 0);
  const std::vector<std::string> commands = {"query 'SELECT * WHERE { ?s ?p ?o }'", "stats", "dump", "sources",
                                             "export --format nquads --construct 'CONSTRUCT WHERE { ?s ?p ?o }'"};
  for (const std::string& command : commands) {
    const auto err = dir_ / "full.err";
    const int status = std::system((std::string(PARLEY_BINARY) + " " + Db() + " " + command + " >/dev/full 2>" + err.string()).c_str());
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 1) << command;
    EXPECT_NE(ReadFile(err).find("cannot write output"), std::string::npos) << command << "\n" << ReadFile(err);
  }
}

TEST_F(CliTest, OptionsOutsideTheirRangeAreUsageErrors) {
  auto good = Write("good.nt", kSample);
  for (const std::string& args : {std::string("--db '' stats"), Db() + " query --repeat 0 'ASK {}'", Db() + " query --repeat -1 'ASK {}'",
                                  Db() + " query --timeout 0 'ASK {}'", Db() + " query --timeout -1 'ASK {}'",
                                  Db() + " query --timeout nan 'ASK {}'", Db() + " query --timeout inf 'ASK {}'",
                                  Db() + " export --depth -1 --root x", Db() + " load --graph '' " + good.string()}) {
    auto r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
  }
  EXPECT_EQ(Run(Db() + " query --timeout 0.5 --repeat 2 'ASK {}'").exit_code, 0);
  // The query on standard input, and a directory named as the query file.
  const auto out = dir_ / "stdin.out";
  const int status = std::system(("echo 'ASK { ?s ?p ?o }' | " + std::string(PARLEY_BINARY) + " " + Db() + " query -f - >" +
                                  out.string()).c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
  EXPECT_EQ(ReadFile(out), "?_askResult\nfalse\n");
  auto r = Run(Db() + " query -f " + dir_.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("it is a directory"), std::string::npos) << r.err;
}

// n quads linking <http://e/n0> to n1, n1 to n2, ... and the last back to n0.
std::string LinkCycle(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "<http://e/n" + std::to_string(i) + "> <http://e/link> <http://e/n" + std::to_string((i + 1) % n) + "> .\n";
  }
  return out;
}

// --timeout stops every kind of runaway work within a second of its deadline, and the
// command fails (no partial result taken for a whole one).
TEST_F(CliTest, TimeoutsStopEveryKindOfRunawayQuery) {
  const int n = 20000;
  ASSERT_EQ(Run(Db() + " load " + Write("cycle.nt", LinkCycle(n)).string()).exit_code, 0);
  std::string values;
  for (int i = 0; i < 20000; ++i) values += " <http://e/n" + std::to_string(i) + ">";
  std::ofstream(dir_ / "values.rq") << "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://e/link> ?b . ?c <http://e/link> ?d . "
                                    << "VALUES ?x {" << values << " } }";
  const std::string product = "?a <http://e/link> ?b . ?c <http://e/link> ?d";
  const std::vector<std::string> commands = {
      "query --timeout 1 'SELECT (COUNT(*) AS ?n) WHERE { ?s <http://e/link>* ?o }'",
      "query --timeout 1 -f " + (dir_ / "values.rq").string(),
      "query --timeout 1 'SELECT ?a ?c WHERE { " + product + " } ORDER BY ?a ?c'",
      "explain --analyze --timeout 1 'SELECT ?a ?c WHERE { " + product + " } ORDER BY ?a ?c'",
      "export --timeout 1 --format nquads --construct 'CONSTRUCT { ?a <http://e/x> ?c } WHERE { " + product + " }'"};
  for (const std::string& command : commands) {
    const auto start = std::chrono::steady_clock::now();
    auto r = Run(Db() + " " + command);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_NE(r.err.find("timed out after 1"), std::string::npos) << command << "\n" << r.err;
    // One second of query and the process around it (freeing what it built). Under
    // ctest -j2 on two cores, with each query on two threads (--threads defaults to the
    // cores), four threads share the two cores: it measured 3.3 s once, so 5. A query
    // that ignored its deadline would run on for minutes.
    EXPECT_LT(took, std::chrono::seconds(parley::testing::kSanitized ? 8 : 5)) << command;
  }
}

// Rows are written as they are found: a SELECT over a product of 400 million rows sends
// its first rows at once, and runs in bounded memory until its deadline.
TEST_F(CliTest, ResultsStreamAndMemoryStaysWithinItsLimit) {
  if (parley::testing::kSanitized) GTEST_SKIP() << "resident memory is not the program's under AddressSanitizer";
  const int n = 20000;
  ASSERT_EQ(Run(Db() + " load " + Write("links.nt", LinkCycle(n)).string()).exit_code, 0);
  const std::string product = "?a <http://e/link> ?b . ?c <http://e/link> ?d";
  const auto first = dir_ / "first.tsv";
  auto start = std::chrono::steady_clock::now();
  std::system((std::string(PARLEY_BINARY) + " " + Db() + " query --timeout 30 'SELECT ?a ?c WHERE { " + product +
               " }' | head -n 5 >" + first.string()).c_str());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  const std::string head = ReadFile(first);
  EXPECT_EQ(std::count(head.begin(), head.end(), '\n'), 5) << head;
  EXPECT_EQ(head.rfind("?a\t?c\n", 0), 0u) << head;

  // Streaming holds no rows: 64 MiB is plenty until the deadline stops it.
  auto r = Run(Db() + " query --memory-limit 64M --timeout 2 'SELECT ?a ?c WHERE { " + product + " }' >/dev/null");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("timed out"), std::string::npos) << r.err;

  // What must hold its rows (DISTINCT keys, groups, a CONSTRUCT's triples) stops at the limit.
  for (const std::string& command :
       {"query --memory-limit 64M 'SELECT DISTINCT ?a ?c WHERE { " + product + " }'",
        "query --memory-limit 64M 'SELECT ?a ?c (COUNT(*) AS ?n) WHERE { " + product + " } GROUP BY ?a ?c'",
        "--memory-limit 64M explain --analyze 'SELECT DISTINCT ?a ?c WHERE { " + product + " }'",
        "export --memory-limit 64M --format nquads --construct 'CONSTRUCT { ?a <http://e/x> ?c } WHERE { " + product + " }'"}) {
    start = std::chrono::steady_clock::now();
    r = Run(Db() + " " + command + " >/dev/null");
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_NE(r.err.find("memory limit reached"), std::string::npos) << command << "\n" << r.err;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30)) << command;
  }
  for (const std::string& size : {"0", "1M", "-5G", "lots", "12Q"}) {
    EXPECT_EQ(Run(Db() + " query --memory-limit " + size + " 'ASK {}'").exit_code, 2) << size;
  }
}

// ORDER BY over more rows than the memory limit holds sorts runs in temporary files
// and merges them as it writes.
TEST_F(CliTest, SortsLargerThanTheMemoryLimitSpill) {
  if (parley::testing::kSanitized) GTEST_SKIP() << "resident memory is not the program's under AddressSanitizer";
  const int n = 1000;
  ASSERT_EQ(Run(Db() + " load " + Write("links.nt", LinkCycle(n)).string()).exit_code, 0);
  const auto out = dir_ / "sorted.tsv";
  const int status = std::system((std::string(PARLEY_BINARY) + " " + Db() +
                                  " query --memory-limit 32M 'SELECT ?a ?c WHERE { ?a <http://e/link> ?b . ?c <http://e/link> ?d }"
                                  " ORDER BY DESC(?a) ?c' >" + out.string()).c_str());
  ASSERT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
  std::ifstream in(out);
  std::string line, second, last;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    if (++lines == 2) second = line;
    last = line;
  }
  EXPECT_EQ(lines, 1u + n * n);
  EXPECT_EQ(second, "<http://e/n999>\t<http://e/n0>");
  EXPECT_EQ(last, "<http://e/n0>\t<http://e/n999>");
}

// A full disk fails a load with the reason, never an abort, and loses nothing; once
// there is room again the same load goes through. Needs root to mount a small tmpfs.
TEST_F(CliTest, AFullDiskFailsCleanly) {
  const auto mount_point = dir_ / "small";
  std::filesystem::create_directories(mount_point);
  if (::geteuid() != 0 || std::system(("mount -t tmpfs -o size=20m tmpfs " + mount_point.string() + " 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "mounting a small tmpfs needs root";
  }
  const std::string db = "--db " + (mount_point / "db").string();
  std::string quads;
  for (int i = 0; i < 40000; ++i) quads += "<http://e/a" + std::to_string(i) + "> <http://e/p> \"v" + std::to_string(i) + "\" .\n";
  const auto file = Write("many.nt", quads);
  ASSERT_EQ(Run(db + " load " + Write("good.nt", kSample).string()).exit_code, 0);
  const std::string before = Run(db + " dump").out;
  // Leave about 300 KB free.
  const auto fill = mount_point / "fill";
  std::system(("avail=$(df -k " + mount_point.string() + " | tail -1 | awk '{print $4}'); fallocate -l $(( (avail - 300) * 1024 )) " +
               fill.string()).c_str());
  for (const std::string& load : {file.string(), std::string(PARLEY_SOURCE_DIR "/data/facts/*.json")}) {
    auto r = Run(db + " load " + load);
    EXPECT_EQ(r.exit_code, 1) << load << "\n" << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  }
  std::filesystem::remove(fill);
  EXPECT_EQ(Run(db + " dump").out, before);
  auto r = Run(db + " load " + file.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Run(db + " check").exit_code, 0);
  std::system(("umount " + mount_point.string()).c_str());
}

// A directory or an unwritable path named as a file gets the reason.
TEST_F(CliTest, PathsThatAreNotFilesSayWhy) {
  ASSERT_EQ(Run(Db() + " load " + Write("good.nt", kSample).string()).exit_code, 0);
  const std::string dir = dir_.string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"load " + dir, dir + ": it is a directory"},
      {"load --format nt " + dir, "error reading " + dir + ": Is a directory"},
      {"load --format ttl " + dir, "error reading " + dir + ": Is a directory"},
      {"export --format nquads --construct 'CONSTRUCT WHERE { ?s ?p ?o }' -o " + dir, "cannot write " + dir + ": it is a directory"},
      {"export --format nquads --construct 'CONSTRUCT WHERE { ?s ?p ?o }' -o /nonexistent/out.nq",
       "cannot write /nonexistent/out.nq: No such file or directory"}};
  for (const auto& [command, message] : cases) {
    auto r = Run(Db() + " " + command);
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_NE(r.err.find(message), std::string::npos) << command << "\n" << r.err;
  }
}

// An input that never ends meets a bound, not the end of memory.
TEST_F(CliTest, EndlessInputIsAnErrorAndChangesNothing) {
  auto good = Write("good.nt", kSample);
  ASSERT_EQ(Run(Db() + " load " + good.string()).exit_code, 0);
  const std::string before = Run(Db() + " dump").out;
  auto r = Run(Db() + " load --format json /dev/zero");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/dev/zero: error: a fact file may hold at most 256 MiB"), std::string::npos) << r.err;
  r = Run(Db() + " load --format nt /dev/zero");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/dev/zero:1: error: a line longer than 256 MiB"), std::string::npos) << r.err;
  r = Run(Db() + " load /nonexistent/facts.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("/nonexistent/facts.json: error: cannot open: No such file or directory", 0), 0u) << r.err;
  EXPECT_EQ(Run(Db() + " dump").out, before);
}

TEST_F(CliTest, AFailedLoadChangesNothingAndSaysWhere) {
  auto good = Write("good.nt", kSample);
  ASSERT_EQ(Run(Db() + " load " + good.string()).exit_code, 0);
  const std::string before = Run(Db() + " dump").out;

  // A large file (SST-sized) whose last line is bad, loaded together with a good file.
  std::string big;
  const int lines = 120'000;
  for (int i = 1; i < lines; ++i) big += "<http://e/s" + std::to_string(i) + "> <http://e/p> \"" + std::to_string(i) + "\" .\n";
  big += "<http://e/s> <http://e/p> \"unterminated .\n";
  auto bad = Write("big.nt", big);
  auto extra = Write("extra.nt", "<http://e/new> <http://e/p> \"n\" .\n");
  auto r = Run(Db() + " load " + extra.string() + " " + bad.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad.string() + ":" + std::to_string(lines) + ":27: error: string is not closed"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was loaded"), std::string::npos);
  EXPECT_EQ(Run(Db() + " dump").out, before);
  EXPECT_EQ(Run(Db() + " check").exit_code, 0);
  // No leftovers from the aborted load's sorted runs.
  for (const auto& entry : std::filesystem::directory_iterator(db_)) {
    EXPECT_EQ(entry.path().filename().string().rfind("load-tmp-", 0), std::string::npos) << entry.path();
  }
}

TEST_F(CliTest, LockedDatabaseGivesOneLineAndReadersStillWork) {
  auto file = Write("a.nt", kSample);
  ASSERT_EQ(Run(Db() + " load " + file.string()).exit_code, 0);
  std::unique_ptr<store::QuadStore> holder;  // this process now holds the write lock
  ASSERT_OK(store::QuadStore::Open(db_, &holder));

  auto r = Run(Db() + " load " + file.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one line, naming the database
  EXPECT_NE(r.err.find(db_.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("locked"), std::string::npos) << r.err;

  r = Run(Db() + " dump");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4);
  EXPECT_EQ(Run(Db() + " stats").exit_code, 0);
  EXPECT_EQ(Run(Db() + " check").exit_code, 0);
}

TEST_F(CliTest, CheckReportsACorruptedIndex) {
  auto file = Write("a.nt", kSample);
  ASSERT_EQ(Run(Db() + " load " + file.string()).exit_code, 0);
  EXPECT_EQ(Run(Db() + " check").exit_code, 0);
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "spog", "posg", "ospg", "gspo", "term2id", "id2term", "history"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), db_.string(), families, &handles, &raw).ok());
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[3]));  // ospg
    it->SeekToFirst();
    ASSERT_TRUE(it->Valid());
    ASSERT_TRUE(raw->Delete(rocksdb::WriteOptions(), handles[3], it->key()).ok());
    it.reset();
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto r = Run(Db() + " check");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ospg has 3 entries but spog has 4"), std::string::npos) << r.err;
}

TEST_F(CliTest, StatsShowsPredicates) {
  auto file = Write("a.nt", kSample);
  ASSERT_EQ(Run(Db() + " load " + file.string()).exit_code, 0);
  auto r = Run(Db() + " stats");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("quads       4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<http://e/participant>"), std::string::npos) << r.out;
  // The participant facts again in a source's graph: two quads more, no triple more.
  auto twice = Write("b.nq", "<http://e/hanoi> <http://e/participant> <http://e/kim> <http://e/src> .\n"
                             "<http://e/hanoi> <http://e/participant> <http://e/trump> <http://e/src> .\n");
  ASSERT_EQ(Run(Db() + " load " + twice.string()).exit_code, 0);
  r = Run(Db() + " stats");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("quads        triples       subjects        objects  predicate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("             4              3              1              3  <http://e/participant>"), std::string::npos)
      << r.out;
}

TEST_F(CliTest, DatabaseLocationFromEnvironment) {
  auto file = Write("a.nt", kSample);
  const std::string env_db = (dir_ / "envdb").string();
  ASSERT_EQ(Run("load " + file.string(), "PARLEY_DB=" + env_db).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(env_db) / "CURRENT"));
  ASSERT_EQ(Run("load " + file.string(), "XDG_DATA_HOME=" + (dir_ / "xdg").string()).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "xdg" / "parley" / "db" / "CURRENT"));
  ASSERT_EQ(Run("load " + file.string()).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "home" / ".local" / "share" / "parley" / "db" / "CURRENT"));
}

TEST_F(CliTest, MissingDatabaseIsCreatedEmpty) {
  auto r = Run("--db " + (dir_ / "fresh").string() + " stats");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("quads       0"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitTwoAndHelpWorksEverywhere) {
  EXPECT_EQ(Run("--bogus").exit_code, 2);
  EXPECT_EQ(Run("load").exit_code, 2);
  EXPECT_EQ(Run(Db() + " dump --format xml").exit_code, 2);
  for (const char* command : {"", "load", "dump", "stats", "check"}) {
    auto r = Run(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << command << r.out;
  }
  auto r = Run(Db() + " load " + (dir_ / "nope.nt").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace parley::cli
