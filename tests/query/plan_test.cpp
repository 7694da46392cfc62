// The planner and explain: the plan explain prints without running the query is the
// plan that runs (explain --analyze prints what ran), and the planner's own decisions
// (filter placement, join order on skewed statistics, join kinds) follow its rules.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "query/engine.hpp"
#include "query/parse.hpp"
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

// The lines of a plan, root first.
std::vector<std::string> Lines(const std::string& plan) {
  std::vector<std::string> out;
  std::istringstream in(plan);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t LineWith(const std::vector<std::string>& lines, const std::string& text) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(text) != std::string::npos) return i;
  }
  return lines.size();
}

TEST_F(PlanTest, FiltersRunAsSoonAsTheirVariablesAreBound) {
  // ?l is bound by the place's label: the filter runs right after that pattern (the line
  // below it in the tree), before the person's label is joined.
  const auto lines = Lines(Explain(
      "SELECT * WHERE { ?p :in ?c . ?c :label ?l . ?p :label ?pl FILTER(?l = \"place 3\") FILTER(?pl != ?l) }", false));
  const std::size_t filter = LineWith(lines, "filter (= ?l \"place 3\")");
  ASSERT_LT(filter + 1, lines.size()) << Explain("SELECT 1 {}", false);
  EXPECT_NE(lines[filter + 1].find("?c <http://e/label> ?l"), std::string::npos) << lines[filter + 1];
  // A filter over two patterns' variables waits for the second.
  const std::size_t both = LineWith(lines, "filter (!= ?pl ?l)");
  ASSERT_LT(both, filter);
  EXPECT_NE(lines[both + 1].find("?p <http://e/label> ?pl"), std::string::npos) << lines[both + 1];
}

// Skewed statistics: a predicate with a million triples and ten objects, one with a
// hundred, and one the store lacks. The planner starts where the fewest rows come and
// joins through the bound variables.
TEST(PlanSkewTest, JoinOrderFollowsTheStatistics) {
  MemoryQuadSource source;
  auto iri = [&](const std::string& local) { return source.Intern(Term::Iri(kEx + local)); };
  const TermId big = iri("big"), small = iri("small");
  for (int i = 0; i < 20000; ++i) source.Insert(Quad{iri("a" + std::to_string(i)), big, iri("b" + std::to_string(i % 10)), kDefaultGraph});
  for (int i = 0; i < 100; ++i) source.Insert(Quad{iri("b" + std::to_string(i)), small, iri("c" + std::to_string(i)), kDefaultGraph});
  auto explain = [&](const std::string& q) {
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source, source, QueryOptions{}, false);
    EXPECT_TRUE(plan.ok());
    return plan.ok() ? Lines(*plan) : std::vector<std::string>{};
  };
  auto lines = explain("SELECT * WHERE { ?a :big ?b . ?b :small ?c . ?c :none ?d }");
  const std::size_t none = LineWith(lines, "e/none>"), smallest = LineWith(lines, "e/small>"),
                    largest = LineWith(lines, "e/big>");
  ASSERT_LT(largest, lines.size());
  // Root first: the deepest line runs first.
  EXPECT_GT(none, smallest);
  EXPECT_GT(smallest, largest);
  EXPECT_NE(lines[none].find("(est 0 rows)"), std::string::npos) << lines[none];
  // With a constant subject the big pattern is two rows and goes first.
  lines = explain("SELECT * WHERE { ?b :small ?c . :a7 :big ?b }");
  EXPECT_GT(LineWith(lines, "e/big>"), LineWith(lines, "e/small>"));
  // Written small first, run big first: its 20,000 rows are read once, and the 100 small
  // ones go into a table, where starting small would probe the big one 100 times for
  // 2,000 rows each (the costs of OrderCost).
  lines = explain("SELECT * WHERE { ?b :small ?c . ?a :big ?b }");
  EXPECT_GT(LineWith(lines, "scan ?a <http://e/big> ?b"), LineWith(lines, "hash join ?b <http://e/small> ?c")) << lines[0];
  EXPECT_NE(LineWith(lines, "hash join ?b <http://e/small> ?c"), lines.size());
}

