#include "ingest/ntriples_reader.hpp"

#include <gtest/gtest.h>

#include "rdf/iri.hpp"

namespace parley::ingest {
namespace {

struct Parsed {
  Status status;
  std::vector<std::string> statements;  // canonical N-Quads spelling
};

std::string Spell(const TermView& v) {
  Term t{v.kind, std::string(v.value), std::string(v.datatype), std::string(v.language)};
  if (v.kind == TermKind::kLiteral && !v.language.empty()) t = Term::LangLiteral(t.value, t.language);
  return ToNTriples(t);
}

Parsed Parse(std::string_view text, RdfFormat format = RdfFormat::kNTriples) {
  Parsed out;
  out.status = ReadNTriplesText(text, format, "t.nt", [&](const Statement& st) {
    std::string line = Spell(st.subject) + " " + Spell(st.predicate) + " " + Spell(st.object);
    if (st.graph) line += " " + Spell(*st.graph);
    out.statements.push_back(line);
    return Status::OK();
  });
  return out;
}

TEST(NTriplesReaderTest, AcceptsTheForms) {
  struct Case {
    std::string input, expected;
  } cases[] = {
      {"<http://e/s> <http://e/p> <http://e/o> .", "<http://e/s> <http://e/p> <http://e/o>"},
      {"<http://e/s><http://e/p><http://e/o>.", "<http://e/s> <http://e/p> <http://e/o>"},
      {"\t<http://e/s>  <http://e/p>\t\"x\" . # comment", "<http://e/s> <http://e/p> \"x\""},
      {"_:a <http://e/p> _:b.", "_:a <http://e/p> _:b"},
      {"_:a.b <http://e/p> _:c.", "_:a.b <http://e/p> _:c"},
      {"<http://e/s> <http://e/p> \"chat\"@fr-BE .", "<http://e/s> <http://e/p> \"chat\"@fr-be"},
      {"<http://e/s> <http://e/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .",
       "<http://e/s> <http://e/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"},
      {"<http://e/s> <http://e/p> \"a\"^^<http://www.w3.org/2001/XMLSchema#string> .",
       "<http://e/s> <http://e/p> \"a\""},
      {"<http://e/\\u00E9> <http://e/p> \"\\t\\\"\\u00e9\\U0001F600\" .",
       "<http://e/é> <http://e/p> \"\\t\\\"é😀\""},
      {"<http://e/s> <http://e/p> \"ünï\" .", "<http://e/s> <http://e/p> \"ünï\""},
  };
  for (const auto& c : cases) {
    Parsed p = Parse(c.input);
    ASSERT_TRUE(p.status.ok()) << c.input << "\n" << p.status.ToString();
    ASSERT_EQ(p.statements.size(), 1u) << c.input;
    EXPECT_EQ(p.statements[0], c.expected);
  }
}

TEST(NTriplesReaderTest, AByteOrderMarkStartsAFileButNotALine) {
  auto p = Parse("\xEF\xBB\xBF<http://e/a> <http://e/b> \"c\" .\n");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.statements.size(), 1u);
  EXPECT_FALSE(Parse("<http://e/a> <http://e/b> \"c\" .\n\xEF\xBB\xBF<http://e/a> <http://e/b> \"d\" .\n").status.ok());
}

TEST(NTriplesReaderTest, NQuadsTakesAnOptionalGraph) {
  Parsed p = Parse("<http://e/s> <http://e/p> \"o\" <http://e/g> .\n<http://e/s> <http://e/p> \"o\" .\n"
                   "<http://e/s> <http://e/p> \"o\" _:g .\n",
                   RdfFormat::kNQuads);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.statements.size(), 3u);
  EXPECT_EQ(p.statements[0], "<http://e/s> <http://e/p> \"o\" <http://e/g>");
  EXPECT_EQ(p.statements[1], "<http://e/s> <http://e/p> \"o\"");
  EXPECT_EQ(p.statements[2], "<http://e/s> <http://e/p> \"o\" _:g");
}

TEST(NTriplesReaderTest, LineBreaksOfEveryKind) {
  Parsed p = Parse("<http://e/a> <http://e/p> \"1\" .\r\n<http://e/b> <http://e/p> \"2\" .\r<http://e/c> <http://e/p> \"3\" .");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.statements.size(), 3u);
}

