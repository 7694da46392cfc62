#include "query/english/spelling.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "query/english/mentions.hpp"
#include "query/english/morphology.hpp"
#include "query/english/tokens.hpp"
#include "rdf/edit_distance.hpp"

namespace parley::query::english {
namespace {

// More candidates than this per word, or more misspelt words than this per question,
// are not tried: each try reads the whole question again.
constexpr std::size_t kCandidatesPerWord = 4;
constexpr std::size_t kMostFixes = 4;

bool Letters(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

int Frequency(const std::string& word) {
  const auto& words = WordNetVocabulary();
  auto it = std::lower_bound(words.begin(), words.end(), word, [](const KnownWord& k, const std::string& w) { return k.word < w; });
  return it != words.end() && it->word == word ? it->frequency : 0;
}

bool KnownToWordNet(const std::string& w) {
  return IsWordOf(w, WordClass::kNoun) || IsWordOf(w, WordClass::kVerb) || IsWordOf(w, WordClass::kAdjective) ||
         IsWordOf(w, WordClass::kAdverb);
}

bool Known(const Token& t, const Lexicon& lex) {
  const auto& vocabulary = lex.KnownWords();
  return FunctionWord(t.text) || FunctionWord(t.lemma) || vocabulary.count(t.text) || vocabulary.count(t.lemma) ||
         KnownToWordNet(t.text);
}

// The words `typed` may have been meant as, best first.
// `opens`: the word opens the question, where a question word is likeliest ("whre": "where").
std::vector<std::string> Candidates(const std::string& typed, const Lexicon& lex, bool opens) {
  static const std::set<std::string> question_words = {"which", "what", "who", "whom", "whose", "when", "where",
                                                       "why", "how"};
  const std::size_t limit = typed.size() <= 4 ? 1 : 2;
  // (distance, 0 for a question word opening the question, 0 when the typed word is cut
  // short of it ("wher": "where", not "when"), 0 for the question's own words and 1 for
  // WordNet's, -frequency, word)
  std::vector<std::tuple<std::size_t, int, int, int, int, std::string>> near;
  auto consider = [&](const std::string& word, int pool) {
    if (word.size() + limit < typed.size() || typed.size() + limit < word.size() || word.size() < 2) return;
    const std::size_t d = rdf::EditDistance(typed, word);
    if (d == 0 || d > limit) return;
    near.emplace_back(d, opens && question_words.count(word) ? 0 : 1, word.rfind(typed, 0) == 0 ? 0 : 1, pool,
                      -Frequency(word), word);
  };
  for (const std::string& w : StructureWords()) consider(w, 0);
  for (const std::string& w : lex.KnownWords()) {
    if (Letters(w)) consider(w, 0);
  }
  for (const KnownWord& k : WordNetVocabulary()) consider(k.word, 1);
  std::sort(near.begin(), near.end());
  std::vector<std::string> out;
  for (const auto& candidate : near) {
    const std::string& w = std::get<5>(candidate);
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    if (out.size() == kCandidatesPerWord) break;
  }
  return out;
}

struct Misspelt {
  std::size_t offset = 0, length = 0;
  std::string typed;
  std::vector<std::string> candidates;
};

std::string Apply(std::string_view question, const std::vector<Misspelt>& words, const std::vector<std::size_t>& choice) {
  std::string out(question);
  for (std::size_t i = words.size(); i-- > 0;) {
    out.replace(words[i].offset, words[i].length, words[i].candidates[choice[i]]);
  }
  return out;
}

}  // namespace

std::optional<Respelled> Respell(std::string_view question, const Lexicon& lexicon,
                                 const std::function<bool(const std::string&)>& reads) {
  const std::vector<Token> tokens = Tokenize(question);
  std::vector<Misspelt> words;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    // Names the graph lacks are reported before this (loose.hpp), so a capitalised word
    // here is a name misspelt ("Micheal").
    if (t.text.size() < 3 || !Letters(t.text) || Known(t, lexicon)) continue;
    if (t.offset + t.text.size() > question.size()) continue;
    std::vector<std::string> candidates = Candidates(t.text, lexicon, i == 0);
    if (candidates.empty()) continue;
    words.push_back(Misspelt{t.offset, t.text.size(), t.text, std::move(candidates)});
    if (words.size() > kMostFixes) return std::nullopt;
  }
  if (words.empty()) return std::nullopt;
  // Every word's best candidate first; then each word's others, the rest kept at their best.
  std::vector<std::vector<std::size_t>> tries{std::vector<std::size_t>(words.size(), 0)};
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t c = 1; c < words[i].candidates.size(); ++c) {
      std::vector<std::size_t> choice(words.size(), 0);
      choice[i] = c;
      tries.push_back(choice);
    }
  }
  for (const auto& choice : tries) {
    std::string corrected = Apply(question, words, choice);
    if (!reads(corrected)) continue;
    Respelled out{std::move(corrected), {}};
    for (std::size_t i = 0; i < words.size(); ++i) out.fixes.push_back(SpellingFix{words[i].typed, words[i].candidates[choice[i]]});
    return out;
  }
  return std::nullopt;
}

std::string DescribeFixes(const std::vector<SpellingFix>& fixes) {
  std::string out;
  for (const auto& f : fixes) out += (out.empty() ? "Reading \"" : ", \"") + f.typed + "\" as \"" + f.word + "\"";
  return out.empty() ? out : out + ".";
}

}  // namespace parley::query::english
