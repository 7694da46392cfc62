// JSON-LD to RDF, by hand-written cases with their expected N-Quads (the W3C toRdf
// suite is not among the shared conformance suites): contexts, @graph, @list,
// @language, @type, blank nodes, containers, @reverse, @nest, and errors.
#include "ingest/jsonld_reader.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/rdf_test_support.hpp"
#include "tests/test_util.hpp"

namespace parley::ingest {
namespace {

using parley::testing::Isomorphic;
using parley::testing::ParseNQuads;
using parley::testing::Triple;

// The document's quads as N-Quads lines.
std::string ToNQuads(std::string_view document, Status* status, std::string_view base = "http://example.org/doc") {
  std::string out;
  *status = ReadJsonLdText(document, "t.jsonld", base, [&](const Statement& st) {
    auto spell = [](const TermView& v) {
      if (v.kind == TermKind::kBlankNode) {
        std::string label(v.value);
        for (char& c : label) c = c == ' ' ? 'x' : c;  // the reader's own labels start with a space
        return "_:" + label;
      }
      return ToNTriples(ToTerm(v));
    };
    out += spell(st.subject) + " " + spell(st.predicate) + " " + spell(st.object);
    if (st.graph) out += " " + spell(*st.graph);
    out += " .\n";
    return Status::OK();
  });
  return out;
}

void ExpectQuads(std::string_view document, const std::string& expected) {
  Status s;
  const std::string got = ToNQuads(document, &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(Isomorphic(ParseNQuads(got), ParseNQuads(expected))) << "got:\n" << got << "expected:\n" << expected;
}

constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";

TEST(JsonLdReaderTest, TermsVocabCompactIrisAndTypeCoercion) {
  ExpectQuads(R"({
    "@context": {
      "@vocab": "http://parley.example.org/ontology#",
      "id": "http://parley.example.org/id/",
      "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
      "label": "rdfs:label",
      "participant": {"@type": "@id"},
      "kind": {"@id": "http://parley.example.org/ontology#kind", "@type": "@vocab"},
      "date": {"@id": "http://parley.example.org/ontology#date", "@type": "http://www.w3.org/2001/XMLSchema#date"}
    },
    "@id": "id:hanoi-summit",
    "@type": ["Summit", "rdfs:Resource"],
    "label": "Hanoi summit",
    "participant": ["id:donald-trump", "http://parley.example.org/id/kim-jong-un"],
    "kind": "Bilateral",
    "date": "2019-02-27",
    "unmapped:thing": "kept, as an absolute IRI",
    "@ignored": "keywords Parley does not know are skipped"
  })",
              std::string(R"(<http://parley.example.org/id/hanoi-summit> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://parley.example.org/ontology#Summit> .
<http://parley.example.org/id/hanoi-summit> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2000/01/rdf-schema#Resource> .
<http://parley.example.org/id/hanoi-summit> <http://www.w3.org/2000/01/rdf-schema#label> "Hanoi summit" .
<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#participant> <http://parley.example.org/id/donald-trump> .
<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#participant> <http://parley.example.org/id/kim-jong-un> .
<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#kind> <http://parley.example.org/ontology#Bilateral> .
<http://parley.example.org/id/hanoi-summit> <http://parley.example.org/ontology#date> "2019-02-27"^^<)") + kXsd + R"(date> .
<http://parley.example.org/id/hanoi-summit> <unmapped:thing> "kept, as an absolute IRI" .
)");
}

TEST(JsonLdReaderTest, NativeValuesAndValueObjects) {
  ExpectQuads(R"({
    "@context": {"e": "http://e/", "weight": {"@id": "http://e/weight", "@type": "http://www.w3.org/2001/XMLSchema#double"}},
    "@id": "http://e/a",
    "e:count": 3, "e:ratio": 0.25, "e:big": 1.0e25, "e:whole": 5.0, "e:ok": false, "weight": 2,
    "e:note": {"@value": "bonjour", "@language": "fr"},
    "e:typed": {"@value": "P3D", "@type": "http://www.w3.org/2001/XMLSchema#duration"},
    "e:nothing": null, "e:null-value": {"@value": null},
    "e:data": {"@value": {"b": [1, true], "a": null}, "@type": "@json"}
  })",
              std::string("<http://e/a> <http://e/count> \"3\"^^<") + kXsd + "integer> .\n" +
                  "<http://e/a> <http://e/ratio> \"2.5E-1\"^^<" + kXsd + "double> .\n" +
                  "<http://e/a> <http://e/big> \"1.0E25\"^^<" + kXsd + "double> .\n" +
                  "<http://e/a> <http://e/whole> \"5\"^^<" + kXsd + "integer> .\n" +
                  "<http://e/a> <http://e/ok> \"false\"^^<" + kXsd + "boolean> .\n" +
                  "<http://e/a> <http://e/weight> \"2.0E0\"^^<" + kXsd + "double> .\n" +
                  "<http://e/a> <http://e/note> \"bonjour\"@fr .\n" +
                  "<http://e/a> <http://e/typed> \"P3D\"^^<" + kXsd + "duration> .\n" +
                  "<http://e/a> <http://e/data> \"{\\\"a\\\":null,\\\"b\\\":[1,true]}\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n");
}