TEST(NTriplesReaderTest, ErrorsNameLineColumnAndCause) {
  struct Case {
    std::string input;
    std::string expected_prefix;  // "t.nt:line:col: error: ..." start
    std::string fragment;
  } cases[] = {
      {"<http://e/s> <http://e/p> <o> .", "t.nt:1:27:", "relative IRI"},
      {"<http://e/s x> <http://e/p> <http://e/o> .", "t.nt:1:12:", "space in an IRI"},
      {"<http://e/s> <http://e/p> \"a\\zb\" .", "t.nt:1:29:", "unknown escape"},
      {"<http://e/s> <http://e/p> \"abc .", "t.nt:1:27:", "not closed"},
      {"<http://e/s> <http://e/p> <http://e/o>", "t.nt:1:39:", "expected '.'"},
      {"<http://e/s> <http://e/p> <http://e/o> . x", "t.nt:1:42:", "end of the line"},
      {"\"s\" <http://e/p> <http://e/o> .", "t.nt:1:1:", "expected a subject"},
      {"<http://e/s> _:p <http://e/o> .", "t.nt:1:14:", "expected a predicate"},
      {"<http://e/s> <http://e/p> \"x\"@ .", "t.nt:1:30:", "language tag"},
      {"<http://e/s> <http://e/p> \"x\"@en- .", "t.nt:1:34:", "language tag"},
      {"<http://e/s> <http://e/p> \"\\u12\" .", "t.nt:1:28:", "hex digits"},
      {"<http://e/s> <http://e/p> \"\xC3\x28\" .", "t.nt:1:28:", "UTF-8"},
      {"<http://e/s> <http://e/p> <http://e/o> <http://e/g> .", "t.nt:1:40:", "graph label"},
      {"\n\n<http://e/s> <http://e/p> \"x\"^<http://e/d> .", "t.nt:3:30:", "'^^'"},
      {"_:.a <http://e/p> <http://e/o> .", "t.nt:1:1:", "blank node"},
  };
  for (const auto& c : cases) {
    Parsed p = Parse(c.input);
    ASSERT_FALSE(p.status.ok()) << c.input;
    const std::string text = p.status.ToString();
    EXPECT_EQ(text.rfind(c.expected_prefix + " error: ", 0), 0u) << c.input << "\n" << text;
    EXPECT_NE(text.find(c.fragment), std::string::npos) << c.input << "\n" << text;
  }
}

TEST(NTriplesReaderTest, ErrorShowsTheLineAndACaret) {
  Parsed p = Parse("<http://e/s> <http://e/p> <o> .");
  EXPECT_EQ(p.status.ToString(),
            "t.nt:1:27: error: relative IRI <o>: IRIs must be absolute here\n"
            "<http://e/s> <http://e/p> <o> .\n"
            "                          ^~~");
}

TEST(NTriplesReaderTest, StreamsFilesLargerThanOneBlockAndCountsLines) {
  // 9 MiB of statements and a 5 MiB literal cross the reader's 4 MiB blocks.
  std::string text;
  const std::string line = "<http://e/s> <http://e/p> \"" + std::string(100, 'x') + "\" .\n";
  int lines = 0;
  while (text.size() < (9u << 20)) {
    text += line;
    ++lines;
  }
  text += "<http://e/s> <http://e/p> \"" + std::string(5u << 20, 'y') + "\" .\n";
  ++lines;
  text += "<http://e/s> <http://e/p> <bad> .\n";
  ++lines;
  std::FILE* file = fmemopen(text.data(), text.size(), "rb");
  ASSERT_NE(file, nullptr);
  std::uint64_t seen = 0;
  Status s = ReadNTriples(file, RdfFormat::kNTriples, "big.nt", [&](const Statement&) {
    ++seen;
    return Status::OK();
  });
  std::fclose(file);
  EXPECT_EQ(seen, static_cast<std::uint64_t>(lines - 1));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.ToString().rfind("big.nt:" + std::to_string(lines) + ":27: error:", 0), 0u) << s.ToString();
}

TEST(NTriplesReaderTest, CallbackErrorsStopTheRead) {
  int calls = 0;
  Status s = ReadNTriplesText("<http://e/a> <http://e/p> \"1\" .\n<http://e/b> <http://e/p> \"2\" .\n",
                              RdfFormat::kNTriples, "t.nt", [&](const Statement&) {
                                ++calls;
                                return Status::IOError("stop");
                              });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.code(), Status::Code::kIOError);
}

TEST(NTriplesReaderTest, AbsoluteIris) {
  EXPECT_TRUE(rdf::IsAbsoluteIri("http://e/x"));
  EXPECT_TRUE(rdf::IsAbsoluteIri("urn:isbn:1"));
  EXPECT_TRUE(rdf::IsAbsoluteIri("a+b.c-d:x"));
  EXPECT_FALSE(rdf::IsAbsoluteIri("/path"));
  EXPECT_FALSE(rdf::IsAbsoluteIri("1http://x"));
  EXPECT_FALSE(rdf::IsAbsoluteIri("rel"));
}

}  // namespace
}  // namespace parley::ingest
