// The operators, through queries the planner gives to them: each on an empty input, one
// block, and many blocks (3,000 rows; a block holds 1,024), with unbound values, split
// over threads, and stopped by the deadline and the memory limit.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>
#include <stdexcept>

#include "query/engine.hpp"
#include "store/memory_quad_source.hpp"

namespace parley::query {
namespace {

class OperatorsTest : public ::testing::TestWithParam<int> {
 protected:
  // n items: item i has :v i, :g (i mod 7), and :w i only when i is even.
  void SetUp() override {
    const int n = GetParam();
    auto iri = [&](const std::string& local) { return source_.Intern(Term::Iri("http://e/" + local)); };
    for (int i = 0; i < n; ++i) {
      const TermId item = iri("i" + std::to_string(i));
      auto number = [&](long long v) {
        return source_.Intern(Term::Literal(std::to_string(v), "http://www.w3.org/2001/XMLSchema#integer"));
      };
      source_.Insert(Quad{item, iri("v"), number(i), kDefaultGraph});
      source_.Insert(Quad{item, iri("g"), iri("g" + std::to_string(i % 7)), kDefaultGraph});
      if (i % 2 == 0) source_.Insert(Quad{item, iri("w"), number(i), kDefaultGraph});
    }
  }
  QueryResult Run(const std::string& q, QueryOptions options = {}) {
    const std::string text = "PREFIX : <http://e/> " + q;
    auto r = RunQuery(text, "<test>", source_, source_, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : QueryResult{};
  }
  long long Number(const std::optional<Term>& t) { return t ? std::stoll(t->value) : -1; }
  MemoryQuadSource source_;
};

TEST_P(OperatorsTest, ScanJoinFilterExtend) {
  const int n = GetParam();
  EXPECT_EQ(Run("SELECT * WHERE { ?x :v ?v }").rows.size(), static_cast<std::size_t>(n));
  // Index and hash joins, and a filter placed inside the join.
  EXPECT_EQ(Run("SELECT * WHERE { ?x :v ?v . ?x :g ?g . ?x :w ?w }").rows.size(), static_cast<std::size_t>((n + 1) / 2));
  std::size_t in_g3_from_10 = 0;
  for (int i = 10; i < n; ++i) in_g3_from_10 += i % 7 == 3;
  EXPECT_EQ(Run("SELECT * WHERE { ?x :v ?v . ?x :g :g3 FILTER(?v >= 10) }").rows.size(), in_g3_from_10);
  auto doubled = Run("SELECT ?v ?d WHERE { ?x :v ?v BIND(?v * 2 AS ?d) }");
  for (const auto& row : doubled.rows) EXPECT_EQ(Number(row[1]), 2 * Number(row[0]));
  // An expression's error leaves the variable unbound.
  auto errors = Run("SELECT ?d WHERE { ?x :g ?g BIND(?g * 2 AS ?d) }");
  for (const auto& row : errors.rows) EXPECT_FALSE(row[0].has_value());
}

TEST_P(OperatorsTest, OptionalUnionValuesDistinctSlice) {
  const int n = GetParam();
  // OPTIONAL leaves ?w unbound for odd items.
  auto optional = Run("SELECT ?v ?w WHERE { ?x :v ?v OPTIONAL { ?x :w ?w } }");
  ASSERT_EQ(optional.rows.size(), static_cast<std::size_t>(n));
  for (const auto& row : optional.rows) {
    EXPECT_EQ(row[1].has_value(), Number(row[0]) % 2 == 0);
    if (row[1]) {
      EXPECT_EQ(Number(row[1]), Number(row[0]));  // each row probed with its own ?x
    }
  }
  EXPECT_EQ(Run("SELECT ?x WHERE { { ?x :v ?v } UNION { ?x :w ?w } }").rows.size(), static_cast<std::size_t>(n + (n + 1) / 2));
  EXPECT_EQ(Run("SELECT DISTINCT ?g WHERE { ?x :g ?g }").rows.size(), static_cast<std::size_t>(std::min(n, 7)));
  EXPECT_EQ(Run("SELECT ?x WHERE { VALUES ?g { :g1 :g2 } ?x :g ?g }").rows.size(),
            static_cast<std::size_t>((n + 5) / 7 + (n + 4) / 7));
  EXPECT_EQ(Run("SELECT ?x WHERE { ?x :v ?v } LIMIT 5 OFFSET 2").rows.size(), static_cast<std::size_t>(std::clamp(n - 2, 0, 5)));
}

TEST_P(OperatorsTest, GroupAndTopK) {
  const int n = GetParam();
  auto count = Run("SELECT (COUNT(*) AS ?c) (COUNT(?w) AS ?cw) (SUM(?v) AS ?s) WHERE { ?x :v ?v OPTIONAL { ?x :w ?w } }");
  ASSERT_EQ(count.rows.size(), 1u);  // one group even over no rows
  EXPECT_EQ(Number(count.rows[0][0]), n);
  EXPECT_EQ(Number(count.rows[0][1]), (n + 1) / 2);
  EXPECT_EQ(Number(count.rows[0][2]), static_cast<long long>(n) * (n - 1) / 2);
  auto groups = Run("SELECT ?g (COUNT(DISTINCT ?x) AS ?c) WHERE { ?x :g ?g } GROUP BY ?g");
  EXPECT_EQ(groups.rows.size(), static_cast<std::size_t>(std::min(n, 7)));
  long long total = 0;
  for (const auto& row : groups.rows) total += Number(row[1]);
  EXPECT_EQ(total, n);
  auto top = Run("SELECT ?v WHERE { ?x :v ?v } ORDER BY DESC(?v) LIMIT 3");
  ASSERT_EQ(top.rows.size(), static_cast<std::size_t>(std::min(n, 3)));
  for (std::size_t i = 0; i < top.rows.size(); ++i) EXPECT_EQ(Number(top.rows[i][0]), n - 1 - static_cast<long long>(i));
}

// Groups by one id are found without a lookup while keys arrive ascending (a scan by
// object) and through the map once one comes out of order: here the keys cycle through
// the seven groups, so they ascend for seven groups and then repeat. Counts are right
// either way, on one thread or split over two.
TEST_P(OperatorsTest, GroupsByOneIdInAndOutOfOrder) {
  const int n = GetParam();
  std::map<std::string, long long> expected;
  for (int i = 0; i < n; ++i) ++expected["http://e/g" + std::to_string(i % 7)];
  for (unsigned threads : {1u, 2u}) {
    QueryOptions options;
    options.threads = threads;
    options.parallel_min_rows = 1;
    for (const std::string q : {"SELECT ?g (COUNT(?x) AS ?c) WHERE { ?x :g ?g } GROUP BY ?g",
                                "SELECT ?g (COUNT(*) AS ?c) WHERE { ?x :v ?v . ?x :g ?g } GROUP BY ?g"}) {
      std::map<std::string, long long> counted;
      for (const auto& row : Run(q, options).rows) {
        ASSERT_TRUE(row[0].has_value()) << q;
        EXPECT_TRUE(counted.emplace(row[0]->value, Number(row[1])).second) << "a group twice: " << q;
      }
      EXPECT_EQ(counted, expected) << q << " on " << threads << " threads";
    }
    // Unbound keys are a group of their own, wherever they come.
    auto by_w = Run("SELECT ?w (COUNT(*) AS ?c) WHERE { ?x :v ?v OPTIONAL { ?x :w ?w } } GROUP BY ?w", options).rows;
    EXPECT_EQ(by_w.size(), static_cast<std::size_t>((n + 1) / 2 + (n > 1 ? 1 : 0)));
    for (const auto& row : by_w) EXPECT_EQ(Number(row[1]), row[0] ? 1 : n / 2);
  }
}

// COUNT without the rows: a group of counts right above a table join that binds nothing
// the group reads counts each input row once, weighted by its matches. The counts are
// those of the rows themselves (worked out here), with unbound values and OPTIONAL rows
// alone, on one thread and on two; a group that reads the join's variable gets rows.
TEST_P(OperatorsTest, CountsOverAJoinWithoutItsRows) {
  const int n = GetParam();
  std::map<int, long long> in_group, even_in_group;
  for (int i = 0; i < n; ++i) {
    ++in_group[i % 7];
    even_in_group[i % 7] += i % 2 == 0;
  }
  long long pairs = 0;
  for (const auto& [g, count] : in_group) pairs += count * count;
  for (unsigned threads : {1u, 2u}) {
    QueryOptions options;
    options.threads = threads;
    options.parallel_min_rows = 1;
    // Keyed on ?g, an object: a hash join; ?y is not read.
    const std::string all_pairs = "SELECT (COUNT(*) AS ?c) WHERE { ?x :g ?g . ?y :g ?g }";
    auto total = Run(all_pairs, options);
    ASSERT_EQ(total.rows.size(), 1u);
    EXPECT_EQ(Number(total.rows[0][0]), pairs) << threads;
    // ?y is not read; ?w and ?x are, and each row stands for its group's items.
    auto by_group = Run("SELECT ?g (COUNT(*) AS ?c) (COUNT(?w) AS ?cw) (COUNT(DISTINCT ?x) AS ?d) "
                        "WHERE { ?x :w ?w . ?x :g ?g . ?y :g ?g } GROUP BY ?g", options);
    for (const auto& row : by_group.rows) {
      const int g = std::stoi(row[0]->value.substr(std::string("http://e/g").size()));
      EXPECT_EQ(Number(row[1]), even_in_group[g] * in_group[g]) << g;
      EXPECT_EQ(Number(row[2]), even_in_group[g] * in_group[g]) << g;
      EXPECT_EQ(Number(row[3]), even_in_group[g]) << g;
    }
    // The last join an OPTIONAL whose ?w is not read: odd items go on alone, counted once.
    auto optional = Run("SELECT ?g (COUNT(*) AS ?c) (COUNT(?x) AS ?cx) WHERE { ?x :g ?g OPTIONAL { ?x :w ?w } } GROUP BY ?g", options);
    EXPECT_EQ(optional.rows.size(), in_group.size());
    for (const auto& row : optional.rows) {
      const int g = std::stoi(row[0]->value.substr(std::string("http://e/g").size()));
      EXPECT_EQ(Number(row[1]), in_group[g]) << g;
      EXPECT_EQ(Number(row[2]), in_group[g]) << g;
    }
    // Rows sorted by ?x meet :v by merge, one match each.
    auto merged = Run("SELECT (COUNT(*) AS ?c) WHERE { ?x :g ?g . ?x :v ?v }", options);
    EXPECT_EQ(Number(merged.rows[0][0]), n);
    // ?y read as the group's key: the join gives its rows.
    auto per_y = Run("SELECT ?y (COUNT(*) AS ?c) WHERE { ?x :g ?g . ?y :g ?g } GROUP BY ?y", options);
    EXPECT_EQ(per_y.rows.size(), static_cast<std::size_t>(n));
    for (const auto& row : per_y.rows) {
      const int i = std::stoi(row[0]->value.substr(std::string("http://e/i").size()));
      EXPECT_EQ(Number(row[1]), in_group[i % 7]) << i;
    }
    if (n >= 3000) {
      auto plan = ExplainQuery("PREFIX : <http://e/> " + all_pairs, "<test>", source_, source_, options, false);
      ASSERT_TRUE(plan.ok());
      EXPECT_NE(plan->find("hash join ?y <http://e/g> ?g (counted"), std::string::npos) << *plan;
      plan = ExplainQuery("PREFIX : <http://e/> SELECT (COUNT(*) AS ?c) WHERE { ?x :g ?g OPTIONAL { ?x :w ?w } }", "<test>",
                          source_, source_, options, false);
      ASSERT_TRUE(plan.ok());
      EXPECT_NE(plan->find("optional merge join ?x <http://e/w> ?w (counted"), std::string::npos) << *plan;
      // Grouped by ?y, the rows start from ?y's scan, in its order, and ?x's join is
      // counted; with ?x read too, no join can be.
      plan = ExplainQuery("PREFIX : <http://e/> SELECT ?y (COUNT(*) AS ?c) WHERE { ?x :g ?g . ?y :g ?g } GROUP BY ?y", "<test>",
                          source_, source_, options, false);
      ASSERT_TRUE(plan.ok());
      EXPECT_NE(plan->find("hash join ?x <http://e/g> ?g (counted"), std::string::npos) << *plan;
      plan = ExplainQuery("PREFIX : <http://e/> SELECT ?y (COUNT(?x) AS ?c) WHERE { ?x :g ?g . ?y :g ?g } GROUP BY ?y",
                          "<test>", source_, source_, options, false);
      ASSERT_TRUE(plan.ok());
      EXPECT_EQ(plan->find("(counted"), std::string::npos) << *plan;
    }
  }
}

// Paths, MINUS, GRAPH, EXISTS, a one-pattern OPTIONAL and CONSTRUCT, each on the sizes.
// A top-k (ORDER BY ... LIMIT k) keeps the same rows, in the same order, as the full
// sort cut to k: with ties on the first key decided by the next ones (decoded only for
// rows the first key lets in), descending keys, expressions and unbound values.
TEST_P(OperatorsTest, TopKEqualsTheFullSortCut) {
  const std::vector<std::string> orders = {
      "?g ?v", "DESC(?g) ?v", "DESC(?g) DESC(?w)", "?w ?v", "(?v * -1)", "DESC(STR(?g)) ?x", "?g DESC(?w) ?v",
      "?g", "DESC(?g)", "?w",  // one key of many ties: the first rows of a tie are kept
  };
  for (const auto& order : orders) {
    const std::string q = "SELECT ?x ?g ?v ?w WHERE { ?x :v ?v ; :g ?g OPTIONAL { ?x :w ?w } } ORDER BY " + order;
    const auto all = Run(q).rows;
    // Split over two threads, each keeping the best of its part of the scan: the same
    // rows, ties included.
    QueryOptions split;
    split.threads = 2;
    split.parallel_min_rows = 1;
    for (std::size_t k : {1, 3, 10, 100}) {
      const std::vector<std::vector<std::optional<Term>>> cut(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(k, all.size())));
      EXPECT_EQ(Run(q + " LIMIT " + std::to_string(k)).rows, cut) << order << " LIMIT " << k;
      EXPECT_EQ(Run(q + " LIMIT " + std::to_string(k), split).rows, cut) << order << " LIMIT " << k << ", split";
    }
    if (GetParam() >= 100) {
      auto plan = ExplainQuery("PREFIX : <http://e/> " + q + " LIMIT 3", "<test>", source_, source_, split, false);
      ASSERT_TRUE(plan.ok());
      EXPECT_NE(plan->find("parallel (2 threads"), std::string::npos) << *plan;
      EXPECT_LT(plan->find("top 3"), plan->find("parallel")) << *plan;
      EXPECT_NE(plan->find("top 3", plan->find("parallel")), std::string::npos) << *plan;  // each thread's own
    }
  }
  // A first key of 9,000 ids, each met once and most of them losing: the top-k gives up
  // remembering them, as none comes again, and still cuts the full sort.
  const std::string many = "SELECT ?key WHERE { ?x :v ?v . ?y :v ?k FILTER(?k < 3) BIND(?v * 3 + ?k AS ?key) } ORDER BY ?key";
  const auto all = Run(many).rows;
  for (std::size_t k : {1, 10}) {
    auto top = Run(many + " LIMIT " + std::to_string(k)).rows;
    EXPECT_EQ(top, decltype(all)(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(k, all.size())))) << k;
  }
}

TEST_P(OperatorsTest, PathsMinusGraphExists) {
  const int n = GetParam();
  // A sequence path binds the same ends as the two patterns; an inverse, the reverse.
  EXPECT_EQ(Run("SELECT ?y WHERE { :i0 :g/^:g ?y }").rows, Run("SELECT ?y WHERE { :i0 :g ?k . ?y :g ?k }").rows);
  EXPECT_EQ(Run("SELECT ?x WHERE { :g0 ^:g ?x }").rows.size(), static_cast<std::size_t>((n + 6) / 7));
  // + from a bound subject: each item reaches its group only.
  EXPECT_EQ(Run("SELECT ?y WHERE { :i0 :g+ ?y }").rows.size(), n > 0 ? 1u : 0u);
  // * includes the start, even with no step (odd items have no :w).
  EXPECT_EQ(Run("SELECT ?y WHERE { :i1 :w* ?y }").rows.size(), 1u);
  const std::size_t odd = static_cast<std::size_t>(n / 2);
  EXPECT_EQ(Run("SELECT ?x WHERE { ?x :v ?v MINUS { ?x :w ?w } }").rows.size(), odd);
  EXPECT_EQ(Run("SELECT ?x WHERE { ?x :v ?v FILTER NOT EXISTS { ?x :w ?w } }").rows.size(), odd);
  EXPECT_EQ(Run("SELECT ?x WHERE { ?x :v ?v FILTER EXISTS { ?x :w ?w } }").rows.size(), static_cast<std::size_t>(n) - odd);
  // Nothing is in a named graph here.
  EXPECT_EQ(Run("SELECT * WHERE { GRAPH ?gr { ?x :v ?v } }").rows.size(), 0u);
  EXPECT_EQ(Run("SELECT * WHERE { GRAPH ?gr { } }").rows.size(), 0u);
  auto optional = Run("SELECT ?x ?w WHERE { ?x :g :g1 OPTIONAL { ?x :w ?w } }");
  EXPECT_EQ(optional.rows.size(), static_cast<std::size_t>((n + 5) / 7));
  auto constructed = RunQuery("PREFIX : <http://e/> CONSTRUCT { ?x :twice ?v . ?x :twice ?v } WHERE { ?x :v ?v }", "<test>",
                              source_, source_, QueryOptions{});
  ASSERT_TRUE(constructed.ok());
  EXPECT_EQ(constructed->triples.size(), static_cast<std::size_t>(n));  // each triple once
}

// ORDER BY without LIMIT sorts runs of 100 rows and merges them: the same order as one
// sort in memory.
TEST_P(OperatorsTest, AFullSortSpillsRunsAndMergesThem) {
  const int n = GetParam();
  QueryOptions spill;
  spill.sort_run_rows = 100;
  spill.memory_limit.reset();
  const std::string q = "SELECT ?x ?v WHERE { ?x :v ?v OPTIONAL { ?x :w ?w } } ORDER BY DESC(?w) ?v";
  auto merged = Run(q, spill), whole = Run(q);
  ASSERT_EQ(merged.rows.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(merged.rows, whole.rows);
  // Even ones (with ?w) first, largest first; then the odd ones, smallest first.
  if (n >= 5) {
    EXPECT_EQ(Number(merged.rows[0][1]), (n - 1) / 2 * 2);
    EXPECT_EQ(Number(merged.rows[static_cast<std::size_t>((n + 1) / 2)][1]), 1);
  }
}

// The answer is the same, row for row and in order, whatever the number of threads; the
// planner splits even small scans here (parallel_min_rows = 1).
TEST_P(OperatorsTest, ThreadsGiveTheSameAnswer) {
  const std::vector<std::string> queries = {
      "SELECT * WHERE { ?x :v ?v . ?x :g ?g }",
      "SELECT * WHERE { ?x :v ?v . ?x :g :g3 FILTER(?v >= 10) }",
      "SELECT * WHERE { ?x :v ?v . ?x :g ?g . ?y :g ?g FILTER(?v < 40) }",
      "SELECT ?g (COUNT(*) AS ?c) (COUNT(DISTINCT ?w) AS ?d) WHERE { ?x :g ?g . ?x :v ?v OPTIONAL { ?x :w ?w } } GROUP BY ?g",
      "SELECT ?g (COUNT(?x) AS ?c) (COUNT(DISTINCT ?v) AS ?d) WHERE { ?x :g ?g . ?x :v ?v } GROUP BY ?g ORDER BY DESC(?c) ?g",
      "SELECT (COUNT(*) AS ?c) WHERE { ?x :v ?v . ?x :w ?w }",
      "SELECT ?x WHERE { ?x :v ?v . ?x :g ?g } LIMIT 7",
      "ASK { ?x :v ?v . ?x :w 4 }",
      // Other shapes around a split BGP: they must not change what it gives.
      "SELECT ?x ?w WHERE { ?x :v ?v . ?x :g ?g OPTIONAL { ?x :w ?w } } ORDER BY ?w ?x",
      "SELECT ?x WHERE { { ?x :v ?v . ?x :g :g2 } UNION { ?x :w ?w . ?x :g :g5 } }",
      "SELECT ?x WHERE { ?x :v ?v . ?x :g ?g MINUS { ?x :w ?w } }",
      "SELECT ?x WHERE { ?x :v ?v . ?x :g ?g FILTER NOT EXISTS { ?x :w ?w } }",
      "SELECT ?x ?d WHERE { ?x :v ?v . ?x :g ?g BIND(?v + 1 AS ?d) FILTER(?d > 3) }",
      "SELECT DISTINCT ?g WHERE { ?x :v ?v . ?x :g ?g }",
      "SELECT ?g ?n WHERE { ?y :g ?g { SELECT ?g (COUNT(*) AS ?n) WHERE { ?x :v ?v . ?x :g ?g } GROUP BY ?g } } LIMIT 20",
      "SELECT ?x ?y WHERE { ?x :g/^:g ?y . ?x :v 3 }",
  };
  QueryOptions one;
  one.threads = 1;
  for (unsigned threads : {2u, 3u, 4u}) {
    QueryOptions many;
    many.threads = threads;
    many.parallel_min_rows = 1;
    for (const auto& q : queries) {
      auto serial = Run(q, one), parallel = Run(q, many);
      EXPECT_EQ(parallel.rows, serial.rows) << threads << " threads: " << q;
      EXPECT_EQ(parallel.boolean, serial.boolean) << q;
    }
  }
  if (GetParam() > 1) {
    QueryOptions two;
    two.threads = 2;
    two.parallel_min_rows = 1;
    auto plan = ExplainQuery("PREFIX : <http://e/> SELECT * WHERE { ?x :v ?v . ?x :g ?g }", "<test>", source_, source_, two, true);
    ASSERT_TRUE(plan.ok());
    EXPECT_NE(plan->find("parallel (2 threads"), std::string::npos) << *plan;
  }
}

// A source whose scans throw on any thread but the query's own (as a failed allocation
// would in a worker): the query ends with an error, neither a crash nor a hang nor a
// shorter answer, for an exchange's workers and for a split group-by's.
class ThrowingOffThread final : public QuadSource {
 public:
  explicit ThrowingOffThread(const MemoryQuadSource& inner) : inner_(inner) {}
  std::unique_ptr<QuadCursor> Scan(const QuadPattern& p) const override {
    Check();
    return inner_.Scan(p);
  }
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& p) const override {
    Check();
    return inner_.ScanUnion(p);
  }
  Result<PredicateStats> Stats(TermId predicate) const override { return inner_.Stats(predicate); }
  std::optional<std::uint64_t> EstimateMatches(const QuadPattern& p, bool union_view) const override {
    return inner_.EstimateMatches(p, union_view);
  }

 private:
  void Check() const {
    if (std::this_thread::get_id() != main_) throw std::runtime_error("a worker's scan failed");
  }
  const MemoryQuadSource& inner_;
  std::thread::id main_ = std::this_thread::get_id();
};

TEST_P(OperatorsTest, AWorkersExceptionIsTheQuerysError) {
  if (GetParam() < 3000) GTEST_SKIP() << "split plans need rows";
  ThrowingOffThread throwing(source_);
  QueryOptions two;
  two.threads = 2;
  two.parallel_min_rows = 1;
  for (const std::string q : {"SELECT * WHERE { ?x :v ?v . ?x :g ?g }",                  // exchange
                              "SELECT ?g (COUNT(*) AS ?c) WHERE { ?x :v ?v . ?x :g ?g } GROUP BY ?g"}) {  // split group-by
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source_, source_, two, false);
    ASSERT_TRUE(plan.ok());
    ASSERT_NE(plan->find("2 threads"), std::string::npos) << *plan;
    auto r = RunQuery("PREFIX : <http://e/> " + q, "<test>", throwing, source_, two);
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_NE(r.status().ToString().find("a worker's scan failed"), std::string::npos) << r.status().ToString();
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, OperatorsTest, ::testing::Values(0, 1, 5, 3000));

// COUNT(DISTINCT) over rows that come in order of the group key (a scan sorted by it)
// keeps one group's ids at a time. Item i has 1 + i * 37 % 97 tags, each also under a
// second tag name for even tags; item 300 has 5,000 tags (its rows fill several blocks);
// items have 1 to 3 kinds, and every third item a note. The counts are worked out here,
// on 1 to 4 threads.
TEST(GroupInKeyOrderTest, CountDistinctOfEachGroupsRunIsWhole) {
  MemoryQuadSource source;
  auto iri = [&](const std::string& local) { return source.Intern(Term::Iri("http://e/" + local)); };
  std::map<std::string, std::pair<long long, long long>> expected;  // item -> distinct tags, notes
  for (int i = 0; i < 600; ++i) {
    const std::string name = "item" + std::to_string(1000 + i);  // names sort as the ids do
    const TermId item = iri(name);
    const int tags = i == 300 ? 5000 : 1 + i * 37 % 97;
    for (int t = 0; t < tags; ++t) {
      source.Insert(Quad{item, iri("tag"), iri("t" + std::to_string(t)), kDefaultGraph});
      if (t % 2 == 0) source.Insert(Quad{item, iri("alsoTag"), iri("t" + std::to_string(t)), kDefaultGraph});
    }
    for (int k = 0; k <= (i * i + i / 7) % 3; ++k) source.Insert(Quad{item, iri("kind"), iri("k" + std::to_string(k)), kDefaultGraph});
    if (i % 3 == 0) source.Insert(Quad{item, iri("note"), iri("n" + std::to_string(i % 5)), kDefaultGraph});
    expected["http://e/" + name] = {tags, i % 3 == 0 ? 1 : 0};
  }
  const std::string q =
      "PREFIX : <http://e/> SELECT ?x (COUNT(DISTINCT ?t) AS ?n) (COUNT(DISTINCT ?note) AS ?notes) "
      "WHERE { ?x :kind ?k . { ?x :tag ?t } UNION { ?x :alsoTag ?t } OPTIONAL { ?x :note ?note } } GROUP BY ?x";
  // The scan of tags is split inside items' runs, each part with some of the item's tags;
  // the join meets each tag once for each kind.
  const std::string q_scan = "PREFIX : <http://e/> SELECT ?x (COUNT(DISTINCT ?t) AS ?n) WHERE { ?x :tag ?t } GROUP BY ?x";
  const std::string q_join =
      "PREFIX : <http://e/> SELECT ?x (COUNT(DISTINCT ?t) AS ?n) WHERE { ?x :kind ?k . ?x :tag ?t } GROUP BY ?x";
  for (unsigned threads : {1u, 2u, 3u, 4u}) {
    QueryOptions options;
    options.threads = threads;
    options.parallel_min_rows = 1;
    for (const std::string& text : {q_scan, q_join}) {
      auto plan = ExplainQuery(text, "<test>", source, source, options, true);
      ASSERT_TRUE(plan.ok());
      EXPECT_NE(plan->find("(rows in order of ?x)"), std::string::npos) << *plan;
    }
    for (const std::string& text : {q, q_scan, q_join}) {
      auto r = RunQuery(text, "<test>", source, source, options);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      std::map<std::string, std::pair<long long, long long>> counted;
      for (const auto& row : r->rows) {
        ASSERT_TRUE(row[0] && row[1]);
        const long long notes = row.size() > 2 && row[2] ? std::stoll(row[2]->value) : expected[row[0]->value].second;
        EXPECT_TRUE(counted.emplace(row[0]->value, std::pair{std::stoll(row[1]->value), notes}).second);
      }
      EXPECT_EQ(counted, expected) << text << " on " << threads << " threads";
    }
  }
}

// REGEX(?v, "constant") is tested in place on the decoded term; it must keep SPARQL's
// rules: strings and language-tagged strings are searched, other terms (IRIs, numbers)
// and unbound values are errors (the row goes), and so is a bad pattern or flag. The
// same condition inside `|| false` goes through the general evaluator: both must agree.
TEST(OperatorsRegexTest, ARegexOnAVariableKeepsSparqlsRules) {
  MemoryQuadSource source;
  auto iri = [&](const std::string& local) { return source.Intern(Term::Iri("http://e/" + local)); };
  const std::vector<Term> values = {
      Term::Literal("Moon Jae-in"), Term::Literal("moon river", std::string(kXsdString)),
      Term::LangLiteral("Mond", "de"), Term::Iri("http://e/moon"),
      Term::Literal("12", "http://www.w3.org/2001/XMLSchema#integer"), Term::Literal("Sun\nMoon"),
      Term::Literal("MOON"), Term::Literal("")};
  for (std::size_t i = 0; i < values.size(); ++i) {
    source.Insert(Quad{iri("x" + std::to_string(i)), iri("v"), source.Intern(values[i]), kDefaultGraph});
  }
  source.Insert(Quad{iri("y"), iri("w"), iri("z"), kDefaultGraph});  // ?v unbound below
  auto rows = [&](const std::string& filter) {
    auto r = RunQuery("PREFIX : <http://e/> SELECT ?x WHERE { { ?x :v ?v } UNION { ?x :w ?z } FILTER(" + filter + ") }",
                      "<test>", source, source, QueryOptions{});
    EXPECT_TRUE(r.ok()) << filter;
    std::set<std::string> out;
    if (r.ok()) {
      for (const auto& row : r->rows) out.insert(row[0]->value);
    }
    return out;
  };
  const std::map<std::string, std::set<std::string>> cases = {
      {"regex(?v, \"moon\")", {"http://e/x1"}},
      {"regex(?v, \"moon\", \"i\")", {"http://e/x0", "http://e/x1", "http://e/x5", "http://e/x6"}},
      {"regex(?v, \"^mo\", \"i\")", {"http://e/x0", "http://e/x1", "http://e/x2", "http://e/x6"}},
      {"regex(?v, \"^$\")", {"http://e/x7"}},
      {"regex(?v, \"1\")", {}},
      {"regex(?v, \"(\")", {}},
      {"regex(?v, \"moon\", \"k\")", {}},
      {"!regex(?v, \"moon\", \"i\")", {"http://e/x2", "http://e/x7"}},
  };
  for (const auto& [filter, expected] : cases) {
    EXPECT_EQ(rows(filter), expected) << filter;
    EXPECT_EQ(rows("(" + filter + ") || false"), expected) << filter;
  }
}

// Several conditions in one filter, over many blocks: regexes on two columns (each
// decoded a column at a time) and a general condition, each row kept only when all of
// them hold, as worked out here.
TEST(OperatorsRegexTest, RegexesOnTwoColumnsAndAComparisonOverManyBlocks) {
  MemoryQuadSource source;
  auto iri = [&](const std::string& local) { return source.Intern(Term::Iri("http://e/" + local)); };
  std::set<std::string> expected;
  for (int i = 0; i < 5000; ++i) {
    const TermId item = iri("i" + std::to_string(i));
    source.Insert(Quad{item, iri("label"), source.Intern(Term::Literal("item " + std::to_string(i))), kDefaultGraph});
    source.Insert(Quad{item, iri("kind"), source.Intern(Term::LangLiteral("Kind " + std::to_string(i % 5), "en")),
                       kDefaultGraph});
    source.Insert(Quad{item, iri("n"), source.Intern(Term::Literal(std::to_string(i), "http://www.w3.org/2001/XMLSchema#integer")),
                       kDefaultGraph});
    if (std::to_string(i).find('7') != std::string::npos && i % 5 == 3 && i > 100) expected.insert("http://e/i" + std::to_string(i));
  }
  auto r = RunQuery(
      "PREFIX : <http://e/> SELECT ?x WHERE { ?x :label ?l ; :kind ?k ; :n ?n "
      "FILTER regex(?l, \"7\") FILTER regex(?k, \"kind 3\", \"i\") FILTER(?n > 100) }",
      "<test>", source, source, QueryOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::set<std::string> got;
  for (const auto& row : r->rows) got.insert(row[0]->value);
  EXPECT_GT(expected.size(), 50u);
  EXPECT_EQ(got, expected);
}

TEST(OperatorsBudgetTest, TheDeadlineAndTheMemoryLimitStopAQuery) {
  MemoryQuadSource source;
  for (int i = 0; i < 2000; ++i) {
    source.Insert(Quad{source.Intern(Term::Iri("http://e/s" + std::to_string(i))), source.Intern(Term::Iri("http://e/p")),
                       source.Intern(Term::Literal(std::to_string(i))), kDefaultGraph});
  }
  const std::string product = "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://e/p> ?b . ?c <http://e/p> ?d . ?e <http://e/p> ?f }";
  QueryOptions options;
  options.timeout = std::chrono::milliseconds(200);
  auto r = RunQuery(product, "<test>", source, source, options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("timed out"), std::string::npos) << r.status().ToString();
  // Split over threads, each thread stops at the deadline too.
  options.threads = 2;
  options.parallel_min_rows = 1;
  const auto start = std::chrono::steady_clock::now();
  r = RunQuery(product, "<test>", source, source, options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("timed out"), std::string::npos) << r.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  // A DISTINCT over 4M rows of distinct pairs holds more than 1 MiB.
  QueryOptions small;
  small.memory_limit = 1 << 20;
  r = RunQuery("SELECT DISTINCT ?b ?d WHERE { ?a <http://e/p> ?b . ?c <http://e/p> ?d }", "<test>", source, source, small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("memory limit"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace parley::query