TEST(JsonLdReaderTest, LanguagesDefaultPerTermAndMaps) {
  ExpectQuads(R"({
    "@context": {
      "@language": "en", "e": "http://e/",
      "korean": {"@id": "http://e/korean", "@language": "ko"},
      "code": {"@id": "http://e/code", "@language": null},
      "names": {"@id": "http://e/name", "@container": "@language"}
    },
    "@id": "http://e/kim",
    "e:label": "Kim Jong Un",
    "korean": "김정은",
    "code": "KJU",
    "names": {"fr": "Kim Jong-un", "de": ["Kim Jong-un", "Kim Dschong-un"], "@none": "KJU"}
  })",
              R"(<http://e/kim> <http://e/label> "Kim Jong Un"@en .
<http://e/kim> <http://e/korean> "김정은"@ko .
<http://e/kim> <http://e/code> "KJU" .
<http://e/kim> <http://e/name> "Kim Jong-un"@fr .
<http://e/kim> <http://e/name> "Kim Jong-un"@de .
<http://e/kim> <http://e/name> "Kim Dschong-un"@de .
<http://e/kim> <http://e/name> "KJU" .
)");
}

TEST(JsonLdReaderTest, GraphsDefaultAndNamed) {
  ExpectQuads(R"({
    "@context": {"e": "http://e/"},
    "@graph": [
      {"@id": "e:a", "e:p": "in the default graph"},
      {"@id": "e:source-1", "e:title": "a source", "@graph": [
        {"@id": "e:b", "e:p": {"@id": "e:c"}},
        {"@id": "e:c", "e:q": "nested"}
      ]},
      {"@graph": [{"@id": "e:d", "e:p": "in a blank-named graph"}]}
    ]
  })",
              R"(<http://e/a> <http://e/p> "in the default graph" .
<http://e/source-1> <http://e/title> "a source" .
<http://e/b> <http://e/p> <http://e/c> <http://e/source-1> .
<http://e/c> <http://e/q> "nested" <http://e/source-1> .
<http://e/d> <http://e/p> "in a blank-named graph" _:g .
)");
}

TEST(JsonLdReaderTest, ListsSetsAndBlankNodes) {
  ExpectQuads(R"({
    "@context": {"e": "http://e/", "agenda": {"@id": "http://e/agenda", "@container": "@list"},
                 "tags": {"@id": "http://e/tag", "@container": "@set"}},
    "@id": "_:talks",
    "agenda": ["sanctions", {"@id": "e:denuclearization"}, ["nested", 1]],
    "e:empty": {"@list": []},
    "e:steps": {"@list": ["one"]},
    "tags": ["x", "y"],
    "e:same": {"@set": ["z"]},
    "e:by": {"e:name": "an anonymous actor", "e:knows": {"@id": "_:talks"}}
  })",
              std::string(R"(_:talks <http://e/agenda> _:l1 .
_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "sanctions" .
_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l2 .
_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://e/denuclearization> .
_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l3 .
_:l3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:n1 .
_:l3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "nested" .
_:n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:n2 .
_:n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<)") + kXsd + R"(integer> .
_:n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:talks <http://e/empty> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:talks <http://e/steps> _:s1 .
_:s1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "one" .
_:s1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:talks <http://e/tag> "x" .
_:talks <http://e/tag> "y" .
_:talks <http://e/same> "z" .
_:talks <http://e/by> _:actor .
_:actor <http://e/name> "an anonymous actor" .
_:actor <http://e/knows> _:talks .
)");
}

TEST(JsonLdReaderTest, ReverseNestIncludedAndIdTypeIndexMaps) {
  ExpectQuads(R"({
    "@context": {
      "e": "http://e/",
      "attendedBy": {"@reverse": "http://e/participant", "@type": "@id"},
      "meta": "@nest",
      "byId": {"@id": "http://e/member", "@container": "@id"},
      "byType": {"@id": "http://e/holds", "@container": "@type"},
      "byIndex": {"@id": "http://e/version", "@container": "@index"}
    },
    "@id": "e:kim",
    "attendedBy": ["e:singapore-summit", "e:hanoi-summit"],
    "@reverse": {"e:met": {"@id": "e:moon"}},
    "meta": {"e:checked": "2019-03-01"},
    "byId": {"e:x": {"e:name": "X"}},
    "byType": {"e:Treaty": {"@id": "e:t1"}},
    "byIndex": {"first": "v1", "second": "v2"},
    "@included": [{"@id": "e:moon", "e:name": "Moon Jae-in"}]
  })",
              R"(<http://e/singapore-summit> <http://e/participant> <http://e/kim> .
