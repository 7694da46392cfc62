// The algebra: the translation examples of SPARQL 1.1 §18.2.2.8 and §18.2.4, and the
// rewrites, each checked as printed algebra.
#include <gtest/gtest.h>

#include "query/algebra/algebra.hpp"
#include "query/parse.hpp"

namespace parley::query::algebra {
namespace {

ast::Query ParseOrDie(const std::string& text) {
  ParseOptions options;
  auto q = ParseQuery("PREFIX : <http://e/> " + text, "<test>", options);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? std::move(*q) : ast::Query{};
}

// The group pattern of `SELECT * WHERE group`, translated and not rewritten.
std::string Group(const std::string& group) {
  ast::Query q = ParseOrDie("SELECT * WHERE " + group);
  return Print(*TranslateGroup(q.where));
}

std::string Rewritten(const std::string& group) {
  ast::Query q = ParseOrDie("SELECT * WHERE " + group);
  return Print(*Rewrite(TranslateGroup(q.where)));
}

std::string Whole(const std::string& text) {
  static std::vector<ast::Query> keep;  // the algebra refers to its syntax tree's EXISTS patterns
  keep.push_back(ParseOrDie(text));
  return Print(*Translate(keep.back()).root);
}

TEST(AlgebraTest, TranslatesTheSpecExamplesOfGroupPatterns) {
  EXPECT_EQ(Group("{ ?s ?p ?o }"), "(bgp\n  (triple ?s ?p ?o))\n");
  EXPECT_EQ(Group("{ ?s :p1 ?v1 ; :p2 ?v2 }"),
            "(bgp\n  (triple ?s <http://e/p1> ?v1)\n  (triple ?s <http://e/p2> ?v2))\n");
  EXPECT_EQ(Group("{ { ?s :p1 ?v1 } UNION { ?s :p2 ?v2 } }"),
            "(union\n  (bgp\n    (triple ?s <http://e/p1> ?v1))\n  (bgp\n    (triple ?s <http://e/p2> ?v2)))\n");
  EXPECT_EQ(Group("{ { ?s :p1 ?v1 } UNION { ?s :p2 ?v2 } UNION { ?s :p3 ?v3 } }"),
            "(union\n  (union\n    (bgp\n      (triple ?s <http://e/p1> ?v1))\n    (bgp\n      (triple ?s <http://e/p2> ?v2)))\n"
            "  (bgp\n    (triple ?s <http://e/p3> ?v3)))\n");
  EXPECT_EQ(Group("{ ?s :p1 ?v1 OPTIONAL { ?s :p2 ?v2 } }"),
            "(leftjoin\n  (bgp\n    (triple ?s <http://e/p1> ?v1))\n  (bgp\n    (triple ?s <http://e/p2> ?v2)))\n");
  EXPECT_EQ(Group("{ ?s :p1 ?v1 OPTIONAL { ?s :p2 ?v2 } OPTIONAL { ?s :p3 ?v3 } }"),
            "(leftjoin\n  (leftjoin\n    (bgp\n      (triple ?s <http://e/p1> ?v1))\n    (bgp\n      (triple ?s <http://e/p2> ?v2)))\n"
            "  (bgp\n    (triple ?s <http://e/p3> ?v3)))\n");
  // OPTIONAL { P FILTER(F) } is LeftJoin(G, P, F): the filter sees both sides.
  EXPECT_EQ(Group("{ ?s :p1 ?v1 OPTIONAL { ?s :p2 ?v2 FILTER(?v1 < 3) } }"),
            "(leftjoin\n  (bgp\n    (triple ?s <http://e/p1> ?v1))\n  (bgp\n    (triple ?s <http://e/p2> ?v2))\n"
            "  (< ?v1 \"3\"^^<http://www.w3.org/2001/XMLSchema#integer>))\n");
  // A filter's scope is its whole group, wherever it is written.
  EXPECT_EQ(Group("{ ?s :p1 ?v1 FILTER (?v1 < 3) OPTIONAL { ?s :p3 ?v3 } }"),
            "(filter (< ?v1 \"3\"^^<http://www.w3.org/2001/XMLSchema#integer>)\n  (leftjoin\n"
            "    (bgp\n      (triple ?s <http://e/p1> ?v1))\n    (bgp\n      (triple ?s <http://e/p3> ?v3))))\n");
  EXPECT_EQ(Group("{ ?s :p ?o MINUS { ?s :q ?o } }"),
            "(minus\n  (bgp\n    (triple ?s <http://e/p> ?o))\n  (bgp\n    (triple ?s <http://e/q> ?o)))\n");
  EXPECT_EQ(Group("{ ?s :p ?o BIND(?o + 1 AS ?n) }"),
            "(extend ((?n (+ ?o \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>)))\n  (bgp\n    (triple ?s <http://e/p> ?o)))\n");
  EXPECT_EQ(Group("{ GRAPH ?g { ?s :p ?o } }"), "(graph ?g\n  (bgp\n    (triple ?s <http://e/p> ?o)))\n");
  EXPECT_EQ(Group("{}"), "(table unit)\n");
  EXPECT_EQ(Group("{ VALUES ?x { :a UNDEF } }"), "(table (vars ?x)\n  (row [?x <http://e/a>])\n  (row))\n");
}

TEST(AlgebraTest, TranslatesPathsAsSection18_2_2_4Says) {
  EXPECT_EQ(Group("{ ?s ^:p ?o }"), "(bgp\n  (triple ?o <http://e/p> ?s))\n");
  EXPECT_EQ(Group("{ ?s :p/:q ?o }"),
            "(bgp\n  (triple ?s <http://e/p> _:.path1)\n  (triple _:.path1 <http://e/q> ?o))\n");
  EXPECT_EQ(Group("{ ?s :p+ ?o }"), "(path ?s <http://e/p>+ ?o)\n");
  EXPECT_EQ(Group("{ ?s :p/:q* ?o }"),
            "(join\n  (bgp\n    (triple ?s <http://e/p> _:.path1))\n  (path _:.path1 <http://e/q>* ?o))\n");
}

TEST(AlgebraTest, TranslatesGroupingAndTheSolutionModifiers) {
  EXPECT_EQ(Whole("SELECT ?a (COUNT(?m) AS ?n) WHERE { ?m :participant ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 10"),
            "(slice 0 10\n  (project (?a ?n)\n    (order ((desc ?n))\n      (extend ((?n ?.agg0))\n"
            "        (group (?a) ((?.agg0 (count ?m)))\n          (bgp\n            (triple ?m <http://e/participant> ?a)))))))\n");
  // HAVING filters the groups; an expression key is bound by an Extend below the group.
  EXPECT_EQ(Whole("SELECT ?k (SUM(?v) AS ?s) WHERE { ?x :v ?v } GROUP BY (?v * 2 AS ?k) HAVING (SUM(?v) > 10)"),
            "(project (?k ?s)\n  (extend ((?s ?.agg0))\n    (filter (> ?.agg1 \"10\"^^<http://www.w3.org/2001/XMLSchema#integer>)\n"
            "      (group (?k) ((?.agg0 (sum ?v)) (?.agg1 (sum ?v)))\n        (extend ((?k (* ?v \"2\"^^<http://www.w3.org/2001/XMLSchema#integer>)))\n"
            "          (bgp\n            (triple ?x <http://e/v> ?v)))))))\n");
  EXPECT_EQ(Whole("SELECT DISTINCT ?s WHERE { ?s ?p ?o } OFFSET 5"),
            "(slice 5 _\n  (distinct\n    (project (?s)\n      (bgp\n        (triple ?s ?p ?o)))))\n");
}

TEST(AlgebraTest, ASubSelectKeepsItsOwnVariablesApart) {
  EXPECT_EQ(Whole("SELECT * WHERE { ?x :p ?y { SELECT ?y WHERE { ?y :q ?x } } }"),
            "(project (?x ?y)\n  (join\n    (bgp\n      (triple ?x <http://e/p> ?y))\n"
            "    (project (?y)\n      (bgp\n        (triple ?y <http://e/q> ?.s1.x)))))\n");
}

TEST(AlgebraTest, RewritesPushFiltersDownAndMergeBgps) {
  // The filter reads only what the left of the LeftJoin binds, so it runs there.
  EXPECT_EQ(Rewritten("{ ?s :p1 ?v1 FILTER (?v1 < 3) OPTIONAL { ?s :p3 ?v3 } }"),
            "(leftjoin\n  (filter (< ?v1 \"3\"^^<http://www.w3.org/2001/XMLSchema#integer>)\n"
            "    (bgp\n      (triple ?s <http://e/p1> ?v1)))\n  (bgp\n    (triple ?s <http://e/p3> ?v3)))\n");
  // A filter on an OPTIONAL variable stays above the LeftJoin.
  EXPECT_EQ(Rewritten("{ ?s :p1 ?v1 OPTIONAL { ?s :p3 ?v3 } FILTER(!BOUND(?v3)) }"),
            "(filter (! (bound ?v3))\n  (leftjoin\n    (bgp\n      (triple ?s <http://e/p1> ?v1))\n"
            "    (bgp\n      (triple ?s <http://e/p3> ?v3))))\n");
  // Conjunctions split; nested groups and filters merge into one BGP.
  EXPECT_EQ(Rewritten("{ ?s :p ?o { ?o :q ?x } FILTER(?x > 1 && ?o != :a) }"),
            "(filter (exprlist (> ?x \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>) (!= ?o <http://e/a>))\n"
            "  (bgp\n    (triple ?s <http://e/p> ?o)\n    (triple ?o <http://e/q> ?x)))\n");
  // An inner filter that reads a variable its own group does not bind keeps its scope.
  EXPECT_EQ(Rewritten("{ ?s :p ?v { ?s :q ?w FILTER(?v = 2) } }"),
            "(join\n  (bgp\n    (triple ?s <http://e/p> ?v))\n  (filter (= ?v \"2\"^^<http://www.w3.org/2001/XMLSchema#integer>)\n"
            "    (bgp\n      (triple ?s <http://e/q> ?w))))\n");
  // Union branches each get the filter; below an Extend a filter not on its variable.
  EXPECT_EQ(Rewritten("{ { ?s :p ?o } UNION { ?s :q ?o } FILTER(?o != :a) }"),
            "(union\n  (filter (!= ?o <http://e/a>)\n    (bgp\n      (triple ?s <http://e/p> ?o)))\n"
            "  (filter (!= ?o <http://e/a>)\n    (bgp\n      (triple ?s <http://e/q> ?o))))\n");
  EXPECT_EQ(Rewritten("{ ?s :p ?o BIND(1 AS ?one) FILTER(?o != :a) }"),
            "(extend ((?one \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>))\n  (filter (!= ?o <http://e/a>)\n"
            "    (bgp\n      (triple ?s <http://e/p> ?o))))\n");
}

TEST(AlgebraTest, RewritesFoldConstants) {
  EXPECT_EQ(Rewritten("{ ?s :p ?o FILTER(?o > 2 * 3) }"),
            "(filter (> ?o \"6\"^^<http://www.w3.org/2001/XMLSchema#integer>)\n  (bgp\n    (triple ?s <http://e/p> ?o)))\n");
  EXPECT_EQ(Rewritten("{ ?s :p ?o FILTER(1 < 2) }"), "(bgp\n  (triple ?s <http://e/p> ?o))\n");
  EXPECT_EQ(Rewritten("{ ?s :p ?o FILTER(STRLEN(\"ab\") = 3) }"), "(table (vars))\n");
  // What can differ from call to call is left alone.
  EXPECT_EQ(Rewritten("{ ?s :p ?o FILTER(RAND() < 2) }"),
            "(filter (< (rand) \"2\"^^<http://www.w3.org/2001/XMLSchema#integer>)\n  (bgp\n    (triple ?s <http://e/p> ?o)))\n");
}

}  // namespace
}  // namespace parley::query::algebra
