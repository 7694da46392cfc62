// parley query and parley explain, end to end on the default dataset.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/seeded_database_test.hpp"
#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::cli {
namespace {

using parley::testing::CommandResult;

class QueryCliTest : public parley::testing::SeededDatabaseTest<QueryCliTest> {
 protected:
  friend class parley::testing::SeededDatabaseTest<QueryCliTest>;
  static constexpr const char* kName = "query-cli";
  static std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
};

TEST_F(QueryCliTest, BareOntologyNamesWorkAndTsvIsTheDefaultOffATerminal) {
  auto r = Run("query " + Quote("SELECT ?p WHERE { ?p a :Proposal ; :addresses id:sovereignty-assurances } ORDER BY ?p"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "?p\n<http://parley.example.org/id/mele-diplomatic-relations>\n"
            "<http://parley.example.org/id/mele-peace-treaty-negotiations>\n"
            "<http://parley.example.org/id/mele-sanctions-relief>\n"
            "<http://parley.example.org/id/singapore-new-relations>\n");
}

TEST_F(QueryCliTest, JsonResultsFollowTheW3CFormat) {
  auto r = Run("query --format json " + Quote("SELECT ?n WHERE { id:kim-jong-un rdfs:label ?n }"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["head"]["vars"][0], "n");
  EXPECT_EQ(j["results"]["bindings"][0]["n"]["type"], "literal");
  EXPECT_EQ(j["results"]["bindings"][0]["n"]["value"], "Kim Jong Un");
  r = Run("query --format json " + Quote("ASK { id:dprk-hanoi-account :contradicts id:us-hanoi-account }"));
  EXPECT_EQ(nlohmann::json::parse(r.out)["boolean"], true);
}

TEST_F(QueryCliTest, CsvAndTableFormats) {
  auto r = Run("query --format csv " + Quote("SELECT ?n WHERE { id:hanoi-summit :outcome ?n } ORDER BY ?n LIMIT 1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "n\r\nBoth sides wish to continue talking\r\n");
  r = Run("query --format table " + Quote("SELECT ?m WHERE { ?m :participant id:moon-jae-in } ORDER BY ?m"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Panmunjom summit of April 2018 (id:panmunjom-summit-2018)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 rows"), std::string::npos);
}

TEST_F(QueryCliTest, InferenceFindsSummitsAsMeetingsUnlessTurnedOff) {
  const std::string q = Quote("SELECT (COUNT(?m) AS ?n) WHERE { ?m a :Meeting }");
  auto with = Run("query --format csv " + q), without = Run("query --format csv --no-inference " + q);
  ASSERT_EQ(with.exit_code, 0) << with.err;
  const int n_with = std::stoi(with.out.substr(with.out.find('\n') + 1));
  const int n_without = std::stoi(without.out.substr(without.out.find('\n') + 1));
  EXPECT_GE(n_with, 11);  // summits, visits, negotiations and talks are meetings
  EXPECT_EQ(n_without, 0);
}

TEST_F(QueryCliTest, ProvenanceThroughGraph) {
  auto r = Run("query --format csv " +
               Quote("SELECT DISTINCT ?par WHERE { GRAPH ?ctx { id:mele-sanctions-relief :addresses id:sovereignty-assurances } "
                     "?ctx :paragraph ?par }"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "par\r\n3\r\n");
  // The union view hides the graphs; strict mode sees only the (empty) unnamed graph.
  r = Run("query --format csv --dataset strict " + Quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"));
  EXPECT_EQ(r.out, "n\r\n0\r\n");
}

TEST_F(QueryCliTest, PathsAggregatesConstruct) {
  auto r = Run("query --format csv " + Quote("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { id:hanoi-summit :precededBy+ ?m . ?m a :Meeting }"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(std::stoi(r.out.substr(r.out.find('\n') + 1)), 5);
  r = Run("query --format ntriples " + Quote("CONSTRUCT { ?b :contradicts ?a } WHERE { ?a :contradicts ?b }"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "<http://parley.example.org/id/us-hanoi-account> <http://parley.example.org/ontology#contradicts> "
                   "<http://parley.example.org/id/dprk-hanoi-account> .\n");
}

TEST_F(QueryCliTest, ErrorsShowTheLineAndACaret) {
  auto r = Run("query " + Quote("SELECT ?p WHERE { ?p a :Proposal ?p :addresses ?t }"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("<query>:1:34: error: expected '.' or '}', found \"?p\"", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("SELECT ?p WHERE { ?p a :Proposal ?p :addresses ?t }\n                                 ^"), std::string::npos) << r.err;
  r = Run("query " + Quote("SELECT * WHERE { ?s nope:p ?o }"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("undeclared prefix \"nope:\""), std::string::npos) << r.err;
  EXPECT_EQ(Run("query").exit_code, 2);
}

// Each error names what was expected and points at the offending token, not the space before it.
TEST_F(QueryCliTest, ErrorsSayWhatWasExpected) {
  const std::pair<const char*, const char*> cases[] = {
      {"SELECT ?x WHERE { ?x ?y }", "<query>:1:25: error: expected an object, found \"}\""},
      {"SELECT ?x WHERE { ?x :p ?y FILTER(?y > ) }", "<query>:1:40: error: expected an expression, found \")\""},
      {"SELECT ?x WHERE { ?x :p ?y . OPTIONAL ?x }", "<query>:1:39: error: expected '{', found \"?x\""},
      {"SELECT * WHERE { ?s ?p \"unclosed }", "<query>:1:24: error: this string is not closed on its line"},
  };
  for (const auto& [query, message] : cases) {
    auto r = Run("query " + Quote(query));
    EXPECT_EQ(r.exit_code, 1) << query;
    EXPECT_EQ(r.err.rfind(message, 0), 0u) << query << "\n" << r.err;
  }
}

TEST_F(QueryCliTest, TimingAndRepeat) {
  auto r = Run("query --timing --repeat 3 " + Quote("SELECT ?s WHERE { ?s a :Summit }"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.rfind("time: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(" ms (median of 3)\n"), std::string::npos) << r.err;
}

TEST_F(QueryCliTest, QueryFromFileWithRelativeIris) {
  std::ofstream(dir_ / "q.rq") << "BASE <http://parley.example.org/id/>\nSELECT ?l WHERE { <hanoi-summit> rdfs:label ?l }\n";
  auto r = Run("query -f " + (dir_ / "q.rq").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "?l\n\"Hanoi summit\"\n");
}

TEST_F(QueryCliTest, ExplainShowsThePlanAndAnalyzeTheRows) {
  const std::string q = Quote("SELECT ?p WHERE { ?p :addresses ?t . ?t rdfs:label \"sovereignty assurances\" }");
  auto r = Run("explain " + q);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The selective label lookup runs first: the deepest line of the tree.
  EXPECT_NE(r.out.find("scan ?t rdfs:label \"sovereignty assurances\""), std::string::npos) << r.out;
  EXPECT_GT(r.out.find("?t rdfs:label \"sovereignty assurances\""), r.out.find("?p :addresses ?t")) << r.out;
  EXPECT_NE(r.out.find("est "), std::string::npos);
  r = Run("explain --analyze " + q);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rows 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total: 4 result rows"), std::string::npos) << r.out;
}

TEST_F(QueryCliTest, TimeoutStopsARunawayQuery) {
  auto r = Run("query --timeout 0.2 " + Quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("timed out"), std::string::npos) << r.err;
}

TEST_F(QueryCliTest, AskAnswersWithLabelsAndExitsZero) {
  auto r = Run("ask " + Quote("Which proposals involve China?"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "A peace treaty negotiation among the two Koreas, the U.S., China and Russia\n"
            "Negotiations among the two Koreas, the U.S., China and Russia\n"
            "Six-party talks with South Korea, Japan, China, Russia and the U.S.\n");
  r = Run("ask " + Quote("which proposals involve India"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "No proposals involve India.\n");
  r = Run("ask " + Quote("did Trump meet Kim Jong Un"));
  // A yes says where and when.
  EXPECT_EQ(r.out,
            "Yes: Donald Trump met Kim Jong Un (Singapore summit, 2018-06-12, Sentosa Island; "
            "Hanoi summit, 2019-02-27, Hanoi).\n");
  r = Run("ask " + Quote("did Trump meet Moon Jae-in"));
  EXPECT_EQ(r.out, "The graph has no record that Donald Trump met Moon Jae-in.\n");
}

TEST_F(QueryCliTest, AskExitsOneWhenItDoesNotUnderstand) {
  auto r = Run("ask " + Quote("which proposals adresxsedq sovereignty assurances"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("I don't know \"adresxsedq\". Did you mean \"addressed\"?", 0), 0u) << r.err;
  r = Run("ask " + Quote("who met Pyongyang"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("could mean"), std::string::npos);
}

TEST_F(QueryCliTest, AskSaysWhichWordsItRespelt) {
  auto r = Run("ask " + Quote("whne was the singapore sumit"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Reading \"whne\" as \"when\", \"sumit\" as \"summit\"."), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("2018-06-12"), std::string::npos) << r.out;
}

// Names the graph lacks, and the looser reading, as `parley ask` prints them.
TEST_F(QueryCliTest, AskSaysWhichNamesTheGraphLacksAndWhenItReadLoosely) {
  auto r = Run("ask " + Quote("what did Shinzo Abe propose?"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "The graph has no one named \"Shinzo Abe\".\n");
  r = Run("ask " + Quote("Did Vladimir Putin attend the Hanoi summit?"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "The graph has no one named \"Vladimir Putin\". Answering \"who attend the Hanoi summit?\" instead:\n"
            "Donald Trump\nKim Jong Un\n");
  r = Run("ask " + Quote("What happened between India and Pakistan in February 2019?"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("a looser reading"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "India-Pakistan aerial clash of 27 February 2019\nIndia-Pakistan escalation of February 2019\n");
  r = Run("ask " + Quote("Did Moon Jae-in meet Kim Jong Un in September 2018?"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Yes: Moon Jae-in met Kim Jong Un, in 2018-09 (Pyongyang summit of September 2018, 2018-09-19, Pyongyang)", 0), 0u)
      << r.out;
}

TEST_F(QueryCliTest, AskSparqlRunsTheSameThroughQuery) {
  auto r = Run("ask --sparql " + Quote("which sources mention Stephen Biegun"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string sparql = r.out.substr(0, r.out.find("\n\n"));
  EXPECT_EQ(sparql.rfind("SELECT DISTINCT ?", 0), 0u) << sparql;
  auto q = Run("query --format csv " + Quote(sparql));
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("Public record: Stephen Biegun's working-level talks in Pyongyang, 6-8 February 2019"), std::string::npos) << q.out;
  EXPECT_EQ(std::count(q.out.begin(), q.out.end(), '\n'), 3);  // header and two sources
}

TEST_F(QueryCliTest, AskWhyAndJson) {
  auto r = Run("ask --why " + Quote("which claims contradict Trump's account"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("    ri-yong-ho-press-conference-2019 [C], section press conference: \"partial relief\""), std::string::npos) << r.out;
  r = Run("ask --format json " + Quote("how many meetings preceded the Hanoi summit"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["answers"][0]["value"], "6");
  // Scripts get the IRI beside each label, and with --why one row per source cited.
  r = Run("ask --format csv " + Quote("which proposals involve Japan"));
  EXPECT_EQ(r.out, "answer,iri\r\n\"Six-party talks with South Korea, Japan, China, Russia and the U.S.\","
                   "http://parley.example.org/id/dprk-six-party-talks-suggestion\r\n");
  r = Run("ask --why --format tsv " + Quote("which proposals involve Japan"));
  EXPECT_NE(r.out.find("\tmele-2019-hanoi-summit\tparagraph 3\t"), std::string::npos) << r.out;
  r = Run("ask --format json " + Quote("who is Moon Jae-in"));
  EXPECT_EQ(nlohmann::json::parse(r.out)["answers"][0]["iri"], "http://parley.example.org/id/moon-jae-in");
  r = Run("ask --format json " + Quote("how many meetings preceded the Hanoi summit"));
  j = nlohmann::json::parse(r.out);
  // The SPARQL lists what was counted, so :why can show it.
  EXPECT_NE(j["sparql"].get<std::string>().find("precededBy>+"), std::string::npos) << j["sparql"];
}

}  // namespace
}  // namespace parley::cli
