#include "ingest/turtle_reader.hpp"

#include <gtest/gtest.h>

#include "tests/support/rdf_test_support.hpp"

namespace parley::ingest {
namespace {

std::vector<std::string> Parse(std::string_view text, Status* status, std::string_view base = "http://base/doc") {
  std::vector<std::string> out;
  *status = ReadTurtleText(text, "t.ttl", base, parley::testing::SpellInto(&out));
  return out;
}

TEST(TurtleReaderTest, PrefixesListsAndShortForms) {
  Status s;
  auto got = Parse(R"(@prefix : <http://e/> .
PREFIX x: <http://x/>
:kim a :Person ; :label "Kim"@en, 'Chairman Kim' ;
     :age 35 ; :score -1.5 ; :big 1e3 ; :ok true .
:talks :between ( :a :b ) .
[ :says """multi
line""" ] .
<rel> x:p [] .
)",
                   &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::vector<std::string> expected = {
      "<http://e/kim> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/Person>",
      "<http://e/kim> <http://e/label> \"Kim\"@en",
      "<http://e/kim> <http://e/label> \"Chairman Kim\"",
      "<http://e/kim> <http://e/age> \"35\"^^<http://www.w3.org/2001/XMLSchema#integer>",
      "<http://e/kim> <http://e/score> \"-1.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
      "<http://e/kim> <http://e/big> \"1e3\"^^<http://www.w3.org/2001/XMLSchema#double>",
      "<http://e/kim> <http://e/ok> \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
      "_:anon <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://e/a>",
      "_:anon <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:anon",
      "_:anon <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://e/b>",
      "_:anon <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>",
      "<http://e/talks> <http://e/between> _:anon",
      "_:anon <http://e/says> \"multi\\nline\"",
      "<http://base/rel> <http://x/p> _:anon",
  };
  EXPECT_EQ(got, expected);
}

TEST(TurtleReaderTest, ErrorsNameLineAndColumn) {
  struct Case {
    std::string input, prefix, fragment;
  } cases[] = {
      {"@prefix : <http://e/> .\n:a :b :c", "t.ttl:2:9:", "expected '.'"},
      {":a :b :c .", "t.ttl:1:1:", "undeclared prefix"},
      {"<http://e/a> <http://e/b> \"open .\n", "t.ttl:1:27:", "line break in a short string"},
      {"<http://e/a> <http://e/b> <http://e/c> ;; .", "", ""},  // valid: empty predicate lists
      {"<http://e/a> <http://e/b> .", "t.ttl:1:27:", "expected an object"},
      {"@prefix : <http://e/> .\n\n:a :b ( :c .", "t.ttl:3:12:", "expected an object"},
  };
  for (const auto& c : cases) {
    Status s;
    Parse(c.input, &s);
    if (c.prefix.empty()) {
      EXPECT_TRUE(s.ok()) << c.input << "\n" << s.ToString();
      continue;
    }
    ASSERT_FALSE(s.ok()) << c.input;
    EXPECT_EQ(s.ToString().rfind(c.prefix + " error: ", 0), 0u) << c.input << "\n" << s.ToString();
    EXPECT_NE(s.ToString().find(c.fragment), std::string::npos) << c.input << "\n" << s.ToString();
  }
}

// Nesting is read by recursion: deep input must meet an error, not the end of the stack.
TEST(TurtleReaderTest, DeepNestingIsAnErrorNotACrash) {
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  for (int depth : {257, 4000, 100000}) {
    const std::string lists = "@prefix e: <http://e/> .\ne:s e:p " + repeat("[ e:p ", depth) + "e:o" + repeat(" ]", depth) + " .";
    const std::string collections = "<http://e/s> <http://e/p> " + repeat("(", depth) + repeat(")", depth) + " .";
    const std::string subject = "@prefix e: <http://e/> .\n[ e:p " + repeat("( ", depth) + repeat(") ", depth) + "] .";
    for (const std::string& input : {lists, collections, subject}) {
      Status s;
      Parse(input, &s);
      ASSERT_FALSE(s.ok()) << depth;
      EXPECT_NE(s.ToString().find("nested more than 256 deep"), std::string::npos) << s.ToString();
    }
  }
  // 256 levels are still read.
  Status s;
  Parse("<http://e/s> <http://e/p> " + repeat("(", 256) + repeat(")", 256) + " .", &s);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(TurtleReaderTest, AByteOrderMarkStartsAFile) {
  Status s;
  auto statements = Parse("\xEF\xBB\xBF@prefix e: <http://e/> .\ne:a e:b \"c\" .", &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(statements.size(), 1u);
}

TEST(TurtleReaderTest, RelativeIriWithoutBaseIsAnError) {
  Status s;
  Parse("<a> <http://e/p> <http://e/o> .", &s, "");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("no base IRI"), std::string::npos) << s.ToString();
}

TEST(TurtleReaderTest, StreamsAcrossBlocks) {
  std::string text = "@prefix : <http://e/> .\n";
  for (int i = 0; i < 20000; ++i) text += ":s" + std::to_string(i) + " :p \"" + std::string(20, 'x') + "\" .\n";
  std::FILE* file = fmemopen(text.data(), text.size(), "rb");
  int n = 0;
  Status s = ReadTurtle(file, "big.ttl", "", [&](const Statement&) {
    ++n;
    return Status::OK();
  });
  std::fclose(file);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(n, 20000);
}

}  // namespace
}  // namespace parley::ingest
