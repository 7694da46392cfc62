// The operators, through queries the planner gives to them (explain shows an operator
// tree, not the evaluator's "BGP" lines): each on an empty input, one block, and many
// blocks (3,000 rows; a block holds 1,024), with unbound values, and stopped by the
// deadline and the memory limit.
#include <gtest/gtest.h>

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
    auto plan = ExplainQuery(text, "<test>", source_, source_, options, false);
    EXPECT_TRUE(plan.ok());
    if (plan.ok()) {
      EXPECT_EQ(plan->find("BGP"), std::string::npos) << "not on the operators:\n" << *plan;
    }
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
  for (const auto& row : optional.rows) EXPECT_EQ(row[1].has_value(), Number(row[0]) % 2 == 0);
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

INSTANTIATE_TEST_SUITE_P(Sizes, OperatorsTest, ::testing::Values(0, 1, 5, 3000));

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
  // A DISTINCT over 4M rows of distinct pairs holds more than 1 MiB.
  QueryOptions small;
  small.memory_limit = 1 << 20;
  r = RunQuery("SELECT DISTINCT ?b ?d WHERE { ?a <http://e/p> ?b . ?c <http://e/p> ?d }", "<test>", source, source, small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("memory limit"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace parley::query
