// The planner and explain: the plan explain prints without running the query is the
// plan the evaluator runs (explain --analyze prints what ran), and the planner's own
// decisions (filter placement, join order, correlation) follow its rules.
#include <cstdlib>
#include <iostream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "query/engine.hpp"
#include "query/parse.hpp"
#include "query/plan/planner.hpp"
#include "store/memory_quad_source.hpp"

namespace parley::query {
namespace {

const std::string kEx = "http://e/";

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 400 people, each in one of 20 places and with a label; places have a label and
    // a region; a few people know others.
    auto iri = [&](const std::string& local) { return source_.Intern(Term::Iri(kEx + local)); };
    const TermId label = iri("label"), in = iri("in"), knows = iri("knows"), region = iri("region"), type = iri("type");
    for (int i = 0; i < 400; ++i) {
      const TermId person = iri("p" + std::to_string(i));
      source_.Insert(Quad{person, type, iri("Person"), kDefaultGraph});
      source_.Insert(Quad{person, label, source_.Intern(Term::Literal("person " + std::to_string(i))), kDefaultGraph});
      source_.Insert(Quad{person, in, iri("place" + std::to_string(i % 20)), kDefaultGraph});
      if (i % 10 == 0) source_.Insert(Quad{person, knows, iri("p" + std::to_string((i * 7) % 400)), kDefaultGraph});
    }
    for (int i = 0; i < 20; ++i) {
      const TermId place = iri("place" + std::to_string(i));
      source_.Insert(Quad{place, label, source_.Intern(Term::Literal("place " + std::to_string(i))), kDefaultGraph});
      source_.Insert(Quad{place, region, iri("r" + std::to_string(i % 3)), kDefaultGraph});
    }
  }

  std::string Explain(const std::string& q, bool analyze) {
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source_, source_, QueryOptions{}, analyze);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? *plan : "";
  }

  // A plan without what only a run can tell: rows, times, candidate counts, the total.
  static std::string Shape(const std::string& plan) {
    static const std::regex measured("   (rows [0-9]+, [0-9.e+-]+ ms.*|[0-9]+ candidates)$");
    std::string out;
    std::istringstream lines(plan);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("total: ", 0) == 0) continue;
      out += std::regex_replace(line, measured, "") + "\n";
    }
    return out;
  }

  MemoryQuadSource source_;
};

// Queries of every shape the planner decides something for.
const std::vector<std::string> kShapes = {
    "SELECT * WHERE { ?p :in ?c . ?c :label ?l . ?p :label \"person 7\" }",
    "SELECT ?c (COUNT(?p) AS ?n) WHERE { ?p :type :Person ; :in ?c . ?c :region ?r } GROUP BY ?c ORDER BY DESC(?n) LIMIT 3",
    "SELECT * WHERE { ?p :type :Person OPTIONAL { ?p :knows ?q . ?q :in ?c } }",
    "SELECT * WHERE { ?p :type :Person OPTIONAL { ?p :knows ?q FILTER(?q != ?p && BOUND(?p)) } }",
    "SELECT * WHERE { ?p :in ?c FILTER(STRSTARTS(?l, \"person 1\")) ?p :label ?l }",
    "SELECT * WHERE { ?p :label ?l FILTER(REGEX(?l, \"3$\", \"i\")) ?p :in ?c . ?c :region :r1 }",
    "SELECT * WHERE { { ?p :in :place3 } UNION { ?p :knows ?x } ?p :label ?l }",
    "SELECT * WHERE { ?p :in ?c MINUS { ?c :region :r0 } }",
    "SELECT * WHERE { VALUES ?c { :place1 :place2 } ?p :in ?c ; :label ?l }",
    "SELECT * WHERE { ?p :in ?c BIND(STR(?c) AS ?s) ?q :in ?c FILTER(?p != ?q) } LIMIT 5",
    "SELECT * WHERE { ?c :region ?r { SELECT ?c (COUNT(?p) AS ?n) WHERE { ?p :in ?c } GROUP BY ?c } }",
    "SELECT * WHERE { ?p :knows/:in ?c . ?c :label ?l }",
    "ASK { ?p :knows ?q . ?q :knows ?r FILTER NOT EXISTS { ?r :in :place0 } }",
    "SELECT * WHERE { ?p :nothing ?x . ?p :in ?c }",
};

TEST_F(PlanTest, ExplainShowsThePlanThatRuns) {
  for (const auto& q : kShapes) {
    const std::string planned = Explain(q, false), ran = Explain(q, true);
    EXPECT_EQ(Shape(ran), planned) << q;
    EXPECT_EQ(ran.find("entered "), std::string::npos) << "ran with other bindings than planned:\n" << ran;
    if (std::getenv("PARLEY_PRINT_PLANS")) std::cout << q << "\n" << ran << "\n";
  }
}

// The tree explain prints is the tree that runs: --analyze measures the operators of the
// plan explain showed, and each of them ran (a row count on every line).
TEST_F(PlanTest, AnalyzeMeasuresTheTreeExplainShows) {
  for (const std::string q : {"SELECT * WHERE { ?p :type :Person OPTIONAL { ?p :knows ?q } { ?q :in ?c . ?c :region ?r } }",
                              "SELECT ?c (COUNT(?p) AS ?n) WHERE { ?p :in ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 3",
                              "SELECT DISTINCT ?r WHERE { { ?c :region ?r } UNION { ?p :in ?c } FILTER(BOUND(?r)) }"}) {
    const std::string planned = Explain(q, false), ran = Explain(q, true);
    EXPECT_EQ(Shape(ran), Shape(planned)) << q;
    std::istringstream lines(ran);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("total: ", 0) == 0) continue;
      EXPECT_NE(line.find("   rows "), std::string::npos) << line;
    }
  }
}

