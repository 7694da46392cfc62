#include "query/english/morphology.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include <wn.h>

namespace parley::query::english {
namespace {

std::mutex& WordNetMutex() {
  static std::mutex m;
  return m;
}

// WordNet's C library copies words into fixed buffers of 256 bytes; no English word is
// near that long, so longer ones are never handed to it.
constexpr std::size_t kLongestWord = 64;

// REQUIRES: WordNetMutex() held.
bool WordNetReady() {
  static const bool ready = wninit() == 0;
  return ready;
}

int PartOfSpeech(WordClass c) {
  switch (c) {
    case WordClass::kNoun: return NOUN;
    case WordClass::kVerb: return VERB;
    case WordClass::kAdjective: return ADJ;
    case WordClass::kAdverb: return ADV;
  }
  return NOUN;
}

// REQUIRES: WordNetMutex() held. WordNet's functions take char* and may write to it.
std::string BaseForm(const std::string& word, int pos) {
  std::string buffer = word;
  if (in_wn(buffer.data(), pos) != 0) return word;
  buffer = word;
  const char* base = morphstr(buffer.data(), pos);
  return base == nullptr ? std::string() : std::string(base);
}

// Words whose form matters to the grammar, never handed to WordNet ("was" is not the
// plural of "wa", "us" is a pronoun, "does" is not a deer).
const std::map<std::string, std::string, std::less<>>& FunctionWords() {
  static const std::map<std::string, std::string, std::less<>> words = {
      {"is", "be"}, {"are", "be"}, {"was", "be"}, {"were", "be"}, {"been", "be"}, {"being", "be"}, {"be", "be"},
      {"am", "be"}, {"'s", "'s"}, {"did", "do"}, {"does", "do"}, {"do", "do"}, {"done", "do"}, {"doing", "do"},
      {"has", "have"}, {"have", "have"}, {"had", "have"}, {"having", "have"}, {"us", "us"}, {"its", "its"},
      {"his", "his"}, {"this", "this"}, {"these", "these"}, {"those", "those"}, {"was", "be"}, {"as", "as"},
      {"news", "news"}, {"less", "less"}, {"whose", "whose"}, {"times", "time"}, {"ties", "tie"},
      {"series", "series"}, {"means", "means"}, {"always", "always"}, {"across", "across"}};
  return words;
}

// A WordNet word as the front-end writes it: lower case, spaces for underscores, no
// adjective marker such as "(a)".
std::string Plain(const char* word) {
  std::string w = word;
  for (char& ch : w) {
    if (ch == '_') ch = ' ';
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  if (auto paren = w.find('('); paren != std::string::npos) w.resize(paren);
  return w;
}

WordClass ClassOf(int pos) {
  switch (pos) {
    case VERB: return WordClass::kVerb;
    case ADJ: case SATELLITE: return WordClass::kAdjective;
    case ADV: return WordClass::kAdverb;
    default: return WordClass::kNoun;
  }
}

}  // namespace

std::string Lemma(std::string_view word) {
  const auto& function_words = FunctionWords();
  if (auto it = function_words.find(word); it != function_words.end()) return it->second;
  const bool plain = word.size() >= 3 && word.size() <= kLongestWord && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '-';
  });
  if (!plain) return std::string(word);
  std::lock_guard<std::mutex> lock(WordNetMutex());
  static std::map<std::string, std::string, std::less<>> cache;
  if (auto it = cache.find(word); it != cache.end()) return it->second;
  std::string out(word);
  if (WordNetReady()) {
    for (int pos : {VERB, NOUN}) {
      std::string base = BaseForm(out, pos);
      if (!base.empty()) {
        out = base;
        break;
      }
    }
  }
  cache.emplace(std::string(word), out);
  return out;
}

