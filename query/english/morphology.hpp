// query/english/morphology.hpp
// English morphology from WordNet (Debian's wordnet-dev and wordnet-base): the base
// form of a word ("met" -> "meet", "summits" -> "summit") and its synonyms. Both sides
// of every comparison go through Lemma(), the question's words and the lexicon's
// phrases, so a phrase matches whatever inflection either is written in.
// Thread safety: every function may be called from any thread (WordNet's C library is
// not reentrant; one mutex guards it and the caches).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parley::query::english {

enum class WordClass : std::uint8_t { kNoun, kVerb, kAdjective, kAdverb };

// The base form of one lower-case word: its verb lemma if it has one, else its noun
// lemma, else the word. Auxiliaries map to "be", "do" and "have"; function words and
// short words are left alone. Without WordNet's data files the word itself.
std::string Lemma(std::string_view word);

// Every word of a phrase lemmatised, joined by single spaces.
std::string LemmaPhrase(std::string_view phrase);

// True when WordNet knows `word` (any inflection) as a word of class `c`.
bool IsWordOf(std::string_view word, WordClass c);

// The single-word members of the first `senses` synsets of `lemma` in class `c`,
// lower case, without `lemma` itself. Multi-word members come back with spaces.
std::vector<std::string> Synonyms(std::string_view lemma, WordClass c, int senses = 3);

// How two words are related in WordNet, beyond synonymy.
enum class Relation : std::uint8_t {
  kDerivation,  // the same root in another class: "sign" -> "signing", "signatory"; "agree" -> "agreement"
  kHypernym,    // a more general word: "sponsor" -> "support", "testimony" -> "evidence"
};

// The single-word lemmas related to `lemma` (of class `c`) by `relation` in its first
// `senses` senses, each with its class, most common sense first, without `lemma` itself.
std::vector<std::pair<std::string, WordClass>> Related(std::string_view lemma, WordClass c, Relation relation,
                                                       int senses = 3);

// Every single word WordNet knows, with how often its senses occur in WordNet's tagged
// corpus (0 for the rarest): the vocabulary spelling corrections are drawn from.
// Read on first use from the dictionary's index files.
struct KnownWord {
  std::string word;
  int frequency = 0;
};
const std::vector<KnownWord>& WordNetVocabulary();

}  // namespace parley::query::english
