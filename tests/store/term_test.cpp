#include "store/term.hpp"

#include <gtest/gtest.h>

namespace parley {
namespace {

TEST(TermTest, EncodingRoundTripsEveryKind) {
  const Term terms[] = {
      Term::Iri("http://example.org/a"),
      Term::BlankNode("b12"),
      Term::Literal("plain"),
      Term::Literal("with\0nul", "http://example.org/dt"),
      Term::Literal("42", "http://www.w3.org/2001/XMLSchema#integer"),
      Term::LangLiteral("bonjour", "fr-BE"),
      Term::Literal(""),
  };
  for (const Term& term : terms) {
    auto decoded = DecodeTerm(EncodeTerm(term));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, term) << ToNTriples(term);
  }
}

TEST(TermTest, KindsNeverShareAnEncoding) {
  EXPECT_NE(EncodeTerm(Term::Iri("x")), EncodeTerm(Term::Literal("x")));
  EXPECT_NE(EncodeTerm(Term::Iri("x")), EncodeTerm(Term::BlankNode("x")));
  EXPECT_NE(EncodeTerm(Term::Literal("x")), EncodeTerm(Term::LangLiteral("x", "en")));
}

TEST(TermTest, XsdStringIsTheSimpleLiteral) {
  EXPECT_EQ(EncodeTerm(Term::Literal("a", std::string(kXsdString))), EncodeTerm(Term::Literal("a")));
}

TEST(TermTest, LanguageTagsCompareCaseInsensitively) {
  EXPECT_EQ(EncodeTerm(Term::LangLiteral("a", "EN-GB")), EncodeTerm(Term::LangLiteral("a", "en-gb")));
}

TEST(TermTest, DecodeRejectsGarbage) {
  EXPECT_FALSE(DecodeTerm("").ok());
  EXPECT_FALSE(DecodeTerm("Xabc").ok());
  EXPECT_FALSE(DecodeTerm("Lno-terminator").ok());
}

TEST(TermTest, CanonicalNTriples) {
  struct Case {
    Term term;
    std::string expected;
  } cases[] = {
      {Term::Iri("http://e/x"), "<http://e/x>"},
      {Term::BlankNode("b1"), "_:b1"},
      {Term::Literal("a\"b\\c\nd\re\tf"), "\"a\\\"b\\\\c\\nd\\re\\tf\""},
      {Term::Literal(std::string("\x01\x7f", 2)), "\"\\u0001\\u007F\""},
      {Term::Literal("é"), "\"é\""},
      {Term::LangLiteral("hi", "EN"), "\"hi\"@en"},
      {Term::Literal("1", "http://www.w3.org/2001/XMLSchema#integer"),
       "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"},
  };
  for (const auto& c : cases) EXPECT_EQ(ToNTriples(c.term), c.expected);
}

}  // namespace
}  // namespace parley
