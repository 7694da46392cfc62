// Validation of curated fact files: every kind of error is reported with its position
// (found here from the offending text, so the test does not hard-code columns).
#include "ingest/facts/fact_file.hpp"

#include <gtest/gtest.h>

#include "ingest/json_positions.hpp"
#include "rdf/text_position.hpp"

namespace parley::ingest::facts {
namespace {

const char* kSource = R"("source": {"id": "s1", "title": "A source"})";

struct Case {
  std::string name;
  std::string body;       // members after the source block
  std::string marker;     // text at which the error must point
  std::string fragment;   // part of the message
};

// "t.json:L:C: error: " for the first occurrence of `marker` in `text`.
std::string PrefixAt(const std::string& text, const std::string& marker) {
  auto offset = text.find(marker);
  EXPECT_NE(offset, std::string::npos) << marker;
  rdf::TextPosition where = rdf::Locate(text, offset);
  return "t.json:" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": error: ";
}

Status Check(const std::string& text, FactFile* file) {
  Status s = ParseFactFile("t.json", text, file);
  if (!s.ok()) return s;
  const DatabaseIds database{
      [](const std::string& id) -> Result<std::optional<std::string>> {
        if (id == "in-the-database") return std::optional<std::string>("*");
        return std::optional<std::string>();
      },
      []() -> Result<std::vector<std::string>> { return std::vector<std::string>{"in-the-database"}; }};
  return CheckReferences({*file}, database);
}

TEST(FactFileTest, EachKindOfErrorHasItsMessageAndPosition) {
  const Case cases[] = {
      {"unknown kind", R"("meeting": [])", R"("meeting")", R"(unknown record kind "meeting" (did you mean "meetings"?))"},
      {"unknown property",
       R"("meetings": [{"id": "m", "label": "M", "evidence": {"paragraph": 1}, "participant": []}])",
       R"("participant")", R"(unknown property "participant" for a meeting (did you mean "participants"?))"},
      {"unknown type", R"("actors": [{"id": "a", "type": "Persn", "label": "A", "evidence": {"paragraph": 1}}])",
       R"("Persn")", R"(unknown type "Persn" for an actor (did you mean "Person"?))"},
      {"dangling reference",
       R"("actors": [{"id": "kim-jong-un", "label": "Kim", "evidence": {"paragraph": 1}}],
          "meetings": [{"id": "m", "label": "M", "participants": ["kim-jong-in"], "evidence": {"paragraph": 1}}])",
       R"("kim-jong-in")", R"(unknown id "kim-jong-in": no record in this load or the database has it (did you mean "kim-jong-un"?))"},
      {"reference to the wrong kind",
       R"("actors": [{"id": "kim", "label": "Kim", "evidence": {"paragraph": 1}}],
          "proposals": [{"id": "p", "label": "P", "addresses": ["kim"], "evidence": {"paragraph": 1}}])",
       R"("kim"])", R"("kim" is one of the actors, but this property takes topics)"},
      {"array expected", R"("meetings": [{"id": "m", "label": "M", "participants": "kim", "evidence": {"paragraph": 1}}])",
       R"("kim")", R"("participants" takes an array, not a string)"},
      {"string expected", R"("topics": [{"id": "t", "label": 5, "evidence": {"paragraph": 1}}])", "5,",
       R"("label" must be a non-empty string, not a number)"},
      {"records must be an array", R"("topics": {"id": "t"})", R"({"id": "t"})", R"("topics" takes an array of topic records)"},
      {"impossible day", R"("meetings": [{"id": "m", "label": "M", "date": "2019-02-30", "evidence": {"paragraph": 1}}])",
       R"("2019-02-30")", R"(bad date "2019-02-30": write YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"impossible month", R"("meetings": [{"id": "m", "label": "M", "startDate": "2019-13", "evidence": {"paragraph": 1}}])",
       R"("2019-13")", "bad date"},
      {"missing evidence", R"("topics": [{"id": "t", "label": "T"}])", R"({"id": "t")", R"(a topic needs "evidence")"},
      {"bad locator", R"("topics": [{"id": "t", "label": "T", "evidence": {"paragraph": 0}}])", "0}",
       R"("paragraph" must be a whole number from 1, not 0)"},
      {"unknown locator", R"("topics": [{"id": "t", "label": "T", "evidence": {"para": 2}}])", R"("para")",
       R"(unknown property "para" for evidence (did you mean "paragraph"?))"},
      {"confidence out of range", R"("topics": [{"id": "t", "label": "T", "evidence": {"paragraph": 1, "confidence": 2}}])",
       "2}", R"("confidence" must be a number from 0 to 1)"},
      {"duplicate id",
       R"("topics": [{"id": "t", "label": "T", "evidence": {"paragraph": 1}}, {"id": "t", "label": "U", "evidence": {"paragraph": 2}}])",
       R"("t", "label": "U")", R"(id "t" is defined twice in this file)"},
      {"bad id", R"("topics": [{"id": "no spaces", "label": "T", "evidence": {"paragraph": 1}}])", R"("no spaces")",
       R"(id "no spaces" may hold only letters, digits)"},
  };
  for (const auto& c : cases) {
    const std::string text = "{" + std::string(kSource) + ",\n  " + c.body + "\n}\n";
    FactFile file;
    Status s = Check(text, &file);
    ASSERT_FALSE(s.ok()) << c.name;
    const std::string message = s.ToString();
    EXPECT_EQ(message.rfind(PrefixAt(text, c.marker) + c.fragment, 0), 0u) << c.name << "\n" << message;
  }
}