TEST_F(PlanTest, SelectiveLabelFirstThenTheJoin) {
  const std::string plan = Explain(kShapes[0], false);
  const auto label = plan.find("?p <http://e/label> \"person 7\""), in = plan.find("?p <http://e/in> ?c"),
             place = plan.find("?c <http://e/label> ?l");
  // The tree prints its root first: what runs first is the deepest line.
  ASSERT_NE(label, std::string::npos) << plan;
  EXPECT_GT(label, in) << plan;
  EXPECT_GT(in, place) << plan;
  EXPECT_NE(plan.find("scan ?p <http://e/label> \"person 7\""), std::string::npos) << plan;
}

TEST_F(PlanTest, FiltersRunAsSoonAsTheirVariablesAreBound) {
  auto query = ParseQuery(
      "SELECT * WHERE { FILTER(?a > 1) ?x <http://e/v> ?a . OPTIONAL { ?x <http://e/w> ?b } FILTER(?b) "
      "FILTER(1 = 1) BIND(?a + 1 AS ?c) FILTER(?c > 2) FILTER EXISTS { ?x ?p ?o } }",
      "<test>", ParseOptions{});
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  const plan::GroupPlan g = plan::PlanGroup(query->where, false);
  ASSERT_EQ(g.steps.size(), 3u);  // triples, OPTIONAL, BIND
  ASSERT_EQ(g.filters_before.size(), 4u);
  EXPECT_EQ(g.filters_before[0].size(), 1u);  // 1 = 1: no variables
  EXPECT_EQ(g.inside[0].size(), 1u);          // ?a > 1, in the triples' join
  EXPECT_EQ(g.filters_before[1].size(), 0u);
  EXPECT_EQ(g.filters_before[2].size(), 0u);
  EXPECT_EQ(g.filters_before[3].size(), 3u);  // ?b (OPTIONAL binds it maybe), ?c > 2, EXISTS
  EXPECT_TRUE(plan::PlanGroup(query->where, true).filters_before[3].empty());

  // Triple blocks that only filters separate are one BGP, the filter inside its join
  // after the pattern that binds its last variable.
  auto split = ParseQuery("SELECT * WHERE { ?x <http://e/v> ?a FILTER(?a = ?b) ?x <http://e/w> ?b . ?b <http://e/u> ?c }",
                          "<test>", ParseOptions{});
  ASSERT_TRUE(split.ok());
  const plan::GroupPlan joined = plan::PlanGroup(split->where, false);
  ASSERT_EQ(joined.steps.size(), 1u);
  const auto& triples = joined.steps[0]->triples;
  ASSERT_EQ(triples.size(), 3u);
  ASSERT_EQ(joined.inside[0].size(), 1u);
  const std::vector<plan::OrderedPattern> order = {{2, 0}, {1, 0}, {0, 0}};
  EXPECT_EQ(plan::FilterPositions(triples, order, joined.inside[0], {}), std::vector<std::size_t>{3});
  EXPECT_EQ(plan::FilterPositions(triples, {{0, 0}, {1, 0}, {2, 0}}, joined.inside[0], {}), std::vector<std::size_t>{2});
  EXPECT_EQ(plan::FilterPositions(triples, order, joined.inside[0], {"a", "b"}), std::vector<std::size_t>{0});
}

TEST_F(PlanTest, JoinOrderFollowsTheStatistics) {
  auto query = ParseQuery("SELECT * WHERE { ?a <http://e/big> ?b . ?b <http://e/small> ?c . ?c <http://e/none> ?d }",
                          "<test>", ParseOptions{});
  ASSERT_TRUE(query.ok());
  const auto& triples = query->where.elements[0].triples;
  auto facts = [](const ast::TriplePattern& t) {
    using Facts = plan::PredicateFacts;
    if (t.path.iri == "http://e/none") return Facts{Facts::Kind::kAbsent};
    if (t.path.iri == "http://e/big") return Facts{Facts::Kind::kCounted, 1e6, 1e5, 10};
    return Facts{Facts::Kind::kCounted, 100, 100, 100};
  };
  auto order = plan::OrderPatterns(triples, 0, triples.size(), {}, facts);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0].index, 2u);  // a predicate the store lacks: nothing to join
  EXPECT_EQ(order[1].index, 1u);  // then through ?c, the small one
  EXPECT_EQ(order[2].index, 0u);
  // With ?a bound, the big pattern is 10 rows per ?a and goes before ?b's.
  order = plan::OrderPatterns({triples[0], triples[1]}, 0, 2, {"a"}, facts);
  EXPECT_EQ(order[0].index, 0u);
  EXPECT_DOUBLE_EQ(order[0].estimate, 10.0);
}

TEST_F(PlanTest, CorrelationFollowsFilterScope) {
  auto query = ParseQuery(
      "SELECT * WHERE { ?x <http://e/v> ?a { ?x <http://e/w> ?b FILTER(?b > ?a) } { ?x <http://e/w> ?c FILTER(?c > 1) } }",
      "<test>", ParseOptions{});
  ASSERT_TRUE(query.ok());
  const auto& elements = query->where.elements;
  EXPECT_FALSE(plan::Correlatable(elements[1].groups[0], false));  // its filter sees ?a from outside
  EXPECT_TRUE(plan::Correlatable(elements[1].groups[0], true));    // as OPTIONAL's LeftJoin filter it may
  EXPECT_TRUE(plan::Correlatable(elements[2].groups[0], false));
}

}  // namespace
}  // namespace parley::query