// The default graph is the union of all graphs: a fact four sources give is one row of
// it, and the planner counts it once, both to order the patterns and to give each thread
// its half of the first scan.
TEST(PlanSkewTest, AFactInManyGraphsIsOneRowOfTheDefaultGraph) {
  // 3,000 claims each :said in four sources' graphs (12,000 quads); 6,000 claims :about
  // a topic, once each.
  MemoryQuadSource source;
  auto iri = [&](const std::string& local) { return source.Intern(Term::Iri(kEx + local)); };
  const TermId said = iri("said"), about = iri("about");
  for (int i = 0; i < 3000; ++i) {
    for (int g = 0; g < 4; ++g) {
      source.Insert(Quad{iri("c" + std::to_string(i)), said, iri("a" + std::to_string(i % 100)), iri("src" + std::to_string(g))});
    }
  }
  for (int i = 0; i < 6000; ++i) source.Insert(Quad{iri("c" + std::to_string(i)), about, iri("t" + std::to_string(i % 50)), kDefaultGraph});
  QueryOptions options;
  options.threads = 2;
  options.parallel_min_rows = 100;
  const std::string q = "PREFIX : <http://e/> SELECT * WHERE { ?c :about ?t . ?c :said ?a }";
  auto plan = ExplainQuery(q, "<test>", source, source, options, true);
  ASSERT_TRUE(plan.ok());
  const auto lines = Lines(*plan);
  const std::size_t scan = LineWith(lines, "scan ?c <http://e/said> ?a   (est 3000 rows)   rows 1500,");
  EXPECT_LT(scan, lines.size()) << *plan;
  auto result = RunQuery(q, "<test>", source, source, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->rows.size(), 3000u);
}

// `items` items x0, x1, ... all tagged :many, and every `few_every`-th also tagged :few.
void TagItems(int items, int few_every, MemoryQuadSource* source) {
  auto iri = [&](const std::string& local) { return source->Intern(Term::Iri(kEx + local)); };
  const TermId tag = iri("tag"), few = iri("few"), many = iri("many");
  for (int i = 0; i < items; ++i) {
    const TermId x = iri("x" + std::to_string(i));
    source->Insert(Quad{x, tag, many, kDefaultGraph});
    if (i % few_every == 0) source->Insert(Quad{x, tag, few, kDefaultGraph});
  }
}

// TagItems' 30,000 items (:few on every third), each of 20,000 :y's :link to one of them,
// scanned by ?y.
void LinkTaggedItems(MemoryQuadSource* source) {
  TagItems(30000, 3, source);
  for (int i = 0; i < 20000; ++i) {
    source->Insert(Quad{source->Intern(Term::Iri(kEx + "y" + std::to_string(i))), source->Intern(Term::Iri(kEx + "link")),
                        source->Intern(Term::Iri(kEx + "x" + std::to_string((i * 7) % 30000))), kDefaultGraph});
  }
}

// Two constant patterns both past the planner's exact count (8,192) are told apart by
// the source's estimate: the smaller one starts, whichever is written first.
TEST(PlanSkewTest, PatternsPastTheCountCapAreOrderedByTheirEstimates) {
  MemoryQuadSource source;
  TagItems(30000, 3, &source);
  for (const std::string q : {"SELECT * WHERE { ?x :tag :many . ?x :tag :few }",
                              "SELECT * WHERE { ?x :tag :few . ?x :tag :many }"}) {
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source, source, QueryOptions{}, false);
    ASSERT_TRUE(plan.ok());
    const auto lines = Lines(*plan);
    EXPECT_NE(lines.back().find("scan ?x <http://e/tag> <http://e/few>   (est 10000 rows)"), std::string::npos)
        << *plan;
  }
}

// How a pattern meets the rows depends on their order and on the sizes: rows sorted by
// the key (a scan by subject, as the in-memory source gives them) meet a large table by
// merge; a few rows probe the index; rows in another order meet the table by hash.
TEST(PlanSkewTest, JoinKindFollowsRowOrderAndSizes) {
  auto join_line = [](MemoryQuadSource& source, const std::string& q) {
    QueryOptions one_thread;
    one_thread.threads = 1;
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source, source, one_thread, false);
    EXPECT_TRUE(plan.ok());
    return plan.ok() ? Lines(*plan)[0] : std::string();
  };
  MemoryQuadSource third;  // 10,000 of 30,000 items are :few
  TagItems(30000, 3, &third);
  EXPECT_NE(join_line(third, "SELECT * WHERE { ?x :tag :few . ?x :tag :many }").find("merge join ?x <http://e/tag> <http://e/many>"),
            std::string::npos);
  MemoryQuadSource rare;  // 30 of them
  TagItems(30000, 1000, &rare);
  EXPECT_NE(join_line(rare, "SELECT * WHERE { ?x :tag :few . ?x :tag :many }").find("index join ?x <http://e/tag> <http://e/many>"),
            std::string::npos);
  // Rows from ?y's scan come by ?y; the table of :many is keyed by ?x.
  for (int i = 0; i < 20000; ++i) {
    third.Insert(Quad{third.Intern(Term::Iri(kEx + "y" + std::to_string(i))), third.Intern(Term::Iri(kEx + "link")),
                      third.Intern(Term::Iri(kEx + "x" + std::to_string((i * 7) % 30000))), kDefaultGraph});
  }
  EXPECT_NE(join_line(third, "SELECT * WHERE { ?y :link ?x . ?x :tag :many }").find("hash join ?x <http://e/tag> <http://e/many>"),
            std::string::npos);
}