TEST(FactFileTest, MalformedJsonPointsAtTheSpot) {
  const std::string text = "{\n  \"source\": {\"id\": \"s1\", \"title\": \"T\"},\n}\n";
  FactFile file;
  Status s = ParseFactFile("t.json", text, &file);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.ToString().rfind("t.json:3:1: error: malformed JSON", 0), 0u) << s.ToString();
}

TEST(FactFileTest, NumbersBeyondADoubleAreErrorsWithTheirPosition) {
  for (const char* member : {R"("zz": 1e400)", R"("topics": [{"id": "t", "label": "T", "evidence": {"paragraph": 1e999}}])",
                                    R"("topics": [{"id": "t", "label": "T", "evidence": {"paragraph": 1, "confidence": -2E+500}}])"}) {
    const std::string text = std::string("{") + kSource + ",\n" + member + "}";
    FactFile file;
    Status s = ParseFactFile("t.json", text, &file);
    ASSERT_FALSE(s.ok()) << member;
    EXPECT_EQ(s.ToString().rfind("t.json:2:", 0), 0u) << s.ToString();
    EXPECT_NE(s.ToString().find("number overflow"), std::string::npos) << s.ToString();
  }
}

TEST(FactFileTest, DeepNestingIsAnErrorNotACrash) {
  for (int depth : {65, 20000, 100000}) {
    for (const char* pair : {"[]", "{}"}) {
      std::string text = std::string("{") + kSource + ", \"zz\": ";
      for (int i = 0; i < depth; ++i) text += pair[0] == '[' ? "[" : "{\"a\": ";
      text += "1";
      text += std::string(static_cast<std::size_t>(depth), pair[1]);
      text += "}";
      FactFile file;
      Status s = ParseFactFile("t.json", text, &file);
      ASSERT_FALSE(s.ok());
      EXPECT_NE(s.ToString().find("nested more than 64 deep"), std::string::npos) << s.ToString().substr(0, 200);
    }
  }
  // Brackets inside strings are not nesting.
  FactFile file;
  const std::string text = std::string("{") + kSource + R"(, "topics": [{"id": "t", "label": ")" +
                           std::string(200, '[') + R"(", "evidence": {"paragraph": 1}}]})";
  EXPECT_TRUE(ParseFactFile("t.json", text, &file).ok());
}

TEST(FactFileTest, ADuplicateKeyIsReportedAtBothPlaces) {
  const std::string text = "{" + std::string(kSource) + ",\n\"topics\": [{\"id\": \"t\", \"label\": \"A\",\n  \"label\": \"B\", \"evidence\": {\"paragraph\": 1}}]}";
  FactFile file;
  Status s = ParseFactFile("t.json", text, &file);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.ToString().rfind("t.json:3:3: error: \"label\" is given twice in one object (first at line 2, column 24)", 0), 0u)
      << s.ToString();
}

