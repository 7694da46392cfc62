// The RDF/XML reader beyond the W3C suite: a diplomacy document in the forms
// publishers write, error positions, and hostile input.
#include "ingest/rdfxml_reader.hpp"

#include <gtest/gtest.h>

#include "tests/support/rdf_test_support.hpp"

namespace parley::ingest {
namespace {

std::vector<std::string> Parse(std::string_view text, Status* status, std::string_view base = "http://base/doc") {
  std::vector<std::string> out;
  *status = ReadRdfXmlText(text, "t.rdf", base, parley::testing::SpellInto(&out));
  return out;
}

TEST(RdfXmlReaderTest, ADiplomacyDocumentInTheUsualForms) {
  Status s;
  auto got = Parse(R"(<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xmlns:p="http://parley.example.org/ontology#"
         xml:base="http://parley.example.org/id/">
  <p:Summit rdf:about="hanoi-summit" rdfs:label="Hanoi summit">
    <p:participant rdf:resource="donald-trump"/>
    <p:participant><p:Person rdf:about="kim-jong-un"><rdfs:label xml:lang="en">Kim Jong Un</rdfs:label></p:Person></p:participant>
    <p:startDate rdf:datatype="http://www.w3.org/2001/XMLSchema#date">2019-02-27</p:startDate>
    <p:outcome rdf:parseType="Resource"><rdfs:label>No agreement</rdfs:label></p:outcome>
    <p:agenda rdf:parseType="Collection"><rdf:Description rdf:about="sanctions"/></p:agenda>
  </p:Summit>
</rdf:RDF>)",
                   &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::vector<std::string> expected = {
      "<http://parley.example.org/id/hanoi-summit> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://parley.example.org/ontology#Summit>",
      "<http://parley.example.org/id/hanoi-summit> <http://www.w3.org/2000/01/rdf-schema#label> \"Hanoi summit\"",
      "<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#participant> <http://parley.example.org/id/donald-trump>",
      "<http://parley.example.org/id/kim-jong-un> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://parley.example.org/ontology#Person>",
      "<http://parley.example.org/id/kim-jong-un> <http://www.w3.org/2000/01/rdf-schema#label> \"Kim Jong Un\"@en",
      "<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#participant> <http://parley.example.org/id/kim-jong-un>",
      "<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#startDate> \"2019-02-27\"^^<http://www.w3.org/2001/XMLSchema#date>",
      "_:anon <http://www.w3.org/2000/01/rdf-schema#label> \"No agreement\"",
      "<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#outcome> _:anon",
      "_:anon <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://parley.example.org/id/sanctions>",
      "_:anon <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>",
      "<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#agenda> _:anon",
  };
  EXPECT_EQ(got, expected);
}

TEST(RdfXmlReaderTest, ErrorsNameTheLineAndColumn) {
  Status s;
  Parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:ID=\"1bad\"/>\n</rdf:RDF>",
        &s);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.diagnostic()->Render().rfind("t.rdf:2:3: error: rdf:ID \"1bad\" is not an XML name", 0), 0u) << s.ToString();
  Parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description>\n</rdf:RDF>", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("t.rdf:3:3: error: malformed XML: mismatched tag"), std::string::npos) << s.ToString();
  Parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">"
        "<rdf:Description><e:p>text<e:Thing/></e:p></rdf:Description></rdf:RDF>",
        &s);
  EXPECT_NE(s.ToString().find("a property element holds text or a node, not both"), std::string::npos) << s.ToString();
  Parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">"
        "<rdf:Description rdf:about=\"relative\"/></rdf:RDF>",
        &s, "");
  EXPECT_NE(s.ToString().find("relative IRI \"relative\" with no base"), std::string::npos) << s.ToString();
}

TEST(RdfXmlReaderTest, HostileInputMeetsAnErrorNotACrash) {
  Status s;
  std::string deep = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">";
  for (int i = 0; i < 20'000; ++i) deep += i % 2 == 0 ? "<e:Node>" : "<e:p>";
  Parse(deep, &s);
  EXPECT_NE(s.ToString().find("elements nest too deeply"), std::string::npos) << s.ToString().substr(0, 200);
  // Entities that expand a billion times: expat refuses them.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"lol\">";
  std::string previous = "a";
  for (int i = 0; i < 9; ++i) {
    const std::string name = "a" + std::to_string(i);
    laughs += "<!ENTITY " + name + " \"";
    for (int j = 0; j < 10; ++j) laughs += "&" + previous + ";";
    laughs += "\">";
    previous = name;
  }
  laughs += "]><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">"
            "<rdf:Description rdf:about=\"http://e/x\"><e:p>&" + previous + ";</e:p></rdf:Description></rdf:RDF>";
  Parse(laughs, &s);
  EXPECT_FALSE(s.ok());
  // An external entity is never fetched: its reference is an error, not a read of the file.
  Parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"http://e/\">"
        "<rdf:Description rdf:about=\"http://e/x\"><e:p>&x;</e:p></rdf:Description></rdf:RDF>",
        &s);
  auto got = Parse("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>", &s);
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace parley::ingest