std::string LemmaPhrase(std::string_view phrase) {
  std::string out;
  std::size_t start = 0;
  while (start < phrase.size()) {
    std::size_t end = phrase.find(' ', start);
    if (end == std::string_view::npos) end = phrase.size();
    if (end > start) out += (out.empty() ? "" : " ") + Lemma(phrase.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// WordNet reads its data files for every look-up; these answers are kept for the
// process (the REPL asks about the same words again and again).
bool IsWordOf(std::string_view word, WordClass c) {
  std::lock_guard<std::mutex> lock(WordNetMutex());
  if (!WordNetReady() || word.empty() || word.size() > kLongestWord) return false;
  static std::map<std::pair<std::string, WordClass>, bool> cache;
  const auto key = std::make_pair(std::string(word), c);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  const bool known = !BaseForm(key.first, PartOfSpeech(c)).empty();
  cache.emplace(key, known);
  return known;
}

std::vector<std::string> Synonyms(std::string_view lemma, WordClass c, int senses) {
  std::lock_guard<std::mutex> lock(WordNetMutex());
  std::vector<std::string> out;
  if (!WordNetReady() || lemma.empty() || lemma.size() > kLongestWord) return out;
  static std::map<std::tuple<std::string, WordClass, int>, std::vector<std::string>> cache;
  const auto key = std::make_tuple(std::string(lemma), c, senses);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  std::string buffer(lemma);
  SynsetPtr synsets = findtheinfo_ds(buffer.data(), PartOfSpeech(c), SYNS, ALLSENSES);
  std::set<std::string> seen{std::string(lemma)};
  int sense = 0;
  for (SynsetPtr s = synsets; s != nullptr && sense < senses; s = s->nextss, ++sense) {
    for (int i = 0; i < s->wcount; ++i) {
      std::string w = Plain(s->words[i]);
      if (seen.insert(w).second) out.push_back(w);
    }
  }
  if (synsets != nullptr) free_syns(synsets);
  cache.emplace(key, out);
  return out;
}

std::vector<std::pair<std::string, WordClass>> Related(std::string_view lemma, WordClass c, Relation relation,
                                                       int senses) {
  std::lock_guard<std::mutex> lock(WordNetMutex());
  std::vector<std::pair<std::string, WordClass>> out;
  if (!WordNetReady() || lemma.empty() || lemma.size() > kLongestWord) return out;
  static std::map<std::tuple<std::string, WordClass, Relation, int>, std::vector<std::pair<std::string, WordClass>>> cache;
  const auto key = std::make_tuple(std::string(lemma), c, relation, senses);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  std::string buffer(lemma);
  SynsetPtr synsets = findtheinfo_ds(buffer.data(), PartOfSpeech(c), SYNS, ALLSENSES);
  std::set<std::string> seen{std::string(lemma)};
  const int wanted = relation == Relation::kDerivation ? DERIVATION : HYPERPTR;
  int sense = 0;
  for (SynsetPtr s = synsets; s != nullptr && sense < senses; s = s->nextss, ++sense) {
    for (int i = 0; i < s->ptrcount; ++i) {
      if (s->ptrtyp[i] != wanted) continue;
      // A derivation is a pointer between two words: only the ones from this word count.
      if (relation == Relation::kDerivation && s->pfrm[i] != 0 && s->pfrm[i] != s->whichword) continue;
      SynsetPtr target = read_synset(s->ppos[i], s->ptroff[i], nullptr);
      if (target == nullptr) continue;
      for (int w = 0; w < target->wcount; ++w) {
        if (relation == Relation::kDerivation && s->pto[i] != 0 && s->pto[i] != w + 1) continue;
        std::string word = Plain(target->words[w]);
        if (word.find(' ') == std::string::npos && seen.insert(word).second) out.emplace_back(word, ClassOf(s->ppos[i]));
      }
      free_synset(target);
    }
  }
  if (synsets != nullptr) free_syns(synsets);
  cache.emplace(key, out);
  return out;
}

const std::vector<KnownWord>& WordNetVocabulary() {
  static const std::vector<KnownWord> words = [] {
    std::string dir;
    {
      std::lock_guard<std::mutex> lock(WordNetMutex());
      if (!WordNetReady()) return std::vector<KnownWord>{};
      const char* searchdir = SetSearchdir();
      dir = searchdir != nullptr ? searchdir : "";
    }
    std::map<std::string, int> frequency;
    for (const char* part : {"noun", "verb", "adj", "adv"}) {
      std::ifstream in(dir + "/index." + part);
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == ' ') continue;  // the licence at the top
        const std::string word = line.substr(0, line.find(' '));
        const bool plain = std::all_of(word.begin(), word.end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '-'; });
        if (plain) frequency.emplace(word, 0);
      }
    }
    // cntlist.rev: "sense_key sense_number tag_count", the sense key beginning "lemma%".
    std::ifstream counts(dir + "/cntlist.rev");
    std::string line;
    while (std::getline(counts, line)) {
      const auto percent = line.find('%');
      const auto last = line.rfind(' ');
      if (percent == std::string::npos || last == std::string::npos) continue;
      auto it = frequency.find(line.substr(0, percent));
      if (it != frequency.end()) it->second += std::atoi(line.c_str() + last + 1);
    }
    std::vector<KnownWord> out;
    out.reserve(frequency.size());
    for (auto& [w, f] : frequency) out.push_back(KnownWord{w, f});
    return out;
  }();
  return words;
}

}  // namespace parley::query::english
