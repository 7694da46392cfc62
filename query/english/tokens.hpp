// query/english/tokens.hpp
// The first step of reading a question: words with their base forms, and dates.
// The question and every lexicon phrase are tokenised by the same function, so the
// keys they are compared by are built the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::query::english {

struct Token {
  std::string text;      // lower case, apostrophes straightened; "'s" is a token of its own
  std::string lemma;     // Lemma(text)
  std::size_t offset;    // byte offset in the question as typed
  bool capital = false;  // typed with a capital letter (names)
};

// Splits at spaces and punctuation. Keeps hyphens and inner full stops ("U.S."),
// splits off the possessive "'s", drops ? ! ; : ( ) and quotes, keeps "," as a token.
std::vector<Token> Tokenize(std::string_view text);

// The lookup key of tokens [first, last): their lemmas joined by spaces.
std::string KeyOf(const std::vector<Token>& tokens, std::size_t first, std::size_t last);

// The lookup key of a lexicon phrase: its tokens' lemmas, without a leading article.
std::string PhraseKey(std::string_view phrase);

// An interval of calendar time as ISO prefixes ("2018", "2018-06", "2018-06-12"):
// every date d with from <= d and d starts with or sorts before `to`.
struct DateRange {
  std::string from, to;
};

// A date at tokens[at]: "2018", "February 2019", "12 June 2018", "June 12, 2018",
// "2018-06-12". Sets *next to the token after it.
std::optional<DateRange> ParseDate(const std::vector<Token>& tokens, std::size_t at, std::size_t* next);

}  // namespace parley::query::english