// Under a LIMIT over streaming operators only the first rows meet a pattern, so probing
// them beats reading a whole table first; where something reads all its input before the
// LIMIT applies (ORDER BY, GROUP BY), every row meets it and the table stays. The rows
// come from ?y's scan, by ?y, and the table of :many would be keyed by ?x.
TEST(PlanSkewTest, ALimitOverStreamingJoinsProbesItsFewRows) {
  MemoryQuadSource source;
  LinkTaggedItems(&source);
  auto join_kind = [&](const std::string& q) {
    QueryOptions one_thread;
    one_thread.threads = 1;
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source, source, one_thread, false);
    EXPECT_TRUE(plan.ok());
    if (!plan.ok()) return std::string();
    for (const auto& line : Lines(*plan)) {
      const auto at = line.find(" join ?x <http://e/tag>");
      if (at != std::string::npos) return line.substr(line.find_first_not_of(' '), at - line.find_first_not_of(' '));
    }
    return std::string("none");
  };
  EXPECT_EQ(join_kind("SELECT * WHERE { ?y :link ?x . ?x :tag :many }"), "hash");
  EXPECT_EQ(join_kind("SELECT * WHERE { ?y :link ?x . ?x :tag :many } LIMIT 10"), "index");
  EXPECT_EQ(join_kind("SELECT * WHERE { ?y :link ?x OPTIONAL { ?x :tag ?t } } LIMIT 10"), "optional index");
  EXPECT_EQ(join_kind("SELECT ?y WHERE { ?y :link ?x . ?x :tag :many FILTER(?y != :y3) } OFFSET 5 LIMIT 20"), "index");
  EXPECT_EQ(join_kind("SELECT * WHERE { ?y :link ?x . ?x :tag :many } ORDER BY ?x LIMIT 10"), "hash");
  EXPECT_EQ(join_kind("SELECT ?y (COUNT(*) AS ?n) WHERE { ?y :link ?x . ?x :tag :many } GROUP BY ?y LIMIT 10"), "hash");
  // A LIMIT as large as the rows changes nothing.
  EXPECT_EQ(join_kind("SELECT * WHERE { ?y :link ?x . ?x :tag :many } LIMIT 100000"), "hash");
  // Nor is a scan split over threads for a few rows, but it still is for many.
  QueryOptions two;
  two.threads = 2;
  auto split = [&](const std::string& q) {
    auto plan = ExplainQuery("PREFIX : <http://e/> " + q, "<test>", source, source, two, false);
    return plan.ok() && plan->find("parallel (2 threads") != std::string::npos;
  };
  EXPECT_FALSE(split("SELECT * WHERE { ?y :link ?x OPTIONAL { ?x :tag ?t } } LIMIT 10"));
  EXPECT_TRUE(split("SELECT * WHERE { ?y :link ?x OPTIONAL { ?x :tag ?t } } LIMIT 15000"));
  EXPECT_TRUE(split("SELECT * WHERE { ?y :link ?x OPTIONAL { ?x :tag ?t } }"));
}

