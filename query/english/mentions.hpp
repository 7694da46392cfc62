// query/english/mentions.hpp
// The second step of reading a question: its tokens grouped into mentions, each the
// longest phrase the lexicon knows (a name as typed, a class or property word by its
// lemmas), a date, or a word. A word no phrase matches may still name something: a
// WordNet synonym of an ontology word, a name within a small edit distance, or one
// word of a name, narrowed by the word next to it.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "query/english/lexicon.hpp"
#include "query/english/tokens.hpp"

namespace parley::query::english {

struct Mention {
  enum class Kind : std::uint8_t { kSense, kDate, kWord };
  Kind kind = Kind::kWord;
  std::size_t first = 0, last = 0;  // tokens
  std::vector<Sense> senses;
  DateRange date;
  std::string word;                 // kWord: the lemma
  std::string text;                 // as typed (lower case)
  bool fuzzy = false;               // an entity found by edit distance or by one word of its name

  bool Has(Sense::Kind k) const {
    return std::any_of(senses.begin(), senses.end(), [k](const Sense& s) { return s.kind == k; });
  }
  std::vector<Sense> Of(Sense::Kind k) const {
    std::vector<Sense> out;
    for (const Sense& s : senses) {
      if (s.kind == k) out.push_back(s);
    }
    return out;
  }
  bool Is(std::initializer_list<const char*> words) const {
    return kind == Kind::kWord && std::any_of(words.begin(), words.end(), [&](const char* w) { return word == w; });
  }
};

// Words that carry a question's structure, never looked up as names.
bool FunctionWord(const std::string& lemma);
// Every such word, for spelling corrections.
const std::vector<std::string>& StructureWords();

// Adverbs and adjectives a reader may pass over: they qualify but name nothing the
// graph holds ("exactly", "officially", "main").
bool Ignorable(const std::string& lemma);

// The mentions of `tokens`, left to right.
std::vector<Mention> FindMentions(const Lexicon& lexicon, const std::vector<Token>& tokens);

}  // namespace parley::query::english
