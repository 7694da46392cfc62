// data/ontology.ttl agrees with the record kinds: every type a fact file may use is a
// class with a label and a plural, every property a fact file may use is declared with
// a label, and the English words the front-end will need are there.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "ingest/facts/kinds.hpp"
#include "ingest/turtle_reader.hpp"
#include "rdf/vocabulary.hpp"
#include "tests/support/rdf_test_support.hpp"

namespace parley {
namespace {

using rdf::Ont;

class OntologyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text = parley::testing::ReadFileText(PARLEY_SOURCE_DIR "/data/ontology.ttl");
    Status s = ingest::ReadTurtleText(text, "ontology.ttl", "", [&](const ingest::Statement& st) {
      facts_[std::string(st.subject.value)][std::string(st.predicate.value)].insert(std::string(st.object.value));
      return Status::OK();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  const std::set<std::string>& Values(const std::string& subject, const std::string& predicate) {
    return facts_[subject][predicate];
  }
  std::map<std::string, std::map<std::string, std::set<std::string>>> facts_;
};

TEST_F(OntologyTest, EveryRecordTypeIsAClassWithLabelAndPlural) {
  for (const auto& kind : ingest::facts::KindRegistry::Default().kinds()) {
    for (const auto& type : kind.types) {
      EXPECT_TRUE(Values(Ont(type), rdf::Rdf("type")).count("http://www.w3.org/2002/07/owl#Class")) << type;
      EXPECT_FALSE(Values(Ont(type), rdf::Rdfs("label")).empty()) << type;
      EXPECT_FALSE(Values(Ont(type), Ont("plural")).empty()) << type;
    }
  }
  EXPECT_TRUE(Values(Ont("Summit"), rdf::Rdfs("subClassOf")).count(Ont("Meeting")));
  EXPECT_TRUE(Values(Ont("Person"), rdf::Rdfs("subClassOf")).count(Ont("Actor")));
}

TEST_F(OntologyTest, EveryPropertyIsDeclaredWithLabelAndWords) {
  std::vector<ingest::facts::PropertySpec> all = ingest::facts::CommonProperties();
  for (const auto& kind : ingest::facts::KindRegistry::Default().kinds()) {
    all.insert(all.end(), kind.properties.begin(), kind.properties.end());
  }
  for (const char* extra : {"source", "paragraph", "quote", "confidence", "loadedAt", "title", "author", "published",
                            "mentions", "contentHash"}) {
    all.push_back({extra, extra, ingest::facts::ValueType::kString, false, {}});
  }
  for (const auto& spec : all) {
    const std::string iri = Ont(spec.predicate);
    const auto& types = Values(iri, rdf::Rdf("type"));
    EXPECT_TRUE(types.count("http://www.w3.org/2002/07/owl#ObjectProperty") ||
                types.count("http://www.w3.org/2002/07/owl#DatatypeProperty"))
        << spec.predicate;
    EXPECT_FALSE(Values(iri, rdf::Rdfs("label")).empty()) << spec.predicate;
  }
  EXPECT_TRUE(Values(Ont("participant"), Ont("coVerb")).count("met"));
  EXPECT_TRUE(Values(Ont("participant"), Ont("inverseVerb")).count("attended"));
  EXPECT_TRUE(Values(Ont("addresses"), Ont("verb")).count("dealt with"));
  EXPECT_TRUE(Values(Ont("proposedBy"), Ont("inverseVerb")).count("proposed"));
  EXPECT_TRUE(Values(Ont("contradicts"), Ont("verb")).count("contradict"));
  EXPECT_TRUE(Values(Ont("startDate"), rdf::Rdfs("subPropertyOf")).count(Ont("date")));
}

}  // namespace
}  // namespace parley