// OPTIONALs of one pattern over a large scan are split with it: each thread joins its
// part of the scan (before, only a BGP was, and its OPTIONAL ran on one thread), and a
// COUNT over them is grouped on each thread. The answers are those of one thread.
// A GROUP BY of one key finds a row's group without a lookup when the rows come in order
// of the key, and a lookup costs most when there are too many groups for the CPU's
// nearer caches. So the planner starts from a scan in the key's order where the
// lookups it spares cost more than that start does. Either way the counts are the data's.
TEST(PlanSkewTest, AGroupOfManyKeysIsFedInItsKeysOrderWhereThatCostsLittle) {
  for (int actors : {2000, 12000}) {
    // 3,000 meetings, each attended by 6 actors and in one of 50 places; 10 of them are
    // in :rare. (This source scans ?a :attended ?m in order of ?a.)
    MemoryQuadSource source;
    auto iri = [&](const std::string& local) { return source.Intern(Term::Iri(kEx + local)); };
    const TermId attended = iri("attended"), location = iri("location");
    std::map<std::string, long long> meetings_of, rare_meetings_of;
    for (int m = 0; m < 3000; ++m) {
      const TermId meeting = iri("m" + std::to_string(m));
      const bool rare = m % 300 == 0;
      source.Insert(Quad{meeting, location, rare ? iri("rare") : iri("place" + std::to_string(m % 50)), kDefaultGraph});
      for (int k = 0; k < 6; ++k) {
        const std::string actor = kEx + "a" + std::to_string((m * 6 + k) % actors);
        source.Insert(Quad{source.Intern(Term::Iri(actor)), attended, meeting, kDefaultGraph});
        ++meetings_of[actor];
        if (rare) ++rare_meetings_of[actor];
      }
    }
    for (unsigned threads : {1u, 2u}) {
      QueryOptions options;
      options.threads = threads;
      options.parallel_min_rows = 1000;
      auto check = [&](const std::string& where, const std::map<std::string, long long>& expected, bool in_order) {
        const std::string q = "PREFIX : <http://e/> SELECT ?a (COUNT(*) AS ?n) WHERE { " + where + " } GROUP BY ?a";
        auto plan = ExplainQuery(q, "<test>", source, source, options, false);
        ASSERT_TRUE(plan.ok());
        EXPECT_EQ(plan->find("(rows in order of ?a)") != std::string::npos, in_order) << where << "\n" << *plan;
        auto result = RunQuery(q, "<test>", source, source, options);
        ASSERT_TRUE(result.ok());
        std::map<std::string, long long> counts;
        for (const auto& row : result->rows) counts[row[0]->value] = std::stoll(row[1]->value);
        EXPECT_EQ(counts, expected) << where << " on " << threads << " threads";
      };
      // Without the group the places' 3,000 rows start.
      auto plain = ExplainQuery("PREFIX : <http://e/> SELECT * WHERE { ?a :attended ?m . ?m :location ?l }", "<test>",
                                source, source, options, false);
      ASSERT_TRUE(plain.ok());
      EXPECT_NE(plain->find("scan ?m <http://e/location> ?l"), std::string::npos) << *plain;
      // Grouped: by 12,000 actors, their rows start; by 2,000, which stay cached, not.
      check("?a :attended ?m . ?m :location ?l", meetings_of, actors > 10000);
      check("?m :location ?l . ?a :attended ?m", meetings_of, actors > 10000);
      // Ten rare meetings start: reading every actor's meetings in order costs far more.
      check("?a :attended ?m . ?m :location :rare", rare_meetings_of, false);
    }
  }
}

TEST(PlanSplitTest, OptionalsOverALargeScanAreSplitWithIt) {
  MemoryQuadSource source;
  LinkTaggedItems(&source);
  const std::string rows = "SELECT ?y ?t ?u WHERE { ?y :link ?x OPTIONAL { ?x :tag ?t } OPTIONAL { ?t :none ?u } }";
  const std::string count = "SELECT (COUNT(*) AS ?n) WHERE { ?y :link ?x OPTIONAL { ?x :tag ?t } }";
  for (const std::string& q : {rows, count}) {
    std::vector<std::string> answers;
    for (unsigned threads : {1u, 2u}) {
      QueryOptions options;
      options.threads = threads;
      const std::string text = "PREFIX : <http://e/> " + q;
      auto plan = ExplainQuery(text, "<test>", source, source, options, false);
      ASSERT_TRUE(plan.ok());
      const bool split = plan->find("parallel (2 threads") != std::string::npos || plan->find("(2 threads, each") != std::string::npos;
      EXPECT_EQ(split, threads == 2) << *plan;
      if (threads == 2) {  // the split is above the OPTIONALs: each thread runs them
        EXPECT_LT(plan->find("2 threads"), plan->find("optional")) << *plan;
      }
      auto r = RunQuery(text, "<test>", source, source, options);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      std::vector<std::string> lines;
      for (const auto& row : r->rows) {
        std::string line;
        for (const auto& cell : row) line += (cell ? cell->value : "-") + " ";
        lines.push_back(line);
      }
      std::sort(lines.begin(), lines.end());
      std::string all;
      for (const auto& l : lines) all += l + "\n";
      answers.push_back(all);
    }
    EXPECT_EQ(answers[0], answers[1]) << q;
  }
  // Every :link row, with a :tag each (:many, and :few for a third): 20,000 + 6,667.
  QueryOptions two;
  two.threads = 2;
  auto r = RunQuery("PREFIX : <http://e/> " + count, "<test>", source, source, two);
  ASSERT_TRUE(r.ok());
  int few = 0;
  for (int i = 0; i < 20000; ++i) few += ((i * 7) % 30000) % 3 == 0;
  EXPECT_EQ(r->rows[0][0]->value, std::to_string(20000 + few));
}