<http://e/hanoi-summit> <http://e/participant> <http://e/kim> .
<http://e/moon> <http://e/met> <http://e/kim> .
<http://e/kim> <http://e/checked> "2019-03-01" .
<http://e/kim> <http://e/member> <http://e/x> .
<http://e/x> <http://e/name> "X" .
<http://e/kim> <http://e/holds> <http://e/t1> .
<http://e/t1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/Treaty> .
<http://e/kim> <http://e/version> "v1" .
<http://e/kim> <http://e/version> "v2" .
<http://e/moon> <http://e/name> "Moon Jae-in" .
)");
}

TEST(JsonLdReaderTest, ContextsArraysNullBaseAndScopes) {
  ExpectQuads(R"({
    "@context": [{"e": "http://e/", "@base": "http://parley.example.org/id/"}, {"name": "e:name"}],
    "@id": "hanoi-summit",
    "name": "Hanoi",
    "e:venue": {
      "@context": {"name": "e:venueName"},
      "@id": "../place/metropole", "name": "Sofitel Legend Metropole"
    },
    "e:reset": {"@context": null, "@id": "http://e/r", "http://e/p": "no terms here", "name": "dropped"},
    "e:scoped": {"@id": "http://e/s"}
  })",
              R"(<http://parley.example.org/id/hanoi-summit> <http://e/name> "Hanoi" .
<http://parley.example.org/id/hanoi-summit> <http://e/venue> <http://parley.example.org/place/metropole> .
<http://parley.example.org/place/metropole> <http://e/venueName> "Sofitel Legend Metropole" .
<http://parley.example.org/id/hanoi-summit> <http://e/reset> <http://e/r> .
<http://e/r> <http://e/p> "no terms here" .
<http://parley.example.org/id/hanoi-summit> <http://e/scoped> <http://e/s> .
)");
  // A scoped context on a term applies to its values.
  ExpectQuads(R"({
    "@context": {"e": "http://e/", "venue": {"@id": "http://e/venue", "@context": {"name": "http://e/venueName"}},
                 "name": "http://e/name"},
    "@id": "http://e/summit", "name": "Hanoi", "venue": {"name": "Metropole"}
  })",
              R"(<http://e/summit> <http://e/name> "Hanoi" .
<http://e/summit> <http://e/venue> _:v .
_:v <http://e/venueName> "Metropole" .
)");
}

TEST(JsonLdReaderTest, ALocalContextFileIsReadAndNothingIsFetched) {
  const auto dir = parley::testing::UniqueTestDir("jsonld-context");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "context.jsonld") << R"({"@context": {"e": "http://e/", "name": "e:name"}})";
  Status s;
  const std::string got =
      ToNQuads(R"({"@context": "context.jsonld", "@id": "e:a", "name": "from a local context"})", &s,
               "file://" + (dir / "doc.jsonld").string());
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got, "<http://e/a> <http://e/name> \"from a local context\" .\n");
  ToNQuads(R"({"@context": "https://schema.org/", "@id": "http://e/a", "name": "x"})", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("t.jsonld:1:14: error: the context <https://schema.org/> is not fetched"), std::string::npos)
      << s.ToString();
  std::filesystem::remove_all(dir);
}

TEST(JsonLdReaderTest, ErrorsNameTheLineAndColumnOfTheValue) {
  Status s;
  ToNQuads("{\n  \"@id\": \"http://e/a\",\n  \"http://e/p\": [1, 2,]\n}", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("t.jsonld:3:23: error: malformed JSON"), std::string::npos) << s.ToString();
  ToNQuads("{\n  \"@context\": {\"e\": \"http://e/\"},\n  \"@id\": \"relative\",\n  \"e:p\": 1\n}", &s, "");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("t.jsonld:3:10: error: relative IRI \"relative\" with no base"), std::string::npos)
      << s.ToString();
  ToNQuads("{\"@context\": {\"e\": \"http://e/\", \"p\": {\"@id\": 5}}, \"p\": 1}", &s);
  EXPECT_NE(s.ToString().find("@id is an IRI or null"), std::string::npos) << s.ToString();
  ToNQuads("{\"@context\": {\"a\": \"b:x\", \"b\": \"a:y\"}, \"a\": 1}", &s);
  EXPECT_NE(s.ToString().find("is defined in terms of itself"), std::string::npos) << s.ToString();
  ToNQuads("\"just a string\"", &s);
  EXPECT_NE(s.ToString().find("a JSON-LD document is an object or an array"), std::string::npos) << s.ToString();
  ToNQuads("{\"@id\": \"http://e/a\", \"http://e/p\": 2E2222222222222222222222}", &s);  // found by fuzz_jsonld
  EXPECT_NE(s.ToString().find("malformed JSON: number overflow"), std::string::npos) << s.ToString();
  std::string deep(100'000, '[');
  ToNQuads(deep, &s);
  EXPECT_NE(s.ToString().find("nested too deeply"), std::string::npos) << s.ToString().substr(0, 200);
}

}  // namespace
}  // namespace parley::ingest