TEST(FactFileTest, ReportsEveryErrorUpToACap) {
  std::string body = R"("topics": [)";
  for (int i = 0; i < 3; ++i) body += std::string(i ? "," : "") + R"({"id": "t)" + std::to_string(i) + R"(", "label": "T"})";
  body += "]";
  FactFile file;
  Status s = ParseFactFile("t.json", "{" + std::string(kSource) + ", " + body + "}", &file);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.more_diagnostics().size(), 2u) << s.ToString();

  body = R"("topics": [)";
  for (int i = 0; i < 40; ++i) body += std::string(i ? "," : "") + R"({"id": "t)" + std::to_string(i) + R"(", "label": "T"})";
  body += "]";
  s = ParseFactFile("t.json", "{" + std::string(kSource) + ", " + body + "}", &file);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.more_diagnostics().size(), 20u);  // 20 errors and a line saying more follow
  EXPECT_NE(s.ToString().find("more errors follow"), std::string::npos);
}

TEST(FactFileTest, MissingSourceFields) {
  FactFile file;
  Status s = ParseFactFile("t.json", R"({"source": {"id": "s1"}, "topics": []})", &file);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find(R"(the source needs "title")"), std::string::npos) << s.ToString();
  s = ParseFactFile("t.json", R"({"topics": []})", &file);
  EXPECT_NE(s.ToString().find(R"(missing the "source" block)"), std::string::npos) << s.ToString();
}

TEST(FactFileTest, ValidFileWithValueLevelEvidenceAndDatabaseReferences) {
  const std::string text = R"({
    "source": {"id": "s1", "title": "T", "published": "2019-03", "author": "writer"},
    "actors": [{"id": "writer", "type": "Person", "label": "W", "aliases": ["Dub"], "evidence": {"section": "byline"}}],
    "meetings": [{"id": "m", "type": "Summit", "label": "M", "date": "2020-02-29",
                  "participants": ["writer", {"value": "in-the-database", "evidence": [{"paragraph": 2, "quote": "q"}]}],
                  "evidence": [{"paragraph": 1}, {"page": 4, "confidence": 0.5}]}]
  })";
  FactFile file;
  Status s = Check(text, &file);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(file.records.size(), 2u);
  const Record& m = file.records[1];
  EXPECT_EQ(m.type, "Summit");
  EXPECT_EQ(m.evidence.size(), 2u);
  ASSERT_EQ(m.values.size(), 3u);  // two participants and the date, in the kind's property order
  EXPECT_EQ(m.values[1].value, "in-the-database");
  ASSERT_EQ(m.values[1].evidence.size(), 1u);
  EXPECT_EQ(m.values[1].evidence[0].quote, "q");
  EXPECT_EQ(m.values[2].value, "2020-02-29");
  EXPECT_FALSE(file.content_hash.empty());
}

TEST(FactFileTest, ContentHashIgnoresFormattingButNotFacts) {
  FactFile a, b, c;
  ASSERT_TRUE(ParseFactFile("a", R"({"source": {"id": "s", "title": "T"}})", &a).ok());
  ASSERT_TRUE(ParseFactFile("b", "{ \"source\" :\n {\"title\": \"T\", \"id\": \"s\"} }", &b).ok());
  ASSERT_TRUE(ParseFactFile("c", R"({"source": {"id": "s", "title": "T2"}})", &c).ok());
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_NE(a.content_hash, c.content_hash);
}

TEST(FactFileTest, Dates) {
  std::string type;
  for (const char* good : {"2019", "2019-02", "2019-02-28", "2020-02-29", "2000-02-29", "1953-07-27"}) {
    EXPECT_TRUE(ParseDate(good, &type)) << good;
  }
  for (const char* bad : {"19", "2019-2", "2019-00", "2019-13", "2019-02-29", "1900-02-29", "2019-04-31", "2019/02/01",
                          "2019-02-01T10:00", "March 2019"}) {
    EXPECT_FALSE(ParseDate(bad, &type)) << bad;
  }
  ASSERT_TRUE(ParseDate("2019-03", &type));
  EXPECT_EQ(type, "gYearMonth");
}

}  // namespace
}  // namespace parley::ingest::facts