// A source that counts the quads its cursors give, to see what planning reads.
class CountingSource final : public QuadSource {
 public:
  explicit CountingSource(const MemoryQuadSource& inner) : inner_(inner) {}
  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override {
    return std::make_unique<Counted>(inner_.Scan(pattern), &read_);
  }
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override {
    return std::make_unique<Counted>(inner_.ScanUnion(pattern), &read_);
  }
  Result<PredicateStats> Stats(TermId predicate) const override { return inner_.Stats(predicate); }
  std::optional<std::uint64_t> EstimateMatches(const QuadPattern& pattern, bool union_view) const override {
    return inner_.EstimateMatches(pattern, union_view);
  }
  std::uint64_t read() const { return read_; }

 private:
  class Counted final : public QuadCursor {
   public:
    Counted(std::unique_ptr<QuadCursor> inner, std::uint64_t* read) : inner_(std::move(inner)), read_(read) {}
    bool Next(Quad* out) override { return inner_->Next(out) && ++*read_ > 0; }
    Status status() const override { return inner_->status(); }

   private:
    std::unique_ptr<QuadCursor> inner_;
    std::uint64_t* read_;
  };
  const MemoryQuadSource& inner_;
  mutable std::uint64_t read_ = 0;
};

// Planning does not read a constant pattern's matches when the store can tell that they
// are far past the count's cap: reading the cap's worth would cost about a millisecond
// of every query that names a large class or hub.
TEST(PlanSkewTest, APatternFarPastTheCountCapIsNotRead) {
  MemoryQuadSource memory;
  TagItems(40000, 400, &memory);
  const CountingSource source(memory);
  auto plan = ExplainQuery("PREFIX : <http://e/> SELECT * WHERE { ?x :tag :many . ?x :tag :few }", "<test>", source,
                           memory, QueryOptions{}, false);
  ASSERT_TRUE(plan.ok());
  EXPECT_NE(Lines(*plan).back().find("scan ?x <http://e/tag> <http://e/few>   (est 100 rows)"), std::string::npos)
      << *plan;
  EXPECT_LE(source.read(), 100u) << "planning read the large range";
}

// Every kind of operator the algebra needs appears in explain, under the operator that
// runs it: paths, GRAPH, MINUS, EXISTS (a filter), full sorts and the prefix start.
TEST_F(PlanTest, EveryOperatorKindIsShown) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT * WHERE { ?p :knows+ ?q }", "path ?p <http://e/knows>+ ?q"},
      {"SELECT * WHERE { GRAPH ?g { ?p :in ?c } }", "in graph ?g"},
      {"SELECT * WHERE { ?p :in ?c MINUS { ?c :region :r0 } }", "minus (hash on ?c)"},
      {"SELECT * WHERE { ?p :in ?c FILTER NOT EXISTS { ?p :knows ?q } }", "filter (notexists (bgp"},
      {"SELECT * WHERE { ?p :in ?c } ORDER BY ?c", "order by ?c"},
      {"SELECT * WHERE { ?p :label ?l FILTER(STRSTARTS(?l, \"person 1\")) }", "strings starting \"person 1\" for ?l"},
  };
  for (const auto& [q, expected] : cases) {
    const std::string plan = Explain(q, true);
    EXPECT_NE(plan.find(expected), std::string::npos) << q << "\n" << plan;
  }
}

}  // namespace
}  // namespace parley::query
